"""A logged-in user's own copy of a page (``@cached_page(personal=True)``, factcheck/cache.py).

Keyed besides the request by the user and everything the pages show of
them: name, staff, permissions (read in one query, factcheck/auth_backends.py,
and asked for by the page anyway); and by their CSRF secret, because the
page's forms carry tokens made from it: a new login rotates it, and the
copy with it. Stored under the same versions as anyone's page, so an edit
shows on the next request; what else of theirs a page shows must be tagged
(their watches are: ``cache_tags.WATCHES``).
"""

from django.conf import settings
from django.db import connections

# Django's message framework keeps pending messages in this cookie (or the session).
MESSAGES_COOKIE = "messages"


def identity(request):
    """What makes a logged-in user's own copy of a page, besides the request; None: render it fresh.

    Never with a message waiting to be shown (in its cookie or the session).
    """
    if request.method != "GET" or not settings.FACTCHECK_PAGE_CACHE or MESSAGES_COOKIE in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    secret = request.META.get("CSRF_COOKIE")
    if user is None or not user.is_authenticated or not secret or connections["default"].in_atomic_block:
        return None
    if request.session.get("_messages"):  # django.contrib.messages' SessionStorage
        return None
    flags = f"{user.is_staff:d}{user.is_superuser:d}"
    return "\n".join([str(user.pk), user.get_username(), flags, secret, *sorted(user.get_all_permissions())])


def csrf_token_reusable(request, secret):
    """Whether a render's CSRF tokens, if any, may be stored in the copy keyed by ``secret``.

    Tokens made from the secret in the key stay valid for every request with
    that key; a secret new to this request (no cookie yet) would not. A
    session written by the render is the user's state moving: not stored.
    """
    if request.session.modified:
        return False
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE") == secret
