"""The content security policy and the headers beside it.

Templates that need nothing inline: tests/unit/test_template_inline_code.py.
"""

import json
import re

import pytest
from django.conf import settings

from tests.conftest import make_source
from tests.html_safety import inspect, unsafe_parts


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.django_db
def test_it_sends_a_strict_content_security_policy(client):
    directives = _directives(client.get("/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    for values in directives.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/claims/", "/no/such/page/", "/api/claims/", "/accounts/login/", "/healthz"])
def test_it_sends_the_security_headers_on_every_kind_of_response(client, path):
    response = client.get(path)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_it_marks_the_session_and_csrf_cookies(client, reader):
    response = client.post("/accounts/login/", {"username": "reader", "password": "reader-password-123"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_it_configures_htmx_to_inject_no_style_and_never_eval(client):
    body = client.get("/").content.decode()
    match = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", body)
    assert match, "the htmx-config meta tag is missing"
    config = json.loads(match.group(1))
    assert {key: config.get(key) for key in ("includeIndicatorStyles", "allowEval")} == {
        "includeIndicatorStyles": False,
        "allowEval": False,
    }


@pytest.mark.django_db
def test_it_renders_pages_whose_only_scripts_are_our_static_files(client, staff, conflict_claim):
    source = make_source(title="Gamma")
    pages = [
        "/",
        f"/topics/{conflict_claim.topic.slug}/",
        "/claims/",
        f"/claims/{conflict_claim.pk}/",
        "/sources/",
        f"/sources/{source.pk}/",
        "/search/?q=bases",
        "/accounts/login/",
    ]
    client.force_login(staff)
    pages += [
        "/admin/",
        "/admin/factcheck/claim/",
        f"/admin/factcheck/claim/{conflict_claim.pk}/change/",
        "/admin/factcheck/source/add/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        allow = ("svg",) if path.startswith("/admin/") else ()
        assert unsafe_parts(html, allow=allow) == [], path
        parsed = inspect(html)
        assert [
            s
            for s in parsed.scripts
            if s["text"].strip()
            and s["attrs"].get("type") != "application/json"
            and s["attrs"].get("type") != "application/ld+json"
        ] == [], path
        if not path.startswith("/admin/"):
            # The admin ships a few style= attributes of its own (hidden
            # widgets); our own pages have none, so style-src can stay strict.
            assert parsed.style_attrs == [], (path, parsed.style_attrs)
