"""The import pages: upload, preview (new / updated / unchanged / error rows), header mapping,
confirm, result, rejected rows; the job kept in private storage and run in the background with
its progress; and nobody but its owner ever sees a job."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from associations.models import Attendance, ImportJob, Organisation
from associations.sheets import jobs
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
    coordinator_of,
    focal_point_of,
    participant,
    trainer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    translation.activate("fr")
    yield
    translation.activate("fr")


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


HEADERS = ["Nom de l'association", "Sigle", "Commune", "Téléphone", "Observations du chef"]
GOOD = [
    ["Association Espoir", "AE", "Lokossa", "97 00 00 01", "RAS"],
    ["Femmes Unies de Lokossa", "FUL", "Lokossa", "97 00 00 02", ""],
]
BAD = ["Jeunesse Active", "JA", "Tombouctou", "97 00 00 03", ""]  # not a commune of Mono
FIXED = ["Jeunesse Active", "JA", "Lokossa", "97 00 00 03", ""]


def upload(client, content, *, kind="organisations", name="associations.xlsx", **data):
    return client.post(
        reverse("associations:import_start"),
        {
            "kind": kind,
            "mode": "all",
            "file": SimpleUploadedFile(name, content),
            **data,
        },
    )


def job_page(client, job):
    response = client.get(reverse("associations:import_job", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def latest_job():
    return ImportJob.objects.latest("created")


def test_upload_preview_fix_confirm_and_reupload_shows_nothing_to_change(client, world):
    coordinator = coordinator_of(world["mono"])
    client.force_login(coordinator)
    before = Organisation.objects.count()

    response = upload(client, xlsx([HEADERS, *GOOD, BAD]))
    job = latest_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("associations:import_job", args=[job.pk])
    assert job.status == ImportJob.Status.PREVIEWED  # in-process: the preview ran already
    body = job_page(client, job)
    assert job.preview["rows"][2]["status"] == "error"
    assert "Tombouctou" in body and ">4<" in body  # the row as the spreadsheet numbers it
    assert "« Commune »" in body or ">Commune<" in body  # the column, as the file names it
    assert 'id="mapping"' in body and "Observations du chef" in body
    assert Organisation.objects.count() == before  # a preview writes nothing

    # The unknown column is ignored through the mapping step; the preview runs again.
    client.post(reverse("associations:import_mapping", args=[job.pk]), {"header_0": ""})
    job.refresh_from_db()
    assert job.mapping == {"Observations du chef": ""}
    assert 'id="mapping"' not in job_page(client, job)

    # All or nothing refuses while a row is wrong, and writes nothing.
    client.post(reverse("associations:import_confirm", args=[job.pk]), {"mode": "all"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert Organisation.objects.count() == before

    # The fixed file goes in whole.
    upload(client, xlsx([HEADERS, *GOOD, FIXED]))
    fixed = latest_job()
    assert fixed.mapping == {"Observations du chef": ""}  # remembered from the last upload
    assert 'id="mapping"' not in job_page(client, fixed)
    response = client.post(reverse("associations:import_confirm", args=[fixed.pk]), {"mode": "all"})
    assert response.status_code == 302
    fixed.refresh_from_db()
    assert fixed.status == ImportJob.Status.DONE
    assert fixed.report["written"] is True
    assert Organisation.objects.count() == before + 3
    assert Organisation.objects.get(name="Jeunesse Active").territory == world["lokossa"]
    assert (fixed.progress_done, fixed.progress_total) == (3, 3)
    assert reverse("associations:organisation_list") in job_page(client, fixed)

    # The same file again: nothing to change.
    upload(client, xlsx([HEADERS, *GOOD, FIXED]))
    again = latest_job()
    body = job_page(client, again)
    assert 'id="nothing-to-change"' in body
    assert again.preview["rows"] and all(r["status"] == "unchanged" for r in again.preview["rows"])


def test_importing_the_valid_rows_hands_back_the_rejected_ones(client, world):
    client.force_login(coordinator_of(world["mono"]))
    upload(client, xlsx([HEADERS[:4], [*GOOD[0][:4]], BAD[:4]]))
    job = latest_job()
    client.post(reverse("associations:import_confirm", args=[job.pk]), {"mode": "valid"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Organisation.objects.filter(name="Association Espoir").exists()
    assert not Organisation.objects.filter(name="Jeunesse Active").exists()
    response = client.get(reverse("associations:import_rejected", args=[job.pk]))
    assert response.status_code == 200
    assert "rejets.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == tuple(HEADERS[:4])
    assert len(rows) == 2 and rows[1][0] == "Jeunesse Active"
    # The error column names the row, the column and what to fix.
    assert "3" in rows[1][-1] and "Commune" in rows[1][-1] and "Tombouctou" in rows[1][-1]


def test_no_rejected_rows_sheet_when_nothing_was_rejected(client, world):
    client.force_login(coordinator_of(world["mono"]))
    upload(client, xlsx([HEADERS[:4], GOOD[0][:4]]))
    response = client.get(reverse("associations:import_rejected", args=[latest_job().pk]))
    assert response.status_code == 404


def test_a_refused_file_says_why_and_writes_nothing(client, world):
    client.force_login(coordinator_of(world["mono"]))
    before = Organisation.objects.count()
    upload(client, b"%PDF-1.4 not a sheet", name="rapport.xlsx")
    job = latest_job()
    assert job.status == ImportJob.Status.REFUSED
    body = job_page(client, job)
    assert 'id="refused"' in body and job.preview["refused"] in body.replace("&#x27;", "'")
    assert Organisation.objects.count() == before
    client.post(reverse("associations:import_confirm", args=[job.pk]), {"mode": "all"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED and Organisation.objects.count() == before


def test_a_too_big_or_empty_file_is_refused_by_the_form(client, world, monkeypatch):
    client.force_login(coordinator_of(world["mono"]))
    response = upload(client, b"")
    assert response.status_code == 200 and not ImportJob.objects.exists()
    empty_error = response.context["form"].errors["file"]
    assert empty_error
    monkeypatch.setattr("associations.sheets.forms.MAX_FILE_BYTES", 1000)
    response = upload(client, xlsx([HEADERS, *GOOD]))
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert response.context["form"].errors["file"] not in ([], empty_error)


def test_the_uploaded_file_is_kept_in_private_storage(client, world):
    client.force_login(coordinator_of(world["mono"]))
    upload(client, xlsx([HEADERS, *GOOD]))
    job = latest_job()
    path = Path(job.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert openpyxl.load_workbook(path).active["A2"].value == "Association Espoir"
    assert job.original_name == "associations.xlsx" and job.file_format == "xlsx"


def test_a_job_belongs_to_its_user_only(client, world):
    owner = coordinator_of(world["mono"])
    client.force_login(owner)
    upload(client, xlsx([HEADERS[:4], *[row[:4] for row in GOOD], BAD[:4]]))
    job = latest_job()
    urls = [
        reverse("associations:import_job", args=[job.pk]),
        reverse("associations:import_status", args=[job.pk]),
        reverse("associations:import_rejected", args=[job.pk]),
    ]
    assert all(client.get(url).status_code == 200 for url in urls)
    admin = UserFactory(is_superuser=True, is_staff=True)
    for other in [coordinator_of(world["mono"]), admin, trainer()]:
        client.force_login(other)
        for url in urls:
            assert client.get(url).status_code == 404, (other, url)
        for name in ("import_confirm", "import_mapping"):
            response = client.post(reverse(f"associations:{name}", args=[job.pk]), {"mode": "all"})
            assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert not Organisation.objects.filter(name="Association Espoir").exists()


def test_who_may_open_the_import_pages(client, world):
    url = reverse("associations:import_start")
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    for user in [participant(PersonFactory()), focal_point_of(world["org_lokossa"])]:
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("associations:import_status", args=[1])).status_code == 404
    teacher = trainer()
    client.force_login(teacher)
    response = client.get(url)
    assert response.status_code == 200
    assert list(dict(response.context["form"].fields["kind"].choices)) == ["attendance"]
    response = upload(client, xlsx([HEADERS, *GOOD]))
    assert response.status_code == 200 and not ImportJob.objects.exists()
    client.force_login(coordinator_of(world["mono"]))
    kinds = client.get(url).context["form"].fields["kind"].choices
    assert [k for k, _label in kinds] == ["organisations", "people", "enrolments", "attendance"]


def test_the_progress_of_a_running_job_is_read_from_the_status_url(client, world):
    user = coordinator_of(world["mono"])
    client.force_login(user)
    upload(client, xlsx([HEADERS, *GOOD]))
    job = latest_job()
    assert (job.progress_done, job.progress_total) == (2, 2)
    status = client.get(reverse("associations:import_status", args=[job.pk])).json()
    assert status == {
        "status": "previewed",
        "label": str(ImportJob.Status.PREVIEWED.label),
        "running": False,
        "done": 2,
        "total": 2,
    }
    # While a worker imports, the page shows a bar that the status URL moves.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    jobs._progress_recorder(job)(400, 1000)
    status = client.get(reverse("associations:import_status", args=[job.pk])).json()
    assert (status["running"], status["done"], status["total"]) == (True, 400, 1000)
    body = job_page(client, job)
    assert "<progress" in body and "import-progress.js" in body and 'value="400"' in body
    cache.clear()


def test_the_import_runs_as_a_background_task_with_progress(
    world, django_capture_on_commit_callbacks
):
    """The task is what a Celery worker runs; without a broker it runs in-process."""
    from associations.tasks import import_job_task

    user = coordinator_of(world["mono"])
    rows = [HEADERS[:4]] + [[f"Association {n}", "", "Lokossa", ""] for n in range(450)]
    job = jobs.import_job_create(
        user=user,
        kind="organisations",
        upload=SimpleUploadedFile("big.xlsx", xlsx(rows)),
        mode="all",
    )
    assert job.status == ImportJob.Status.PREVIEWING  # the in-memory object; the row moved on
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    seen = []
    original = jobs._progress_recorder

    def spy(job):
        record = original(job)

        def both(done, total):
            seen.append((done, total))
            record(done, total)

        return both

    jobs._progress_recorder = spy
    try:
        assert jobs.import_job_confirm(job=job, mode="all")
        assert not jobs.import_job_confirm(job=job, mode="all")  # a second click does nothing
    finally:
        jobs._progress_recorder = original
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Organisation.objects.filter(name__startswith="Association ").count() >= 450
    assert seen and seen[-1] == (450, 450)
    assert import_job_task.name == "associations.tasks.import_job_task"


@pytest.fixture
def session_with_people(world):
    cohort = CohortFactory(code="LOK-2024", territory=world["mono"])
    session = SessionFactory(cohort=cohort, date=date(2024, 11, 20))
    enrolments = [
        EnrolmentFactory(
            cohort=cohort,
            person=PersonFactory(organisation=world["org_lokossa"], last_name=f"Agent{n}"),
        )
        for n in range(3)
    ]
    return session, enrolments


def test_a_trainer_downloads_the_attendance_sheet_fills_it_and_imports_it(
    client, world, session_with_people
):
    session, enrolments = session_with_people
    teacher = trainer()
    session.cohort.facilitators.add(teacher)
    client.force_login(teacher)
    response = client.get(reverse("associations:attendance_sheet", args=[session.pk, "xlsx"]))
    assert response.status_code == 200
    assert "presences-LOK-2024-2024-11-20" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if row[0] == "Code")
    people = rows[header_index + 1 :]
    assert [row[1] for row in people] == ["Agent0", "Agent1", "Agent2"]
    for offset, mark in enumerate(["P", "A", "E"]):
        sheet.cell(row=header_index + 2 + offset, column=5, value=mark)
    filled = io.BytesIO()
    workbook.save(filled)

    page = client.get(reverse("associations:roll_call", args=[session.pk])).content.decode()
    assert reverse("associations:attendance_sheet", args=[session.pk, "xlsx"]) in page
    upload(client, filled.getvalue(), kind="attendance", name="feuille.xlsx", session=session.pk)
    job = latest_job()
    assert job.status == ImportJob.Status.PREVIEWED, job.preview.get("refused")
    assert [r["status"] for r in job.preview["rows"]] == ["new", "new", "new"]
    client.post(reverse("associations:import_confirm", args=[job.pk]), {"mode": "all"})
    marks = dict(
        Attendance.objects.filter(session=session).values_list(
            "enrolment__person__last_name", "status"
        )
    )
    assert marks == {"Agent0": "present", "Agent1": "absent", "Agent2": "excused"}


def test_the_attendance_sheet_is_for_the_sessions_trainers_and_coordinators(
    client, world, session_with_people
):
    session, _enrolments = session_with_people
    url = reverse("associations:attendance_sheet", args=[session.pk, "xlsx"])
    for user in [trainer(), coordinator_of(world["moulay"]), focal_point_of(world["org_lokossa"])]:
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(coordinator_of(world["mono"]))
    assert client.get(url).status_code == 200


def test_a_trainer_cannot_import_attendance_of_a_session_they_do_not_run(
    client, world, session_with_people
):
    session, _enrolments = session_with_people
    client.force_login(trainer())
    response = upload(client, xlsx([["Code", "Présence"]]), kind="attendance", session=session.pk)
    assert response.status_code == 200  # the form refuses the session: not among the choices
    assert not ImportJob.objects.exists()


def test_the_import_pages_speak_arabic_right_to_left(client, world):
    client.force_login(coordinator_of(world["mono"]))
    response = client.get("/ar" + reverse("associations:import_start"))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_templates_download_per_kind_language_and_format(client, world):
    client.force_login(coordinator_of(world["mono"]))
    for fmt in ("xlsx", "csv", "ods"):
        for language in ("fr", "ar", "en"):
            url = reverse("associations:import_template", args=["organisations", fmt])
            response = client.get(f"{url}?langue={language}")
            assert response.status_code == 200
            assert f"-{language}.{fmt}" in response["Content-Disposition"]
    csv_template = client.get(
        reverse("associations:import_template", args=["people", "csv"]) + "?langue=fr"
    ).content.decode("utf-8-sig")
    assert csv_template.startswith("Nom;Prénom")
    assert (
        client.get(reverse("associations:import_template", args=["nothing", "csv"])).status_code
        == 404
    )
    teacher = trainer()
    client.force_login(teacher)
    assert (
        client.get(reverse("associations:import_template", args=["attendance", "xlsx"])).status_code
        == 200
    )
    assert (
        client.get(
            reverse("associations:import_template", args=["organisations", "xlsx"])
        ).status_code
        == 404
    )


def test_old_jobs_and_their_files_are_purged_and_dead_ones_marked_failed(client, world):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    client.force_login(coordinator_of(world["mono"]))
    upload(client, xlsx([HEADERS, *GOOD]))
    old = latest_job()
    upload(client, xlsx([HEADERS, *GOOD]))
    dead = latest_job()
    upload(client, xlsx([HEADERS, *GOOD]))
    recent = latest_job()
    old_path, recent_path = Path(old.file.path), Path(recent.file.path)
    now = timezone.now()
    ImportJob.objects.filter(pk=old.pk).update(created=now - timedelta(days=31))
    ImportJob.objects.filter(pk=dead.pk).update(
        status=ImportJob.Status.IMPORTING, updated=now - timedelta(hours=2)
    )
    out = StringIO()
    call_command("imports_purge", stdout=out)
    assert "1 import job(s) deleted, 1 marked failed." in out.getvalue()
    assert not ImportJob.objects.filter(pk=old.pk).exists() and not old_path.exists()
    assert ImportJob.objects.get(pk=dead.pk).status == ImportJob.Status.FAILED
    recent.refresh_from_db()
    assert recent.status == ImportJob.Status.PREVIEWED and recent_path.exists()
    # a second run finds nothing more to do
    out = StringIO()
    call_command("imports_purge", stdout=out)
    assert "0 import job(s) deleted, 0 marked failed." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("imports_purge", days=0)


def test_celery_beat_purges_old_jobs_every_day(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from renfort.celery import app

    entry = app.conf.beat_schedule["imports-purge"]
    assert entry["schedule"] == 24 * 60 * 60 and entry["task"] in app.tasks
    client.force_login(coordinator_of(world["mono"]))
    upload(client, xlsx([HEADERS, *GOOD]))
    old = latest_job()
    ImportJob.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=31))
    assert list(app.tasks[entry["task"]].delay().get()) == [1, 0]  # deleted, marked failed
    assert not ImportJob.objects.filter(pk=old.pk).exists()
