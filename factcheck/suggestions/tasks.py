"""The background task: intake enqueues it once a source is saved, and editors through "Match again"."""

from django.utils import timezone
from django_tasks import task

ERROR_LENGTH = 300  # SuggestionRun.error


def _mark(source_id: int, **fields: object) -> None:
    from factcheck.models import SuggestionRun

    SuggestionRun.objects.update_or_create(source_id=source_id, defaults=fields)


@task()
def compute_suggestions(source_id: int) -> dict[str, int]:
    """Suggest what source ``source_id`` speaks to; a source deleted meanwhile is nothing to do.

    The source's ``SuggestionRun`` says where it stands, so its page can
    tell "still matching" from "nothing found" from "failed".
    """
    from factcheck.models import Source, SuggestionRun
    from factcheck.suggestions import store

    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return {"claims": 0, "new_claims": 0}
    _mark(source_id, state=SuggestionRun.State.RUNNING, started_at=timezone.now(), finished_at=None, error="")
    try:
        claims, new_claims = store.compute(source)
    except Exception as exc:
        # Named on the page beside "Match again"; the worker keeps the traceback.
        message = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
        _mark(source_id, state=SuggestionRun.State.FAILED, finished_at=timezone.now(), error=message)
        raise
    return {"claims": claims, "new_claims": new_claims}
