"""Helpers for the editors' tests: CSRF-enforcing clients, and the rows the editors' actions need."""

from django.test import Client

from factcheck import services
from factcheck.models import Annotation


def csrf_client(user=None, page="/"):
    """A client that enforces CSRF like a browser, logged in as ``user``, and its CSRF token."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get(page)
    return client, client.cookies["csrftoken"].value


def note_by(user, claim, body="A note.", assertion=None):
    return services.annotation_create(claim=claim, author=user, body=body, assertion=assertion)


def resolve(user, claim, verdict="false", rationale="Because.", prevailing=(), version=0):
    return services.resolution_save(
        publish=True,
        claim=claim,
        user=user,
        verdict=verdict,
        rationale=rationale,
        prevailing=list(prevailing),
        version=version,
    )


def notes_of(claim):
    return list(Annotation.objects.filter(claim=claim).order_by("id"))


HTMX = {"HX-Request": "true"}
JSON = {"Accept": "application/json"}
