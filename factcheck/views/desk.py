"""The desk: who an @mention points at, the inbox and its badge, watches, email unsubscribe, the landing after login."""

from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from factcheck import services
from factcheck.models import Claim, Notification, Topic, Watch
from factcheck.pagination import paginate
from factcheck.roles import is_desk
from factcheck.views.common import editor_required, get_or_404, safe_next
from factcheck.views.responses import done

# Inbox lines per page.
INBOX_PAGE_SIZE = 30


class DeskLoginView(LoginView):
    """After logging in, editors land on their work (the review queue), readers on the home page."""

    def get_default_redirect_url(self):
        if self.request.user.has_perm("factcheck.change_claim"):
            return resolve_url("review-queue")
        return super().get_default_redirect_url()


@require_safe
@editor_required("factcheck.add_annotation", gettext_lazy("Editors' pages"))
def person_detail(request, username):
    """Where an @mention points: the editor, the claims they are assigned and their latest notes."""
    person = get_or_404(get_user_model().objects.filter(is_active=True), "editor", username=username)
    claims = Claim.objects.filter(assigned_to=person).select_related("topic").order_by("-updated_at")[:20]
    notes = person.annotations.filter(is_deleted=False).select_related("claim").order_by("-created_at")[:20]
    return render(request, "factcheck/person.html", {"person": person, "claims": claims, "notes": notes})


def _unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


@require_safe
@editor_required("factcheck.add_annotation", gettext_lazy("The inbox"))
def inbox(request):
    """The editor's notifications, newest first; unread ones marked."""
    rows = Notification.objects.filter(recipient=request.user).select_related("actor", "claim")
    page = paginate(request, rows, INBOX_PAGE_SIZE)
    context = {"page": page, "unread": _unread(request.user).count()}
    if request.htmx:
        return render(request, "factcheck/_inbox.html", context)
    return render(request, "factcheck/inbox.html", context)


@require_safe
def inbox_badge(request):
    """The header's unread count, polled by htmx: one query for an editor, none for anyone else."""
    count = _unread(request.user).count() if is_desk(request.user) else 0
    return render(request, "factcheck/_inbox_badge.html", {"unread": count})


@require_POST
@editor_required("factcheck.add_annotation", gettext_lazy("The inbox"))
def inbox_read(request):
    """Mark one notification (``notification=<id>``) or all (``all``) read."""
    rows = _unread(request.user)
    if "notification" in request.POST:
        pk = request.POST["notification"].strip()
        # Not an id: nothing to mark (and no 500 on a number too long for the column).
        rows = rows.filter(pk=int(pk)) if pk.isdigit() and len(pk) < 12 else rows.none()
    marked = services.notifications_mark_read(user=request.user, notifications=rows)
    return done(
        request,
        to=safe_next(request, request.POST.get("next")) or resolve_url("inbox"),
        message=ngettext("Marked %(count)d notification read.", "Marked %(count)d notifications read.", marked)
        % {"count": marked},
        json_data={"marked": marked},
        partial="factcheck/_inbox_badge.html",
        context={"unread": _unread(request.user).count()},
    )


@require_POST
@editor_required("factcheck.add_annotation", gettext_lazy("Watching"))
def watch(request):
    """Watch or unwatch (``action``) a topic (``topic=<slug>``) or a claim (``claim=<id>``)."""
    action = request.POST.get("action", "watch")
    if action not in ("watch", "unwatch"):
        return HttpResponse(f"action must be “watch” or “unwatch”, not “{action[:40]}”.", status=400)
    topic = claim = None
    if request.POST.get("topic"):
        topic = get_or_404(Topic.objects.all(), "topic", slug=request.POST["topic"][:100])
    elif request.POST.get("claim", "").isdigit():
        claim = get_or_404(Claim.objects.all(), "claim", pk=int(request.POST["claim"]))
    else:
        return HttpResponse("Say what to watch: topic=<slug> or claim=<id>.", status=400)
    services.watch_set(user=request.user, topic=topic, claim=claim, watching=action == "watch")
    target = topic or claim
    return done(
        request,
        to=safe_next(request, request.POST.get("next")) or target.get_absolute_url(),
        message=(_("Watching %(target)s.") if action == "watch" else _("No longer watching %(target)s."))
        % {"target": target},
        json_data={"watching": action == "watch"},
        partial="factcheck/_watch.html",
        context={"watch_topic": topic, "watch_claim": claim, "watching": action == "watch"},
    )


@csrf_exempt  # RFC 8058: the mail client POSTs without a session; the signed token is the credential.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET: say what the button does; POST (the button, or a mail client's one-click): stop the emails."""
    user = services.user_from_token(token)
    if user is None:
        raise PermissionDenied(_("This unsubscribe link is not valid: it may have been altered. Nothing was changed."))
    if request.method == "POST":
        services.notification_email_set(user=user, email=False)
        return render(request, "factcheck/unsubscribe.html", {"person": user, "done": True})
    return render(request, "factcheck/unsubscribe.html", {"person": user, "done": False})


def watched(user, *, topic=None, claim=None):
    """Whether ``user`` watches the topic or claim (one query)."""
    if not is_desk(user):
        return False
    return Watch.objects.filter(user=user, topic=topic, claim=claim).exists()
