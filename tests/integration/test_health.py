"""/healthz answers whether the database does, without login and without caching."""

import json

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_it_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_it_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_needs_no_login_even_for_a_logged_in_user(client, reader):
    assert client.get("/healthz").status_code == 200
    client.force_login(reader)
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_it_answers_503_with_the_reason_when_the_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    data = json.loads(response.content)
    assert data["status"] == "error"
    assert data["database"] == "OperationalError: disk I/O error"


@pytest.mark.django_db
def test_it_answers_503_when_the_tables_are_missing(client, monkeypatch):
    from factcheck.models import Claim

    monkeypatch.setattr(Claim._meta, "db_table", "no_such_table_here")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "no_such_table_here" in json.loads(response.content)["database"]


@pytest.mark.django_db
def test_it_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_it_answers_head_like_get_for_load_balancers(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
