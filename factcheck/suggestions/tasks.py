"""The background task: 16b's intake enqueues it once a source is saved; without TASKS it runs at once."""

from django_tasks import task


@task()
def compute_suggestions(source_id: int) -> dict[str, int]:
    """Suggest what source ``source_id`` speaks to; a source deleted meanwhile is nothing to do."""
    from factcheck.models import Source
    from factcheck.suggestions.store import compute

    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return {"claims": 0, "new_claims": 0}
    claims, new_claims = compute(source)
    return {"claims": claims, "new_claims": new_claims}
