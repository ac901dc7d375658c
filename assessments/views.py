"""Pages of the diagnostic cycle. Every read goes through ``associations.scope``; every write
through ``assessments.services``; out of scope looks the same as absent (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import access, framework_io, services
from assessments.charts import radar
from assessments.exports import diagnostic_xlsx
from assessments.forms import (
    CorrectionForm,
    DiagnosticStartForm,
    EvidenceForm,
    PlanItemForm,
    ResponseForm,
)
from assessments.models import Diagnostic, Framework, Item
from assessments.selectors import (
    diagnostic_items,
    diagnostics_for,
    evidence_for,
    organisation_cycle,
    scores_for,
    territory_needs,
)
from associations.models import Cohort, Organisation, Territory
from associations.scope import get_visible_or_404, grants_for, visible_to

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _wants_json(request):
    return request.headers.get("Accept", "").startswith("application/json")


def _organisation_or_404(user, pk):
    """An organisation whose diagnostics ``user`` may see: a focal point's own, or one in a
    coordinator's territory (a trainer who sees it through a cohort does not)."""
    organisation = get_visible_or_404(user, Organisation.objects.select_related("territory"), pk=pk)
    if not (
        access.is_coordinator_of(user, organisation) or access.is_focal_point_of(user, organisation)
    ):
        raise Http404
    return organisation


def _diagnostic_or_404(user, pk):
    return get_visible_or_404(user, diagnostics_for(user), pk=pk)


@login_required
def diagnostic_list(request):
    diagnostics = diagnostics_for(request.user).exclude(status=Diagnostic.Status.SUPERSEDED)
    status = request.GET.get("status", "")
    if status in Diagnostic.Status.values:
        diagnostics = diagnostics.filter(status=status)
    page = Paginator(diagnostics, PAGE_SIZE).get_page(request.GET.get("page"))
    results = scores_for(page.object_list)
    for diagnostic in page.object_list:
        diagnostic.result = results[diagnostic.pk]
    return render(
        request,
        "assessments/diagnostic_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": Diagnostic.Status.choices,
            "is_coordinator": bool(grants_for(request.user).territory_paths),
            # A focal point starts from their own association's page, diagnostics or not.
            "own_organisations": Organisation.objects.filter(
                pk__in=grants_for(request.user).organisation_ids
            ).order_by("name"),
        },
    )


def _radar_for(cycle):
    latest, baseline = cycle["latest"], cycle["baseline"]
    if latest is None:
        return None
    dimensions = latest.result.dimensions
    series = []
    if baseline and baseline.pk != latest.pk:
        before = baseline.result.by_code
        series.append(("baseline", _("Baseline"), [before.get(d.code) for d in dimensions]))
    series.append(("latest", _("Latest validated"), [d.score for d in dimensions]))
    return radar([d.label for d in dimensions], series)


@login_required
def organisation_page(request, pk):
    """The whole loop for one organisation: diagnose, plan, train, re-diagnose."""
    organisation = _organisation_or_404(request.user, pk)
    cycle = organisation_cycle(request.user, organisation)
    is_coordinator = access.is_coordinator_of(request.user, organisation)
    return render(
        request,
        "assessments/organisation_page.html",
        {
            "organisation": organisation,
            "cycle": cycle,
            "chart": _radar_for(cycle),
            "is_coordinator": is_coordinator,
            "diagnostics": [
                d for d in cycle["diagnostics"] if d.status != Diagnostic.Status.SUPERSEDED
            ],
        },
    )


@login_required
def diagnostic_start(request, pk):
    """Choose framework, phase and date, then fill the new diagnostic."""
    organisation = _organisation_or_404(request.user, pk)
    is_coordinator = access.is_coordinator_of(request.user, organisation)
    form = DiagnosticStartForm(
        request.POST or None, organisation=organisation, can_choose_self_assessment=is_coordinator
    )
    if request.method == "POST" and form.is_valid():
        diagnostic = services.diagnostic_start(
            user=request.user,
            organisation=organisation,
            framework=form.cleaned_data["framework"],
            phase=form.cleaned_data["phase"],
            date=form.cleaned_data["date"],
            is_self_assessment=form.cleaned_data.get("is_self_assessment", True),
        )
        return redirect("assessments:diagnostic_detail", pk=diagnostic.pk)
    return render(
        request,
        "assessments/diagnostic_start.html",
        {"organisation": organisation, "form": form},
    )


@login_required
def diagnostic_detail(request, pk):
    """One diagnostic: the form to fill (one card per item) while it may be edited, its answers
    and scores once it may not."""
    diagnostic = _diagnostic_or_404(request.user, pk)
    items = diagnostic_items(diagnostic)
    result = scores_for([diagnostic])[diagnostic.pk]
    user = request.user
    return render(
        request,
        "assessments/diagnostic_detail.html",
        {
            "diagnostic": diagnostic,
            "items": items,
            "result": result,
            "can_edit": access.can_edit_responses(user, diagnostic),
            "can_submit": access.can_submit(user, diagnostic)
            and not access.is_coordinator_of(user, diagnostic.organisation),
            "can_validate": access.can_validate(user, diagnostic),
            "can_correct": access.can_correct(user, diagnostic),
            "correction_form": CorrectionForm(),
            "level_range": (1, 2, 3, 4),
        },
    )


@login_required
@require_POST
def response_save(request, pk, item_pk):
    """Save one answer. Answers with JSON for the page's script, else back to the item."""
    diagnostic = _diagnostic_or_404(request.user, pk)
    item = Item.objects.filter(pk=item_pk, dimension__framework_id=diagnostic.framework_id)
    item = item.select_related("dimension").first()
    if item is None:
        raise Http404
    form = ResponseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a level between 1 and 4."))
        services.response_save(
            user=request.user,
            diagnostic=diagnostic,
            item=item,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"] if "comment" in request.POST else None,
        )
    except PermissionDenied:
        if _wants_json(request):
            return JsonResponse(
                {"saved": False, "error": _("This diagnostic is closed.")}, status=403
            )
        raise
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"saved": False, "error": " ".join(error.messages)}, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        if _wants_json(request):
            answered = diagnostic.responses.filter(level__isnull=False).count()
            return JsonResponse({"saved": True, "answered": answered})
        messages.success(request, _("Answer saved."))
    url = reverse("assessments:diagnostic_detail", args=[diagnostic.pk])
    return redirect(f"{url}#item-{item.pk}")


@login_required
@require_POST
def evidence_upload(request, pk, item_pk):
    diagnostic = _diagnostic_or_404(request.user, pk)
    item = (
        Item.objects.filter(pk=item_pk, dimension__framework_id=diagnostic.framework_id)
        .select_related("dimension")
        .first()
    )
    if item is None:
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to send."))
    else:
        try:
            services.evidence_add(
                user=request.user,
                diagnostic=diagnostic,
                item=item,
                upload=form.cleaned_data["file"],
            )
            messages.success(request, _("File added."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    url = reverse("assessments:diagnostic_detail", args=[diagnostic.pk])
    return redirect(f"{url}#item-{item.pk}")


@login_required
def evidence_file(request, pk):
    """An evidence file, served only to those who may see its diagnostic."""
    evidence = get_visible_or_404(request.user, evidence_for(request.user), pk=pk)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


@login_required
@require_POST
def diagnostic_submit(request, pk):
    diagnostic = _diagnostic_or_404(request.user, pk)
    services.diagnostic_submit(user=request.user, diagnostic=diagnostic)
    messages.success(request, _("Sent for review. Your coordinator will validate it."))
    return redirect("assessments:diagnostic_detail", pk=diagnostic.pk)


@login_required
@require_POST
def diagnostic_validate(request, pk):
    diagnostic = _diagnostic_or_404(request.user, pk)
    services.diagnostic_validate(user=request.user, diagnostic=diagnostic)
    messages.success(request, _("Diagnostic validated: it is now read-only."))
    return redirect("assessments:organisation_page", pk=diagnostic.organisation_id)


@login_required
@require_POST
def diagnostic_correct(request, pk):
    diagnostic = _diagnostic_or_404(request.user, pk)
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why this diagnostic is corrected."))
        revision = services.diagnostic_correct(
            user=request.user, diagnostic=diagnostic, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:diagnostic_detail", pk=diagnostic.pk)
    messages.success(request, _("A correction was opened; validate it when it is right."))
    return redirect("assessments:diagnostic_detail", pk=revision.pk)


@login_required
def diagnostic_export(request, pk):
    diagnostic = _diagnostic_or_404(request.user, pk)
    response = HttpResponse(diagnostic_xlsx(diagnostic), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="diagnostic-{diagnostic.pk}.xlsx"'
    return response


@login_required
@require_POST
def plan_item_add(request, pk):
    from courses.models import ModulePage

    organisation = _organisation_or_404(request.user, pk)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        module = ModulePage.objects.live().filter(pk=form.cleaned_data["module"]).first()
        cohort = None
        if form.cleaned_data["cohort"]:
            cohort = (
                visible_to(request.user, Cohort.objects.all())
                .filter(pk=form.cleaned_data["cohort"])
                .first()
            )
        if module is None:
            raise Http404
        try:
            services.plan_item_add(
                user=request.user,
                organisation=organisation,
                module=module,
                cohort=cohort,
                due_date=form.cleaned_data["due_date"],
            )
            messages.success(request, _("Module added to the plan."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Check the target date."))
    return redirect(f"{reverse('assessments:organisation_page', args=[organisation.pk])}#plan")


@login_required
def territory_needs_page(request):
    """A coordinator's territory at a glance: weak dimensions and the modules most needed."""
    paths = grants_for(request.user).territory_paths
    territories = list(Territory.objects.filter(path__in=paths).order_by("path"))
    if not territories:
        raise Http404
    chosen = next(
        (t for t in territories if t.code == request.GET.get("territory")), territories[0]
    )
    return render(
        request,
        "assessments/territory_needs.html",
        {
            "territories": territories,
            "territory": chosen,
            "needs": territory_needs(request.user, chosen),
        },
    )


@login_required
def framework_export(request, pk):
    """A framework version as a spreadsheet, for coordinators and administrators."""
    grants = grants_for(request.user)
    if not (grants.everything or grants.territory_paths):
        raise Http404
    framework = Framework.objects.filter(pk=pk).first()
    if framework is None:
        raise Http404
    content = framework_io.to_xlsx(framework_io.framework_data(framework))
    response = HttpResponse(content, content_type=XLSX)
    filename = f"cadre-{framework.code}-v{framework.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
