"""A logged-in editor's own cached copy of the claim, topic and source pages (factcheck/cache.py, ``personal``).

Committed writes (``transaction=True``): inside a test's transaction nothing
is cached. Whether a page came from the cache is read from ``X-Page-Cache``;
nothing here is timed.
"""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from factcheck.models import Annotation, Claim, Watch
from tests.conftest import make_conflict_claim, make_source, make_topic

committed = pytest.mark.django_db(transaction=True)


def _claim():
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    return make_conflict_claim(a, b, topic=make_topic(title="Bases"))


def _logged_in(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _urls(claim):
    source = claim.assertions.order_by("id").first().source_id
    return [f"/claims/{claim.pk}/", f"/topics/{claim.topic.slug}/", f"/sources/{source}/"]


def _warm(client, url):
    client.get(url)  # sets the CSRF cookie the copy is keyed by
    client.get(url)
    page = client.get(url)
    assert page["X-Page-Cache"] == "hit", url
    return page


@committed
@pytest.mark.parametrize("which", [0, 1, 2], ids=["claim", "topic", "source"])
def test_it_serves_an_editor_their_own_copy_of_the_page(editor, which):
    claim = _claim()
    url = _urls(claim)[which]
    client = _logged_in(editor)

    page = _warm(client, url).content.decode()

    assert "<strong>editor</strong>" in page and "X-CSRFToken" in page


@committed
def test_an_editors_cached_claim_page_costs_three_queries(editor, django_assert_num_queries):
    claim = _claim()
    Annotation.objects.create(claim=claim, author=editor, body="Checked with the port authority.")
    client = _logged_in(editor)
    _warm(client, f"/claims/{claim.pk}/")

    # 1. the session, 2. the user with their permissions (factcheck/auth_backends.py),
    # 3. the versions of the page's tags (the claim, its notes, sources, the editor's watches).
    with django_assert_num_queries(3):
        assert client.get(f"/claims/{claim.pk}/")["X-Page-Cache"] == "hit"


@committed
def test_the_forms_of_a_cached_copy_still_post(editor):
    claim = _claim()
    client = _logged_in(editor)
    page = _warm(client, f"/claims/{claim.pk}/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    response = client.post(
        f"/claims/{claim.pk}/annotations/", {"body": "Posted from a cached page.", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert "Posted from a cached page." in client.get(f"/claims/{claim.pk}/").content.decode()


@committed
def test_another_editors_note_shows_on_the_next_request(editor, second_editor):
    claim = _claim()
    client = _logged_in(editor)
    _warm(client, f"/claims/{claim.pk}/")

    Annotation.objects.create(claim=claim, author=second_editor, body="Second opinion from the desk.")

    page = client.get(f"/claims/{claim.pk}/")
    assert page["X-Page-Cache"] == "miss"
    assert "Second opinion from the desk." in page.content.decode()


@committed
def test_an_edit_elsewhere_leaves_the_copy_cached(editor):
    claim, other = _claim(), _claim()
    client = _logged_in(editor)
    _warm(client, f"/claims/{claim.pk}/")

    Claim.objects.filter(pk=other.pk).update(text="An unrelated claim, edited.")

    assert client.get(f"/claims/{claim.pk}/")["X-Page-Cache"] == "hit"


@committed
@pytest.mark.parametrize("which", [0, 1], ids=["claim", "topic"])
def test_a_new_watch_shows_on_the_next_request(editor, which):
    claim = _claim()
    url = _urls(claim)[which]
    client = _logged_in(editor)
    assert "Unwatch" not in _warm(client, url).content.decode()

    # Straight to the table, as any write path might: the trigger moves the editor's watches tag.
    Watch.objects.create(user=editor, **({"claim": claim} if which == 0 else {"topic": claim.topic}))

    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Unwatch this" in page.content.decode()


@committed
def test_each_editor_gets_their_own_copy(editor, second_editor):
    claim = _claim()
    _warm(_logged_in(editor), f"/claims/{claim.pk}/")

    page = _logged_in(second_editor).get(f"/claims/{claim.pk}/").content.decode()

    assert "<strong>editor2</strong>" in page and "<strong>editor</strong>" not in page


@committed
def test_a_withdrawn_permission_shows_on_the_next_request(editor):
    claim = _claim()
    client = _logged_in(editor)
    assert "Add a note on this claim" in _warm(client, f"/claims/{claim.pk}/").content.decode()

    group = editor.groups.get()
    group.permissions.remove(Permission.objects.get(codename="add_annotation"))

    page = client.get(f"/claims/{claim.pk}/")
    assert page["X-Page-Cache"] != "hit"
    assert "Add a note on this claim" not in page.content.decode()


@committed
def test_a_new_login_gets_a_new_copy(editor):
    claim = _claim()
    _warm(_logged_in(editor), f"/claims/{claim.pk}/")

    fresh = _logged_in(editor)  # a new session with no CSRF cookie yet, then a new secret
    assert fresh.get(f"/claims/{claim.pk}/")["X-Page-Cache"] == "bypass"
    assert fresh.get(f"/claims/{claim.pk}/")["X-Page-Cache"] == "miss"


@committed
def test_a_waiting_message_is_shown_not_cached(editor):
    claim = _claim()
    client = _logged_in(editor)
    url = f"/claims/{claim.pk}/"
    page = _warm(client, url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    client.post("/watch/", {"claim": claim.pk, "action": "watch", "next": url, "csrfmiddlewaretoken": token})
    shown = client.get(url)

    assert shown["X-Page-Cache"] == "bypass"
    assert "Watching" in shown.content.decode()
    assert "Watching" not in client.get(url).content.decode().split('<main id="main"', 1)[1].split("<article", 1)[0]


# Two ways a session ends elsewhere; each returns the client that then asks for the page.
def _log_out_elsewhere(client, editor):
    """Log out, then replay the old session cookie from another browser."""
    stolen = client.cookies["sessionid"].value
    client.post("/accounts/logout/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    replay = Client()
    replay.cookies = client.cookies
    replay.cookies["sessionid"] = stolen
    return replay


def _change_password(client, editor):
    """Change the password, which ends every session started before."""
    editor.set_password("a-new-password-789")
    editor.save()
    return client


@committed
@pytest.mark.parametrize("end_session", [_log_out_elsewhere, _change_password], ids=["logged-out", "new-password"])
def test_a_session_ended_elsewhere_no_longer_gets_the_copy(editor, end_session):
    claim = _claim()
    client = _logged_in(editor)
    _warm(client, f"/claims/{claim.pk}/")

    page = end_session(client, editor).get(f"/claims/{claim.pk}/")

    assert page["X-Page-Cache"] != "hit"
    assert "<strong>editor</strong>" not in page.content.decode()


@committed
def test_a_hit_renews_the_csrf_cookie_with_the_same_secret(editor):
    claim = _claim()
    client = _logged_in(editor)
    secret = client.get(f"/claims/{claim.pk}/").cookies["csrftoken"].value

    page = _warm(client, f"/claims/{claim.pk}/")

    assert page.cookies["csrftoken"].value == secret
