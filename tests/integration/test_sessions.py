"""Database sessions read without the ORM (factcheck/sessions.py), as Django's ``db`` backend reads them."""

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from factcheck.sessions import SessionStore


def test_it_reads_what_djangos_backend_wrote(db, django_assert_num_queries):
    written = DjangoStore()
    written["_auth_user_id"] = "7"
    written["cart"] = ["a", "b"]
    written.save()

    with django_assert_num_queries(1):
        read = SessionStore(written.session_key)
        assert read["cart"] == ["a", "b"] and read["_auth_user_id"] == "7"
    assert read.session_key == written.session_key


def test_it_reads_nothing_from_an_expired_session_and_gives_it_a_new_key(db):
    written = SessionStore()
    written["cart"] = ["a"]
    written.save()
    Session.objects.filter(session_key=written.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))

    read = SessionStore(written.session_key)

    assert read.get("cart") is None
    assert read.session_key is None  # saving it would never reuse the expired key


def test_it_reads_nothing_for_an_unknown_or_missing_key(db):
    assert SessionStore("x" * 32).load() == {}
    assert SessionStore().load() == {}
