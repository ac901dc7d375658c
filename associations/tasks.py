from celery import shared_task


@shared_task
def import_job_task(job_pk, dry_run):
    """Preview or import an uploaded sheet (see associations/sheets/jobs.py)."""
    from associations.sheets.jobs import import_job_run

    import_job_run(job_pk=job_pk, dry_run=dry_run)


@shared_task
def import_jobs_purge_task(days=30, stale_minutes=60):
    """Daily housekeeping of import jobs, run by Celery beat (``CELERY_BEAT_SCHEDULE``): what
    ``manage.py imports_purge`` does. Returns ``(deleted, failed)``."""
    from datetime import timedelta

    from associations.sheets.jobs import import_jobs_purge

    return import_jobs_purge(
        older_than=timedelta(days=days), stale_after=timedelta(minutes=stale_minutes)
    )
