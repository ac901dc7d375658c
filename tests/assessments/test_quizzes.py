"""Knowledge tests: scoring, gain, taking a test online, paper results, access."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Answer, Attempt
from assessments.quiz_content import quiz_translation_ensure
from assessments.quiz_selectors import cohort_results, gain_summary
from assessments.quiz_services import (
    answer_save,
    attempt_start,
    attempt_submit,
    paper_result_record,
    parse_paper_cell,
)
from assessments.scoring import knowledge_gain, quiz_key, quiz_score
from tests.assessments.quiz_world import build_programme, build_quiz, cohort_of, correct_answers
from tests.factories import (
    EnrolmentFactory,
    PersonFactory,
    coordinator_of,
    participant,
    trainer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the catalogue's msgids), whatever is compiled."""
    with translation.override("en"):
        yield


@pytest.fixture
def setup(world):
    programme, modules = build_programme()
    cohort = cohort_of(programme, territory=world["mono"])
    pre = build_quiz(modules[0], kind="pre")
    post = build_quiz(modules[0], kind="post", pass_mark=75)
    user = participant(PersonFactory(organisation=world["org_mono"]))
    enrolment = EnrolmentFactory(cohort=cohort, person=user.person)
    return {"cohort": cohort, "pre": pre, "post": post, "user": user, "enrolment": enrolment}


# Scoring and gain --------------------------------------------------------------------------


def test_score_counts_a_question_only_when_exactly_right(setup):
    quiz = setup["post"]
    key = quiz_key(quiz.questions)
    ids = list(key)
    answers = correct_answers(quiz)
    assert quiz_score(key, answers) == Decimal("100.00")
    multiple = sorted(key[ids[1]][1])
    answers[ids[1]] = multiple[:1]  # one correct box of two: no point
    assert quiz_score(key, answers) == Decimal("75.00")
    answers[ids[0]] = []  # unanswered
    assert quiz_score(key, answers) == Decimal("50.00")
    assert quiz_score(key, {}) == Decimal("0.00")
    assert quiz_score({}, {}) is None


def test_gain_is_none_when_a_test_is_missing_and_counted_apart():
    assert knowledge_gain(Decimal(40), Decimal(75)) == Decimal(35)
    assert knowledge_gain(None, Decimal(75)) is None
    summary = gain_summary(
        [(Decimal(40), Decimal(80)), (Decimal(60), Decimal(70)), (None, Decimal(90)), (50, None)]
    )
    assert (summary.both, summary.only_pre, summary.only_post) == (2, 1, 1)
    assert summary.mean_gain == Decimal("25.0")  # (40 + 10) / 2, the 90 alone is not a +90
    assert summary.mean_pre == Decimal("50.0")


def test_cohort_results_per_person_and_module(setup):
    by = trainer()
    other = EnrolmentFactory(cohort=setup["cohort"])
    paper_result_record(quiz=setup["pre"], enrolment=setup["enrolment"], by=by, score=25)
    paper_result_record(quiz=setup["post"], enrolment=setup["enrolment"], by=by, score=75)
    paper_result_record(quiz=setup["post"], enrolment=other, by=by, score=100)
    (result,) = cohort_results(setup["cohort"], [setup["enrolment"], other])
    assert [r["gain"] for r in result.rows] == [Decimal(50), None]
    assert (result.summary.both, result.summary.only_post, result.summary.mean_gain) == (
        1,
        1,
        Decimal("50.0"),
    )


# Online attempts ---------------------------------------------------------------------------


def test_answer_saving_is_idempotent_and_scored_on_submit(setup):
    attempt = attempt_start(quiz=setup["post"], enrolment=setup["enrolment"])
    answers = correct_answers(setup["post"], wrong=1)
    for _ in range(2):  # a retried request
        for qid, chosen in answers.items():
            if chosen:
                answer_save(attempt=attempt, question_id=qid, chosen=chosen)
    assert Answer.objects.filter(attempt=attempt).count() == 3
    attempt = attempt_submit(attempt=attempt)
    assert (attempt.score, attempt.passed) == (Decimal("75.00"), True)
    assert attempt_submit(attempt=attempt).submitted_at == attempt.submitted_at


def test_one_attempt_unless_more_allowed(setup):
    attempt = attempt_start(quiz=setup["post"], enrolment=setup["enrolment"])
    assert attempt_start(quiz=setup["post"], enrolment=setup["enrolment"]) == attempt
    attempt_submit(attempt=attempt)
    with pytest.raises(ValidationError):
        attempt_start(quiz=setup["post"], enrolment=setup["enrolment"])
    setup["post"].attempts_allowed = 2
    setup["post"].save()
    assert attempt_start(quiz=setup["post"], enrolment=setup["enrolment"]).number == 2


def test_closed_test_refuses_answers(setup):
    attempt = attempt_start(quiz=setup["post"], enrolment=setup["enrolment"])
    setup["post"].closes_at = timezone.now() - datetime.timedelta(minutes=1)
    setup["post"].save()
    attempt.quiz.refresh_from_db()
    qid = next(iter(correct_answers(setup["post"])))
    with pytest.raises(ValidationError, match="closed"):
        answer_save(attempt=attempt, question_id=qid, chosen=["true"])


def test_foreign_choice_ids_are_refused(setup):
    attempt = attempt_start(quiz=setup["post"], enrolment=setup["enrolment"])
    qid = next(iter(correct_answers(setup["post"])))
    with pytest.raises(ValidationError):
        answer_save(attempt=attempt, question_id=qid, chosen=["not-a-choice"])
    with pytest.raises(ValidationError):
        answer_save(attempt=attempt, question_id="unknown", chosen=[])


def test_arabic_copy_keeps_ids_and_scores_against_the_source(setup):
    quiz = setup["post"]
    texts = [
        {"text": "ما هي التعبئة الاجتماعية؟", "choices": ["حملة", "مسار", "اجتماع"]},
        {"text": "ما هي الوثائق؟", "choices": ["إطار النتائج", "المؤشرات", "الجريدة"]},
        {"text": "يجب أن يكون المؤشر قابلا للقياس."},
        {"text": "يتم إعداد خطة العمل دون ميزانية."},
    ]
    arabic = quiz_translation_ensure(quiz=quiz, language_code="ar", title="اختبار", texts=texts)
    assert arabic.source() == quiz
    assert [b.id for b in arabic.questions] == [b.id for b in quiz.questions]
    assert quiz_key(arabic.questions) == quiz_key(quiz.questions)


def test_paper_cells_and_results(setup):
    quiz = setup["post"]
    ids = list(quiz_key(quiz.questions))
    choices = [c.id for c in quiz.questions[1].value["choices"].bound_blocks]
    assert parse_paper_cell(quiz, ids[1], "a c") == sorted([choices[0], choices[2]])
    assert parse_paper_cell(quiz, ids[2], "v") == ["true"]
    with pytest.raises(ValidationError, match="A to C"):
        parse_paper_cell(quiz, ids[0], "D")
    by = trainer()
    first = paper_result_record(
        quiz=quiz, enrolment=setup["enrolment"], by=by, answers=correct_answers(quiz)
    )
    again = paper_result_record(
        quiz=quiz, enrolment=setup["enrolment"], by=by, answers=correct_answers(quiz)
    )
    assert first.pk == again.pk and again.score == Decimal("100.00")
    assert Attempt.objects.filter(source="paper").count() == 1
    paper_result_record(quiz=quiz, enrolment=setup["enrolment"], by=by, score=Decimal("40"))
    assert Attempt.objects.get(source="paper").passed is False


# Pages and access --------------------------------------------------------------------------


def test_participant_takes_a_test_and_sees_only_their_score(client, setup):
    client.force_login(setup["user"])
    start = reverse("quizzes:start", args=[setup["enrolment"].pk, setup["post"].pk])
    assert client.get(reverse("quizzes:my_tests")).status_code == 200
    response = client.post(start, {"mode": "one"})
    attempt = Attempt.objects.get()
    assert response.url == reverse("quizzes:attempt", args=[attempt.pk]) + "?mode=one"
    page = client.get(response.url)
    assert page.status_code == 200
    for qid, chosen in correct_answers(setup["post"]).items():
        saved = client.post(
            reverse("quizzes:answer", args=[attempt.pk]),
            {"question": qid, "chosen": chosen},
            HTTP_HX_REQUEST="true",
        )
        assert saved.status_code == 200
    client.post(reverse("quizzes:finish", args=[attempt.pk]))
    result = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert "100" in result.content.decode()


def test_participants_never_reach_another_persons_attempt(client, setup, world):
    attempt = attempt_start(quiz=setup["post"], enrolment=setup["enrolment"])
    other = participant(PersonFactory(organisation=world["org_mono"]))
    EnrolmentFactory(cohort=setup["cohort"], person=other.person)
    client.force_login(other)
    assert client.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 404
    assert (
        client.post(
            reverse("quizzes:answer", args=[attempt.pk]), {"question": "x", "chosen": []}
        ).status_code
        == 404
    )
    start = reverse("quizzes:start", args=[setup["enrolment"].pk, setup["post"].pk])
    assert client.get(start).status_code == 404
    assert (
        client.get(reverse("quizzes:cohort_results", args=[setup["cohort"].pk])).status_code == 404
    )


def test_staff_pages_are_scoped(client, setup, world):
    cohort = setup["cohort"]
    urls = [
        reverse("quizzes:cohort_results", args=[cohort.pk]),
        reverse("quizzes:paper_grid", args=[cohort.pk, setup["post"].pk]),
        reverse("quizzes:paper_pdf", args=[cohort.pk, setup["post"].pk]),
    ]
    for user in (trainer(), coordinator_of(world["couffo"])):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
    facilitator = trainer()
    cohort.facilitators.add(facilitator)
    client.force_login(facilitator)
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(coordinator_of(world["mono"]))
    assert client.get(urls[0]).status_code == 200


def test_trainer_types_a_paper_grid_all_or_nothing(client, setup):
    facilitator = trainer()
    setup["cohort"].facilitators.add(facilitator)
    client.force_login(facilitator)
    url = reverse("quizzes:paper_grid", args=[setup["cohort"].pk, setup["post"].pk])
    ids = list(quiz_key(setup["post"].questions))
    enrolment = setup["enrolment"].pk
    bad = client.post(url, {f"c-{enrolment}-{ids[0]}": "B", f"c-{enrolment}-{ids[1]}": "Z"})
    assert bad.status_code == 422
    assert not Attempt.objects.exists()
    good = client.post(
        url,
        {
            f"c-{enrolment}-{ids[0]}": "B",
            f"c-{enrolment}-{ids[1]}": "ab",
            f"c-{enrolment}-{ids[2]}": "V",
            f"c-{enrolment}-{ids[3]}": "V",
        },
    )
    assert good.status_code == 302
    assert Attempt.objects.get().score == Decimal("75.00")
    page = client.get(reverse("associations:cohort_detail", args=[setup["cohort"].pk]))
    assert (
        "Knowledge tests and trained" in page.content.decode() or "tests" in page.content.decode()
    )


def test_paper_pdf_in_arabic(client, setup):
    facilitator = trainer()
    setup["cohort"].facilitators.add(facilitator)
    client.force_login(facilitator)
    with translation.override("ar"):
        url = reverse("quizzes:paper_pdf", args=[setup["cohort"].pk, setup["post"].pk])
    assert url.startswith("/ar/")
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_trainers_and_coordinators_write_and_translate_tests_in_the_admin(client, setup, world):
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="ar")
    quiz = setup["post"]
    for user in (trainer(), coordinator_of(world["mono"])):
        client.force_login(user)
        assert client.get("/admin/snippets/assessments/quiz/").status_code == 200
        assert client.get("/admin/snippets/assessments/quiz/add/").status_code == 200
        assert client.get(f"/admin/snippets/assessments/quiz/edit/{quiz.pk}/").status_code == 200
        submit = f"/admin/translation/submit/snippet/assessments/quiz/{quiz.pk}/"
        assert client.get(submit).status_code == 200
    arabic = Locale.objects.get(language_code="ar")
    response = client.post(submit, {"locales": [arabic.pk]})
    assert response.status_code == 302
    copy = quiz.get_translation(arabic)
    assert [b.id for b in copy.questions] == [b.id for b in quiz.questions]
    assert copy.source() == quiz


def test_participants_and_focal_points_cannot_open_the_quiz_admin(client, setup, world):
    from tests.factories import focal_point_of

    for user in (setup["user"], focal_point_of(world["org_mono"])):
        client.force_login(user)
        assert client.get("/admin/snippets/assessments/quiz/").status_code in (302, 403)


# The results page and the cohort page (with its tests and surveys sections), measured at 5
# people: the same at 25. (The cohort page's tests section counts with aggregates grouped by
# enrolment, ``cohort_trained_rows``: the people, the sessions held, their marks, the post-tests
# and their attempts; the user's permissions are read in one query instead of two, one less on
# each page.)
QUERY_COUNTS = [15, 26]


@pytest.mark.parametrize("size", [5, 25])
def test_results_pages_cost_the_same_queries_whatever_the_size(client, setup, size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    facilitator = trainer()
    setup["cohort"].facilitators.add(facilitator)
    for _ in range(size):
        enrolment = EnrolmentFactory(cohort=setup["cohort"])
        paper_result_record(quiz=setup["pre"], enrolment=enrolment, by=facilitator, score=40)
        paper_result_record(quiz=setup["post"], enrolment=enrolment, by=facilitator, score=70)
    client.force_login(facilitator)
    counts = []
    for url in (
        reverse("quizzes:cohort_results", args=[setup["cohort"].pk]),
        reverse("associations:cohort_detail", args=[setup["cohort"].pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == QUERY_COUNTS, counts


def test_open_attempts_are_scored_at_closing_time_with_the_answers_saved(setup):
    from assessments.quiz_services import attempts_close_due

    quiz = setup["post"]
    attempt = attempt_start(quiz=quiz, enrolment=setup["enrolment"])
    for qid, chosen in correct_answers(quiz, wrong=2).items():
        if chosen:
            answer_save(attempt=attempt, question_id=qid, chosen=chosen)
    assert attempts_close_due(quiz=quiz) == 0  # not closed yet
    quiz.closes_at = timezone.now() - datetime.timedelta(minutes=5)
    quiz.save()
    assert attempts_close_due(quiz=quiz) == 1
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed, attempt.submitted_at) == (
        Decimal("50.00"),
        False,
        quiz.closes_at,
    )


def test_shuffled_order_is_drawn_once_per_attempt(client, setup):
    quiz = setup["post"]
    quiz.shuffle = True
    quiz.save()
    attempt = attempt_start(quiz=quiz, enrolment=setup["enrolment"])
    assert sorted(attempt.order) == sorted(b.id for b in quiz.questions)
    client.force_login(setup["user"])
    url = reverse("quizzes:attempt", args=[attempt.pk])
    first = client.get(url).content.decode()
    positions = [first.index(f'id="q-{qid}"') for qid in attempt.order]
    assert positions == sorted(positions)  # shown in the attempt's order, every time
    again = client.get(url).content.decode()
    assert [again.index(f'id="q-{qid}"') for qid in attempt.order] == sorted(
        again.index(f'id="q-{qid}"') for qid in attempt.order
    )
