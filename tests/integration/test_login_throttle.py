"""Login throttling: django-axes locks a username + IP pair after repeated failures.

The numbers are settings (FACTCHECK_LOGIN_FAILURE_LIMIT, FACTCHECK_LOGIN_COOLOFF_MINUTES);
these tests read them rather than repeat them, and check the documented defaults once.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings

LOGIN = "/accounts/login/"
GOOD = {"username": "editor", "password": "editor-password-123"}
BAD = {"username": "editor", "password": "not-the-password"}


def _fail(client, times, ip="127.0.0.1", data=BAD):
    return [client.post(LOGIN, data, REMOTE_ADDR=ip).status_code for _ in range(times)]


def test_it_documents_five_failures_and_fifteen_minutes_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@pytest.mark.django_db
def test_it_answers_failures_below_the_limit_with_the_form_and_its_error(client, editor):
    codes = _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert codes == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(LOGIN, GOOD)
    assert response.status_code == 302  # still allowed: one attempt left


@pytest.mark.django_db
def test_it_locks_after_the_limit_with_a_clear_429_page(client, editor):
    codes = _fail(client, settings.AXES_FAILURE_LIMIT)
    assert codes[-1] == 429
    response = client.post(LOGIN, BAD)
    body = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed log-ins" in body
    assert f"After {settings.AXES_FAILURE_LIMIT} failed attempts for “editor”" in body
    assert "paused for 15 minutes" in body
    assert response["Retry-After"] == str(15 * 60)


@pytest.mark.django_db
def test_it_refuses_even_the_right_password_while_locked(client, editor):
    _fail(client, settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, GOOD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_only_the_pair_not_the_user_everywhere(client, editor, second_editor):
    _fail(client, settings.AXES_FAILURE_LIMIT, ip="203.0.113.7")
    # The same editor from another address, and another editor from the same address, still get in.
    assert client.post(LOGIN, GOOD, REMOTE_ADDR="198.51.100.1").status_code == 302
    client.logout()
    other = {"username": "editor2", "password": "editor-password-456"}
    assert client.post(LOGIN, other, REMOTE_ADDR="203.0.113.7").status_code == 302


@pytest.mark.django_db
def test_it_unlocks_after_the_cool_off(client, editor):
    _fail(client, settings.AXES_FAILURE_LIMIT)
    assert client.post(LOGIN, GOOD).status_code == 429
    # Move the recorded failures back past the cool-off instead of sleeping.
    past = AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    response = client.post(LOGIN, GOOD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@pytest.mark.django_db
def test_it_forgets_failures_after_a_successful_login(client, editor):
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert client.post(LOGIN, GOOD).status_code == 302
    client.logout()
    # A fresh allowance: limit - 1 more failures are not a lockout.
    assert 429 not in _fail(client, settings.AXES_FAILURE_LIMIT - 1)


@pytest.mark.django_db
def test_it_counts_failures_for_unknown_usernames_too(client):
    codes = _fail(client, settings.AXES_FAILURE_LIMIT, data={"username": "nobody", "password": "guess-guess-1"})
    assert codes[-1] == 429


@pytest.mark.django_db
def test_it_throttles_the_admin_login_as_well(client, staff):
    data = {"username": "staff", "password": "wrong", "next": "/admin/"}
    codes = [client.post("/admin/login/", data).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert codes[-1] == 429


@pytest.mark.django_db
def test_it_counts_the_proxys_client_address_not_the_proxy_or_a_forged_header(client, editor, settings):
    settings.FACTCHECK_BEHIND_PROXY = True
    # Behind the proxy every request comes from 127.0.0.1; the proxy appends the real client last.
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        response = client.post(LOGIN, BAD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5")
    assert response.status_code == 429  # forging the first entry did not spread the failures out
    other = client.post(LOGIN, GOOD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 302  # another client behind the same proxy is not locked out


@pytest.mark.django_db
def test_it_ignores_forwarded_headers_when_not_behind_a_proxy(client, editor, settings):
    settings.FACTCHECK_BEHIND_PROXY = False
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(LOGIN, BAD, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert response.status_code == 429
