# ruff: noqa: E501 (the old template loop is kept as it was written)
"""The framework structure kept in the shared cache (``assessments.framework_cache``): read once,
then from the cache; every edit of a framework, dimension or item is on the next page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

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


# The question cards as the template loop drew them before ``item_cards`` (kept to prove that
# the tag gives the very same markup, answers, comments and evidence included).
TEMPLATE_LOOP = """{% load i18n %}{% for item in items %}
  {% ifchanged item.dimension_id %}<h2 class="dimension-title">{{ item.dimension.label }}</h2>{% endifchanged %}
  <article class="card item-card" id="item-{{ item.pk }}">
    <h3 class="question" dir="auto">{{ item.label }}</h3>
    {% if can_edit %}
    <form method="post" action="{% url 'assessments:response_save' diagnostic.pk item.pk %}" data-autosave>
      {% csrf_token %}
      <fieldset class="levels"><legend>{% translate "Level reached" %}</legend>
        {% for level in item.level_list %}<label class="level"><input type="radio" name="level" value="{{ level.level }}"{% if item.response.level == level.level %} checked{% endif %}><span class="level-number">{{ level.level }}</span><span dir="auto">{{ level.label }}</span></label>{% endfor %}
      </fieldset>
      <details class="guidance"><summary>{% translate "Evidence to look for" %}</summary>
        <ul>{% for level in item.level_list %}{% if level.evidence_guidance %}<li><strong>{{ level.level }}.</strong> <span dir="auto">{{ level.evidence_guidance }}</span></li>{% endif %}{% endfor %}</ul>
      </details>
      <label class="comment">{% translate "Comment" %}<textarea name="comment" rows="2" dir="auto">{{ item.response.comment }}</textarea></label>
      <button type="submit">{% translate "Save" %}</button>
      <span class="save-status" data-status aria-live="polite">{% if item.response.level %}{% translate "Saved" %}{% endif %}</span>
    </form>
    {% else %}
      {% with response=item.response %}
      <p class="answer">{% if response.level %}<span class="level-number">{{ response.level }}</span>{% for level in item.level_list %}{% if level.level == response.level %} <span dir="auto">{{ level.label }}</span>{% endif %}{% endfor %}{% else %}<span class="muted">{% translate "Not answered" %}</span>{% endif %}</p>
      {% if response.comment %}<p class="comment-text" dir="auto">{{ response.comment|linebreaksbr }}</p>{% endif %}
      {% endwith %}
    {% endif %}
    {% if item.response.evidence.all %}<ul class="evidence">{% for evidence in item.response.evidence.all %}<li><a href="{% url 'assessments:evidence_file' evidence.pk %}">{{ evidence.original_name }}</a></li>{% endfor %}</ul>{% endif %}
    {% if can_edit %}
    <form method="post" enctype="multipart/form-data" action="{% url 'assessments:evidence_upload' diagnostic.pk item.pk %}" class="evidence-form">{% csrf_token %}
      <label>{% translate "Add a document or photo" %} <input type="file" name="file" accept=".pdf,.docx,.xlsx,.odt,.ods,.txt,.csv,.jpg,.jpeg,.png,.webp"></label>
      <button type="submit">{% translate "Send" %}</button>
    </form>
    {% endif %}
  </article>
{% endfor %}"""


@pytest.mark.parametrize("can_edit", [True, False])
def test_item_cards_give_the_markup_of_the_template_loop(rf, page, can_edit):
    from django.middleware.csrf import get_token
    from django.template import engines

    from assessments.models import Evidence
    from assessments.selectors import diagnostic_items

    diagnostic = page["diagnostic"]
    item = Item.objects.filter(dimension__framework=page["framework"]).first()
    response = diagnostic.responses.get(item=item)
    response.comment = "Deux lignes <b>\nsans balise"
    response.save()
    Evidence.objects.create(response=response, file="evidence/pv.pdf", original_name="pv & co.pdf")
    Response.objects.filter(diagnostic=diagnostic).exclude(item=item).first().delete()
    request = rf.get("/")
    get_token(request)
    for language in ("fr", "ar", "en"):
        with translation.override(language):
            context = {
                "diagnostic": diagnostic,
                "items": diagnostic_items(diagnostic),
                "can_edit": can_edit,
            }
            engine = engines["django"]
            old = engine.from_string(TEMPLATE_LOOP).render(context, request)
            new = engine.from_string(
                "{% load diagnostics %}{% item_cards diagnostic items can_edit %}"
            ).render(context, request)
            # every render masks the CSRF token anew
            token = re.compile(r'csrfmiddlewaretoken" value="[^"]+"')
            assert token.sub("", new) == token.sub("", old)
            assert "pv &amp; co.pdf" in new
