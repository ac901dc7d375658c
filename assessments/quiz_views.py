"""Pages of the knowledge tests. Participants take their own tests and see only their own score;
trainers and coordinators in scope of a cohort print the paper test, type paper results and read
the cohort's results. Out of scope looks the same as absent (404)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import quiz_services, quiz_sheets
from assessments.models import Attempt, Quiz
from assessments.quiz_paper import paper_test_pdf
from assessments.quiz_selectors import (
    cohort_results,
    localise,
    participant_tests,
    programme_quizzes,
    quiz_in_programme,
)
from assessments.trained import cohort_trained_rows, not_trained_reasons, with_trained
from associations.models import Enrolment
from associations.scope import get_visible_or_404, is_staff_role
from associations.selectors import cohort_detail_queryset, cohort_enrolments


def _own_enrolment_or_404(user, pk):
    return get_visible_or_404(
        user,
        Enrolment.objects.filter(person__user=user, withdrawn_on__isnull=True).select_related(
            "cohort__programme"
        ),
        pk=pk,
    )


def _own_attempt_or_404(user, pk):
    attempt = (
        Attempt.objects.filter(pk=pk, enrolment__person__user=user, source=Attempt.Source.ONLINE)
        .select_related("quiz", "quiz__module", "enrolment__cohort")
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def _questions(quiz, attempt):
    """The questions of ``quiz`` in the page's language, in the attempt's order, each with the
    participant's saved choices and its choices as (id, letter, text)."""
    shown = quiz.in_language((get_language() or "fr")[:2])
    blocks = {block.id: block for block in shown.questions}
    source_ids = [block.id for block in quiz.questions]
    order = [qid for qid in attempt.order if qid in blocks] or source_ids
    order += [qid for qid in source_ids if qid not in order and qid in blocks]
    saved = dict(attempt.answers.values_list("question_id", "chosen")) if attempt.pk else {}
    questions = []
    for number, qid in enumerate(order, start=1):
        block = blocks[qid]
        if block.block_type == "true_false":
            choices = [("true", "", _("True")), ("false", "", _("False"))]
        else:
            choices = [
                (choice.id, chr(ord("A") + i), choice.value["text"])
                for i, choice in enumerate(block.value["choices"].bound_blocks)
            ]
        questions.append(
            {
                "id": qid,
                "number": number,
                "kind": block.block_type,
                "text": block.value["text"],
                "choices": choices,
                "chosen": saved.get(qid, []),
            }
        )
    return shown, questions


@login_required
def my_tests(request):
    """A participant's tests: what is open, what is done, their own score."""
    return render(
        request,
        "assessments/quizzes/my_tests.html",
        {"groups": participant_tests(request.user)},
    )


@login_required
def quiz_start(request, enrolment_pk, quiz_pk):
    """The test's first page; starting (a POST) opens an attempt, or reopens the open one."""
    enrolment = _own_enrolment_or_404(request.user, enrolment_pk)
    quiz = Quiz.objects.filter(pk=quiz_pk).select_related("module").first()
    if quiz is None or not quiz_in_programme(quiz, enrolment.cohort.programme):
        raise Http404
    quiz = localise([quiz.source()])[0]
    if request.method == "POST":
        try:
            attempt = quiz_services.attempt_start(quiz=quiz, enrolment=enrolment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("quizzes:my_tests")
        url = reverse("quizzes:attempt", args=[attempt.pk])
        if request.POST.get("mode") == "one":
            url += "?mode=one"
        return redirect(url)
    attempts = list(Attempt.objects.filter(quiz=quiz, enrolment=enrolment).order_by("number"))
    return render(
        request,
        "assessments/quizzes/start.html",
        {
            "quiz": quiz,
            "shown": quiz.in_language((get_language() or "fr")[:2]),
            "enrolment": enrolment,
            "attempts": attempts,
            "closed": quiz_services.quiz_is_closed(quiz),
            "can_start": any(a.is_open for a in attempts)
            or sum(1 for a in attempts if a.source == Attempt.Source.ONLINE)
            < quiz.attempts_allowed,
        },
    )


@login_required
def attempt_page(request, pk):
    """The questions of an open attempt (all at once, or one per screen with ``?mode=one``),
    or the participant's own score once submitted."""
    attempt = _own_attempt_or_404(request.user, pk)
    quiz = attempt.quiz
    if attempt.is_open and quiz_services.attempts_close_due(quiz=quiz):
        attempt.refresh_from_db()
    shown, questions = _questions(quiz, attempt)
    return render(
        request,
        "assessments/quizzes/attempt.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "shown": shown,
            "questions": questions,
            "mode": "one" if request.GET.get("mode") == "one" else "all",
            "answered": sum(1 for q in questions if q["chosen"]),
        },
    )


@login_required
@require_POST
def answer_post(request, pk):
    """Save one answer (htmx: answers a status line; without JavaScript: back to the page)."""
    attempt = _own_attempt_or_404(request.user, pk)
    question_id = request.POST.get("question", "")
    try:
        quiz_services.answer_save(
            attempt=attempt, question_id=question_id, chosen=request.POST.getlist("chosen")
        )
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(" ".join(error.messages), status=422)
        messages.error(request, " ".join(error.messages))
    else:
        if request.htmx:
            return HttpResponse("✓ " + _("Saved"))
    return redirect(reverse("quizzes:attempt", args=[attempt.pk]) + f"#q-{question_id}")


@login_required
@require_POST
def attempt_finish(request, pk):
    attempt = _own_attempt_or_404(request.user, pk)
    quiz_services.attempt_submit(attempt=attempt)
    messages.success(request, _("Your answers are submitted."))
    return redirect("quizzes:attempt", pk=attempt.pk)


# Trainers and coordinators -----------------------------------------------------------------


def _cohort_or_404(user, pk):
    """A cohort the user runs or coordinates (trainers, coordinators, administrators only)."""
    if not is_staff_role(user):
        raise Http404
    return get_visible_or_404(user, cohort_detail_queryset(user), pk=pk)


def _cohort_quiz_or_404(user, cohort_pk, quiz_pk):
    cohort = _cohort_or_404(user, cohort_pk)
    quiz = programme_quizzes(cohort.programme).filter(pk=quiz_pk).first()
    if quiz is None:
        raise Http404
    return cohort, quiz


def _active_enrolments(user, cohort):
    return [e for e in cohort_enrolments(user, cohort) if e.withdrawn_on is None]


@login_required
def cohort_results_page(request, cohort_pk):
    """Per module: each person's pre-test, post-test and gain; who is trained and why not."""
    cohort = _cohort_or_404(request.user, cohort_pk)
    for quiz in programme_quizzes(cohort.programme):
        quiz_services.attempts_close_due(quiz=quiz)
    enrolments = list(
        with_trained(cohort_enrolments(request.user, cohort)).select_related("cohort")
    )
    for enrolment in enrolments:
        enrolment.reasons = not_trained_reasons(enrolment)
    return render(
        request,
        "assessments/quizzes/cohort_results.html",
        {
            "cohort": cohort,
            "results": cohort_results(cohort, enrolments),
            "enrolments": enrolments,
        },
    )


@login_required
def paper_grid(request, cohort_pk, quiz_pk):
    """Type the results of a paper test: per person, the letters ticked for each question, or
    a total score. The whole grid is checked before anything is saved."""
    cohort, quiz = _cohort_quiz_or_404(request.user, cohort_pk, quiz_pk)
    enrolments = _active_enrolments(request.user, cohort)
    _shown, questions = _questions(quiz, Attempt(order=[]))
    paper = {
        a.enrolment_id: a
        for a in Attempt.objects.filter(
            quiz=quiz, enrolment__in=enrolments, source=Attempt.Source.PAPER
        ).prefetch_related("answers")
    }
    errors = {}
    rows = []
    for enrolment in enrolments:
        attempt = paper.get(enrolment.pk)
        saved = {a.question_id: a.chosen for a in attempt.answers.all()} if attempt else {}
        cells = []
        for question in questions:
            name = f"c-{enrolment.pk}-{question['id']}"
            if request.method == "POST":
                value = request.POST.get(name, "")
            else:
                value = _letters(question, saved.get(question["id"], []))
            cells.append({"name": name, "value": value, "question": question})
        score_name = f"s-{enrolment.pk}"
        score_value = (
            request.POST.get(score_name, "")
            if request.method == "POST"
            else ("" if attempt is None or saved else f"{attempt.score.normalize():f}")
        )
        rows.append(
            {
                "enrolment": enrolment,
                "cells": cells,
                "score_name": score_name,
                "score_value": score_value,
                "attempt": attempt,
            }
        )
    if request.method == "POST":
        parsed = {}
        for row in rows:
            answers = {}
            for cell in row["cells"]:
                try:
                    answers[cell["question"]["id"]] = quiz_services.parse_paper_cell(
                        quiz, cell["question"]["id"], cell["value"]
                    )
                except ValidationError as error:
                    errors[cell["name"]] = " ".join(error.messages)
            score = None
            if row["score_value"].strip() and not any(answers.values()):
                try:
                    score = float(row["score_value"].replace(",", ".").replace("%", ""))
                    if not 0 <= score <= 100:
                        raise ValueError
                except ValueError:
                    errors[row["score_name"]] = _("A score is a percentage between 0 and 100.")
            parsed[row["enrolment"].pk] = (row["enrolment"], answers, score)
        if not errors:
            for enrolment, answers, score in parsed.values():
                quiz_services.paper_result_record(
                    quiz=quiz, enrolment=enrolment, by=request.user, answers=answers, score=score
                )
            messages.success(request, _("The paper results are saved."))
            return redirect("quizzes:cohort_results", cohort_pk=cohort.pk)
        messages.error(
            request, _("Nothing was saved: correct the cells framed in red, then save again.")
        )
    for row in rows:
        for cell in row["cells"]:
            cell["error"] = errors.get(cell["name"])
        row["score_error"] = errors.get(row["score_name"])
    return render(
        request,
        "assessments/quizzes/paper_grid.html",
        {"cohort": cohort, "quiz": quiz, "questions": questions, "rows": rows},
        status=422 if errors else 200,
    )


def _letters(question, chosen):
    if question["kind"] == "true_false":
        return {"true": "V", "false": "F"}.get(chosen[0], "") if chosen else ""
    return "".join(letter for cid, letter, _text in question["choices"] if cid in chosen)


@login_required
def paper_pdf(request, cohort_pk, quiz_pk):
    """The printable test and the cohort's answer grid, in the page's language."""
    cohort, quiz = _cohort_quiz_or_404(request.user, cohort_pk, quiz_pk)
    shown, questions = _questions(quiz, Attempt(order=[]))
    pdf = paper_test_pdf(
        cohort=cohort,
        quiz=shown,
        questions=questions,
        enrolments=_active_enrolments(request.user, cohort),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="test-{cohort.code}-{quiz.module.number}-{quiz.kind}.pdf"'
    )
    return response


@login_required
def paper_sheet(request, cohort_pk, quiz_pk):
    """The paper grid as a spreadsheet (``?format=xlsx|csv|ods&lang=fr|ar``), pre-filled with
    the cohort's people, their codes and the results recorded so far, to fill and import."""
    from associations.sheets import FORMATS

    cohort, quiz = _cohort_quiz_or_404(request.user, cohort_pk, quiz_pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        fmt = "xlsx"
    data, name = quiz_sheets.quiz_results_sheet(
        user=request.user, cohort=cohort, quiz=quiz, fmt=fmt, language=request.GET.get("lang", "fr")
    )
    types = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "csv": "text/csv; charset=utf-8",
    }
    response = HttpResponse(data, content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


IMPORT_CARRY_BYTES = 512 * 1024  # a grid this small rides along the confirm form


@login_required
@require_POST
def paper_import(request, cohort_pk, quiz_pk):
    """Import the filled grid: a first POST previews (writes nothing) and shows each row as new,
    updated, unchanged or in error (row, column, message); confirming imports it, all or
    nothing. The file rides along the confirm form (small grids) or is chosen again."""
    from associations.sheets.pipeline import import_sheet

    cohort, quiz = _cohort_quiz_or_404(request.user, cohort_pk, quiz_pk)
    upload = request.FILES.get("file")
    if upload is not None:
        data, filename = upload.read(), upload.name
    else:
        try:
            data = base64.b64decode(request.POST.get("data", ""), validate=True)
        except ValueError:
            data = b""
        filename = request.POST.get("filename", "")[:200]
    back = reverse("quizzes:paper_grid", args=[cohort.pk, quiz.pk])
    if not data:
        messages.error(request, _("Choose the filled grid to import."))
        return redirect(back)
    confirm = request.POST.get("confirm") == "1"
    report = import_sheet(
        quiz_sheets.KIND,
        data,
        filename or "grille.xlsx",
        user=request.user,
        dry_run=not confirm,
        context={"quiz": quiz, "cohort": cohort},
    )
    if confirm and not report.refused and report.would_write:
        if report.written:
            messages.success(request, _("The paper results are imported."))
        else:
            messages.success(request, _("Nothing to change: the results were already recorded."))
        return redirect("quizzes:cohort_results", cohort_pk=cohort.pk)
    carry = len(data) <= IMPORT_CARRY_BYTES
    return render(
        request,
        "assessments/quizzes/paper_import.html",
        {
            "cohort": cohort,
            "quiz": quiz,
            "report": report,
            "counts": report.counts,
            "data": base64.b64encode(data).decode() if carry else "",
            "filename": filename,
        },
        status=422 if report.has_errors else 200,
    )


SECTION_NOT_TRAINED = 30


def cohort_section(request, cohort):
    """The cohort page's « Tests and trained » section (hook ``associations_cohort_sections``):
    per module, the pre/post means and gain, and how many are trained."""
    from django.template.loader import render_to_string

    if not is_staff_role(request.user):
        return None
    rows = cohort_trained_rows(cohort, cohort_enrolments(request.user, cohort, with_rates=False))
    trained = [row for row in rows if row.trained]
    not_trained = [row for row in rows if not row.trained and row.withdrawn_on is None]
    listed = not_trained[:SECTION_NOT_TRAINED]
    for row in listed:
        row.reasons = not_trained_reasons(row)
    return render_to_string(
        "assessments/quizzes/cohort_section.html",
        {
            "cohort": cohort,
            "results": cohort_results(cohort, [row.pk for row in rows], with_rows=False),
            "trained_count": len(trained),
            "not_trained": listed,
            "not_trained_more": max(0, len(not_trained) - SECTION_NOT_TRAINED),
            "persons_trained": len({row.person_id for row in trained}),
            "active_count": sum(1 for row in rows if row.withdrawn_on is None),
        },
        request=request,
    )
