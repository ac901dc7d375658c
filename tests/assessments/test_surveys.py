"""Satisfaction surveys: answers that cannot be traced to a person, one answer per participant,
small groups hidden everywhere, aggregates against hand-computed figures, and who may open
what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import (
    Question,
    Questionnaire,
    Survey,
    SurveyAnswer,
    SurveyFacilitator,
    SurveyParticipation,
    SurveyResponse,
)
from assessments.survey_selectors import (
    cohort_surveys,
    programme_results,
    survey_results,
    surveys_to_answer,
)
from assessments.survey_services import cohort_facilitators, survey_answer_record, survey_open
from associations.models import OutsideFacilitator
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    PersonFactory,
    UserFactory,
    coordinator_of,
    focal_point_of,
    participant,
    trainer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    translation.activate("fr")
    yield
    translation.activate("fr")


def small_questionnaire():
    """One content item, one facilitation item, one free-text question."""
    questionnaire = Questionnaire.objects.create(title="Évaluation courte")
    content = Question.objects.create(
        questionnaire=questionnaire, section="content", text="Contenu clair", sort_order=0
    )
    facilitation = Question.objects.create(
        questionnaire=questionnaire, section="facilitation", text="Animateur clair", sort_order=1
    )
    comment = Question.objects.create(
        questionnaire=questionnaire,
        section="comments",
        kind="text",
        text="Commentaires",
        sort_order=2,
    )
    return questionnaire, content, facilitation, comment


@pytest.fixture
def mono(world):
    """A Mono cohort with a trainer (who is also listed as an outside facilitator), a second
    outside facilitator, 8 enrolled agents and an open survey."""
    teacher = trainer(first_name="Etienne", last_name="Zannou")
    cohort = CohortFactory(code="MONO-2024", territory=world["mono"])
    cohort.facilitators.add(teacher)
    cohort.outside_facilitators.add(
        OutsideFacilitator.objects.create(name="Etienne ZANNOU", territory=world["mono"]),
        OutsideFacilitator.objects.create(name="Bruno GBEHINTO", territory=world["mono"]),
    )
    enrolments = [
        EnrolmentFactory(cohort=cohort, person=PersonFactory(organisation=world["org_lokossa"]))
        for _n in range(8)
    ]
    questionnaire, content, facilitation, comment = small_questionnaire()
    today = timezone.localdate()
    survey = survey_open(
        cohort=cohort,
        questionnaire=questionnaire,
        occasion=Survey.Occasion.END_OF_WORKSHOP,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=6),
        by=teacher,
    )
    zannou, gbehinto = survey.facilitators.order_by("order")
    return {
        "cohort": cohort,
        "trainer": teacher,
        "enrolments": enrolments,
        "survey": survey,
        "content": content,
        "facilitation": facilitation,
        "comment": comment,
        "zannou": zannou,
        "gbehinto": gbehinto,
    }


def answer(mono, content, zannou, gbehinto, text="", enrolment=None):
    return survey_answer_record(
        survey=mono["survey"],
        answers={
            (mono["content"].pk, None): content,
            (mono["facilitation"].pk, mono["zannou"].pk): zannou,
            (mono["facilitation"].pk, mono["gbehinto"].pk): gbehinto,
            (mono["comment"].pk, None): text,
        },
        enrolment=enrolment,
        today=timezone.localdate(),
    )


def form_data(mono, content, zannou, gbehinto, text=""):
    f = mono["facilitation"].pk
    return {
        f"q{mono['content'].pk}": str(content),
        f"q{f}-f{mono['zannou'].pk}": str(zannou),
        f"q{f}-f{mono['gbehinto'].pk}": str(gbehinto),
        f"q{mono['comment'].pk}": text,
    }


# --- anonymity --------------------------------------------------------------------------------

PERSONAL_MODELS = {"user", "person", "enrolment", "cohortorganisation", "organisation"}


def test_a_response_and_its_answers_have_no_field_that_leads_to_a_person_or_a_time():
    for model in (SurveyResponse, SurveyAnswer):
        pk = model._meta.pk
        assert isinstance(pk, models.UUIDField), f"{model.__name__} keys must be random"
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.TimeField), field
            if field.is_relation:
                assert field.related_model._meta.model_name not in PERSONAL_MODELS, field
                assert field.related_model in (SurveyResponse, Survey, Question, SurveyFacilitator)


def test_the_has_answered_record_has_no_link_to_the_response_and_no_date():
    related = {f.related_model for f in SurveyParticipation._meta.concrete_fields if f.is_relation}
    assert SurveyResponse not in related and SurveyAnswer not in related
    assert not any(
        isinstance(f, models.DateField | models.TimeField)
        for f in SurveyParticipation._meta.concrete_fields
    )
    # And nothing points from the responses to the participations either.
    assert not any(
        f.related_model is SurveyParticipation
        for f in SurveyResponse._meta.get_fields()
        if f.is_relation
    )


def test_an_online_answer_is_stored_without_anything_of_the_person(client, mono):
    enrolment = mono["enrolments"][0]
    person = enrolment.person
    client.force_login(participant(person))
    url = reverse("surveys:answer", args=[mono["survey"].pk])
    response = client.post(url, form_data(mono, 5, 4, 3, "Très bien, merci"))
    assert response.status_code == 200
    assert "Merci" in response.content.decode() or "Thank" in response.content.decode()
    [row] = SurveyResponse.objects.values()
    assert set(row) == {"id", "survey_id"}
    rows = list(SurveyAnswer.objects.values())
    assert len(rows) == 4  # content, facilitation x 2 facilitators, the comment
    for answer_row in rows:
        assert set(answer_row) == {
            "id",
            "response_id",
            "question_id",
            "facilitator_id",
            "value",
            "text",
        }
        assert answer_row["response_id"] == row["id"]
    assert {r["text"] for r in rows} == {"", "Très bien, merci"}
    assert list(SurveyParticipation.objects.values("survey_id", "enrolment_id")) == [
        {"survey_id": mono["survey"].pk, "enrolment_id": enrolment.pk}
    ]


def test_answering_twice_is_refused_and_changes_nothing(client, mono):
    enrolment = mono["enrolments"][0]
    answer(mono, 5, 5, 5, enrolment=enrolment)
    with pytest.raises(ValidationError):
        answer(mono, 1, 1, 1, enrolment=enrolment)
    assert SurveyResponse.objects.count() == 1
    assert not SurveyAnswer.objects.filter(value=1).exists()
    client.force_login(participant(enrolment.person))
    url = reverse("surveys:answer", args=[mono["survey"].pk])
    page = client.post(url, form_data(mono, 1, 1, 1))
    assert "déjà répondu" in page.content.decode() or "already answered" in page.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_missing_rating_keeps_the_other_answers_and_saves_nothing(client, mono):
    client.force_login(participant(mono["enrolments"][0].person))
    data = form_data(mono, 5, 4, 3, "À garder")
    del data[f"q{mono['content'].pk}"]
    page = client.post(reverse("surveys:answer", args=[mono["survey"].pk]), data)
    body = page.content.decode()
    assert page.status_code == 200 and "À garder" in body and 'value="4" ' in body
    assert SurveyResponse.objects.count() == 0 and SurveyParticipation.objects.count() == 0


def test_a_closed_survey_takes_no_answer(mono):
    survey = mono["survey"]
    with pytest.raises(ValidationError):
        survey_answer_record(
            survey=survey,
            answers={},
            enrolment=mono["enrolments"][0],
            today=survey.closes_on + timedelta(days=1),
        )


def test_paper_entries_never_outnumber_the_people_enrolled(mono):
    for _n in range(8):
        answer(mono, 4, 4, 4)
    with pytest.raises(ValidationError, match="8"):
        answer(mono, 4, 4, 4)
    assert SurveyResponse.objects.count() == 8


# --- facilitators -----------------------------------------------------------------------------


def test_a_trainer_also_listed_as_outside_facilitator_is_rated_once(mono):
    names = [name for _user, _outside, name in cohort_facilitators(mono["cohort"])]
    assert names == ["Etienne Zannou", "Bruno GBEHINTO"]
    zannou = mono["zannou"]
    assert zannou.user == mono["trainer"] and zannou.outside_facilitator.name == "Etienne ZANNOU"


# --- aggregates -------------------------------------------------------------------------------


def test_aggregates_match_hand_computed_figures(mono):
    # content: 5 5 4 3 2 -> mean 3.8, 3 of 5 satisfied (60 %)
    # Zannou:  4 4 4 5 1 -> mean 3.6, 4 of 5 (80 %); Gbehinto: 3 3 2 4 5 -> 3.4, 2 of 5 (40 %)
    for content, zannou, gbehinto, text in [
        (5, 4, 3, "Zèbre"),
        (5, 4, 3, "Alpha"),
        (4, 4, 2, ""),
        (3, 5, 4, "Milieu"),
        (2, 1, 5, "Beta"),
    ]:
        answer(mono, content, zannou, gbehinto, text)
    results = survey_results(mono["survey"])
    assert results.shown and results.overall.responses == 5
    assert results.overall.answers == 15
    # 9 ratings of 4 or 5 among 15 -> 60 %; mean 54 / 15 = 3.6
    assert results.overall.satisfaction_rate == Decimal("60.0")
    assert results.overall.mean == Decimal("3.60")
    [content_item, facilitation_item] = results.items
    assert content_item.stats.mean == Decimal("3.80")
    assert content_item.stats.distribution == [0, 1, 1, 1, 2]
    assert content_item.stats.satisfaction_rate == Decimal("60.0")
    assert facilitation_item.stats.answers == 10 and facilitation_item.stats.responses == 5
    by_name = {f.name: f.stats for f in results.facilitators}
    assert by_name["Etienne Zannou"].mean == Decimal("3.60")
    assert by_name["Etienne Zannou"].satisfaction_rate == Decimal("80.0")
    assert by_name["Bruno GBEHINTO"].mean == Decimal("3.40")
    assert by_name["Bruno GBEHINTO"].distribution == [0, 1, 2, 1, 1]
    # Sections in order: content, facilitation (both facilitators: 35 / 10).
    [(_content, content_stats), (_facilitation, facilitation_stats)] = results.sections
    assert content_stats.mean == Decimal("3.80")
    assert facilitation_stats.mean == Decimal("3.50")
    # Free texts: only 4 written (below 5): hidden.
    [texts] = results.texts
    assert texts.count == 4 and not texts.shown and texts.texts == []


def test_free_texts_of_five_or_more_are_shown_in_alphabetical_order(mono):
    for text in ["Zèbre", "alpha", "Milieu", "Beta", "Milieu"]:
        answer(mono, 4, 4, 4, text)
    [texts] = survey_results(mono["survey"]).texts
    assert texts.shown and texts.count == 5
    assert texts.texts == sorted(texts.texts)
    assert dict(texts.texts) == {"Zèbre": 1, "alpha": 1, "Milieu": 2, "Beta": 1}


# --- small groups hidden ----------------------------------------------------------------------


def test_four_responses_show_nothing_on_the_results_page_or_the_cohort_page(client, mono):
    for _n in range(4):
        answer(mono, 5, 5, 1, "Secret")
    results = survey_results(mono["survey"])
    assert not results.shown and results.items == [] and results.facilitators == []
    assert results.overall.mean is None and results.overall.distribution == []
    client.force_login(mono["trainer"])
    body = client.get(reverse("surveys:results", args=[mono["survey"].pk])).content.decode()
    assert "Pas assez de réponses" in body or "Not enough answers" in body
    assert "Secret" not in body and "100 %" not in body
    [survey] = cohort_surveys(mono["trainer"], mono["cohort"])
    assert not survey.stats.shown and survey.stats.mean is None
    page = client.get(reverse("associations:cohort_detail", args=[mono["cohort"].pk]))
    assert 'class="hidden-group"' in page.content.decode()
    answer(mono, 5, 5, 1)
    page = client.get(reverse("associations:cohort_detail", args=[mono["cohort"].pk]))
    assert 'class="hidden-group"' not in page.content.decode()
    assert '<span class="rate">67 %' in page.content.decode()  # 10 ratings of 5 among 15


def test_programme_hides_small_cohorts_and_small_facilitators(
    world, mono, django_assert_max_num_queries
):
    from wagtail.models import Site

    from courses.models import ProgrammePage

    home = Site.objects.get(is_default_site=True).root_page
    programme = home.add_child(instance=ProgrammePage(title="Mobilisation", slug="mobilisation"))
    other = CohortFactory(code="MONO-2025", territory=world["mono"], programme=programme)
    mono["cohort"].programme = programme
    mono["cohort"].save()
    other_trainer = trainer(first_name="Awa", last_name="Kora")
    other.facilitators.add(other_trainer)
    for _n in range(3):
        EnrolmentFactory(cohort=other)
    small = survey_open(
        cohort=other,
        questionnaire=mono["survey"].questionnaire,
        occasion="workshop",
        opens_on=date(2025, 1, 1),
        closes_on=date(2025, 1, 2),
    )
    [kora] = small.facilitators.all()
    for _n in range(3):
        survey_answer_record(
            survey=small,
            answers={(mono["content"].pk, None): 1, (mono["facilitation"].pk, kora.pk): 1},
        )
    for _n in range(6):
        answer(mono, 5, 4, 4)
    coordinator = coordinator_of(world["mono"])
    with django_assert_max_num_queries(9):  # 2 for the grants, 7 for the figures
        results = programme_results(coordinator, programme)
    assert results.overall.responses == 9
    cohorts = {cohort.code: stats for cohort, stats in results.cohorts}
    assert cohorts["MONO-2024"].shown and not cohorts["MONO-2025"].shown
    assert cohorts["MONO-2025"].mean is None
    facilitators = dict(results.facilitators)
    assert facilitators["Etienne Zannou"].shown and not facilitators["Awa Kora"].shown
    assert facilitators["Awa Kora"].distribution == []
    client_page = reverse("surveys:programme", args=[programme.pk])
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    body = client.get(client_page).content.decode()
    assert "MONO-2025" in body and "Awa Kora" in body
    client.force_login(coordinator_of(world["couffo"]))
    assert client.get(client_page).status_code == 404
    client.force_login(participant(mono["enrolments"][0].person))
    assert client.get(client_page).status_code == 404
    assert body.count('class="hidden-group"') == 2


# --- access -----------------------------------------------------------------------------------


def test_a_person_not_enrolled_cannot_open_the_form(client, mono, world):
    client.force_login(participant(PersonFactory(organisation=world["org_lokossa"])))
    url = reverse("surveys:answer", args=[mono["survey"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(mono, 5, 5, 5)).status_code == 404
    assert SurveyResponse.objects.count() == 0


def test_a_withdrawn_participant_cannot_answer(client, mono):
    enrolment = mono["enrolments"][0]
    enrolment.withdrawn_on = date(2024, 11, 21)
    enrolment.save()
    client.force_login(participant(enrolment.person))
    assert client.get(reverse("surveys:answer", args=[mono["survey"].pk])).status_code == 404


def test_participants_see_their_form_but_never_results(client, mono):
    for _n in range(6):
        answer(mono, 4, 4, 4)
    user = participant(mono["enrolments"][0].person)
    client.force_login(user)
    survey = mono["survey"]
    assert client.get(reverse("surveys:answer", args=[survey.pk])).status_code == 200
    assert [s.pk for s in surveys_to_answer(user, timezone.localdate())] == [survey.pk]
    mine = client.get(reverse("surveys:mine")).content.decode()
    assert reverse("surveys:answer", args=[survey.pk]) in mine
    assert (
        reverse("surveys:answer", args=[survey.pk]) in client.get("/mon-espace/").content.decode()
    )
    for name in ("surveys:results", "surveys:paper"):
        assert client.get(reverse(name, args=[survey.pk])).status_code == 404
    assert client.get(reverse("surveys:open", args=[mono["cohort"].pk])).status_code == 404


def test_staff_outside_the_cohort_get_404(client, mono, world):
    survey = mono["survey"]
    for answer_n in range(6):
        answer(mono, 4, 4, 4 + answer_n % 2)
    outsiders = [
        trainer(),  # a trainer who does not facilitate this cohort
        coordinator_of(world["couffo"]),  # a coordinator of another territory
        focal_point_of(world["org_lokossa"]),  # focal points read no survey
    ]
    for user in outsiders:
        client.force_login(user)
        for name in ("surveys:results", "surveys:paper"):
            assert client.get(reverse(name, args=[survey.pk])).status_code == 404, (user, name)
        assert client.get(reverse("surveys:open", args=[mono["cohort"].pk])).status_code == 404
    client.logout()
    assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 302


def test_trainer_and_coordinator_in_scope_read_results_in_bounded_queries(
    client, mono, world, django_assert_max_num_queries
):
    for _n in range(5):
        answer(mono, 4, 5, 3, "Bien")
    coordinator = coordinator_of(world["mono"])
    for user in (mono["trainer"], coordinator):
        client.force_login(user)
        page = client.get(reverse("surveys:results", args=[mono["survey"].pk]))
        assert page.status_code == 200 and "Etienne Zannou" in page.content.decode()
    url = reverse("surveys:results", args=[mono["survey"].pk])
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    for enrolment in [EnrolmentFactory(cohort=mono["cohort"]) for _n in range(30)]:
        answer(mono, 3, 2, 5, "Encore", enrolment=enrolment)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "Encore" in client.get(url).content.decode()


def test_a_trainer_opens_a_survey_and_types_in_a_paper_questionnaire(client, mono):
    client.force_login(mono["trainer"])
    questionnaire = Questionnaire.objects.get(is_default=True)
    form = client.get(reverse("surveys:open", args=[mono["cohort"].pk]))
    assert form.status_code == 200 and 'type="date"' in form.content.decode()
    refused = client.post(
        reverse("surveys:open", args=[mono["cohort"].pk]),
        {"questionnaire": questionnaire.pk, "occasion": "workshop", "opens_on": "2024-11-22"}
        | {"closes_on": "2024-11-20"},
    )
    assert refused.status_code == 200 and Survey.objects.count() == 1
    page = client.post(
        reverse("surveys:open", args=[mono["cohort"].pk]),
        {
            "questionnaire": questionnaire.pk,
            "occasion": "session",
            "opens_on": "2024-11-22",
            "closes_on": "2024-11-29",
        },
    )
    survey = Survey.objects.exclude(pk=mono["survey"].pk).get()
    assert page.status_code == 302 and survey.facilitators.count() == 2
    paper = reverse("surveys:paper", args=[mono["survey"].pk])
    assert client.post(paper, form_data(mono, 4, 4, 4)).status_code == 302
    assert SurveyResponse.objects.filter(survey=mono["survey"]).count() == 1
    assert SurveyParticipation.objects.count() == 0


def test_the_default_questionnaire_is_in_three_languages():
    questionnaire = Questionnaire.objects.get(is_default=True)
    questions = list(questionnaire.questions.all())
    assert {q.section for q in questions} == {s.value for s in Question.Section}
    assert all(q.text and q.text_ar and q.text_en for q in questions)
    with translation.override("ar"):
        assert questionnaire.label == "تقييم التكوين من طرف المشاركين"


def test_an_unverified_user_is_not_a_participant(client, mono):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("surveys:answer", args=[mono["survey"].pk])).status_code == 404
    assert SurveyFacilitator.objects.filter(survey=mono["survey"]).count() == 2


def test_the_cohort_section_costs_one_query_whatever_the_answers(
    mono, world, django_assert_num_queries
):
    from associations.scope import grants_for

    coordinator = coordinator_of(world["mono"])
    grants_for(coordinator)
    with django_assert_num_queries(1):
        [survey] = cohort_surveys(coordinator, mono["cohort"])
    assert survey.stats.responses == 0
    for _n in range(7):
        answer(mono, 5, 4, 2)
    with django_assert_num_queries(1):
        [survey] = cohort_surveys(coordinator, mono["cohort"])
    # 7 x (5, 4, 2): 14 of 21 ratings are 4 or 5.
    assert survey.stats.responses == 7 and survey.stats.answers == 21
    assert survey.stats.satisfaction_rate == Decimal("66.7")
    assert survey.stats.mean == Decimal("3.67")


def test_coordinators_edit_questionnaires_in_the_admin_and_trainers_cannot(client, world):
    questionnaire = Questionnaire.objects.get(is_default=True)
    edit = reverse("survey_questionnaires:edit", args=[questionnaire.pk])
    client.force_login(coordinator_of(world["mono"]))
    assert client.get(reverse("survey_questionnaires:index")).status_code == 200
    page = client.get(edit)
    assert page.status_code == 200
    assert "كانت أهداف التكوين واضحة." in page.content.decode()
    client.force_login(trainer())
    assert client.get(edit).status_code in (302, 403)


def test_a_questionnaire_in_use_keeps_its_answered_questions(client, mono, world):
    answer(mono, 4, 4, 4)
    questionnaire = mono["survey"].questionnaire
    client.force_login(coordinator_of(world["mono"]))
    delete = reverse("survey_questionnaires:delete", args=[questionnaire.pk])
    assert client.post(delete).status_code in (302, 403)
    assert Questionnaire.objects.filter(pk=questionnaire.pk).exists()
    # The edit form, sent back with the content question marked for deletion.
    questions = list(questionnaire.questions.order_by("sort_order"))
    data = {
        "title": questionnaire.title,
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, question in enumerate(questions):
        data |= {
            f"questions-{index}-id": str(question.pk),
            f"questions-{index}-ORDER": str(index + 1),
            f"questions-{index}-section": question.section,
            f"questions-{index}-kind": question.kind,
            f"questions-{index}-text": question.text,
            f"questions-{index}-DELETE": "1" if question == mono["content"] else "",
        }
    edit = reverse("survey_questionnaires:edit", args=[questionnaire.pk])
    page = client.post(edit, data)
    assert page.status_code == 200
    assert "cannot be removed" in page.content.decode() or "supprimée" in page.content.decode()
    assert Question.objects.filter(pk=mono["content"].pk).exists()
