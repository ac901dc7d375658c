"""The score definitions against examples computed by hand."""

import datetime

import pytest

from assessments import scoring
from assessments.models import Diagnostic
from assessments.selectors import organisation_cycle, scores_for
from assessments.services import framework_new_version
from tests.factories import DiagnosticFactory, OrganisationFactory, answer, framework_with


def test_dimension_score_maps_the_mean_level_to_0_100():
    assert scoring.dimension_score([1, 1, 1]) == 0
    assert scoring.dimension_score([4, 4]) == 100
    # levels 2, 3, 4: mean 3 -> (3 - 1) / 3 * 100 = 66.67
    assert scoring.dimension_score([2, 3, 4]) == pytest.approx(66.6667, abs=1e-3)
    # levels 1 and 2: mean 1.5 -> 16.67
    assert scoring.dimension_score([1, 2]) == pytest.approx(16.6667, abs=1e-3)


def test_unanswered_items_are_left_out_of_the_dimension_score():
    # 3 and 4 answered, two unanswered: mean 3.5 -> 83.33, not (3+4)/4
    assert scoring.dimension_score([3, None, 4, None]) == pytest.approx(83.3333, abs=1e-3)
    assert scoring.dimension_score([None, None]) is None
    assert scoring.dimension_score([]) is None


def test_overall_index_is_the_mean_of_dimension_scores_optionally_weighted():
    scores = {"governance": 100, "communication": 0, "service_quality": 50}
    assert scoring.overall_index(scores) == 50
    # weights 2, 1, 1: (200 + 0 + 50) / 4 = 62.5
    assert scoring.overall_index(scores, {"governance": 2}) == 62.5
    # a dimension without any answer is left out: (100 + 0) / 2
    assert scoring.overall_index({"governance": 100, "communication": 0, "x": None}) == 50
    assert scoring.overall_index({"x": None}) is None


def test_completeness_is_answered_over_total():
    assert scoring.completeness(3, 4) == 75
    assert scoring.completeness(0, 9) == 0
    assert scoring.completeness(0, 0) == 100


def test_progress_is_latest_minus_baseline_per_dimension_code():
    baseline = {"governance": 25.0, "communication": 50.0, "old_only": 10.0}
    latest = {"governance": 75.0, "communication": 50.0, "new_only": 80.0, "unanswered": None}
    assert scoring.progress(baseline, latest) == {"governance": 50.0, "communication": 0.0}


@pytest.mark.django_db
def test_scores_for_a_diagnostic_from_its_responses():
    framework = framework_with({"governance": 3, "communication": 2, "service_quality": 1})
    diagnostic = DiagnosticFactory(framework=framework)
    answer(
        diagnostic,
        {
            "governance-1": 2,
            "governance-2": 4,  # governance: mean 3 -> 66.67 (governance-3 unanswered)
            "communication-1": 1,
            "communication-2": 1,  # communication: 0
            "service_quality-1": None,  # no score
        },
    )
    result = scores_for([diagnostic])[diagnostic.pk]
    assert result.by_code["governance"] == pytest.approx(200 / 3)
    assert result.by_code["communication"] == 0
    assert result.by_code["service_quality"] is None
    assert result.overall == pytest.approx(100 / 3)  # (66.67 + 0) / 2
    assert (result.answered, result.total) == (4, 6)
    assert result.completeness == pytest.approx(66.6667, abs=1e-3)


@pytest.mark.django_db
def test_progress_across_framework_versions_compares_dimensions_by_code():
    organisation = OrganisationFactory()
    v1 = framework_with({"governance": 2, "communication": 2}, code="assoc")
    baseline = DiagnosticFactory(
        organisation=organisation,
        framework=v1,
        status=Diagnostic.Status.VALIDATED,
        date=datetime.date(2025, 1, 10),
    )
    answer(baseline, {"governance-1": 1, "governance-2": 2, "communication-1": 2})
    v2 = framework_new_version(framework=v1)
    # Version 2 drops communication items and adds a new dimension.
    v2.dimensions.get(code="communication").delete()
    new_dimension = v2.dimensions.create(code="networking_advocacy", name="Réseau", order=5)
    new_dimension.items.create(code="net-1", text="?", order=1)
    midline = DiagnosticFactory(
        organisation=organisation,
        framework=v2,
        phase=Diagnostic.Phase.MIDLINE,
        status=Diagnostic.Status.VALIDATED,
        date=datetime.date(2026, 1, 10),
    )
    answer(midline, {"governance-1": 3, "governance-2": 4, "net-1": 4})

    cycle = organisation_cycle(None, organisation)
    assert cycle["baseline"] == baseline and cycle["latest"] == midline
    assert cycle["versions_differ"]
    changes = {row["code"]: row for row in cycle["changes"]}
    # governance: baseline mean 1.5 -> 16.67, midline mean 3.5 -> 83.33: +66.67
    assert changes["governance"]["change"] == pytest.approx(66.6667, abs=1e-3)
    assert changes["networking_advocacy"]["change"] is None
    assert "communication" not in changes


@pytest.mark.django_db
def test_latest_ignores_drafts_and_superseded():
    organisation = OrganisationFactory()
    framework = framework_with({"governance": 1})
    validated = DiagnosticFactory(
        organisation=organisation, framework=framework, status="validated"
    )
    DiagnosticFactory(
        organisation=organisation,
        framework=framework,
        status="draft",
        phase="midline",
        date=datetime.date(2027, 1, 1),
    )
    DiagnosticFactory(
        organisation=organisation,
        framework=framework,
        status="superseded",
        date=datetime.date(2027, 2, 1),
    )
    cycle = organisation_cycle(None, organisation)
    assert cycle["latest"] == validated == cycle["baseline"]
