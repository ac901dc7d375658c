"""The filled paper grid of a test, imported through the spreadsheet pipeline (kind
``quiz_results``, registered on the hook ``associations_sheet_kinds``), and the same grid
pre-filled for download.

One row per person of the cohort (the code printed on the grid, or the name), then either the
letters ticked for each question (Q1..Qn: A, AC, V/F) or a total score in percent: exactly what
the typed grid accepts, written through ``paper_result_record`` so scoring is identical. An
empty row records nothing and removes nothing."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from import_export.results import Error, Result, RowResult

from assessments import quiz_services
from assessments.models import Attempt, Quiz
from assessments.quiz_selectors import programme_quizzes
from associations.models import Cohort
from associations.scope import is_staff_role, visible_to
from associations.selectors import cohort_enrolments
from associations.sheets.cleaning import as_text, blank, normalise_name
from associations.sheets.headers import Column
from associations.sheets.kinds import SheetKind
from associations.sign_in_sheet import enrolment_code, enrolment_pk_from_code

KIND = "quiz_results"


def _quiz(context):
    quiz = context.get("quiz")
    if quiz is None and context.get("quiz_id") is not None:
        quiz = Quiz.objects.filter(pk=context["quiz_id"]).select_related("module").first()
        context["quiz"] = quiz
    return quiz.source() if quiz is not None else None


def columns(context):
    """Code, last name, first name, one column per question of the quiz, the total score."""
    quiz = _quiz(context)
    count = len(list(quiz.questions)) if quiz is not None else 0
    return (
        Column("code", "Code", "الرمز", "Code", ("Code de la ligne", "Réf", "Référence")),
        Column("last_name", "Nom", "الاسم العائلي", "Last name", ("Nom de famille", "Surname")),
        Column("first_name", "Prénom", "الاسم الشخصي", "First name", ("Prénoms",)),
        *(
            Column(f"q{n}", f"Q{n}", f"س{n}", f"Q{n}", (f"Question {n}",))
            for n in range(1, count + 1)
        ),
        Column(
            "score",
            "Score (%)",
            "النتيجة (%)",
            "Score (%)",
            ("Score", "Note", "Note (%)", "Total", "Résultat", "النتيجة", "%"),
        ),
    )


def refusal(user, context):
    """Only trainers of the cohort, coordinators of its territory and administrators import."""
    cohort, quiz = context.get("cohort"), _quiz(context)
    if cohort is None or quiz is None:
        return _("Choose the test and the cohort whose paper grid this is.")
    if (
        not is_staff_role(user)
        or not visible_to(user, Cohort.objects.filter(pk=cohort.pk)).exists()
    ):
        return _("You may not record test results for this cohort.")
    if not programme_quizzes(cohort.programme).filter(pk=quiz.pk).exists():
        return _("This test is not part of the cohort's programme.")
    return ""


def _letters(block, chosen):
    if not chosen:
        return ""
    if block.block_type == "true_false":
        return {"true": "V", "false": "F"}.get(chosen[0], "")
    ids = [choice.id for choice in block.value["choices"].bound_blocks]
    return "".join(chr(ord("A") + i) for i, cid in enumerate(ids) if cid in chosen)


def _active_enrolments(user, cohort):
    return [e for e in cohort_enrolments(user, cohort) if e.withdrawn_on is None]


def _stored(quiz, enrolments):
    """{enrolment id: ({question id: sorted chosen}, score)} of the paper results."""
    attempts = Attempt.objects.filter(
        quiz=quiz, enrolment__in=enrolments, source=Attempt.Source.PAPER
    ).prefetch_related("answers")
    return {
        a.enrolment_id: ({x.question_id: sorted(x.chosen) for x in a.answers.all()}, a.score)
        for a in attempts
    }


class QuizResultsResource:
    """Reads every row, then writes the valid ones through ``paper_result_record`` (never in a
    dry run; never at all in mode "all" when one row is wrong). Answers the pipeline with an
    import-export ``Result`` like the built-in resources."""

    def __init__(self, *, user, context=None, progress=None, total=0):
        self.user, self.context = user, context or {}
        self.progress, self.total = progress, total

    def _row_number(self, number):
        return self.context.get("row_numbers", {}).get(number, number)

    def import_data(self, dataset, *, dry_run, rollback_on_validation_errors, **kwargs):
        quiz, cohort = _quiz(self.context), self.context["cohort"]
        blocks = list(quiz.questions)
        headers = list(dataset.headers or ())
        question_columns = [(f"q{n}", b.id) for n, b in enumerate(blocks, 1) if f"q{n}" in headers]
        result = Result()
        result.diff_headers = headers
        if not question_columns and "score" not in headers:
            result.append_base_error(
                Error(_("the sheet has no question column (Q1…) and no score column."))
            )
            return result
        enrolments = _active_enrolments(self.user, cohort)
        by_pk = {e.pk: e for e in enrolments}
        by_name = {}
        for e in enrolments:
            by_name.setdefault(
                normalise_name(f"{e.person.last_name} {e.person.first_name}"), []
            ).append(e)
        stored = _stored(quiz, enrolments)
        seen, planned = {}, []
        for number, values in enumerate(dataset, start=1):
            row = dict(zip(headers, values, strict=False))
            errors = {}
            enrolment = None
            if not blank(row.get("code")):
                enrolment = by_pk.get(enrolment_pk_from_code(as_text(row["code"])) or 0)
                if enrolment is None:
                    errors["code"] = [
                        _(
                            "The code « %(code)s » names no one enrolled in this cohort: copy it "
                            "again from the printed grid, or clear it and give the name."
                        )
                        % {"code": as_text(row["code"])}
                    ]
            else:
                name = normalise_name(
                    f"{as_text(row.get('last_name') or '')} {as_text(row.get('first_name') or '')}"
                )
                found = by_name.get(name, [])
                if len(found) == 1:
                    enrolment = found[0]
                else:
                    errors["last_name"] = [
                        _("Two people of this cohort have this name: give the code of the row.")
                        if found
                        else _(
                            "This person is not enrolled in this cohort: check the name, or "
                            "enrol them first."
                        )
                    ]
            if enrolment is not None and enrolment.pk in seen:
                errors.setdefault("code" if "code" in headers else "last_name", []).append(
                    _("The same person appears on several rows (also row %(rows)s): keep one.")
                    % {"rows": self._row_number(seen[enrolment.pk])}
                )
            elif enrolment is not None:
                seen[enrolment.pk] = number
            answers = {}
            for column, question_id in question_columns:
                try:
                    answers[question_id] = quiz_services.parse_paper_cell(
                        quiz, question_id, as_text(row.get(column) or "")
                    )
                except ValidationError as error:
                    errors[column] = error.messages
            score = None
            has_answers = any(answers.values())
            if not has_answers and not blank(row.get("score")):
                text = as_text(row["score"]).replace(",", ".").replace("%", "").strip()
                try:
                    score = float(text)
                    if not 0 <= score <= 100:
                        raise ValueError
                except ValueError:
                    errors["score"] = [_("A score is a percentage between 0 and 100.")]
            row_result = RowResult()
            if errors:
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                result.append_invalid_row(number, row, ValidationError(errors))
            elif not has_answers and score is None:
                row_result.import_type = RowResult.IMPORT_TYPE_SKIP  # nothing typed
            else:
                wanted = (
                    ({q: sorted(c) for q, c in answers.items() if c}, None)
                    if has_answers
                    else ({}, Decimal(str(score)).quantize(Decimal("0.01")))
                )
                before = stored.get(enrolment.pk)
                if before is None:
                    row_result.import_type = RowResult.IMPORT_TYPE_NEW
                elif before[0] == wanted[0] and (has_answers or before[1] == wanted[1]):
                    row_result.import_type = RowResult.IMPORT_TYPE_SKIP
                else:
                    row_result.import_type = RowResult.IMPORT_TYPE_UPDATE
                if row_result.import_type != RowResult.IMPORT_TYPE_SKIP:
                    planned.append((enrolment, answers if has_answers else None, score))
            result.append_row_result(row_result)
            if self.progress and (number % 200 == 0 or number == self.total):
                self.progress(number, self.total)
        if dry_run or (result.invalid_rows and rollback_on_validation_errors):
            return result
        with transaction.atomic():
            for enrolment, answers, score in planned:
                quiz_services.paper_result_record(
                    quiz=quiz, enrolment=enrolment, by=self.user, answers=answers, score=score
                )
        return result


QUIZ_RESULTS_KIND = SheetKind(
    resource=QuizResultsResource,
    columns=columns,
    refusal=refusal,
    identifying=("code", "last_name"),
    file_stem="resultats-test",
)


def quiz_results_sheet(*, user, cohort, quiz, fmt, language="fr"):
    """The paper grid of ``quiz`` for ``cohort`` as a spreadsheet: a title row, the headers in
    ``language``, one row per active enrolment with its code, name and the result recorded so
    far (letters, or the score when only a score is recorded). ``(bytes, file name)``."""
    from associations.sheets import FORMATS
    from associations.sheets.templates import write_book

    if fmt not in FORMATS:
        raise ValueError(f"No grid as {fmt}")
    quiz = quiz.source()
    language = language if language in ("fr", "ar") else "fr"
    blocks = list(quiz.questions)
    enrolments = _active_enrolments(user, cohort)
    stored = _stored(quiz, enrolments)
    with translation.override(language):
        title = _("Test results: %(cohort)s, module %(module)s, %(kind)s") % {
            "cohort": cohort.code,
            "module": quiz.module.number,
            "kind": quiz.get_kind_display(),
        }
        rows = [[title], [column.header(language) for column in columns({"quiz": quiz})]]
        for enrolment in enrolments:
            answers, score = stored.get(enrolment.pk, ({}, None))
            rows.append(
                [
                    enrolment_code(enrolment.pk),
                    enrolment.person.last_name,
                    enrolment.person.first_name,
                    *(_letters(b, answers.get(b.id, [])) for b in blocks),
                    "" if answers or score is None else f"{score.normalize():f}",
                ]
            )
        data = write_book(fmt, [(cohort.code, rows)])
    name = f"resultats-{cohort.code}-m{quiz.module.number}-{quiz.kind}-{language}.{fmt}"
    return data, name
