"""Exports of every list (organisations, people, cohorts, a cohort's class list and attendance
grid) as XLSX and CSV: only the rows the viewer may see, formula-like cells escaped, a file name
that says what and when, and the same queries for 10 rows as for 200."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from associations.models import Attendance, Organisation
from associations.services import enrolment_withdraw
from associations.sheets.formulas import FORMULA_STARTS, escape_cell, unescape_cell
from associations.sheets.headers import columns_of
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    DomainFactory,
    EnrolmentFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    coordinator_of,
    focal_point_of,
    participant,
    trainer,
)

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://evil")', "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture(autouse=True)
def _french():
    translation.activate("fr")
    yield
    translation.activate("fr")


def read(response):
    """The rows of an export response (XLSX or CSV), as lists of cells."""
    content = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        assert content.startswith("\ufeff".encode())
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value!r}"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def cells(rows):
    return [cell for row in rows for cell in row if isinstance(cell, str)]


def assert_nothing_runs(rows):
    for cell in cells(rows):
        assert not cell.startswith(FORMULA_STARTS), repr(cell)


@pytest.fixture
def mono_cohort(world):
    cohort = CohortFactory(code="MONO-2024", territory=world["mono"], title=DANGEROUS[0])
    sessions = [SessionFactory(cohort=cohort, date=date(2024, 11, 20 + d)) for d in range(3)]
    organisation = OrganisationFactory(name="=cmd|' /C calc'!A0", territory=world["lokossa"])
    enrolments = [
        EnrolmentFactory(
            cohort=cohort,
            person=PersonFactory(
                organisation=organisation,
                first_name=DANGEROUS[n],
                last_name=f"Agent{n:02d}",
                phone="+229 97 00 00 0{n}",
                function=DANGEROUS[-1 - n],
            ),
        )
        for n in range(len(DANGEROUS))
    ]
    for enrolment in enrolments:
        AttendanceFactory(session=sessions[0], enrolment=enrolment)
        AttendanceFactory(session=sessions[1], enrolment=enrolment, status="absent")
    enrolment_withdraw(enrolment=enrolments[0], on=date(2024, 11, 21), reason="-motif")
    return cohort, sessions, enrolments


def test_escape_cell_prefixes_every_formula_start_and_leaves_the_rest():
    for text in DANGEROUS:
        assert escape_cell(text) == "'" + text
    assert escape_cell("Association Al Amal") == "Association Al Amal"
    assert escape_cell("a=b") == "a=b"
    assert escape_cell(-3) == -3
    assert escape_cell(None) is None
    assert escape_cell(date(2024, 1, 1)) == date(2024, 1, 1)


def test_unescape_cell_gives_back_what_escape_cell_protected():
    for text in [*DANGEROUS, "Association", "'quoted'", "'", ""]:
        assert unescape_cell(escape_cell(text)) == text
    assert unescape_cell("'Association") == "'Association"


EXPORTS = ["organisation_export", "person_export", "cohort_export"]
COHORT_EXPORTS = ["enrolment_export", "attendance_export"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("name", EXPORTS + COHORT_EXPORTS)
def test_every_export_escapes_formula_like_cells(client, world, mono_cohort, name, fmt):
    cohort, _sessions, _enrolments = mono_cohort
    organisation = world["org_lokossa"]
    for field, value in zip(
        ["acronym", "contact_name", "address", "phone", "email", "website"], DANGEROUS, strict=False
    ):
        setattr(organisation, field, value)
    organisation.name = DANGEROUS[5]
    organisation.save()
    organisation.domains.add(DomainFactory(name="@domaine"))
    client.force_login(coordinator_of(world["mono"]))
    args = [cohort.pk, fmt] if name in COHORT_EXPORTS else [fmt]
    response = client.get(reverse(f"associations:{name}", args=args))
    assert response.status_code == 200
    rows = read(response)
    assert len(rows) > 1
    assert_nothing_runs(rows)
    # The dangerous texts are all there, escaped, not dropped.
    escaped = [cell for cell in cells(rows) if cell.startswith("'")]
    assert escaped, "no escaped cell: the fixture did not reach this export"
    if name == "person_export":
        # (XML turns a carriage return into a line feed: the apostrophe is what matters.)
        found = {cell.replace("\r", "\n") for cell in cells(rows)}
        assert {"'" + text.replace("\r", "\n") for text in DANGEROUS} <= found


def names_in(client, name, fmt="csv", args=(), query=""):
    response = client.get(reverse(f"associations:{name}", args=[*args, fmt]) + query)
    assert response.status_code == 200, response.status_code
    return " ".join(cells(read(response)))


def test_a_coordinator_of_mono_never_gets_a_row_from_elsewhere(client, world, mono_cohort):
    moulay_person = PersonFactory(organisation=world["org_moulay"], last_name="Bennani")
    CohortFactory(code="MY-TAKWIA", territory=world["moulay"])
    EnrolmentFactory(person=moulay_person, cohort=CohortFactory(territory=world["couffo"]))
    client.force_login(coordinator_of(world["mono"]))
    for fmt in ("csv", "xlsx"):
        organisations = names_in(client, "organisation_export", fmt)
        assert "GUPS de Lokossa" in organisations and "DDASM Mono" in organisations
        assert "Tafilalt" not in organisations and "Aplahoué" not in organisations
        people = names_in(client, "person_export", fmt)
        assert "Agent01" in people and "Bennani" not in people
        cohorts = names_in(client, "cohort_export", fmt)
        assert "MONO-2024" in cohorts and "MY-TAKWIA" not in cohorts


def test_the_export_keeps_the_list_filters(client, world):
    client.force_login(coordinator_of(world["benin"]))
    assert "Aplahoué" in names_in(client, "organisation_export")
    only_mono = names_in(client, "organisation_export", query="?territory=BJ-MO&page=3")
    assert "GUPS de Lokossa" in only_mono and "Aplahoué" not in only_mono
    searched = names_in(client, "organisation_export", query="?q=ddasm")
    assert "DDASM Mono" in searched and "Lokossa" not in searched


def test_a_focal_point_exports_only_their_association(client, world, mono_cohort):
    cohort, _sessions, enrolments = mono_cohort
    client.force_login(focal_point_of(world["org_lokossa"]))
    organisations = names_in(client, "organisation_export")
    assert "GUPS de Lokossa" in organisations and "DDASM Mono" not in organisations
    assert "Agent01" not in names_in(client, "person_export")  # their people are elsewhere
    PersonFactory(organisation=world["org_lokossa"], last_name="Dossou")
    assert "Dossou" in names_in(client, "person_export")
    # Class lists and grids belong to the cohort page, which is not theirs.
    for name in COHORT_EXPORTS:
        assert (
            client.get(reverse(f"associations:{name}", args=[cohort.pk, "csv"])).status_code == 404
        )


def test_a_person_who_moved_out_of_scope_is_exported_without_their_new_organisation(
    client, world, mono_cohort
):
    _cohort, _sessions, enrolments = mono_cohort
    person = enrolments[1].person
    person.organisation = world["org_moulay"]
    person.save()
    teacher = trainer()
    mono_cohort[0].facilitators.add(teacher)
    client.force_login(teacher)
    people = names_in(client, "person_export")
    assert "Agent01" in people and "Tafilalt" not in people


def test_participants_and_anonymous_get_no_export(client, world, mono_cohort):
    cohort, _sessions, enrolments = mono_cohort
    urls = [reverse(f"associations:{name}", args=["xlsx"]) for name in EXPORTS] + [
        reverse(f"associations:{name}", args=[cohort.pk, "xlsx"]) for name in COHORT_EXPORTS
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(participant(enrolments[1].person))
    for url in urls:
        assert client.get(url).status_code == 404


def test_cohort_exports_are_for_its_trainers_and_coordinators_only(client, world, mono_cohort):
    cohort, _sessions, _enrolments = mono_cohort
    outsiders = [coordinator_of(world["moulay"]), coordinator_of(world["couffo"]), trainer()]
    for user in outsiders:
        client.force_login(user)
        for name in COHORT_EXPORTS:
            url = reverse(f"associations:{name}", args=[cohort.pk, "csv"])
            assert client.get(url).status_code == 404
    teacher = trainer()
    cohort.facilitators.add(teacher)
    client.force_login(teacher)
    assert "Agent02" in names_in(client, "enrolment_export", args=[cohort.pk])


def test_the_class_list_and_the_grid_say_what_the_cohort_page_says(client, world, mono_cohort):
    cohort, sessions, _enrolments = mono_cohort
    client.force_login(coordinator_of(world["mono"]))
    response = client.get(reverse("associations:enrolment_export", args=[cohort.pk, "xlsx"]))
    header, *rows = read(response)
    assert len(rows) == len(DANGEROUS)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    agent = by_name["Agent03"]
    assert 33.3 in agent.values()  # 1 present of 3 held
    assert "'-motif" in by_name["Agent00"].values()
    grid_header, *grid = read(
        client.get(reverse("associations:attendance_export", args=[cohort.pk, "xlsx"]))
    )
    assert len(grid_header) == 3 + len(sessions) + 1
    assert "20/11/2024" in grid_header[3]
    assert grid[0][:1] == ["Agent01"] and grid[0][3:6] == ["P", "A", None]


def test_csv_numbers_use_the_pages_decimal_mark(client, world, mono_cohort):
    cohort, _sessions, _enrolments = mono_cohort
    client.force_login(coordinator_of(world["mono"]))
    url = reverse("associations:enrolment_export", args=[cohort.pk, "csv"])
    expected = {"fr": "33,3", "en": "33.3"}
    for language, rate in expected.items():
        prefix = "" if language == "fr" else f"/{language}"
        rows = read(client.get(prefix + url))
        assert rate in rows[1]


def test_registry_columns_are_headed_as_the_import_heads_them(client, world):
    """An exported organisation or people list comes back in without a mapping step for the
    columns the import knows, in every language."""
    client.force_login(coordinator_of(world["mono"]))
    for language in ("fr", "ar", "en"):
        prefix = "" if language == "fr" else f"/{language}"
        for name, kind in (("organisation_export", "organisations"), ("person_export", "people")):
            with translation.override("fr"):
                path = reverse(f"associations:{name}", args=["csv"])
            response = client.get(prefix + path)
            assert response.status_code == 200, (language, name)
            header = read(response)[0]
            expected = {column.header(language) for column in columns_of(kind)}
            assert expected <= set(header), (language, kind, expected - set(header))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    ("name", "kind"), [("organisation_export", "organisations"), ("person_export", "people")]
)
def test_an_exported_list_imported_back_changes_nothing(client, world, name, kind, fmt):
    from associations.sheets.pipeline import import_sheet

    organisation = world["org_lokossa"]
    organisation.phone, organisation.registration_number = "+229 97 00 00 01", "2019/42"
    organisation.save()
    PersonFactory(organisation=organisation, phone="+229 97 11 11 11", last_name="Houngbo")
    coordinator = coordinator_of(world["mono"])
    client.force_login(coordinator)
    response = client.get(reverse(f"associations:{name}", args=[fmt]))
    report = import_sheet(
        kind, b"".join(response.streaming_content), f"export.{fmt}", user=coordinator
    )
    assert not report.refused, report.refused
    assert report.rows and report.nothing_to_change, [
        (row.number, [(e.column, e.message) for e in row.errors]) for row in report.rows
    ]


def test_file_names_say_what_and_when(client, world, mono_cohort):
    cohort, _sessions, _enrolments = mono_cohort
    client.force_login(coordinator_of(world["mono"]))
    today = timezone.localdate().isoformat()
    expected = {
        ("organisation_export", "xlsx"): f"organisations-{today}.xlsx",
        ("person_export", "csv"): f"personnes-{today}.csv",
        ("cohort_export", "xlsx"): f"cohortes-{today}.xlsx",
        ("enrolment_export", "csv"): f"inscriptions-mono-2024-{today}.csv",
        ("attendance_export", "xlsx"): f"presences-mono-2024-{today}.xlsx",
    }
    for (name, fmt), filename in expected.items():
        args = [cohort.pk, fmt] if name in COHORT_EXPORTS else [fmt]
        response = client.get(reverse(f"associations:{name}", args=args))
        assert f'filename="{filename}"' in response["Content-Disposition"]
        assert response["Content-Disposition"].startswith("attachment")


def test_arabic_pages_get_a_right_to_left_sheet(client, world):
    client.force_login(coordinator_of(world["mono"]))
    response = client.get("/ar" + reverse("associations:organisation_export", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.worksheets[0].sheet_view.rightToLeft


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def grow(world, cohort, sessions, count):
    for n in range(count):
        organisation = OrganisationFactory(territory=world["lokossa"])
        organisation.domains.add(DomainFactory(code="sante", name="Santé"))
        enrolment = EnrolmentFactory(
            cohort=cohort, person=PersonFactory(organisation=organisation, last_name=f"P{n}")
        )
        Attendance.objects.bulk_create(
            [Attendance(session=s, enrolment=enrolment, status="present") for s in sessions]
        )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_costs_the_same_queries_for_10_rows_as_for_200(client, world, fmt):
    cohort = CohortFactory(territory=world["mono"])
    sessions = [SessionFactory(cohort=cohort) for _ in range(3)]
    client.force_login(coordinator_of(world["mono"]))
    urls = [reverse(f"associations:{name}", args=[fmt]) for name in EXPORTS] + [
        reverse(f"associations:{name}", args=[cohort.pk, fmt]) for name in COHORT_EXPORTS
    ]
    grow(world, cohort, sessions, 10)
    small = [count_queries(client, url) for url in urls]
    grow(world, cohort, sessions, 190)
    assert Organisation.objects.filter(territory=world["lokossa"]).count() > 200
    big = [count_queries(client, url) for url in urls]
    assert big == small
    assert max(big) <= 12
