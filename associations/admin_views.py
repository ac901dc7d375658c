"""The registry in the Wagtail admin: organisations, people, territories, cohorts and sessions.

Every listing, chooser, edit, delete, inspect, history and usage view, and every choice offered in
a form, is narrowed by ``associations.scope.visible_to``: a coordinator of Mono never sees a row
of Moulay Yacoub, by menu or by URL.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from associations.models import (
    Cohort,
    Domain,
    Organisation,
    OutsideFacilitator,
    Person,
    Role,
    Session,
    Territory,
    normalise_name,
)
from associations.scope import is_coordinator, visible_to
from associations.services import account_invite


def scoped(user, queryset):
    """``queryset`` narrowed to ``user``'s scope when its model declares a scope rule."""
    if hasattr(queryset.model, "scope_rule"):
        return visible_to(user, queryset)
    return queryset


# Views -----------------------------------------------------------------------------------------


class ScopedObjectMixin:
    """A view of one object answers 404 for an object outside the user's scope."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not visible_to(self.request.user, type(obj)._default_manager.filter(pk=obj.pk)).exists():
            raise Http404
        return obj


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return visible_to(self.request.user, super().get_base_queryset())


class ScopedCreateView(generic.CreateView):
    """Creating an organisation or a person that looks like one already in the registry asks
    first: the form comes back, filled as typed, with the possible duplicates linked and a
    "create anyway" box; nothing is saved until the coordinator confirms."""

    template_name = "associations/admin/create.html"
    possible_duplicates = ()

    def is_valid(self, form):
        if not super().is_valid(form):
            return False
        if self.request.POST.get(CREATE_ANYWAY):
            return True
        self.possible_duplicates = possible_duplicates(self.request.user, form.instance)
        if self.possible_duplicates:
            self.produced_error_code = "possible_duplicates"
            self.produced_error_message = _(
                "This may already be in the registry. Check the possible duplicates below, "
                "then tick “create anyway” if it is really new."
            )
            return False
        return True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["possible_duplicates"] = [
            (duplicate, reverse(self.edit_url_name, args=[quote(duplicate.pk)]))
            for duplicate in self.possible_duplicates
        ]
        context["create_anyway_name"] = CREATE_ANYWAY
        return context


class ScopedEditView(ScopedObjectMixin, generic.EditView):
    pass


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    pass


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    pass


class ScopedHistoryView(ScopedObjectMixin, HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, UsageView):
    pass


class ScopedCopyView(ScopedObjectMixin, generic.CopyView):
    pass


CREATE_ANYWAY = "create_anyway"


def possible_duplicates(user, instance):
    """Rows the user can see that look like ``instance``: same normalised name (in the same
    territory for an organisation, the same organisation for a person), or same phone or e-mail."""
    model = type(instance)
    if model is Organisation:
        candidates = Organisation.objects.filter(territory=instance.territory_id)
        name = normalise_name(instance.name)
        matches = [o for o in candidates if normalise_name(o.name) == name]
    elif model is Person:
        name = normalise_name(f"{instance.first_name} {instance.last_name}")
        candidates = Person.objects.filter(organisation=instance.organisation_id)
        matches = [p for p in candidates if normalise_name(f"{p.first_name} {p.last_name}") == name]
    else:
        return []
    same_contact = Q(pk__in=[m.pk for m in matches])
    if instance.phone:
        same_contact |= Q(phone=instance.phone)
    if instance.email:
        same_contact |= Q(email__iexact=instance.email)
    return list(visible_to(user, model.objects.filter(same_contact).exclude(pk=instance.pk))[:5])


# Forms: every choice offered is a row the user can see ----------------------------------------


class ScopedAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None or user is None:
                continue
            if queryset.model is get_user_model():
                # Facilitators with accounts are trainers, created by administrators.
                field.queryset = queryset.filter(role_assignments__role=Role.TRAINER).distinct()
            else:
                field.queryset = scoped(user, queryset)


def edit_handler(*names):
    return ObjectList([FieldPanel(name) for name in names], base_form_class=ScopedAdminForm)


# Filters ---------------------------------------------------------------------------------------


def visible_territories(request):
    if request is None:
        return Territory.objects.none()
    return visible_to(request.user, Territory.objects.all())


class OrganisationFilterSet(WagtailFilterSet):
    territory = django_filters.ModelChoiceFilter(
        label=_("Territory"), queryset=visible_territories, method="in_territory"
    )
    domains = django_filters.ModelChoiceFilter(
        label=_("Domain of action"), queryset=Domain.objects.all()
    )

    def in_territory(self, queryset, name, value):
        return queryset.filter(territory__path__startswith=value.path)

    class Meta:
        model = Organisation
        fields = ["kind", "status", "territory", "domains", "women_led", "youth_led"]


class PersonFilterSet(WagtailFilterSet):
    territory = django_filters.ModelChoiceFilter(
        label=_("Territory"), queryset=visible_territories, method="in_territory"
    )

    def in_territory(self, queryset, name, value):
        return queryset.filter(organisation__territory__path__startswith=value.path)

    class Meta:
        model = Person
        fields = ["sex", "territory", "organisation__kind"]


class CohortFilterSet(WagtailFilterSet):
    territory = django_filters.ModelChoiceFilter(
        label=_("Territory"), queryset=visible_territories, method="in_territory"
    )

    def in_territory(self, queryset, name, value):
        return queryset.filter(territory__path__startswith=value.path)

    class Meta:
        model = Cohort
        fields = ["status", "territory"]


class SessionFilterSet(WagtailFilterSet):
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"),
        queryset=lambda request: (
            visible_to(request.user, Cohort.objects.all()) if request else Cohort.objects.none()
        ),
    )

    class Meta:
        model = Session
        fields = ["cohort", "part", "cancelled"]


# Choosers --------------------------------------------------------------------------------------


class ScopedChooseViewMixin:
    def get_object_list(self):
        return visible_to(self.request.user, super().get_object_list())


class ScopedChooseView(ScopedChooseViewMixin, chooser_views.ChooseView):
    pass


class ScopedChooseResultsView(ScopedChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class ScopedChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return visible_to(self.request.user, self.model_class.objects.all()).get(pk=pk)


class ScopedChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return visible_to(self.request.user, self.model_class.objects.filter(pk__in=pks))


class ScopedChooserViewSet(ChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class OrganisationChooserViewSet(ScopedChooserViewSet):
    model = Organisation
    icon = "group"
    choose_one_text = _("Choose an organisation")
    choose_another_text = _("Choose another organisation")


class PersonChooserViewSet(ScopedChooserViewSet):
    model = Person
    icon = "user"
    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")


class CohortChooserViewSet(ScopedChooserViewSet):
    model = Cohort
    icon = "calendar"
    choose_one_text = _("Choose a cohort")
    choose_another_text = _("Choose another cohort")


# Viewsets --------------------------------------------------------------------------------------


class ScopedModelViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_class = ScopedCopyView
    copy_view_enabled = False
    inspect_view_enabled = True


class OrganisationViewSet(ScopedModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "name_ar", "acronym", "kind", "territory", "status"]
    filterset_class = OrganisationFilterSet
    # Search matches the French or the Arabic name, the acronym and the registration number.
    search_fields = ["name", "name_ar", "acronym", "registration_number"]
    search_backend_name = None
    edit_handler = edit_handler(
        "name",
        "name_ar",
        "acronym",
        "registration_number",
        "kind",
        "status",
        "territory",
        "domains",
        "year_founded",
        "members_count",
        "women_led",
        "youth_led",
        "contact_name",
        "phone",
        "email",
        "address",
        "website",
    )


class PersonViewSet(ScopedModelViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["last_name", "first_name", "organisation", "function", "phone"]
    filterset_class = PersonFilterSet
    search_fields = ["first_name", "last_name", "email", "phone"]
    search_backend_name = None
    edit_handler = edit_handler(
        "first_name",
        "last_name",
        "sex",
        "birth_year",
        "phone",
        "email",
        "function",
        "organisation",
    )


class TerritoryViewSet(ScopedModelViewSet):
    """Territories are read here (the tree is loaded by administrators): a coordinator sees
    their own nodes and everything below."""

    model = Territory
    icon = "site"
    menu_label = _("Territories")
    list_display = ["name", "kind", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    search_backend_name = None
    inspect_view_enabled = True
    edit_handler = edit_handler("name", "code", "kind")


class CohortViewSet(ScopedModelViewSet):
    model = Cohort
    icon = "calendar"
    menu_label = _("Cohorts")
    list_display = ["code", "title", "territory", "start_date", "status", "capacity"]
    filterset_class = CohortFilterSet
    search_fields = ["code", "title", "venue"]
    search_backend_name = None
    edit_handler = edit_handler(
        "code",
        "title",
        "programme",
        "territory",
        "start_date",
        "end_date",
        "venue",
        "capacity",
        "status",
        "attendance_threshold",
        "facilitators",
        "outside_facilitators",
        "partners",
    )


class SessionViewSet(ScopedModelViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    list_display = ["cohort", "date", "part", "theme", "place", "cancelled"]
    filterset_class = SessionFilterSet
    search_fields = ["theme", "place", "cohort__code"]
    search_backend_name = None
    edit_handler = edit_handler(
        "cohort",
        "date",
        "part",
        "theme",
        "place",
        "modules",
        "facilitators",
        "outside_facilitators",
        "cancelled",
    )


class OutsideFacilitatorViewSet(ScopedModelViewSet):
    model = OutsideFacilitator
    icon = "user"
    menu_label = _("Outside facilitators")
    list_display = ["name", "affiliation", "territory"]
    search_fields = ["name", "affiliation"]
    search_backend_name = None
    edit_handler = edit_handler("name", "affiliation", "email", "phone", "territory")


class DomainViewSet(ModelViewSet):
    model = Domain
    icon = "tag"
    menu_label = _("Domains of action")
    list_display = ["name", "name_ar", "code"]
    form_fields = ["code", "name", "name_ar"]


class RegistryViewSetGroup(ModelViewSetGroup):
    menu_label = _("Registry")
    menu_icon = "group"
    menu_order = 200
    items = (
        OrganisationViewSet("organisations"),
        PersonViewSet("people"),
        CohortViewSet("cohorts"),
        SessionViewSet("sessions"),
        OutsideFacilitatorViewSet("outside_facilitators"),
        TerritoryViewSet("territories"),
        DomainViewSet("domains"),
    )


CHOOSER_VIEWSETS = (
    OrganisationChooserViewSet("organisation_chooser"),
    PersonChooserViewSet("person_chooser"),
    CohortChooserViewSet("cohort_chooser"),
)


# Invitations -----------------------------------------------------------------------------------


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the invitee"))
    person = forms.ModelChoiceField(
        label=_("Participant"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Invite this person to follow their cohorts and lessons."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Focal point of"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Or invite the focal point of this association."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = visible_to(
            user, Person.objects.filter(user__isnull=True).select_related("organisation")
        )
        self.fields["organisation"].queryset = visible_to(user, Organisation.objects.all())

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("organisation")):
            raise forms.ValidationError(
                _("Choose either a participant or an organisation, not both.")
            )
        return data


class InvitationView(WagtailAdminTemplateMixin, FormView):
    """A coordinator invites a participant or a focal point of their territory by e-mail."""

    form_class = InvitationForm
    template_name = "associations/admin/invitation.html"
    page_title = _("Invite by e-mail")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not (is_coordinator(request.user) or request.user.is_superuser):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            account_invite(
                request=self.request,
                by=self.request.user,
                email=data["email"],
                person=data.get("person"),
                organisation=data.get("organisation"),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Invitation sent to %(email)s: they will choose their own password.")
            % {"email": data["email"]},
        )
        return redirect("associations_invite")
