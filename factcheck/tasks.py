"""Background tasks (django-tasks): the database queue's ``manage.py db_worker`` runs them (docs/intake.md)."""

from django_tasks import task


@task()
def intake_extract(job_id: int) -> str:
    """Read an intake job's document (factcheck.services.intake.intake_run); returns the job's state."""
    from factcheck.services.intake import intake_run

    return str(intake_run(job_id=job_id).state)
