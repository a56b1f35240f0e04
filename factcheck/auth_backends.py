"""Login throttling in front of Django's own ModelBackend."""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render


class ThrottlingBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request.

    Only a request has an IP to throttle by. ``authenticate()`` without one
    (the test client's ``login()``, a shell, a management command) is not a
    login form an attacker can reach, so it skips the check rather than
    failing the way django-axes' own backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The 429 page django-axes shows a locked-out username + IP pair."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def client_ip(request):
    """The address a login attempt is counted against.

    Directly exposed, the peer address is the client's. Behind the TLS proxy
    (DJANGO_BEHIND_PROXY), every peer is the proxy: the client is the last
    address the proxy appended to X-Forwarded-For. Earlier entries are
    whatever the client chose to send, so they are never believed.
    """
    if getattr(settings, "FACTCHECK_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
