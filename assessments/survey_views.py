"""Satisfaction survey pages: participants answer (one light screen), trainers type in paper
questionnaires, trainers and coordinators read the results of the cohorts in their scope.

A participant reaches only the form of a survey of their own cohort (404 otherwise) and never
any result; results pages are for the staff roles who see the cohort."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Survey
from assessments.survey_forms import SurveyAnswerForm, SurveyOpenForm
from assessments.survey_selectors import (
    MIN_GROUP,
    answering_enrolment,
    cohort_surveys,
    has_answered,
    programme_results,
    survey_results,
    surveys_for,
    surveys_to_answer,
)
from assessments.survey_services import survey_answer_record, survey_open
from associations.scope import get_visible_or_404, is_staff_role
from associations.selectors import cohorts_for


def _staff_or_404(user):
    if not is_staff_role(user):
        raise Http404


@login_required
def my_surveys(request):
    """The open surveys of the participant's cohorts, answered or not."""
    return render(
        request,
        "assessments/surveys/my_surveys.html",
        {"surveys": surveys_to_answer(request.user, timezone.localdate())},
    )


@login_required
def survey_answer(request, pk):
    """A participant fills in the survey of their cohort, once."""
    survey = get_object_or_404(Survey.objects.select_related("cohort", "questionnaire"), pk=pk)
    enrolment = answering_enrolment(request.user, survey)
    if enrolment is None:
        raise Http404
    context = {"survey": survey}
    if has_answered(enrolment, survey):
        return render(request, "assessments/surveys/answered.html", context)
    if not survey.is_open_on(timezone.localdate()):
        return render(request, "assessments/surveys/closed.html", context)
    form = SurveyAnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer_record(
                survey=survey,
                answers=form.answers(),
                enrolment=enrolment,
                today=timezone.localdate(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "assessments/surveys/answered.html", {**context, "new": True})
    return render(request, "assessments/surveys/answer.html", {**context, "form": form})


@login_required
def survey_paper(request, pk):
    """A trainer or coordinator types in one paper questionnaire after another (anonymous)."""
    _staff_or_404(request.user)
    survey = get_visible_or_404(request.user, surveys_for(request.user), pk=pk)
    form = SurveyAnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer_record(survey=survey, answers=form.answers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The paper questionnaire is saved. You can type in the next one.")
            )
            return redirect("surveys:paper", pk=survey.pk)
    return render(
        request,
        "assessments/surveys/answer.html",
        {
            "survey": survey,
            "form": form,
            "paper": True,
            "response_count": survey.responses.count(),
        },
    )


@login_required
def survey_results_page(request, pk):
    _staff_or_404(request.user)
    survey = get_visible_or_404(request.user, surveys_for(request.user), pk=pk)
    return render(
        request,
        "assessments/surveys/results.html",
        {"survey": survey, "results": survey_results(survey), "min_group": MIN_GROUP},
    )


@login_required
def survey_open_page(request, cohort_pk):
    """A trainer of the cohort or a coordinator of its territory opens a survey."""
    _staff_or_404(request.user)
    cohort = get_visible_or_404(request.user, cohorts_for(request.user), pk=cohort_pk)
    today = timezone.localdate()
    initial = {"opens_on": today, "closes_on": today + timezone.timedelta(days=7)}
    if cohort.end_date and cohort.end_date >= today:
        initial["opens_on"] = cohort.end_date
        initial["closes_on"] = cohort.end_date + timezone.timedelta(days=7)
    form = SurveyOpenForm(request.POST or None, cohort=cohort, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = survey_open(
                cohort=cohort,
                questionnaire=data["questionnaire"],
                occasion=data["occasion"],
                session=data["session"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The survey is open."))
            return redirect("surveys:results", pk=survey.pk)
    return render(request, "assessments/surveys/open.html", {"cohort": cohort, "form": form})


@login_required
def programme_results_page(request, pk):
    _staff_or_404(request.user)
    from courses.models import ProgrammePage

    programme = get_object_or_404(ProgrammePage, pk=pk)
    results = programme_results(request.user, programme)
    if not results.cohorts:
        raise Http404
    return render(
        request,
        "assessments/surveys/programme.html",
        {"programme": programme, "results": results, "min_group": MIN_GROUP},
    )


def cohort_section(request, cohort):
    """The surveys section of the cohort page (the viewer is staff in scope of the cohort)."""
    return render_to_string(
        "assessments/surveys/cohort_section.html",
        {
            "cohort": cohort,
            "surveys": cohort_surveys(request.user, cohort),
            "min_group": MIN_GROUP,
        },
        request=request,
    )
