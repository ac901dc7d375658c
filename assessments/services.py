"""Writes of the assessments app: frameworks, diagnostics, responses, evidence and plans.
Views, the admin, commands, imports and the demo call these and never write rows themselves."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import access, framework_cache
from assessments.models import (
    Diagnostic,
    Dimension,
    Evidence,
    Framework,
    Item,
    ItemLevel,
    PlanItem,
    Response,
)
from assessments.uploads import evidence_file_check


@transaction.atomic
def framework_new_version(*, framework):
    """A copy of ``framework`` (dimensions, items, levels) as the next version of its code.
    Diagnostics keep the version they were made with."""
    latest = Framework.objects.filter(code=framework.code).aggregate(v=Max("version"))["v"]
    copy = Framework.objects.create(
        code=framework.code,
        version=latest + 1,
        name=framework.name,
        name_ar=framework.name_ar,
        name_en=framework.name_en,
        target=framework.target,
        description=framework.description,
    )
    dimensions = list(framework.dimensions.prefetch_related("items__levels"))
    for dimension in dimensions:
        new_dimension = Dimension.objects.create(
            framework=copy,
            code=dimension.code,
            name=dimension.name,
            name_ar=dimension.name_ar,
            name_en=dimension.name_en,
            order=dimension.order,
            weight=dimension.weight,
        )
        for item in dimension.items.all():
            new_item = Item.objects.create(
                dimension=new_dimension,
                code=item.code,
                text=item.text,
                text_ar=item.text_ar,
                text_en=item.text_en,
                order=item.order,
            )
            ItemLevel.objects.bulk_create(
                ItemLevel(
                    item=new_item,
                    level=level.level,
                    description=level.description,
                    description_ar=level.description_ar,
                    description_en=level.description_en,
                    evidence_guidance=level.evidence_guidance,
                    evidence_guidance_ar=level.evidence_guidance_ar,
                    evidence_guidance_en=level.evidence_guidance_en,
                )
                for level in item.levels.all()
            )
    framework_cache.forget()  # the levels came in bulk, without signals
    return copy


def framework_for_editing(*, framework):
    """The framework version an edit may change: ``framework`` itself while no diagnostic uses
    it, otherwise a new version (so the diagnostics made with it keep their questions)."""
    if framework.diagnostics.exists():
        return framework_new_version(framework=framework)
    return framework


def framework_latest(*, code):
    return Framework.objects.filter(code=code).order_by("-version").first()


@transaction.atomic
def diagnostic_start(*, user, organisation, framework, phase, date, is_self_assessment):
    """A new draft diagnostic of ``organisation``. A focal point may only start a
    self-assessment of their own organisation; a coordinator any diagnostic in their
    territory."""
    if not access.can_start_diagnostic(user, organisation):
        raise PermissionDenied
    if not access.is_coordinator_of(user, organisation):
        is_self_assessment = True
    return Diagnostic.objects.create(
        organisation=organisation,
        framework=framework,
        phase=phase,
        date=date,
        is_self_assessment=is_self_assessment,
        assessor=None if is_self_assessment else user,
        created_by=user,
    )


@transaction.atomic
def response_save(*, user, diagnostic, item, level, comment=None):
    """Record the level (or ``None`` to clear it) and comment of one item. Each answer is saved
    on its own, so nothing already answered is lost if the connection drops."""
    if not access.can_edit_responses(user, diagnostic):
        raise PermissionDenied
    if item.dimension.framework_id != diagnostic.framework_id:
        raise ValidationError(_("This question is not part of this diagnostic's framework."))
    if level is not None and level not in (1, 2, 3, 4):
        raise ValidationError(_("Choose a level between 1 and 4."))
    response, _created = Response.objects.get_or_create(diagnostic=diagnostic, item=item)
    response.level = level
    if comment is not None:
        response.comment = comment
    response.updated_by = user
    response.save()
    return response


@transaction.atomic
def responses_save(*, user, diagnostic, levels):
    """Record many levels at once (``{item: level}``, the same rules as ``response_save``) in
    a few queries: for a diagnostic filled from a paper form or the demo world."""
    if not access.can_edit_responses(user, diagnostic):
        raise PermissionDenied
    for item, level in levels.items():
        if item.dimension.framework_id != diagnostic.framework_id:
            raise ValidationError(_("This question is not part of this diagnostic's framework."))
        if level is not None and level not in (1, 2, 3, 4):
            raise ValidationError(_("Choose a level between 1 and 4."))
    existing = {r.item_id: r for r in diagnostic.responses.filter(item__in=list(levels))}
    now = timezone.now()
    changed, new = [], []
    for item, level in levels.items():
        response = existing.get(item.pk) or Response(diagnostic=diagnostic, item=item)
        response.level, response.updated_by, response.updated_at = level, user, now
        (changed if response.pk else new).append(response)
    Response.objects.bulk_update(changed, ["level", "updated_by", "updated_at"])
    Response.objects.bulk_create(new)
    return [*changed, *new]


@transaction.atomic
def evidence_add(*, user, diagnostic, item, upload):
    """Attach ``upload`` to the response to ``item`` after checking its type and size."""
    if not access.can_edit_responses(user, diagnostic):
        raise PermissionDenied
    evidence_file_check(upload)
    response, _created = Response.objects.get_or_create(diagnostic=diagnostic, item=item)
    return Evidence.objects.create(
        response=response, file=upload, original_name=upload.name[:255], uploaded_by=user
    )


@transaction.atomic
def diagnostic_submit(*, user, diagnostic):
    """The focal point hands a self-assessment over for review."""
    if not access.can_submit(user, diagnostic):
        raise PermissionDenied
    diagnostic.status = Diagnostic.Status.SUBMITTED
    diagnostic.submitted_at = timezone.now()
    diagnostic.save(update_fields=["status", "submitted_at"])
    return diagnostic


@transaction.atomic
def diagnostic_validate(*, user, diagnostic):
    """A coordinator validates: the diagnostic becomes read-only and counts in the scores; the
    validated diagnostic it corrects, if any, is marked as replaced."""
    diagnostic.status = (
        Diagnostic.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=diagnostic.pk)
    )
    if not access.can_validate(user, diagnostic):
        raise PermissionDenied
    diagnostic.status = Diagnostic.Status.VALIDATED
    diagnostic.validated_by = user
    diagnostic.validated_at = timezone.now()
    if diagnostic.assessor_id is None and not diagnostic.is_self_assessment:
        diagnostic.assessor = user
    diagnostic.save(update_fields=["status", "validated_by", "validated_at", "assessor"])
    if diagnostic.revision_of_id:
        Diagnostic.objects.filter(
            pk=diagnostic.revision_of_id, status=Diagnostic.Status.VALIDATED
        ).update(status=Diagnostic.Status.SUPERSEDED)
    return diagnostic


@transaction.atomic
def diagnostic_correct(*, user, diagnostic, reason):
    """A correction of a validated diagnostic: a new draft revision with the same answers, who
    made it and why. The validated one stays as it was until the revision is validated."""
    if not access.can_correct(user, diagnostic):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why this diagnostic is corrected."))
    if diagnostic.revisions.exclude(status=Diagnostic.Status.SUPERSEDED).exists():
        raise ValidationError(_("A correction of this diagnostic is already under way."))
    revision = Diagnostic.objects.create(
        organisation=diagnostic.organisation,
        framework=diagnostic.framework,
        phase=diagnostic.phase,
        date=diagnostic.date,
        is_self_assessment=False,
        assessor=user,
        created_by=user,
        revision_of=diagnostic,
        revision_reason=reason,
    )
    Response.objects.bulk_create(
        Response(
            diagnostic=revision,
            item_id=response.item_id,
            level=response.level,
            comment=response.comment,
            updated_by=user,
        )
        for response in diagnostic.responses.all()
    )
    return revision


@transaction.atomic
def plan_item_add(*, user, organisation, module, cohort=None, due_date=None, diagnostic=None):
    """Put ``module`` in ``organisation``'s capacity-development plan (once while planned)."""
    if not access.is_coordinator_of(user, organisation):
        raise PermissionDenied
    if cohort is not None and cohort.programme_id != module.get_parent().pk:
        raise ValidationError(_("This cohort does not teach this module's programme."))
    if PlanItem.objects.filter(
        organisation=organisation, module=module, status=PlanItem.Status.PLANNED
    ).exists():
        raise ValidationError(_("This module is already in the plan."))
    dimension_codes = module.dimension_codes or []
    return PlanItem.objects.create(
        organisation=organisation,
        module=module,
        cohort=cohort,
        due_date=due_date,
        diagnostic=diagnostic,
        dimension_code=dimension_codes[0] if dimension_codes else "",
        created_by=user,
    )


@transaction.atomic
def plan_item_cancel(*, user, plan_item):
    if not access.is_coordinator_of(user, plan_item.organisation):
        raise PermissionDenied
    plan_item.status = PlanItem.Status.CANCELLED
    plan_item.save(update_fields=["status"])
    return plan_item


@transaction.atomic
def framework_save_data(*, data):
    """Create or bring up to date the framework described by ``data`` (see ``framework_io``).
    Returns ``(framework, action)``, action being "created", "updated", "new_version" or
    "unchanged": identical data writes nothing; a version in use is never changed in place."""
    from assessments import framework_io

    data = framework_io.normalised(data)
    framework_io.check(data)
    latest = framework_latest(code=data["code"])
    if latest is not None and framework_io.framework_data(latest) == data:
        return latest, "unchanged"
    if latest is None:
        framework, action = Framework(code=data["code"], version=1), "created"
    elif latest.diagnostics.exists():
        framework, action = Framework(code=data["code"], version=latest.version + 1), "new_version"
    else:
        framework, action = latest, "updated"
        framework.dimensions.all().delete()
    framework.name, framework.name_ar, framework.name_en = (
        data["name"][language] for language in ("fr", "ar", "en")
    )
    framework.target = data["target"]
    framework.description = data["description"]
    framework.save()
    for dimension_order, dimension_data in enumerate(data["dimensions"]):
        names = dimension_data["name"]
        dimension = Dimension.objects.create(
            framework=framework,
            code=dimension_data["code"],
            name=names["fr"],
            name_ar=names["ar"],
            name_en=names["en"],
            order=dimension_order,
            weight=dimension_data["weight"],
        )
        for item_order, item_data in enumerate(dimension_data["items"]):
            texts = item_data["text"]
            item = Item.objects.create(
                dimension=dimension,
                code=item_data["code"],
                text=texts["fr"],
                text_ar=texts["ar"],
                text_en=texts["en"],
                order=item_order,
            )
            ItemLevel.objects.bulk_create(
                ItemLevel(
                    item=item,
                    level=number,
                    description=level["description"]["fr"],
                    description_ar=level["description"]["ar"],
                    description_en=level["description"]["en"],
                    evidence_guidance=level["evidence"]["fr"],
                    evidence_guidance_ar=level["evidence"]["ar"],
                    evidence_guidance_en=level["evidence"]["en"],
                )
                for number, level in enumerate(item_data["levels"], start=1)
            )
    framework_cache.forget()  # the levels came in bulk, without signals
    return framework, action


def framework_load_from_file(*, path):
    """Load a framework data file (JSON, e.g. ``associations.json`` under
    ``assessments/frameworks/``) through ``framework_save_data``."""
    from assessments import framework_io

    return framework_save_data(data=framework_io.read_file(path))


def framework_import_spreadsheet(*, content):
    """Load a framework from XLSX bytes (the export's layout) through ``framework_save_data``."""
    from assessments import framework_io

    return framework_save_data(data=framework_io.from_xlsx(content))
