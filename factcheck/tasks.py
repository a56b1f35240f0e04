"""Background tasks (django-tasks): the database queue's ``manage.py db_worker`` runs them (docs/intake.md)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def intake_extract(job_id: int, language: str | None = None) -> str:
    """Read an intake job's document (factcheck.services.intake.intake_run); returns the job's state.

    ``language``: the interface language of the editor who queued it, for the stages and refusals the
    job stores (a job queued without one, before it was passed, reads in the default language).
    """
    from factcheck.services.intake import intake_run

    with translation.override(language or settings.LANGUAGE_CODE):
        return str(intake_run(job_id=job_id).state)
