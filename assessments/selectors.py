"""Reads of the assessments app, always through the user's scope. A page's cost is a fixed
number of queries, whatever the number of items, answers or diagnostics."""

from collections import defaultdict, namedtuple

from django.db.models import Prefetch, Q

from assessments import framework_cache
from assessments.models import (
    Diagnostic,
    Evidence,
    PlanItem,
    Response,
)
from assessments.models.translated import translated_row
from assessments.scoring import DiagnosticResult, DimensionResult, progress
from associations.models import Cohort, Organisation
from associations.scope import in_territory, visible_to

LevelText = namedtuple("LevelText", "level label evidence_guidance")
WEAK_SCORE = 50  # a dimension scoring below this is "weak" in the territory's needs
RECOMMENDED_DIMENSIONS = 3  # how many of the weakest dimensions recommend modules


def diagnostics_for(user):
    """Diagnostics ``user`` may see, with organisation and framework."""
    queryset = Diagnostic.objects.select_related("organisation__territory", "framework")
    return visible_to(user, queryset).order_by("organisation__name", "-date", "-pk")


def evidence_for(user):
    return visible_to(user, Evidence.objects.select_related("response__diagnostic"))


def plan_items_for(user):
    return visible_to(user, PlanItem.objects.all())


def scores_for(diagnostics):
    """``{diagnostic pk: DiagnosticResult}`` for ``diagnostics``, in two queries at most: the
    dimensions (with item counts) of their frameworks (from ``framework_cache`` when it holds
    them), and every answered level."""
    diagnostics = list(diagnostics)
    if not diagnostics:
        return {}
    by_framework = framework_cache.dimensions_by_framework(
        diagnostic.framework_id for diagnostic in diagnostics
    )
    results = {}
    slots = {}
    for diagnostic in diagnostics:
        result = DiagnosticResult(
            dimensions=[
                DimensionResult(
                    code=row["code"],
                    label=translated_row(row, "name"),
                    weight=row["weight"],
                    total=row["item_count"],
                )
                for row in by_framework[diagnostic.framework_id]
            ]
        )
        results[diagnostic.pk] = result
        for dimension in result.dimensions:
            slots[diagnostic.pk, dimension.code] = dimension
    answered = Response.objects.filter(
        diagnostic_id__in=list(results), level__isnull=False
    ).values_list("diagnostic_id", "item__dimension__code", "level")
    for diagnostic_id, code, level in answered:
        slots[diagnostic_id, code].levels.append(level)
    return results


def latest_validated(diagnostics):
    """The latest validated diagnostic in ``diagnostics`` (a list ordered by date), or None."""
    validated = [d for d in diagnostics if d.status == Diagnostic.Status.VALIDATED]
    return max(validated, key=lambda d: (d.date, d.pk), default=None)


def baseline_of(diagnostics):
    """The validated baseline (the earliest validated diagnostic if none is marked baseline)."""
    validated = [d for d in diagnostics if d.status == Diagnostic.Status.VALIDATED]
    baselines = [d for d in validated if d.phase == Diagnostic.Phase.BASELINE]
    return min(baselines or validated, key=lambda d: (d.date, d.pk), default=None)


def weakest_dimension_codes(result, count=RECOMMENDED_DIMENSIONS):
    """Codes of the ``count`` lowest-scoring dimensions of a result (ties: framework order)."""
    scored = [d for d in result.dimensions if d.score is not None]
    scored.sort(key=lambda d: d.score)
    return [d.code for d in scored[:count]]


def modules_for_dimensions(codes):
    """Live modules that name any of ``codes``, with their programme id, in one query: the
    French source pages only (cohorts run those; a translation is the same module).
    (``dimension_codes`` is a JSON list; filtered in Python so SQLite and PostgreSQL agree.)"""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant

    from courses.models import ModulePage

    if not codes:
        return []
    wanted = set(codes)
    # Two light steps: every live source module's codes as plain rows (the locale joined, not
    # looked up), then the model instances of the modules that name a wanted code, if any.
    rows = (
        ModulePage.objects.live()
        .filter(
            locale__language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        .values_list("pk", "dimension_codes")
    )
    matched = {}
    for pk, module_codes in rows:
        named = [code for code in module_codes or [] if code in wanted]
        if named:
            matched[pk] = named
    if not matched:
        return []
    found = list(ModulePage.objects.filter(pk__in=list(matched)).order_by("path"))
    for module in found:
        module.matched_codes = matched[module.pk]
    return found


def open_cohorts_for_modules(user, modules):
    """Planned or running cohorts the user may see, per module (by the module's programme)."""
    programme_paths = {module.pk: module.path[: -module.steplen] for module in modules}
    if not programme_paths:
        return {}
    cohorts = visible_to(
        user,
        Cohort.objects.filter(
            status__in=[Cohort.Status.PLANNED, Cohort.Status.RUNNING],
            programme__path__in=set(programme_paths.values()),
        ).select_related("programme"),
    ).order_by("start_date", "code")
    by_programme_path = defaultdict(list)
    for cohort in cohorts:
        by_programme_path[cohort.programme.path].append(cohort)
    return {pk: by_programme_path[path] for pk, path in programme_paths.items()}


def followed_modules_of(organisation, module_ids):
    """Ids among ``module_ids`` that a delegate of ``organisation`` followed, or ``None`` while
    the courses selector ``followed_module_ids`` is not installed (nothing is made up)."""
    try:
        from courses.selectors import followed_module_ids
    except ImportError:
        return None
    module_ids = set(module_ids)
    if not module_ids:
        return set()
    from django.contrib.auth import get_user_model

    delegates = (
        get_user_model()
        .objects.filter(
            Q(person__organisation=organisation) | Q(person__enrolments__organisation=organisation)
        )
        .distinct()
        .only("pk")  # the selectors need the user's id only, not its whole row
    )
    followed = set()
    for user in delegates:
        followed |= set(followed_module_ids(user, module_ids - followed))
        if followed >= module_ids:
            break
    return followed


def organisation_cycle(user, organisation):
    """Everything the association's page shows: its diagnostics, their scores, baseline vs
    latest validated, change per dimension, recommended modules and cohorts, and the plan."""
    diagnostics = list(
        Diagnostic.objects.filter(organisation=organisation)
        .select_related("framework")
        .order_by("date", "pk")
    )
    results = scores_for(diagnostics)
    for diagnostic in diagnostics:
        diagnostic.result = results[diagnostic.pk]
    baseline = baseline_of(diagnostics)
    latest = latest_validated(diagnostics)
    changes = []
    if baseline and latest:
        change = progress(baseline.result.by_code, latest.result.by_code)
        before = baseline.result.by_code
        for dimension in latest.result.dimensions:
            changes.append(
                {
                    "code": dimension.code,
                    "label": dimension.label,
                    "baseline": before.get(dimension.code),
                    "latest": dimension.score,
                    "change": change.get(dimension.code),
                }
            )
    weakest = weakest_dimension_codes(latest.result) if latest else []
    modules = modules_for_dimensions(weakest)
    cohorts = open_cohorts_for_modules(user, modules)
    for module in modules:
        module.open_cohorts = cohorts.get(module.pk, [])
    plan = list(
        PlanItem.objects.filter(organisation=organisation)
        .exclude(status=PlanItem.Status.CANCELLED)
        .select_related("module", "cohort")
        .only("due_date", "module_id", "cohort_id", "module__title", "cohort__code")
        .order_by("due_date", "pk")
    )
    followed = followed_modules_of(organisation, [p.module_id for p in plan])
    for plan_item in plan:
        plan_item.followed = None if followed is None else plan_item.module_id in followed
    planned_module_ids = {p.module_id for p in plan}
    return {
        "diagnostics": diagnostics,
        "baseline": baseline,
        "latest": latest,
        "changes": changes,
        "versions_differ": bool(
            baseline and latest and baseline.framework_id != latest.framework_id
        ),
        "weakest": weakest,
        "modules": modules,
        "plan": plan,
        "planned_module_ids": planned_module_ids,
        "follow_up_available": followed is not None,
        "followed_count": sum(bool(p.followed) for p in plan),
    }


def diagnostic_items(diagnostic):
    """The items of the diagnostic's framework in order, each with ``level_list`` (its four
    described levels), its response (or ``None``) and the response's evidence: four queries
    whatever the size, two once ``framework_cache`` holds the framework's items and levels;
    levels are plain rows (a page shows hundreds of them)."""
    items, levels = framework_cache.items_and_levels(diagnostic.framework_id)
    responses = {
        response.item_id: response
        for response in diagnostic.responses.prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
        )
    }
    for item in items:
        item.level_list = [
            LevelText(
                row["level"],
                translated_row(row, "description"),
                translated_row(row, "evidence_guidance"),
            )
            for row in levels.get(item.pk, ())
        ]
        item.response = responses.get(item.pk)
    return items


def territory_needs(user, territory):
    """For the coordinator's ``territory``: per dimension code, how many organisations are weak
    (score below ``WEAK_SCORE`` in their latest validated diagnostic), and the modules that
    strengthen the weak dimensions, most needed first."""
    organisations = in_territory(visible_to(user, Organisation.objects.all()), territory)
    diagnostics = list(
        Diagnostic.objects.filter(
            organisation__in=organisations, status=Diagnostic.Status.VALIDATED
        ).order_by("organisation_id", "date", "pk")
    )
    latest_by_organisation = {}
    for diagnostic in diagnostics:
        latest_by_organisation[diagnostic.organisation_id] = diagnostic
    results = scores_for(latest_by_organisation.values())
    weak = defaultdict(set)  # dimension code -> organisations weak in it
    labels = {}
    for diagnostic_id, result in results.items():
        for dimension in result.dimensions:
            labels.setdefault(dimension.code, dimension.label)
            if dimension.score is not None and dimension.score < WEAK_SCORE:
                weak[dimension.code].add(diagnostic_id)
    dimensions = [
        {"code": code, "label": labels[code], "weak": len(weak.get(code, ()))} for code in labels
    ]
    dimensions.sort(key=lambda row: -row["weak"])
    modules = modules_for_dimensions(list(weak))
    for module in modules:
        # Organisations weak in any dimension the module strengthens, each counted once.
        module.need = len(set().union(*(weak[code] for code in module.matched_codes)))
    modules.sort(key=lambda module: -module.need)
    return {
        "diagnosed": len(latest_by_organisation),
        "dimensions": dimensions,
        "modules": modules,
    }
