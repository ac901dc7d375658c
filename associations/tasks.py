from celery import shared_task


@shared_task
def import_job_task(job_pk, dry_run):
    """Preview or import an uploaded sheet (see associations/sheets/jobs.py)."""
    from associations.sheets.jobs import import_job_run

    import_job_run(job_pk=job_pk, dry_run=dry_run)
