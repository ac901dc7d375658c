"""Reads of the satisfaction surveys: who may answer what, and the aggregates.

Every figure is computed by the database (counts and averages grouped by question, facilitator,
section, cohort); a page costs the same few queries whatever the number of answers. A group of
fewer than ``MIN_GROUP`` responses is never shown: its figures are replaced by ``None``-valued
``hidden`` results, so a small group cannot be read off (nor can one person in it)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q

from assessments.models import (
    Question,
    Survey,
    SurveyAnswer,
    SurveyFacilitator,
    SurveyParticipation,
)
from assessments.models.surveys import LIKERT_VALUES, SATISFIED_FROM
from associations.models import Cohort, Enrolment
from associations.scope import visible_to

MIN_GROUP = 5  # results of fewer responses than this are not shown


@dataclass
class Stats:
    """The figures of one group of Likert answers: ``responses`` is the number of distinct
    responses in the group (what the threshold counts), ``answers`` the number of ratings."""

    responses: int
    answers: int = 0
    mean: Decimal | None = None
    distribution: list = field(default_factory=list)  # counts of 1, 2, 3, 4, 5
    satisfied: int = 0

    @property
    def shown(self):
        return self.responses >= MIN_GROUP

    @property
    def satisfaction_rate(self):
        """Percentage of ratings of 4 or 5, one decimal."""
        if not self.answers:
            return None
        return (Decimal(100 * self.satisfied) / self.answers).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def distribution_rows(self):
        """``(value, count, percent)`` for the bar of each value."""
        return [
            (value, count, round(100 * count / self.answers) if self.answers else 0)
            for value, count in zip(LIKERT_VALUES, self.distribution, strict=True)
        ]


def _stat_aggregates(answer="", response="response"):
    """The aggregates of ``Stats``, from answers (the default) or through a relation to them
    (``answer="responses__answers", response="responses"`` from surveys)."""
    prefix = f"{answer}__" if answer else ""
    likert = Q(**{f"{prefix}value__isnull": False})
    return {
        "n_responses": Count(response, distinct=True),
        "n_answers": Count(f"{prefix}pk", filter=likert),
        "mean_value": Avg(f"{prefix}value", filter=likert),
        "n_satisfied": Count(f"{prefix}pk", filter=Q(**{f"{prefix}value__gte": SATISFIED_FROM})),
        **{
            f"n_{value}": Count(f"{prefix}pk", filter=Q(**{f"{prefix}value": value}))
            for value in LIKERT_VALUES
        },
    }


def _stats(row):
    if row["n_responses"] < MIN_GROUP:
        return Stats(responses=row["n_responses"])
    mean = row["mean_value"]
    return Stats(
        responses=row["n_responses"],
        answers=row["n_answers"],
        mean=Decimal(str(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if mean is not None
        else None,
        distribution=[row[f"n_{value}"] for value in LIKERT_VALUES],
        satisfied=row["n_satisfied"],
    )


def likert_stats(answers, *group_by):
    """Likert figures of ``answers`` (a ``SurveyAnswer`` queryset) grouped by the fields
    ``group_by``, in one query: ``{group key: Stats}`` (the key is a tuple of the fields'
    values; with no field, the single key ``()``). Small groups come back hidden."""
    answers = answers.filter(value__isnull=False)
    if not group_by:
        row = answers.aggregate(**_stat_aggregates())
        return {(): _stats(row)}
    rows = answers.values(*group_by).annotate(**_stat_aggregates()).order_by()
    return {tuple(row[name] for name in group_by): _stats(row) for row in rows}


# --- who answers, who reads -------------------------------------------------------------------


def surveys_for(user):
    """Surveys whose results ``user`` may read: a trainer's cohorts, a coordinator's territory.
    Participants and focal points get none."""
    return visible_to(user, Survey.objects.select_related("cohort", "questionnaire"))


def answering_enrolment(user, survey):
    """The active enrolment through which ``user`` answers ``survey``, or ``None``."""
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(
        cohort_id=survey.cohort_id, person__user=user, withdrawn_on__isnull=True
    ).first()


def has_answered(enrolment, survey):
    return SurveyParticipation.objects.filter(survey=survey, enrolment=enrolment).exists()


def surveys_to_answer(user, today):
    """Open surveys of the cohorts ``user`` is enrolled in, with ``answered`` (bool), in one
    query."""
    if not user.is_authenticated:
        return Survey.objects.none()
    mine = Enrolment.objects.filter(person__user=user, withdrawn_on__isnull=True)
    answered = SurveyParticipation.objects.filter(
        survey=OuterRef("pk"), enrolment__person__user=user
    )
    return (
        Survey.objects.filter(
            cohort__in=mine.values("cohort"), opens_on__lte=today, closes_on__gte=today
        )
        .select_related("cohort", "questionnaire")
        .annotate(answered=Exists(answered))
        .order_by("closes_on", "pk")
    )


# --- results ----------------------------------------------------------------------------------


@dataclass
class ItemResult:
    question: Question
    stats: Stats


@dataclass
class FacilitatorResult:
    name: str
    stats: Stats
    items: list


@dataclass
class TextResult:
    question: Question
    texts: list  # (text, how many wrote it) by text, never dated; empty below MIN_GROUP
    count: int

    @property
    def shown(self):
        return self.count >= MIN_GROUP


@dataclass
class SurveyResults:
    survey: Survey
    overall: Stats
    sections: list  # (section label, Stats)
    items: list  # ItemResult, facilitation items over all facilitators
    facilitators: list  # FacilitatorResult
    texts: list  # TextResult

    @property
    def shown(self):
        return self.overall.shown


SECTION_ORDER = [choice for choice in Question.Section if choice != Question.Section.COMMENTS]


def _sections(stats_by_section):
    return [
        (section.label, stats_by_section[(section.value,)])
        for section in SECTION_ORDER
        if (section.value,) in stats_by_section
    ]


def survey_results(survey):
    """The results of one survey: overall, per section, per item, per facilitator, and the
    free texts. Seven queries whatever the number of answers. Nothing is filled in below
    ``MIN_GROUP`` responses."""
    answers = SurveyAnswer.objects.filter(response__survey=survey)
    overall = likert_stats(answers)[()]
    questions = list(survey.questionnaire.questions.order_by("sort_order", "pk"))
    if not overall.shown:
        return SurveyResults(survey, overall, [], [], [], [])
    by_question = likert_stats(answers, "question_id")
    by_facilitator = likert_stats(answers.filter(facilitator__isnull=False), "facilitator_id")
    by_facilitator_item = likert_stats(
        answers.filter(facilitator__isnull=False), "facilitator_id", "question_id"
    )
    facilitation = [q for q in questions if q.per_facilitator]
    facilitators = [
        FacilitatorResult(
            name=facilitator.name,
            stats=by_facilitator.get((facilitator.pk,), Stats(responses=0)),
            items=[
                ItemResult(q, by_facilitator_item.get((facilitator.pk, q.pk), Stats(0)))
                for q in facilitation
            ],
        )
        for facilitator in survey.facilitators.all()
    ]
    return SurveyResults(
        survey=survey,
        overall=overall,
        sections=_sections(likert_stats(answers, "question__section")),
        items=[
            ItemResult(q, by_question.get((q.pk,), Stats(0)))
            for q in questions
            if q.kind == Question.Kind.LIKERT
        ],
        facilitators=facilitators,
        texts=_texts(answers, [q for q in questions if q.kind == Question.Kind.TEXT]),
    )


def _texts(answers, questions):
    """Free texts per question, only where at least ``MIN_GROUP`` people wrote one: each
    distinct text once with how many wrote it, ordered by the text (so neither the order of
    answering nor a date shows). Two queries."""
    counts = dict(
        answers.filter(question__in=questions)
        .exclude(text="")
        .values("question_id")
        .annotate(n=Count("pk"))
        .values_list("question_id", "n")
    )
    shown = [q.pk for q in questions if counts.get(q.pk, 0) >= MIN_GROUP]
    texts = {pk: [] for pk in shown}
    rows = (
        answers.filter(question_id__in=shown)
        .exclude(text="")
        .values("question_id", "text")
        .annotate(n=Count("pk"))
        .order_by("text")
    )
    for row in rows:
        texts[row["question_id"]].append((row["text"], row["n"]))
    return [TextResult(q, texts.get(q.pk, []), counts.get(q.pk, 0)) for q in questions]


def cohort_surveys(user, cohort):
    """The surveys of ``cohort`` that ``user`` may read, each with ``stats`` (overall, hidden
    below ``MIN_GROUP``), in one query (the cohort page's budget)."""
    surveys = list(
        surveys_for(user)
        .filter(cohort=cohort)
        .select_related("session")
        .annotate(**_stat_aggregates(answer="responses__answers", response="responses"))
        .order_by("-opens_on", "-pk")
    )
    for survey in surveys:
        survey.stats = _stats(vars(survey))
    return surveys


@dataclass
class ProgrammeResults:
    overall: Stats
    sections: list  # (label, Stats)
    cohorts: list  # (cohort, Stats)
    facilitators: list  # (name, Stats)


def programme_results(user, programme):
    """A programme's results over the surveys ``user`` may read, in seven queries: overall, per
    section, per cohort and per facilitator (a trainer or outside facilitator counted across
    cohorts), each hidden below ``MIN_GROUP`` responses."""
    surveys = surveys_for(user).filter(cohort__programme__translation_key=programme.translation_key)
    answers = SurveyAnswer.objects.filter(response__survey__in=surveys.values("pk"))
    by_cohort = likert_stats(answers, "response__survey__cohort_id")
    cohorts = visible_to(user, Cohort.objects.all()).filter(pk__in=[key[0] for key in by_cohort])
    rated = answers.filter(facilitator__isnull=False)
    by_user = likert_stats(rated.filter(facilitator__user__isnull=False), "facilitator__user_id")
    by_outside = likert_stats(
        rated.filter(facilitator__user__isnull=True), "facilitator__outside_facilitator_id"
    )
    names = {}
    for user_id, outside_id, name in SurveyFacilitator.objects.filter(
        survey__in=surveys.values("pk")
    ).values_list("user_id", "outside_facilitator_id", "name"):
        names.setdefault(("user", user_id) if user_id else ("outside", outside_id), name)
    facilitators = [(names[("user", key[0])], stats) for key, stats in by_user.items()] + [
        (names[("outside", key[0])], stats) for key, stats in by_outside.items() if key[0]
    ]
    return ProgrammeResults(
        overall=likert_stats(answers)[()],
        sections=_sections(likert_stats(answers, "question__section")),
        cohorts=sorted(
            ((cohort, by_cohort[(cohort.pk,)]) for cohort in cohorts),
            key=lambda pair: pair[0].code,
        ),
        facilitators=sorted(facilitators, key=lambda pair: pair[0]),
    )
