"""The paper grid of a test imported through the spreadsheet pipeline (kind quiz_results): the
pipeline's guarantees (preview, row errors, all-or-nothing, idempotent), scope, the pre-filled
download, the page's preview and confirm, and the command."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from assessments.models import Attempt
from assessments.quiz_services import paper_result_record
from assessments.quiz_sheets import KIND, quiz_results_sheet
from associations.sheets import KINDS, all_kinds
from associations.sheets.pipeline import import_sheet
from associations.sign_in_sheet import enrolment_code
from tests.assessments.quiz_world import build_programme, build_quiz, cohort_of
from tests.factories import EnrolmentFactory, PersonFactory, coordinator_of, trainer

pytestmark = pytest.mark.django_db

HEADERS = ["Code", "Nom", "Prénom", "Q1", "Q2", "Q3", "Q4", "Score (%)"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def setup(world):
    programme, modules = build_programme()
    cohort = cohort_of(programme, territory=world["mono"])
    quiz = build_quiz(modules[0], kind="post", pass_mark=75)
    people = [
        EnrolmentFactory(
            cohort=cohort,
            person=PersonFactory(organisation=world["org_mono"], last_name=f"Nom{i}"),
        )
        for i in range(3)
    ]
    facilitator = trainer(email="formateur@example.org")
    cohort.facilitators.add(facilitator)
    return {"cohort": cohort, "quiz": quiz, "enrolments": people, "trainer": facilitator}


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def grid(setup, *cells):
    """Rows: (enrolment, [q1..q4], score)."""
    rows = [HEADERS]
    for enrolment, letters, score in cells:
        rows.append([enrolment_code(enrolment.pk), "", "", *letters, score])
    return xlsx(rows)


def run(setup, data, user=None, **kwargs):
    return import_sheet(
        KIND,
        data,
        "grille.xlsx",
        user=user or setup["trainer"],
        context={"quiz": setup["quiz"], "cohort": setup["cohort"]},
        **kwargs,
    )


def scores(setup):
    return dict(
        Attempt.objects.filter(quiz=setup["quiz"], source="paper").values_list(
            "enrolment_id", "score"
        )
    )


def test_the_kind_is_registered_without_changing_the_built_in_ones():
    assert KINDS == ("organisations", "people", "enrolments", "attendance")
    assert all_kinds()[:4] == KINDS and KIND in all_kinds()


def test_letters_and_total_score_preview_then_write_like_the_typed_grid(setup):
    a, b, c = setup["enrolments"]
    data = grid(
        setup,
        (a, ["B", "AB", "V", "F"], ""),
        (b, ["A", "ab", "v", "v"], ""),
        (c, ["", "", "", ""], "55,5 %"),
    )
    preview = run(setup, data)
    assert preview.counts == {"new": 3, "updated": 0, "unchanged": 0, "error": 0}
    assert not preview.written and scores(setup) == {}
    done = run(setup, data, dry_run=False)
    assert done.written
    assert scores(setup) == {
        a.pk: Decimal("100.00"),
        b.pk: Decimal("50.00"),
        c.pk: Decimal("55.50"),
    }
    # The same answers typed in the grid score the same (same service).
    attempt = Attempt.objects.get(enrolment=a, source="paper")
    assert attempt.passed is True and attempt.recorded_by == setup["trainer"]
    # Re-importing the same file changes nothing.
    again = run(setup, data, dry_run=False)
    assert again.counts["unchanged"] == 3 and again.nothing_to_change and not again.written
    # One changed cell: one updated row.
    changed = grid(
        setup,
        (a, ["B", "AB", "V", "F"], ""),
        (b, ["B", "AB", "V", "V"], ""),
        (c, ["", "", "", ""], "55.5"),
    )
    report = run(setup, changed, dry_run=False)
    assert report.counts == {"new": 0, "updated": 1, "unchanged": 2, "error": 0}
    assert scores(setup)[b.pk] == Decimal("75.00")


def test_one_bad_row_writes_nothing_and_names_row_and_column(setup):
    a, b, _c = setup["enrolments"]
    data = grid(setup, (a, ["B", "AB", "V", "F"], ""), (b, ["D", "AB", "V", "F"], ""))
    report = run(setup, data, dry_run=False)
    assert not report.written and not report.would_write and scores(setup) == {}
    [row] = report.error_rows
    assert row.number == 3 and row.errors[0].column == "Q1"
    assert "A to C" in row.errors[0].message
    bad_score = run(setup, grid(setup, (a, ["", "", "", ""], "120")), dry_run=False)
    assert bad_score.error_rows[0].errors[0].column == "Score (%)"
    assert scores(setup) == {}
    # Mode "valid" writes the right row only.
    valid = run(setup, data, dry_run=False, mode="valid")
    assert valid.written and list(scores(setup)) == [a.pk]


def test_people_not_enrolled_are_error_rows(setup, world):
    a = setup["enrolments"][0]
    elsewhere = EnrolmentFactory(cohort=cohort_of(setup["cohort"].programme))
    rows = [
        HEADERS,
        [enrolment_code(a.pk), "", "", "B", "AB", "V", "F", ""],
        [enrolment_code(elsewhere.pk), "", "", "B", "AB", "V", "F", ""],
        ["", "Inconnu", "Personne", "B", "AB", "V", "F", ""],
        ["", a.person.last_name, a.person.first_name, "B", "", "", "", ""],
    ]
    report = run(setup, xlsx(rows), dry_run=False)
    errors = {row.number: row.errors[0] for row in report.error_rows}
    assert errors[3].column == "Code" and "names no one enrolled" in errors[3].message
    assert errors[4].column == "Nom" and "not enrolled" in errors[4].message
    assert errors[5].column == "Code" and "several rows" in errors[5].message
    assert not report.written and scores(setup) == {}


def test_scope_refuses_trainers_not_facilitating_and_coordinators_elsewhere(setup, world):
    data = grid(setup, (setup["enrolments"][0], ["B", "AB", "V", "F"], ""))
    for user in (trainer(), coordinator_of(world["couffo"])):
        report = run(setup, data, user=user, dry_run=False)
        assert report.refused and "may not record" in report.refused
    assert scores(setup) == {}
    assert run(setup, data, user=coordinator_of(world["mono"]), dry_run=False).written


def test_the_prefilled_grid_imports_back_unchanged(setup):
    a, b, _c = setup["enrolments"]
    by = setup["trainer"]
    paper_result_record(
        quiz=setup["quiz"],
        enrolment=a,
        by=by,
        answers={
            block.id: ["true"] if block.block_type == "true_false" else []
            for block in setup["quiz"].questions
        },
    )
    paper_result_record(quiz=setup["quiz"], enrolment=b, by=by, score=40)
    for fmt, language in (("xlsx", "fr"), ("csv", "fr"), ("ods", "fr"), ("xlsx", "ar")):
        data, name = quiz_results_sheet(
            user=by, cohort=setup["cohort"], quiz=setup["quiz"], fmt=fmt, language=language
        )
        assert name.endswith(f"-{language}.{fmt}")
        report = import_sheet(
            KIND,
            data,
            name,
            user=by,
            context={"quiz": setup["quiz"], "cohort": setup["cohort"]},
        )
        assert not report.refused, report.refused
        assert report.counts == {"new": 0, "updated": 0, "unchanged": 3, "error": 0}
    arabic, _name = quiz_results_sheet(
        user=by, cohort=setup["cohort"], quiz=setup["quiz"], fmt="xlsx", language="ar"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(arabic)).active
    assert [c.value for c in sheet[2]][:4] == ["الرمز", "الاسم العائلي", "الاسم الشخصي", "س1"]


def test_the_page_previews_then_confirms(client, setup, world):
    a = setup["enrolments"][0]
    cohort, quiz = setup["cohort"], setup["quiz"]
    grid_url = reverse("quizzes:paper_grid", args=[cohort.pk, quiz.pk])
    sheet_url = reverse("quizzes:paper_sheet", args=[cohort.pk, quiz.pk])
    url = reverse("quizzes:paper_import", args=[cohort.pk, quiz.pk])
    client.force_login(setup["trainer"])
    page = client.get(grid_url).content.decode()
    assert sheet_url in page and url in page
    download = client.get(sheet_url + "?format=csv&lang=ar")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    data = grid(setup, (a, ["B", "AB", "V", "F"], ""))
    preview = client.post(url, {"file": SimpleUploadedFile("grille.xlsx", data)})
    assert preview.status_code == 200 and scores(setup) == {}
    carried = preview.context["data"]
    assert carried
    done = client.post(url, {"confirm": "1", "data": carried, "filename": "grille.xlsx"})
    assert done.status_code == 302 and scores(setup) == {a.pk: Decimal("100.00")}
    bad = grid(setup, (a, ["Z", "AB", "V", "F"], ""))
    refused = client.post(url, {"file": SimpleUploadedFile("g.xlsx", bad), "confirm": "1"})
    assert refused.status_code == 422 and "Q1" in refused.content.decode()
    assert scores(setup) == {a.pk: Decimal("100.00")}
    # Out of scope: the pages answer 404.
    for user in (trainer(), coordinator_of(world["couffo"])):
        client.force_login(user)
        assert client.get(sheet_url).status_code == 404
        assert client.post(url, {"file": SimpleUploadedFile("g.xlsx", data)}).status_code == 404


def test_the_command_imports_and_exits_1_on_errors_or_refusal(setup, world, tmp_path, capsys):
    a = setup["enrolments"][0]
    good = tmp_path / "grille.xlsx"
    good.write_bytes(grid(setup, (a, ["B", "AB", "V", "F"], "")))
    args = ["--as", "formateur@example.org", "--quiz", str(setup["quiz"].pk)]
    args += ["--cohort", setup["cohort"].code]
    call_command("import_sheet", KIND, str(good), *args, "--dry-run")
    assert scores(setup) == {}
    call_command("import_sheet", KIND, str(good), *args)
    assert scores(setup) == {a.pk: Decimal("100.00")}
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(grid(setup, (a, ["B", "AB", "X", "F"], "")))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_sheet", KIND, str(bad), *args)
    assert exit_.value.code == 1 and "Q3" in capsys.readouterr().out
    coordinator_of(world["couffo"], email="ailleurs@example.org")
    with pytest.raises(SystemExit) as exit_:
        call_command("import_sheet", KIND, str(good), *args[2:], "--as", "ailleurs@example.org")
    assert exit_.value.code == 1
    assert scores(setup) == {a.pk: Decimal("100.00")}
