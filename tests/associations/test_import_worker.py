"""The confirmed import runs in a real Celery worker process (Redis broker, PostgreSQL shared
with the test): the worker reads the uploaded file from private storage, imports it and leaves
the report on the job, which the page then shows. Skipped without Redis or on SQLite (an
in-memory test database cannot be shared with another process)."""

import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import openpyxl
import pytest
import redis
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from associations.models import ImportJob, Organisation
from associations.sheets import jobs
from renfort import celery_app
from tests.factories import coordinator_of
from tests.site.test_celery_worker import BROKER_URL, _drop_cached_connections, _redis_answers

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CELERY_BIN = Path(sys.executable).with_name("celery")

pytestmark = pytest.mark.django_db(transaction=True)


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def worker(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database it can share: run on PostgreSQL")
    if not _redis_answers():
        pytest.skip("Redis does not answer")
    queue = f"renfort-import-{uuid.uuid4().hex[:12]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renfort.settings.test",
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_RESULT_BACKEND": BROKER_URL,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "RENFORT_TEST_PRIVATE_ROOT": str(settings.PRIVATE_ROOT),
    }
    log = tmp_path / "worker.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [
                str(CELERY_BIN),
                "-A",
                "renfort",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "warning",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    saved = {
        k: celery_app.conf[k]
        for k in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    _drop_cached_connections(celery_app)
    celery_app.conf.update(
        broker_url=BROKER_URL,
        result_backend=BROKER_URL,
        task_always_eager=False,
        task_default_queue=queue,
    )
    try:
        yield process, log
    finally:
        _drop_cached_connections(celery_app)
        celery_app.conf.update(saved)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        client = redis.Redis.from_url(BROKER_URL)
        try:
            leftovers = list(client.scan_iter(match=f"*{queue}*"))
            if leftovers:
                client.delete(*leftovers)
        finally:
            client.close()


def wait_for(job, statuses, process, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        time.sleep(0.3)
    pytest.fail(f"job still {job.status}:\n{log.read_text(errors='replace')[-3000:]}")


def test_a_worker_process_previews_and_imports_the_uploaded_sheet(world, worker):
    process, log = worker
    user = coordinator_of(world["mono"])
    rows = [["Nom de l'association", "Commune"]] + [
        [f"Registre {n}", "Lokossa"] for n in range(300)
    ]
    job = jobs.import_job_create(
        user=user,
        kind="organisations",
        upload=SimpleUploadedFile("registre.xlsx", xlsx(rows)),
        mode="all",
    )
    wait_for(
        job,
        {ImportJob.Status.PREVIEWED, ImportJob.Status.REFUSED, ImportJob.Status.FAILED},
        process,
        log,
    )
    assert job.status == ImportJob.Status.PREVIEWED, job.preview
    assert Organisation.objects.filter(name__startswith="Registre ").count() == 0
    assert jobs.import_job_confirm(job=job, mode="all")
    wait_for(job, {ImportJob.Status.DONE, ImportJob.Status.FAILED}, process, log)
    assert job.status == ImportJob.Status.DONE
    assert job.report["written"] and (job.progress_done, job.progress_total) == (300, 300)
    assert Organisation.objects.filter(name__startswith="Registre ").count() == 300
