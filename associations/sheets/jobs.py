"""Import jobs: an uploaded sheet kept in private storage, previewed, confirmed and imported in
the background (Celery; in-process when there is no broker), with its progress and report.

The preview and the import both run ``pipeline.import_sheet`` on the same stored file, with the
importer's header mapping and mode; the reports are kept as JSON on the job, so the pages, the
rejected-rows sheet and a reload all read them back from the database."""

import dataclasses
import logging
import time
import uuid
from pathlib import PurePath

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from associations.models import Cohort, ImportJob, Session
from associations.scope import grants_for, is_coordinator, is_trainer
from associations.sheets import KINDS, pipeline

logger = logging.getLogger(__name__)

FILE_FORMATS = ("xlsx", "ods", "csv")
# How often a running import writes its progress where the status page reads it.
PROGRESS_EVERY_SECONDS = 0.5


def import_kinds_for(user):
    """The kinds of sheet ``user`` may import: coordinators and administrators all of them,
    trainers the attendance of the sessions they facilitate, nobody else any."""
    if grants_for(user).everything or is_coordinator(user):
        return KINDS
    if is_trainer(user):
        return ("attendance",)
    return ()


def import_jobs_for(user):
    """The user's own import jobs: nobody sees another's."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(user=user)


def _file_format(filename):
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    return suffix if suffix in FILE_FORMATS else "bin"


def import_job_create(*, user, kind, upload, mode, context=None):
    """Store the uploaded file (private storage) as a new job of ``user`` and preview it. The
    header mapping the user chose last time for this kind is applied again (the same sheet comes
    back with the same columns)."""
    original_name = PurePath(upload.name).name[:255]
    previous = import_jobs_for(user).filter(kind=kind).exclude(mapping={}).first()
    job = ImportJob(
        uuid=uuid.uuid4(),
        user=user,
        kind=kind,
        mode=mode,
        mapping=previous.mapping if previous else {},
        context=context or {},
        original_name=original_name,
        file_format=_file_format(original_name),
        language=translation.get_language() or "fr",
    )
    job.file.save(original_name, ContentFile(upload.read()), save=False)
    job.save()
    _dispatch(job, dry_run=True)
    return job


def import_job_map_headers(*, job, mapping):
    """Record which field each of the file's unmatched headers holds ("" ignores the column)
    and preview again with that mapping."""
    job.mapping = {**job.mapping, **mapping}
    job.status = ImportJob.Status.PREVIEWING
    job.progress_done = job.progress_total = 0
    job.save(update_fields=["mapping", "status", "progress_done", "progress_total", "updated"])
    _dispatch(job, dry_run=True)


def import_job_confirm(*, job, mode):
    """Import the previewed file for real, in the background. Returns False (and does
    nothing) if the job is not waiting for confirmation, e.g. on a second click."""
    started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.IMPORTING, mode=mode, progress_done=0
    )
    if not started:
        return False
    job.refresh_from_db()
    _dispatch(job, dry_run=False)
    return True


def _dispatch(job, *, dry_run):
    from associations.tasks import import_job_task

    cache.delete(_progress_key(job.pk))
    try:
        import_job_task.delay(job.pk, dry_run)
    except Exception:
        # The broker cannot be reached: say so on the job rather than leaving it running.
        logger.exception("Import job %s could not be queued", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED)


def _progress_key(job_pk):
    return f"renfort:import-job:{job_pk}:progress"


def _progress_recorder(job):
    """A ``progress(done, total)`` callback for the pipeline. It writes to the cache, not to
    the job's row: the import runs inside a transaction that others cannot see into."""
    last = [0.0]

    def record(done, total):
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or done >= total:
            cache.set(_progress_key(job.pk), (done, total), 3600)
            last[0] = now

    return record


def job_progress(job):
    """``(rows done, rows in all)`` of a job, while it runs and after."""
    if job.is_running:
        return cache.get(_progress_key(job.pk)) or (job.progress_done, job.progress_total)
    return job.progress_done, job.progress_total


def _context(job):
    """The objects the job's context names (the pipeline checks that the user may use them)."""
    context = {}
    if job.context.get("session"):
        context["session"] = Session.objects.filter(pk=job.context["session"]).first()
    if job.context.get("cohort"):
        context["cohort"] = Cohort.objects.filter(pk=job.context["cohort"]).first()
    return context


def import_job_run(*, job_pk, dry_run):
    """The background task's body: preview (``dry_run``) or import the job's file, and keep the
    report on the job."""
    job = ImportJob.objects.select_related("user").get(pk=job_pk)
    with translation.override(job.language):
        try:
            with job.file.open("rb") as stored:
                data = stored.read()
            report = pipeline.import_sheet(
                job.kind,
                data,
                job.original_name,
                user=job.user,
                dry_run=dry_run,
                mapping=job.mapping or None,
                mode=job.mode,
                context=_context(job),
                progress=_progress_recorder(job),
            )
        except Exception:
            logger.exception("Import job %s failed", job.pk)
            job.status = ImportJob.Status.FAILED
            job.save(update_fields=["status", "updated"])
            return
    stored = report_to_json(report)
    job.progress_done = job.progress_total = len(report.rows)
    if dry_run:
        job.preview = stored
        job.status = ImportJob.Status.REFUSED if report.refused else ImportJob.Status.PREVIEWED
    else:
        job.report = stored
        job.status = ImportJob.Status.FAILED if report.refused else ImportJob.Status.DONE
    job.save()
    cache.delete(_progress_key(job.pk))


def report_to_json(report):
    return dataclasses.asdict(report)


def report_from_json(data):
    """The ``ImportReport`` a job keeps as JSON."""
    if not data:
        return None
    rows = [
        pipeline.RowReport(
            number=row["number"],
            status=row["status"],
            errors=[pipeline.RowError(**error) for error in row.get("errors", [])],
            values=row.get("values", []),
        )
        for row in data.get("rows", [])
    ]
    fields = {f.name for f in dataclasses.fields(pipeline.ImportReport)}
    return pipeline.ImportReport(**{**{k: v for k, v in data.items() if k in fields}, "rows": rows})


def rejected_rows_file(job):
    """The rejected rows of the job's latest report as XLSX bytes and a file name."""
    report = report_from_json(job.report or job.preview)
    stem = PurePath(job.original_name).stem or job.kind
    return pipeline.rejected_rows_workbook(report), f"{stem}-rejets.xlsx"


def import_jobs_purge(*, older_than, stale_after, now=None):
    """Housekeeping of import jobs, safe to run from several processes (cron or Celery beat):
    jobs created before ``now - older_than`` are deleted with their stored file (sheets hold
    personal data: they are kept only as long as someone may come back to a report); jobs still
    reading or importing with no progress since ``now - stale_after`` (their worker died) are
    marked failed, so their page stops waiting. Returns ``(deleted, failed)``."""
    now = now or timezone.now()
    failed = ImportJob.objects.filter(
        status__in=[ImportJob.Status.PREVIEWING, ImportJob.Status.IMPORTING],
        updated__lt=now - stale_after,
    ).update(status=ImportJob.Status.FAILED, updated=now)
    deleted = 0
    for job in ImportJob.objects.filter(created__lt=now - older_than).iterator():
        if job.file:
            job.file.delete(save=False)  # storage.delete: nothing raised if already gone
        job.delete()
        deleted += 1
    return deleted, failed
