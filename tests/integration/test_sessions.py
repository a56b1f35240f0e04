"""Sessions: a new key at login, nothing left behind by logout, strong passwords only."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

LOGIN = "/accounts/login/"


def _session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.django_db
def test_it_rotates_the_session_key_on_login(client, editor):
    session = client.session
    session["seen_before_login"] = True
    session.save()
    before = _session_key(client)

    response = client.post(LOGIN, {"username": "editor", "password": "editor-password-123"})
    assert response.status_code == 302
    after = _session_key(client)
    assert after != before
    # The pre-login key is gone from the store: a fixated id is worthless.
    assert not Session.objects.filter(session_key=before).exists()
    # ...while what the visitor had in the session carries over.
    assert client.session["seen_before_login"] is True


@pytest.mark.django_db
def test_it_invalidates_the_old_session_cookie_on_logout(client, staff):
    client.post(LOGIN, {"username": "staff", "password": "staff-password-123"})
    old_key = _session_key(client)
    assert client.get("/admin/").status_code == 200

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=old_key).exists()

    # Someone who copied the cookie before logout gets nothing with it.
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = thief.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_it_refuses_logout_by_get(client, editor):
    client.force_login(editor)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.session.get("_auth_user_id") == str(editor.pk)


@pytest.mark.django_db
def test_it_invalidates_other_sessions_when_the_password_changes(client, editor):
    client.post(LOGIN, {"username": "editor", "password": "editor-password-123"})
    assert client.get("/").context["user"] == editor
    editor.set_password("a-brand-new-passphrase-42")
    editor.save()
    # The session's password hash no longer matches: that login is over.
    assert client.get("/").context["user"].is_anonymous


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password, reason",
    [
        ("short-pw1", "too short"),
        ("password1234", "too common"),
        ("839204718263", "entirely numeric"),
        ("editor@newsroom", "too similar"),
    ],
)
def test_it_refuses_weak_passwords(editor, password, reason):
    editor.email = "editor@newsroom.example"
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, user=editor)
    assert reason in " ".join(excinfo.value.messages)


@pytest.mark.django_db
def test_it_accepts_a_long_unrelated_passphrase(editor):
    assert validate_password("correct horse battery staple", user=editor) is None


def test_it_requires_at_least_twelve_characters():
    validators = {v["NAME"].rsplit(".", 1)[1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 12
    assert {"UserAttributeSimilarityValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= set(
        validators
    )
