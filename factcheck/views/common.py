"""What every view module shares: lookups that 404 with a reason, and the editors' access checks.

Every editor's action needs a login (anonymous: to the login page, or for
htmx a redirect of the whole page to it, or for JSON a 401) and a
permission (without it: 403 saying what was refused).
"""

from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from factcheck.models import Claim
from factcheck.shapes import error_json


def get_or_404(queryset, what, **lookup):
    """The one object matching ``lookup``, or a 404 that names what was missing."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise not_found(what, **lookup)
    return obj


def not_found(what, **lookup):
    """The 404 that names what was missing: ``not_found("claim", pk=3)``, "There is no claim with id 3."."""
    described = ", ".join(f"{name.replace('pk', 'id')} {value}" for name, value in lookup.items())
    return Http404(f"There is no {what} with {described}.")


def get_claim_for_editing(pk):
    """The claim with what the editors' forms and answers show of it (topic, assignee)."""
    return get_or_404(Claim.objects.select_related("topic", "assigned_to"), "claim", pk=pk)


def wants_json(request):
    return not request.htmx and "application/json" in request.headers.get("Accept", "")


def safe_next(request, candidate):
    """``candidate`` if it is an address on this site, else None."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _login_redirect(request):
    """To the login page, coming back to the page the editor was on (a POST-only URL would 405)."""
    if request.method == "GET":
        next_url = request.get_full_path()
    else:
        next_url = (
            safe_next(request, request.POST.get("next"))
            or safe_next(request, request.headers.get("HX-Current-URL"))
            or request.get_full_path()
        )
    if wants_json(request):
        return JsonResponse(error_json("Log in first: this is an editor's action.", 401), status=401)
    if request.htmx:
        # htmx would swap the login page into the fragment's slot: have it load the whole page instead.
        return HttpResponseClientRedirect(f"{resolve_url(settings.LOGIN_URL)}?next={quote(next_url)}")
    return redirect_to_login(next_url)


def editor_required(perm, doing):
    """Logged in (else the login page) and holding ``perm`` (else 403 saying what was refused)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _login_redirect(request)
            if not request.user.has_perm(perm):
                raise PermissionDenied(
                    _("%(doing)s is for editors; your account is not in the Editors group. Ask an administrator.")
                    % {"doing": doing}
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def staff_required(doing, perm=None, granted_by=""):
    """Logged in (else the login page), staff, and holding ``perm`` if given (else 403 saying what was refused)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _login_redirect(request)
            if not request.user.is_staff:
                raise PermissionDenied(_("%(doing)s is for staff only.") % {"doing": doing})
            if perm and not request.user.has_perm(perm):
                raise PermissionDenied(
                    f"{doing} needs the permission “{perm}”, which your account does not have. "
                    f"Ask an administrator{granted_by}."
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
