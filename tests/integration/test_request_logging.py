"""Client errors are logged in one line; server errors keep their traceback (L8)."""

import logging

import pytest
from django.http import HttpResponseServerError
from django.test import Client
from django.urls import path


def _boom(request):
    raise RuntimeError("a bug of ours")


def _server_error(request):
    return HttpResponseServerError("Something went wrong on our side")


# This module doubles as the URLconf of the 500 test (pytest.mark.urls).
urlpatterns = [path("boom/", _boom)]
handler500 = _server_error


@pytest.fixture(autouse=True)
def _capture_info(caplog):
    """Every test here reads the request log from INFO up."""
    caplog.set_level(logging.INFO)


def _records(caplog):
    return [r for r in caplog.records if r.name.startswith("django.")]


def _get(url, **kwargs):
    return Client(raise_request_exception=False).get(url, **kwargs)


@pytest.mark.django_db
def test_it_logs_a_bad_parameter_in_one_line_without_a_traceback(caplog):
    response = _get("/api/claims/?page=x")
    assert response.status_code == 400
    [record] = _records(caplog)
    assert record.getMessage() == "GET /api/claims/ 400 Bad parameter — page: 'x' is not a whole number."
    assert record.exc_info is None and record.exc_text is None
    assert "Traceback" not in caplog.text and len(caplog.text) < 300


@pytest.mark.django_db
def test_it_logs_a_missing_object_in_one_line(caplog):
    assert _get("/api/claims/987654/").status_code == 404
    [record] = _records(caplog)
    assert record.getMessage() == "GET /api/claims/987654/ 404 There is no claim with id 987654."
    assert record.exc_info is None and "Traceback" not in caplog.text


@pytest.mark.django_db
def test_it_logs_an_unknown_url_with_a_plain_reason_not_the_resolvers_dump(caplog):
    assert _get("/no/such/page/").status_code == 404
    [record] = _records(caplog)
    assert record.getMessage() == "GET /no/such/page/ 404 Not found"


@pytest.mark.django_db
def test_it_logs_a_refused_form_in_one_line(caplog, editor, conflict_claim):
    # A 422 the view returns itself: Django logs it without an exception, already one line; now in our shape.
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    caplog.clear()
    response = client.post(f"/claims/{conflict_claim.pk}/annotations/", {"body": ""})
    assert response.status_code == 422
    assert [r.getMessage() for r in _records(caplog)] == [
        f"POST /claims/{conflict_claim.pk}/annotations/ 422 Unprocessable Entity"
    ]


@pytest.mark.django_db
def test_it_logs_a_suspicious_request_in_one_line_too(caplog, staff):
    # DisallowedModelAdminLookup: logged by Django on django.security.<name>, not django.request.
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    caplog.clear()
    assert client.get("/admin/factcheck/assertion/", {"claim__topic__id__exact": "1"}).status_code == 400
    lines = [r.getMessage() for r in _records(caplog)]
    assert lines == ["GET /admin/factcheck/assertion/ 400 Filtering by claim__topic__id__exact not allowed"]
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_it_keeps_a_client_supplied_newline_out_of_the_log(caplog):
    _get("/claims/%0AGET%20/forged/")
    [record] = _records(caplog)
    assert "\n" not in record.getMessage() and "\\x0a" in record.getMessage()


@pytest.mark.django_db
@pytest.mark.urls("tests.integration.test_request_logging")
def test_it_keeps_the_traceback_of_a_server_error(caplog):
    assert _get("/boom/").status_code == 500
    [record] = _records(caplog)
    assert record.levelno == logging.ERROR and record.status_code == 500
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "Traceback" in caplog.text and "a bug of ours" in caplog.text
