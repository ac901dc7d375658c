"""Writes of the knowledge tests: starting an attempt, saving an answer, submitting, recording
a paper result. Views, the cohort grid and the demo call these and never write rows themselves."""

import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Answer, Attempt
from assessments.scoring import quiz_key, quiz_score


def quiz_is_closed(quiz, *, now=None):
    return quiz.closes_at is not None and (now or timezone.now()) >= quiz.closes_at


def _check_open(quiz, now=None):
    if quiz_is_closed(quiz, now=now):
        raise ValidationError(
            _("This test closed at %(time)s: answers are no longer accepted.")
            % {"time": timezone.localtime(quiz.closes_at).strftime("%d/%m/%Y %H:%M")}
        )


@transaction.atomic
def attempt_start(*, quiz, enrolment, now=None):
    """The participant's open attempt at ``quiz`` (made if none is open), or a
    ``ValidationError`` when the test is closed, the enrolment withdrawn or every allowed
    attempt used. ``quiz`` is the source (French) quiz."""
    quiz = quiz.source()
    if enrolment.withdrawn_on is not None:
        raise ValidationError(_("You have left this cohort: the test is no longer open to you."))
    # Lock the enrolment so two taps on "Start" make one attempt.
    type(enrolment).objects.select_for_update().filter(pk=enrolment.pk).first()
    attempts = Attempt.objects.filter(quiz=quiz, enrolment=enrolment)
    open_attempt = attempts.filter(submitted_at__isnull=True, source=Attempt.Source.ONLINE).first()
    if open_attempt is not None:
        return open_attempt
    _check_open(quiz, now)
    if attempts.filter(source=Attempt.Source.ONLINE).count() >= quiz.attempts_allowed:
        raise ValidationError(_("You have used every attempt allowed for this test."))
    order = [block.id for block in quiz.questions]
    if quiz.shuffle:
        random.shuffle(order)
    number = (attempts.aggregate(n=Max("number"))["n"] or 0) + 1
    return Attempt.objects.create(quiz=quiz, enrolment=enrolment, number=number, order=order)


def _clean_choices(quiz, question_id, chosen):
    """The chosen ids, checked against the question (unknown ids and a second choice on a
    single-choice question are refused)."""
    for block in quiz.questions:
        if block.id != question_id:
            continue
        if block.block_type == "true_false":
            valid = {"true", "false"}
        else:
            valid = {choice.id for choice in block.value["choices"].bound_blocks}
        chosen = sorted(set(chosen))
        if not set(chosen) <= valid:
            raise ValidationError(_("This answer does not belong to the question."))
        if block.block_type != "multiple_choice" and len(chosen) > 1:
            raise ValidationError(_("Choose one answer only."))
        return chosen
    raise ValidationError(_("This question is not part of the test."))


def answer_save(*, attempt, question_id, chosen, now=None):
    """Save (or replace) the answer to one question of an open attempt. Sending the same answer
    twice leaves one row with that answer: a retried request changes nothing."""
    quiz = attempt.quiz
    if not attempt.is_open:
        raise ValidationError(_("This attempt is already submitted."))
    _check_open(quiz, now)
    chosen = _clean_choices(quiz, question_id, chosen)
    answer, _created = Answer.objects.update_or_create(
        attempt=attempt, question_id=question_id, defaults={"chosen": chosen}
    )
    return answer


def _score(attempt):
    answers = dict(attempt.answers.values_list("question_id", "chosen"))
    return quiz_score(quiz_key(attempt.quiz.questions), answers)


def _set_score(attempt, score, now):
    attempt.score = score
    attempt.passed = None if score is None else score >= attempt.quiz.pass_mark
    attempt.submitted_at = attempt.submitted_at or now


@transaction.atomic
def attempt_submit(*, attempt, now=None):
    """Score ``attempt`` against the source quiz's correct choices and close it. Submitting an
    already submitted attempt changes nothing."""
    attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if not attempt.is_open:
        return attempt
    _set_score(attempt, _score(attempt), now or timezone.now())
    attempt.save(update_fields=["score", "passed", "submitted_at"])
    return attempt


def attempts_close_due(*, quiz, now=None):
    """Submit the open online attempts of a closed quiz with the answers they saved before the
    closing time. Returns how many were closed."""
    now = now or timezone.now()
    if not quiz_is_closed(quiz, now=now):
        return 0
    due = list(quiz.attempts.filter(submitted_at__isnull=True))
    for attempt in due:
        attempt_submit(attempt=attempt, now=quiz.closes_at)
    return len(due)


def parse_paper_cell(quiz, question_id, text):
    """Letters typed in a paper grid cell (``"A"``, ``"AC"``, ``"V"``/``"F"`` or ``"T"``/``"F"``)
    as the chosen ids of ``question_id``; empty: no answer. ``ValidationError`` on a letter the
    question does not have."""
    text = "".join(text.split()).upper().replace(",", "")
    if not text:
        return []
    for block in quiz.questions:
        if block.id != question_id:
            continue
        if block.block_type == "true_false":
            mapping = {"V": "true", "T": "true", "F": "false", "ص": "true", "خ": "false"}
            if text not in mapping:
                raise ValidationError(_("Type V (true) or F (false)."))
            return [mapping[text]]
        choices = list(block.value["choices"].bound_blocks)
        chosen = []
        for letter in text:
            index = ord(letter) - ord("A")
            if not 0 <= index < len(choices):
                raise ValidationError(
                    _("“%(letter)s” is not a choice of this question (A to %(last)s).")
                    % {"letter": letter, "last": chr(ord("A") + len(choices) - 1)}
                )
            chosen.append(choices[index].id)
        return _clean_choices(quiz, question_id, chosen)
    raise ValidationError(_("This question is not part of the test."))


@transaction.atomic
def paper_result_record(*, quiz, enrolment, by, answers=None, score=None, now=None):
    """Record (or replace) ``enrolment``'s paper result for ``quiz``: either ``answers``
    (``{question id: chosen ids}``, scored like an online attempt) or a total ``score`` in
    percent. Typing the same result again changes nothing; an empty result removes it."""
    quiz = quiz.source()
    if enrolment.cohort.programme_id is None or not quiz.module.path.startswith(
        enrolment.cohort.programme.path
    ):
        raise ValidationError(_("This test is not part of the cohort's programme."))
    attempt = Attempt.objects.filter(
        quiz=quiz, enrolment=enrolment, source=Attempt.Source.PAPER
    ).first()
    has_answers = answers and any(answers.values())
    if not has_answers and score is None:
        if attempt is not None:
            attempt.delete()
        return None
    if score is not None and not 0 <= score <= 100:
        raise ValidationError(_("A score is a percentage between 0 and 100."))
    if attempt is None:
        number = (
            Attempt.objects.filter(quiz=quiz, enrolment=enrolment).aggregate(n=Max("number"))["n"]
            or 0
        ) + 1
        attempt = Attempt(
            quiz=quiz, enrolment=enrolment, number=number, source=Attempt.Source.PAPER
        )
    attempt.recorded_by = by
    attempt.submitted_at = attempt.submitted_at or now or timezone.now()
    attempt.save()
    if has_answers:
        kept = []
        for question_id, chosen in answers.items():
            if chosen:
                Answer.objects.update_or_create(
                    attempt=attempt, question_id=question_id, defaults={"chosen": list(chosen)}
                )
                kept.append(question_id)
        attempt.answers.exclude(question_id__in=kept).delete()
        score = _score(attempt)
    else:
        attempt.answers.all().delete()
    _set_score(attempt, score, attempt.submitted_at)
    attempt.save(update_fields=["score", "passed", "submitted_at", "recorded_by"])
    return attempt
