"""The demo world's diagnostics, made through the same services a coordinator uses.

A validated baseline for every Moulay Yacoub association with delegates in the Takwia cohort
(January 2026, before the cohort starts), a validated midline for every other one of them
(October 2026) with uneven progress, a self-assessment by the demo focal point waiting for
review, plans derived from the weakest dimensions (when published modules name them), and a
baseline of the Lokossa one-stop desk (GUPS) in Mono. Deterministic (seeded), idempotent: an
existing diagnostic of the same organisation, framework code and phase is left as it is.
"""

import random
from datetime import date

from assessments import services
from assessments.demo_quizzes import build_quizzes
from assessments.models import Diagnostic, Item, PlanItem
from assessments.selectors import modules_for_dimensions, scores_for, weakest_dimension_codes
from associations.demo import TAKWIA_CODE
from associations.models import Enrolment

SEED = "renfort-diagnostics-2026"
BASELINE_DATE = date(2026, 1, 20)
MIDLINE_DATE = date(2026, 10, 15)
SELF_ASSESSMENT_DATE = date(2026, 11, 10)
PUBLIC_SERVICE_KEY = "GUPS-LOK"


def _clamp(level):
    return max(1, min(4, level))


def _items(framework):
    return list(
        Item.objects.filter(dimension__framework=framework)
        .select_related("dimension")
        .order_by("dimension__order", "order")
    )


def _baseline_levels(rng, items):
    """A plausible starting profile: each dimension has a typical level, items vary around it,
    and a few questions stay unanswered."""
    typical = {}
    levels = {}
    for item in items:
        code = item.dimension.code
        if code not in typical:
            typical[code] = rng.choice((1, 1, 2, 2, 2, 3))
        answered = rng.random() > 0.03
        levels[item.pk] = _clamp(typical[code] + rng.choice((-1, 0, 0, 1))) if answered else None
    return levels


def _midline_levels(rng, items, baseline):
    """Uneven progress: some dimensions move up one or two levels, most a little, some not at
    all, an occasional one slips back."""
    shift = {}
    levels = {}
    for item in items:
        code = item.dimension.code
        if code not in shift:
            shift[code] = rng.choices((-1, 0, 1, 2), weights=(1, 4, 5, 1))[0]
        before = baseline.get(item.pk) or 1
        step = shift[code] + rng.choice((0, 0, 0, 1)) if shift[code] > 0 else shift[code]
        levels[item.pk] = _clamp(before + step)
    return levels


def _existing(organisation, framework, phase):
    return (
        Diagnostic.objects.filter(
            organisation=organisation, framework__code=framework.code, phase=phase
        )
        .exclude(status=Diagnostic.Status.SUPERSEDED)
        .first()
    )


def _diagnostic(
    *,
    user,
    organisation,
    framework,
    phase,
    day,
    items,
    levels,
    self_assessment=False,
    validate=True,
):
    """The diagnostic if it exists, else one made, answered and validated (or submitted) through
    the services. Returns ``(diagnostic, created)``."""
    existing = _existing(organisation, framework, phase)
    if existing is not None:
        return existing, False
    diagnostic = services.diagnostic_start(
        user=user,
        organisation=organisation,
        framework=framework,
        phase=phase,
        date=day,
        is_self_assessment=self_assessment,
    )
    services.responses_save(
        user=user,
        diagnostic=diagnostic,
        levels={item: levels[item.pk] for item in items if levels.get(item.pk) is not None},
    )
    if validate:
        services.diagnostic_validate(user=user, diagnostic=diagnostic)
    else:
        services.diagnostic_submit(user=user, diagnostic=diagnostic)
    return diagnostic, True


def _plan(*, user, diagnostic, cohort, result):
    """Plan items for the modules that strengthen the two weakest dimensions."""
    created = 0
    modules = modules_for_dimensions(weakest_dimension_codes(result, count=2))
    for module in modules:
        if PlanItem.objects.filter(organisation=diagnostic.organisation, module=module).exists():
            continue
        teaches = cohort if cohort.programme_id == module.get_parent().pk else None
        services.plan_item_add(
            user=user,
            organisation=diagnostic.organisation,
            module=module,
            cohort=teaches,
            due_date=cohort.end_date if teaches else date(2027, 6, 30),
            diagnostic=diagnostic,
        )
        created += 1
    return created


def build_diagnostics(world):
    association_framework, action_a = services.framework_load_from_file(path="associations.json")
    service_framework, action_s = services.framework_load_from_file(path="public_services.json")
    frameworks_created = [action_a, action_s].count("created")
    frameworks_updated = 2 - frameworks_created - [action_a, action_s].count("unchanged")

    takwia = world.cohorts[TAKWIA_CODE]
    organisation_ids = set(
        Enrolment.objects.filter(cohort=takwia).values_list("organisation_id", flat=True)
    )
    associations = [o for o in world.associations if o.pk in organisation_ids]
    coordinator = world.users["coordination_moulay_yacoub"]
    focal_point = world.users["focal_point"]
    focal_association = world.associations[0]
    items = _items(association_framework)

    made = total = planned = 0
    baselines = []
    for index, organisation in enumerate(associations):
        rng = random.Random(f"{SEED}-{organisation.registration_number}")
        base_levels = _baseline_levels(rng, items)
        baseline, created = _diagnostic(
            user=coordinator,
            organisation=organisation,
            framework=association_framework,
            phase=Diagnostic.Phase.BASELINE,
            day=BASELINE_DATE,
            items=items,
            levels=base_levels,
        )
        made += created
        total += 1
        baselines.append(baseline)
        if organisation.pk == focal_association.pk:
            _, created = _diagnostic(
                user=focal_point,
                organisation=organisation,
                framework=association_framework,
                phase=Diagnostic.Phase.MIDLINE,
                day=SELF_ASSESSMENT_DATE,
                items=items[: len(items) * 4 // 5],
                levels={pk: _clamp(level + 1) for pk, level in base_levels.items() if level},
                self_assessment=True,
                validate=False,
            )
        elif index % 2 == 1:
            _, created = _diagnostic(
                user=coordinator,
                organisation=organisation,
                framework=association_framework,
                phase=Diagnostic.Phase.MIDLINE,
                day=MIDLINE_DATE,
                items=items,
                levels=_midline_levels(rng, items, base_levels),
            )
        else:
            continue
        made += created
        total += 1

    results = scores_for(baselines)
    for baseline in baselines:
        planned += _plan(
            user=coordinator, diagnostic=baseline, cohort=takwia, result=results[baseline.pk]
        )

    gups = world.mono_services["GUPS Lokossa"]
    rng = random.Random(f"{SEED}-{PUBLIC_SERVICE_KEY}")
    service_items = _items(service_framework)
    _, created = _diagnostic(
        user=world.users["coordination_mono"],
        organisation=gups,
        framework=service_framework,
        phase=Diagnostic.Phase.BASELINE,
        day=date(2024, 11, 15),
        items=service_items,
        levels=_baseline_levels(rng, service_items),
    )
    made += created
    total += 1
    plan_total = PlanItem.objects.filter(
        organisation__in=[b.organisation_id for b in baselines]
    ).count()
    return [
        (
            "Cadres de diagnostic (associations, services publics)",
            2,
            frameworks_created,
            frameworks_updated,
        ),
        ("Diagnostics organisationnels", total, made, 0),
        ("Plans de renforcement (modules planifiés)", plan_total, planned, 0),
    ]


BUILDERS = (build_diagnostics, build_quizzes)
