"""Reads of the knowledge tests: a participant's own tests, a cohort's results and the knowledge
gain (post-test minus pre-test), per person, per module and per cohort.

A person's result at a quiz is their best submitted attempt (online or paper). People with only
one of the two tests are counted apart, never as a zero."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, Max, OuterRef, Q, Subquery, Value, When
from django.utils.translation import get_language

from assessments.models import Attempt, Quiz
from assessments.models.quizzes import source_language
from assessments.scoring import knowledge_gain
from associations.models import Enrolment
from courses.models import ModulePage

KIND_ORDER = Case(
    When(kind=Quiz.Kind.PRE, then=Value(0)),
    When(kind=Quiz.Kind.POST, then=Value(1)),
    default=Value(2),
)


def programme_quizzes(programme):
    """The source-language quizzes of ``programme``'s modules, in module order."""
    if programme is None:
        return Quiz.objects.none()
    return (
        Quiz.objects.filter(
            locale__language_code=source_language(),
            module__path__startswith=programme.path,
            module__depth=programme.depth + 1,
        )
        .select_related("module")
        .order_by("module__path", KIND_ORDER, "pk")
    )


def _language():
    return (get_language() or "fr")[:2]


def localise(quizzes):
    """Give each quiz ``shown_title`` and ``module_title`` in the page's language (the copies
    made by « Traduire »), French where no copy exists; two queries for any number."""
    quizzes = list(quizzes)
    if not quizzes:
        return quizzes
    language = _language()
    titles = dict(
        Quiz.objects.filter(
            translation_key__in=[q.translation_key for q in quizzes],
            locale__language_code=language,
        ).values_list("translation_key", "title")
    )
    modules = dict(
        ModulePage.objects.filter(
            translation_key__in=[q.module.translation_key for q in quizzes],
            locale__language_code=language,
        ).values_list("translation_key", "title")
    )
    for quiz in quizzes:
        quiz.shown_title = titles.get(quiz.translation_key, quiz.title)
        quiz.module.shown_title = modules.get(quiz.module.translation_key, quiz.module.title)
    return quizzes


def quiz_in_programme(quiz, programme):
    return programme is not None and quiz.module.path.startswith(programme.path)


def participant_tests(user):
    """The tests open to ``user``'s own enrolments (not withdrawn), each with their attempts
    used, their open attempt and their best score: ``[(enrolment, [quiz, ...]), ...]``. Nothing
    about anyone else."""
    if not user.is_authenticated:
        return []
    enrolments = list(
        Enrolment.objects.filter(person__user=user, withdrawn_on__isnull=True)
        .select_related("cohort", "cohort__programme")
        .order_by("-cohort__start_date")
    )
    result = []
    for enrolment in enrolments:
        mine = Attempt.objects.filter(quiz=OuterRef("pk"), enrolment=enrolment)
        quizzes = localise(
            programme_quizzes(enrolment.cohort.programme).annotate(
                used=Count("attempts", filter=Q(attempts__enrolment=enrolment)),
                best=Max(
                    "attempts__score",
                    filter=Q(attempts__enrolment=enrolment, attempts__submitted_at__isnull=False),
                ),
                open_attempt=Subquery(mine.filter(submitted_at__isnull=True).values("pk")[:1]),
            )
        )
        if quizzes:
            result.append((enrolment, quizzes))
    return result


def best_scores(enrolment_ids, quiz_ids):
    """``{(enrolment id, quiz id): best submitted score}`` in one query."""
    rows = (
        Attempt.objects.filter(
            enrolment_id__in=list(enrolment_ids),
            quiz_id__in=list(quiz_ids),
            submitted_at__isnull=False,
            score__isnull=False,
        )
        .values("enrolment_id", "quiz_id")
        .annotate(best=Max("score"))
    )
    return {(r["enrolment_id"], r["quiz_id"]): r["best"] for r in rows}


@dataclass
class GainSummary:
    """The knowledge gain of a group: mean pre, post and gain over the people who took both;
    those who took only one are counted apart."""

    both: int = 0
    only_pre: int = 0
    only_post: int = 0
    mean_pre: Decimal | None = None
    mean_post: Decimal | None = None
    mean_gain: Decimal | None = None
    gains: list = field(default_factory=list, repr=False)


def _mean(values):
    return (sum(values) / len(values)).quantize(Decimal("0.1")) if values else None


def gain_summary(pairs):
    """``pairs`` of (pre score or None, post score or None), one per person, summed up."""
    summary = GainSummary()
    pre_scores, post_scores = [], []
    for pre, post in pairs:
        if pre is not None and post is not None:
            summary.both += 1
            pre_scores.append(pre)
            post_scores.append(post)
            summary.gains.append(knowledge_gain(pre, post))
        elif pre is not None:
            summary.only_pre += 1
        elif post is not None:
            summary.only_post += 1
    summary.mean_pre = _mean(pre_scores)
    summary.mean_post = _mean(post_scores)
    summary.mean_gain = _mean(summary.gains)
    return summary


@dataclass
class ModuleResults:
    module: object
    pre: Quiz | None
    post: Quiz | None
    checks: list
    rows: list  # [{"enrolment", "pre", "post", "gain"}]
    summary: GainSummary


def cohort_results(cohort, enrolments, *, with_rows=True):
    """Per module of ``cohort``'s programme that has a test: its pre- and post-test and, for
    each of ``enrolments`` (already scoped by the caller), the best pre and post scores and the
    gain; two queries whatever the number of people. With ``with_rows=False``, ``enrolments``
    may be bare primary keys and only each module's summary is built (no per-person rows)."""
    quizzes = localise(programme_quizzes(cohort.programme))
    if not quizzes:
        return []
    enrolments = list(enrolments)
    ids = [getattr(e, "pk", e) for e in enrolments]
    scores = best_scores(ids, [q.pk for q in quizzes])
    by_module = {}
    for quiz in quizzes:
        by_module.setdefault(quiz.module_id, []).append(quiz)
    results = []
    for module_quizzes in by_module.values():
        pre = next((q for q in module_quizzes if q.kind == Quiz.Kind.PRE), None)
        post = next((q for q in module_quizzes if q.kind == Quiz.Kind.POST), None)
        pairs = [
            (
                scores.get((pk, pre.pk)) if pre else None,
                scores.get((pk, post.pk)) if post else None,
            )
            for pk in ids
        ]
        rows = []
        if with_rows:
            rows = [
                {
                    "enrolment": enrolment,
                    "pre": pre_score,
                    "post": post_score,
                    "gain": knowledge_gain(pre_score, post_score),
                    "passed": post_score is not None and post_score >= post.pass_mark,
                }
                for enrolment, (pre_score, post_score) in zip(enrolments, pairs, strict=True)
            ]
        results.append(
            ModuleResults(
                module=module_quizzes[0].module,
                pre=pre,
                post=post,
                checks=[q for q in module_quizzes if q.kind == Quiz.Kind.CHECK],
                rows=rows,
                summary=gain_summary(pairs),
            )
        )
    return results


def person_gains(enrolment):
    """One enrolment's pre, post and gain per module of its cohort's programme."""
    return [
        (result.module, result.rows[0]) for result in cohort_results(enrolment.cohort, [enrolment])
    ]
