"""A claim's edit history, a page at a time, and staff's revert of one change."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from factcheck import cache, cache_tags, services
from factcheck.cache import cached_page
from factcheck.forms import VersionForm
from factcheck.history import MODELS_WITH_HISTORY, history_keys
from factcheck.history_entries import field_label
from factcheck.models import DeletedUser
from factcheck.pagination import paginate
from factcheck.roles import MODERATORS, REVERT_HISTORY, is_desk
from factcheck.selectors.claims import history_entries
from factcheck.shapes import state_json
from factcheck.views.common import get_claim_for_editing, get_or_404, staff_required
from factcheck.views.responses import bad, conflict, done

# Entries per page of the history page: a long history costs its readers no more than this.
HISTORY_PAGE_SIZE = 50


@require_safe
@cached_page(params=("page",), tables=(DeletedUser,))
def claim_history(request, pk):
    """Every recorded change to the claim, newest first, a page at a time."""
    claim = get_claim_for_editing(pk)
    cache.depends_on(cache_tags.object_tag(cache_tags.CLAIM_NOTES, claim.pk))  # the notes' history shows here
    page = paginate(request, history_keys(claim.pk, internal=is_desk(request.user)), HISTORY_PAGE_SIZE)
    context = {
        "claim": claim,
        "entries": history_entries(request.user, claim, page.object_list),
        "total_entries": page.paginator.count,
        "history_page": page,
    }
    if request.htmx:
        return render(request, "factcheck/_history.html", context)
    return render(request, "factcheck/history.html", context)


def _record_claim_id(kind, record):
    return record.id if kind == "claim" else record.claim_id


def _what_will_change(record):
    """``[(label, now, restored)]``: what undoing ``record`` puts back, field by field, for the confirmation."""
    previous = record.prev_record
    if previous is None:
        return []
    hidden = {"version", "updated_at", "body_html", "rationale_html", "decided_by", "published_by", "published_at"}
    delta = record.diff_against(previous, excluded_fields=["prevailing"])
    return [(field_label(c.field), c.new, c.old) for c in delta.changes if c.field not in hidden]


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(
    gettext_lazy("Reverting history"), perm=REVERT_HISTORY, granted_by=f" to add you to the {MODERATORS} group"
)
def history_revert(request, kind, history_id):
    """GET: what the restore will change and the button (the no-JavaScript confirmation); POST: restore."""
    model = MODELS_WITH_HISTORY.get(kind)
    if model is None:
        raise Http404(f"There is no history of “{kind[:40]}”; kinds are {', '.join(MODELS_WITH_HISTORY)}.")
    record = get_or_404(model.history.all(), f"{kind} history entry", history_id=history_id)
    claim = get_claim_for_editing(_record_claim_id(kind, record))
    if request.method != "POST":
        current = model.objects.filter(pk=record.id).only("version").first()
        context = {
            "claim": claim,
            "record": record,
            "kind": kind,
            "changes": _what_will_change(record),
            "version": current.version if current else 0,
        }
        return render(request, "factcheck/confirm_revert.html", context)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return bad(request, form)
    try:
        restored = services.history_revert(record=record, user=request.user, version=form.cleaned_data["version"])
    except services.StaleEdit as exc:
        return conflict(request, exc, {"kind": "revert", "claim": claim, "record": record, "what": kind})
    except ValidationError as exc:
        form.add_error(None, exc.message_dict.get("record", exc.messages))
        return bad(request, form)
    return done(
        request,
        to=f"{claim.get_absolute_url()}#history",
        message=_("Restored the %(kind)s as it was before change #%(id)s.") % {"kind": kind, "id": record.history_id},
        json_data=state_json(restored),
    )
