"""Writes of the satisfaction surveys: opening a survey for a cohort, recording an answer.

``survey_answer_record`` is the only way answers enter the database: one transaction writes the
anonymous response (random key, no date, no person) and, for an online answer, the separate
record that this enrolment has answered."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.models import (
    Question,
    Survey,
    SurveyAnswer,
    SurveyFacilitator,
    SurveyParticipation,
    SurveyResponse,
)

TEXT_MAX_LENGTH = 2000


def _same_person(user, outside):
    full_name = f"{user.first_name} {user.last_name}".strip().casefold()
    return bool(full_name) and full_name == outside.name.strip().casefold()


def cohort_facilitators(cohort):
    """The people a survey of ``cohort`` rates: its trainers with accounts, then its outside
    facilitators; an outside facilitator with the same name as a trainer is the same person.
    A list of ``(user or None, outside facilitator or None, name)``."""
    users = list(cohort.facilitators.order_by("last_name", "first_name", "pk"))
    outside_people = list(cohort.outside_facilitators.order_by("name", "pk"))
    rated = []
    for user in users:
        twin = next((o for o in outside_people if _same_person(user, o)), None)
        if twin is not None:
            outside_people.remove(twin)
        rated.append((user, twin, user.get_full_name() or user.email))
    rated += [(None, outside, outside.name) for outside in outside_people]
    return rated


@transaction.atomic
def survey_open(*, cohort, questionnaire, opens_on, closes_on, occasion, session=None, by=None):
    """Open ``questionnaire`` for ``cohort`` between two dates (both included); the cohort's
    facilitators at this moment are the ones the survey rates."""
    if closes_on < opens_on:
        raise ValidationError(_("The closing date must be on or after the opening date."))
    if session is not None and session.cohort_id != cohort.pk:
        raise ValidationError(_("This session belongs to another cohort."))
    if not questionnaire.questions.exists():
        raise ValidationError(_("This questionnaire has no question yet."))
    survey = Survey.objects.create(
        cohort=cohort,
        questionnaire=questionnaire,
        opens_on=opens_on,
        closes_on=closes_on,
        occasion=occasion,
        session=session,
        opened_by=by,
    )
    SurveyFacilitator.objects.bulk_create(
        SurveyFacilitator(survey=survey, user=user, outside_facilitator=outside, name=name, order=i)
        for i, (user, outside, name) in enumerate(cohort_facilitators(cohort))
    )
    return survey


def survey_expected_answers(survey):
    """What one response must hold: a list of ``(question, facilitator or None)`` in the
    questionnaire's order, the facilitation items asked once per rated facilitator, grouped by
    facilitator (all of one person's items, then the next person's)."""
    facilitators = list(survey.facilitators.all())
    questions = list(survey.questionnaire.questions.order_by("sort_order", "pk"))
    facilitation = [question for question in questions if question.per_facilitator]
    expected = []
    for question in questions:
        if not question.per_facilitator:
            expected.append((question, None))
        elif question is facilitation[0]:
            expected += [(item, person) for person in facilitators for item in facilitation]
    return expected


def _answer_rows(survey, answers):
    """Check ``answers`` (``{(question_id, facilitator_id or None): value or text}``) against the
    questionnaire and build the rows (unsaved, without their response)."""
    rows = []
    for question, facilitator in survey_expected_answers(survey):
        key = (question.pk, facilitator.pk if facilitator else None)
        given = answers.get(key)
        if question.kind == Question.Kind.TEXT:
            text = (given or "").strip()[:TEXT_MAX_LENGTH]
            if text:
                rows.append(SurveyAnswer(question=question, text=text))
            continue
        if given not in (1, 2, 3, 4, 5):
            raise ValidationError(_("Every rating must be a number from 1 to 5."))
        rows.append(SurveyAnswer(question=question, facilitator=facilitator, value=given))
    return rows


def survey_answer_record(*, survey, answers, enrolment=None, today=None):
    """Record one filled questionnaire.

    Online (``enrolment`` given): the enrolment must be active in the survey's cohort, the
    survey open on ``today``, and the enrolment must not have answered yet; the response and
    the "has answered" record are written together or not at all. On paper (no enrolment, typed
    by a trainer): never more responses than people enrolled. The response itself never names
    anyone."""
    rows = _answer_rows(survey, answers)
    if enrolment is not None:
        if enrolment.cohort_id != survey.cohort_id or enrolment.withdrawn_on is not None:
            raise ValidationError(_("You are not enrolled in this cohort."))
        if today is None or not survey.is_open_on(today):
            raise ValidationError(_("This survey is closed."))
    try:
        with transaction.atomic():
            if enrolment is not None:
                SurveyParticipation.objects.create(survey=survey, enrolment=enrolment)
            else:
                # Lock the survey so two paper entries cannot both pass the ceiling.
                Survey.objects.select_for_update().filter(pk=survey.pk).first()
                enrolled = survey.cohort.enrolments.filter(withdrawn_on__isnull=True).count()
                if survey.responses.count() >= enrolled:
                    raise ValidationError(
                        _(
                            "This survey already has as many responses as the cohort has "
                            "participants (%(count)s)."
                        )
                        % {"count": enrolled}
                    )
            response = SurveyResponse.objects.create(survey=survey)
            for row in rows:
                row.response = response
            SurveyAnswer.objects.bulk_create(rows)
    except IntegrityError as error:
        raise ValidationError(_("You have already answered this survey. Thank you!")) from error
    return response
