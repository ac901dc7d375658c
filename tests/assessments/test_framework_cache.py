"""The framework structure kept in the shared cache (``assessments.framework_cache``): read once,
then from the cache; every edit of a framework, dimension or item is on the next page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Dimension, Item, Response
from assessments.selectors import scores_for
from tests.factories import (
    PASSWORD,
    DiagnosticFactory,
    ItemFactory,
    coordinator_of,
    framework_with,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, world):
    framework = framework_with({"governance": 2, "communication": 1})
    organisation = world["org_moulay"]
    diagnostic = DiagnosticFactory(
        organisation=organisation,
        framework=framework,
        status="validated",
        date=datetime.date(2026, 1, 1),
    )
    for item in Item.objects.filter(dimension__framework=framework):
        Response.objects.create(diagnostic=diagnostic, item=item, level=3)
    assert client.login(email=coordinator_of(world["moulay"]).email, password=PASSWORD)
    url = reverse("assessments:organisation_page", args=[organisation.pk])
    assert client.get(url).status_code == 200  # the structure is in the cache from here on
    return {"url": url, "framework": framework, "diagnostic": diagnostic}


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_read_of_the_structure_costs_no_query(page):
    scores_for([page["diagnostic"]])
    with CaptureQueriesContext(connection) as queries:
        result = scores_for([page["diagnostic"]])[page["diagnostic"].pk]
    assert len(queries) == 1  # the answered levels only
    assert [d.code for d in result.dimensions] == ["governance", "communication"]
    assert result.total == 3


def test_a_renamed_dimension_shows_right_after_the_edit_in_each_language(client, page):
    dimension = Dimension.objects.get(framework=page["framework"], code="governance")
    dimension.name, dimension.name_ar, dimension.name_en = "Gouvernance v2", "الحكامة", "Gov"
    dimension.save()
    assert "Gouvernance v2" in _html(client, page["url"])
    assert "الحكامة" in _html(client, page["url"].replace("/diagnostics/", "/ar/diagnostics/"))
    assert "Gov" in _html(client, page["url"].replace("/diagnostics/", "/en/diagnostics/"))


def test_an_added_or_deleted_item_changes_the_counts_at_once(client, page):
    assert "3 of 3" in _completeness(client, page["url"])
    dimension = Dimension.objects.get(framework=page["framework"], code="communication")
    ItemFactory(dimension=dimension, code="communication-2", order=2)
    assert "3 of 4" in _completeness(client, page["url"])
    Item.objects.get(dimension=dimension, code="communication-2").delete()
    assert "3 of 3" in _completeness(client, page["url"])


def test_a_deleted_dimension_leaves_the_scores_at_once(client, page):
    assert "communication" in _html(client, page["url"])
    Response.objects.filter(item__dimension__code="communication").delete()  # they protect it
    Dimension.objects.get(framework=page["framework"], code="communication").delete()
    result = scores_for([page["diagnostic"]])[page["diagnostic"].pk]
    assert [d.code for d in result.dimensions] == ["governance"]


def _completeness(client, url):
    html = client.get(url.replace("/diagnostics/", "/en/diagnostics/")).content.decode()
    start = html.index("Completeness of the latest diagnostic")
    return html[start : start + 120]


def test_the_diagnostic_page_shows_an_edited_item_text_right_after_the_edit(client, page):
    url = reverse("assessments:diagnostic_detail", args=[page["diagnostic"].pk])
    _html(client, url)  # items and levels are in the cache from here on
    item = Item.objects.get(dimension__framework=page["framework"], code="governance-1")
    item.text, item.text_ar = "Le bureau se réunit-il chaque mois ?", "هل يجتمع المكتب كل شهر؟"
    item.save()
    level = item.levels.get(level=3)
    level.description = "Réunions mensuelles avec procès-verbal"
    level.save()
    html = _html(client, url)
    assert "Le bureau se réunit-il chaque mois ?" in html
    assert "Réunions mensuelles avec procès-verbal" in html
    assert "هل يجتمع المكتب كل شهر؟" in _html(
        client, url.replace("/diagnostics/", "/ar/diagnostics/")
    )
    ItemFactory(dimension=item.dimension, code="governance-3", text="Une question neuve", order=3)
    assert "Une question neuve" in _html(client, url)


def test_a_framework_import_is_on_the_next_page(client, page):
    from assessments import framework_io
    from assessments.services import framework_save_data

    url = reverse("assessments:diagnostic_detail", args=[page["diagnostic"].pk])
    _html(client, url)
    data = framework_io.framework_data(page["framework"])
    data["dimensions"][0]["items"][0]["text"]["fr"] = "Texte importé"
    framework, action = framework_save_data(data=data)
    assert action == "new_version"
    page["diagnostic"].framework = framework  # a diagnostic of the new version reads it at once
    page["diagnostic"].save()
    assert "Texte importé" in _html(client, url)
