from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.utils import flatatt
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from associations.models import Enrolment, Organisation, Person, Territory
from associations.scope import (
    get_visible_or_404,
    grants_for,
    in_territory,
    is_coordinator,
    is_staff_role,
    visible_to,
)
from associations.selectors import (
    cohort_detail_queryset,
    cohort_enrolments,
    cohort_page,
    cohorts_for,
    enrolment_candidates,
    organisation_if_visible,
    organisation_progress,
    organisations_for,
    people_for,
    roll_call_lines,
    roll_call_rows,
    sessions_for,
)
from associations.services import (
    attendance_record,
    cohort_organisation_enrol,
    enrolment_create,
    enrolment_replace,
    enrolment_withdraw,
)
from associations.sign_in_sheet import sign_in_sheet_pdf

PAGE_SIZE = 50


def in_requested_territory(request, queryset):
    """``queryset`` (already scoped) narrowed to ``?territory=<code>`` and below, if asked; the
    landing page's counts link here. Returns the queryset and the territory (or None)."""
    code = request.GET.get("territory", "").strip()
    if not code:
        return queryset, None
    territory = get_object_or_404(Territory, code=code)
    return in_territory(queryset, territory), territory


@login_required
def organisation_list(request):
    organisations, territory = in_requested_territory(request, organisations_for(request.user))
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(name__icontains=query)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "associations/organisation_list.html",
        {"page_obj": page, "query": query, "territory": territory},
    )


@login_required
def organisation_detail(request, pk):
    organisation = get_visible_or_404(request.user, organisations_for(request.user), pk=pk)
    people = people_for(request.user).filter(organisation=organisation)
    grants = grants_for(request.user)
    return render(
        request,
        "associations/organisation_detail.html",
        {
            "organisation": organisation,
            "people": people,
            "progress": organisation_progress(request.user, organisation),
            "can_edit": organisation.pk in grants.organisation_ids
            or is_coordinator(request.user)
            or grants.everything,
        },
    )


@login_required
def person_list(request):
    people, territory = in_requested_territory(request, people_for(request.user))
    people = people.order_by("last_name", "first_name", "pk")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "associations/person_list.html", {"page_obj": page, "territory": territory}
    )


@login_required
def person_detail(request, pk):
    person = get_visible_or_404(request.user, people_for(request.user), pk=pk)
    enrolments = visible_to(
        request.user, person.enrolments.select_related("cohort", "organisation")
    )
    # A person may have moved to an organisation outside the viewer's scope since enrolling.
    organisation = organisation_if_visible(request.user, person.organisation_id)
    return render(
        request,
        "associations/person_detail.html",
        {"person": person, "organisation": organisation, "enrolments": enrolments},
    )


@login_required
def cohort_list(request):
    cohorts, territory = in_requested_territory(request, cohorts_for(request.user))
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "associations/cohort_list.html", {"page_obj": page, "territory": territory}
    )


def _staff_or_404(user):
    """Cohort pages and the roll call are for trainers, coordinators and administrators."""
    if not is_staff_role(user):
        raise Http404


@login_required
def cohort_detail(request, pk):
    """The cohort page: class list with attendance rates and modules followed, sessions, the
    attendance grid and the organisations enrolled. Bounded queries whatever the size."""
    _staff_or_404(request.user)
    cohort = get_visible_or_404(request.user, cohort_detail_queryset(request.user), pk=pk)
    page = Paginator(cohort_enrolments(request.user, cohort, with_rates=False), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = cohort_page(request.user, cohort, enrolments_page=page)
    # Apps above this one (tests, surveys) add their sections through a hook; each returns HTML
    # or None, and does its own scope checks (the viewer is already staff in scope of the cohort).
    context["extra_sections"] = [
        section
        for fn in hooks.get_hooks("associations_cohort_sections")
        if (section := fn(request, cohort)) is not None
    ]
    if is_coordinator(request.user) or grants_for(request.user).everything:
        # The enrol forms post from the pickers (cohort_enrol): nothing to build for the page.
        context["can_enrol"] = True
        context["pickers"] = enrolment_pickers(request, cohort)
    return render(
        request,
        "associations/cohort_detail.html",
        {"cohort": cohort, "page_obj": page, **context},
    )


@login_required
def roll_call(request, pk):
    """Take the roll of a session: one tap per person, saved at once (htmx answers with the
    person's row); without JavaScript each tap is a plain POST that comes back here."""
    _staff_or_404(request.user)
    session = get_visible_or_404(request.user, sessions_for(request.user), pk=pk)
    if request.method == "POST":
        enrolment_pk = request.POST.get("enrolment", "")
        enrolment = get_visible_or_404(
            request.user,
            Enrolment.objects.filter(cohort_id=session.cohort_id),
            pk=int(enrolment_pk) if enrolment_pk.isdigit() else 0,
        )
        try:
            attendance_record(
                session=session,
                enrolment=enrolment,
                status=request.POST.get("status", ""),
                by=request.user,
            )
        except ValidationError as error:
            if request.htmx:
                return HttpResponse(" ".join(error.messages), status=422)
            messages.error(request, " ".join(error.messages))
            return redirect("associations:roll_call", pk=session.pk)
        if request.htmx:
            enrolment.mark = request.POST["status"]
            return render(
                request,
                "associations/includes/roll_call_row.html",
                {
                    "session": session,
                    "enrolment": enrolment,
                    "action": reverse("associations:roll_call", args=[session.pk]),
                },
            )
        return redirect(reverse("associations:roll_call", args=[session.pk]) + f"#e{enrolment.pk}")
    rows = roll_call_lines(session)
    return render(
        request,
        "associations/roll_call.html",
        {
            "session": session,
            "rows": rows,
            "action": reverse("associations:roll_call", args=[session.pk]),
            "marked": sum(1 for row in rows if row.mark),
        },
    )


class OrganisationProfileForm(forms.ModelForm):
    """What a focal point may update on their association's profile."""

    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "contact_name",
            "phone",
            "email",
            "address",
            "website",
            "members_count",
            "domains",
        ]
        widgets = {"domains": forms.CheckboxSelectMultiple}


@login_required
def organisation_edit(request, pk):
    """A focal point (or a coordinator in scope) updates contacts, members and domains."""
    organisation = get_visible_or_404(request.user, organisations_for(request.user), pk=pk)
    grants = grants_for(request.user)
    if not (
        organisation.pk in grants.organisation_ids
        or is_coordinator(request.user)
        or grants.everything
    ):
        raise Http404
    form = OrganisationProfileForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The profile is updated."))
        return redirect("associations:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "associations/organisation_edit.html",
        {"organisation": organisation, "form": form},
    )


@login_required
def sign_in_sheet(request, pk):
    """The session's printable sign-in sheet (PDF) in the page's language."""
    _staff_or_404(request.user)
    session = get_visible_or_404(request.user, sessions_for(request.user), pk=pk)
    pdf = sign_in_sheet_pdf(session=session, rows=roll_call_rows(session))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="emargement-{session.cohort.code}-{session.date:%Y%m%d}.pdf"'
    )
    return response


class PlainSelect(forms.Select):
    """A single-choice select built in Python: the enrolment forms of the cohort page list
    every person or organisation of the coordinator's territories (hundreds of options), and
    Django renders each option through its own template. Same markup, same selection rule."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        wanted = self.format_value(value)
        options, selected_done = [], False
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = not selected_done and option_value in wanted
            selected_done = selected_done or selected
            options.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option_value,
                    mark_safe(" selected") if selected else "",
                    label,
                )
            )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(attrs),
            mark_safe("\n".join(options)),
        )


class EnrolPersonForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), widget=PlainSelect
    )

    def __init__(self, *args, user, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            people_for(user).exclude(enrolments__cohort=cohort).order_by("last_name", "first_name")
        )


class EnrolOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), widget=PlainSelect
    )

    def __init__(self, *args, user, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_for(user).exclude(
            cohort_enrolments__cohort=cohort
        )


PICKER_KINDS = ("person", "organisation")


def enrolment_picker(request, cohort, kind):
    """One search-as-you-type picker: the words typed (``<kind>_q``) and what they match."""
    query = request.GET.get(f"{kind}_q", "").strip()[:100]
    matches, more = enrolment_candidates(request.user, cohort, kind=kind, query=query)
    return {"kind": kind, "query": query, "matches": matches, "more": more, "cohort": cohort}


def enrolment_pickers(request, cohort):
    """Both pickers of the cohort page; without JavaScript the search form comes back here."""
    return {kind: enrolment_picker(request, cohort, kind) for kind in PICKER_KINDS}


@login_required
def cohort_enrol_search(request, pk, kind):
    """The picker's matches as an HTML fragment (htmx, as the coordinator types); a plain
    request goes to the cohort page, which shows the same matches."""
    if not (is_coordinator(request.user) or grants_for(request.user).everything):
        raise Http404
    cohort = get_visible_or_404(request.user, cohorts_for(request.user), pk=pk)
    if not request.htmx:
        url = reverse("associations:cohort_detail", args=[cohort.pk])
        return redirect(f"{url}?{request.GET.urlencode()}#enrol-{kind}")
    return render(
        request,
        "associations/includes/enrol_picker_results.html",
        enrolment_picker(request, cohort, kind),
    )


@login_required
def cohort_enrol(request, pk):
    """A coordinator enrols a person (an agent or a delegate) or an organisation as such; the
    capacity refusal comes back as a message in the coordinator's language."""
    if request.method != "POST" or not (
        is_coordinator(request.user) or grants_for(request.user).everything
    ):
        raise Http404
    cohort = get_visible_or_404(request.user, cohorts_for(request.user), pk=pk)
    if "organisation" in request.POST:
        form = EnrolOrganisationForm(request.POST, user=request.user, cohort=cohort)
    else:
        form = EnrolPersonForm(request.POST, user=request.user, cohort=cohort)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("associations:cohort_detail", pk=cohort.pk)
    try:
        if "organisation" in form.cleaned_data:
            cohort_organisation_enrol(cohort=cohort, organisation=form.cleaned_data["organisation"])
            messages.success(
                request,
                _("%(organisation)s is enrolled.")
                % {"organisation": form.cleaned_data["organisation"]},
            )
        else:
            enrolment_create(cohort=cohort, person=form.cleaned_data["person"])
            messages.success(
                request, _("%(person)s is enrolled.") % {"person": form.cleaned_data["person"]}
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("associations:cohort_detail", pk=cohort.pk)


class WithdrawalForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("Withdrawn on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255, required=False)
    replacement = forms.ModelChoiceField(
        label=gettext_lazy("Replaced by (optional)"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, user, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = (
            people_for(user).exclude(enrolments__cohort=cohort).order_by("last_name", "first_name")
        )


@login_required
def enrolment_withdrawal(request, pk):
    """A coordinator records that someone left a cohort, and who replaces them if anyone. Both
    enrolments are kept, with their dates."""
    if not (is_coordinator(request.user) or grants_for(request.user).everything):
        raise Http404
    enrolment = get_visible_or_404(
        request.user,
        Enrolment.objects.select_related("person", "cohort"),
        pk=pk,
        withdrawn_on__isnull=True,
    )
    form = WithdrawalForm(request.POST or None, user=request.user, cohort=enrolment.cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["replacement"]:
                enrolment_replace(
                    enrolment=enrolment,
                    person=data["replacement"],
                    on=data["on"],
                    reason=data["reason"],
                )
            else:
                enrolment_withdraw(enrolment=enrolment, on=data["on"], reason=data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The withdrawal is recorded."))
            return redirect("associations:cohort_detail", pk=enrolment.cohort_id)
    return render(
        request, "associations/enrolment_withdrawal.html", {"enrolment": enrolment, "form": form}
    )
