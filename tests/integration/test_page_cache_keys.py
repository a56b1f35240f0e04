"""What makes a page cache key, and the cache's byte budget (M2).

A cached view declares the query parameters it reads; anything else in the
query string neither makes a new key nor reaches the page. The per-process
cache is bounded in bytes, not entries.
"""

import json
import os
import subprocess
import sys

import pytest
from django.core.cache import caches

from factcheck import cache
from tests.conftest import make_claim, make_source

committed = pytest.mark.django_db(transaction=True)

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."


def _corpus():
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    claim = make_claim(
        text="Syria agreed to let Russia keep its bases.", assertions=[(a, "supports", Q1), (b, "disputes", Q2)]
    )
    make_claim(topic=claim.topic, text="Russia left Tartus.", assertions=[(a, "disputes", Q1), (b, "supports", Q2)])
    return claim, a, b


def _every_cached_url(claim, a, b):
    slug = claim.topic.slug
    return [
        "/",
        f"/topics/{slug}/",
        "/claims/?status=conflict",
        f"/claims/{claim.pk}/",
        "/sources/",
        f"/sources/{a.pk}/",
        "/search/?q=Russia",
        "/api/evidence/?q=Russia+Tartus",
        "/api/claims/?q=Russia",
        f"/api/claims/{claim.pk}/",
        "/api/sources/",
        f"/api/sources/{a.pk}/",
        f"/compare/?a={a.pk}&b={b.pk}",
        f"/api/compare/?s={a.pk}&s={b.pk}",
        f"/api/topics/{slug}/timeline/",
        "/api/claimreview/",
    ]


def _with(url, query):
    return f"{url}{'&' if '?' in url else '?'}{query}"


@committed
def test_it_gives_parameters_a_view_does_not_read_one_key(client):
    claim, a, b = _corpus()
    for url in _every_cached_url(claim, a, b):
        first = client.get(_with(url, "cb=1"))
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss", url
        for junk in ("cb=2", "utm_source=x&v=3", f"v={'z' * 5000}"):
            again = client.get(_with(url, junk))
            assert again["X-Page-Cache"] == "hit", (url, junk)
            assert again.content == first.content, (url, junk)
        assert client.get(url)["X-Page-Cache"] == "hit", url


@committed
def test_it_keys_on_the_parameters_a_view_reads_whatever_their_order_or_repetition(client):
    claim, a, b = _corpus()
    assert client.get("/claims/?status=conflict&q=Syria")["X-Page-Cache"] == "miss"
    assert client.get("/claims/?q=Syria&status=conflict")["X-Page-Cache"] == "hit"
    assert client.get("/claims/?q=Syria&status=conflict&q=Syria&cb=1")["X-Page-Cache"] == "hit"
    other = client.get("/claims/?q=Tartus&status=conflict")
    assert other["X-Page-Cache"] == "miss"
    assert "Russia left Tartus." in other.content.decode()

    assert client.get("/api/sources/?page=1")["X-Page-Cache"] == "miss"
    assert client.get("/api/sources/?page=1&page=1&page=1")["X-Page-Cache"] == "hit"
    # get() reads the last value, and so does the key.
    assert client.get("/api/sources/?page=7&page=1")["X-Page-Cache"] == "hit"

    # The order of the sources is the order of the columns: that makes a key.
    assert client.get(f"/compare/?b={b.pk}&a={a.pk}")["X-Page-Cache"] == "miss"
    assert client.get(f"/compare/?a={a.pk}&b={b.pk}")["X-Page-Cache"] == "hit"
    assert client.get(f"/api/compare/?s={a.pk}&s={b.pk}")["X-Page-Cache"] == "miss"
    swapped = client.get(f"/api/compare/?s={b.pk}&s={a.pk}")
    assert swapped["X-Page-Cache"] == "miss"
    assert [s["id"] for s in swapped.json()["sources"]] == [b.pk, a.pk]


@committed
def test_it_keeps_no_parameter_it_does_not_read_in_the_page(client, settings):
    settings.FACTCHECK_PAGE_SIZE = 1
    _corpus()
    data = json.loads(client.get("/api/claims/?utm_campaign=attacker&q=Russia").content)
    assert data["next"] == "http://testserver/api/claims/?q=Russia&page=2"
    html = client.get("/claims/?utm_campaign=attacker").content.decode()
    assert "attacker" not in html
    assert "?next=/claims/" in html  # the login link names the page, without the junk


@committed
def test_it_serves_too_many_values_fresh_and_stores_none_of_them(client):
    _claim, a, b = _corpus()
    pages = caches[cache.CACHE_ALIAS]
    url = "/api/compare/?" + "&".join(f"s={pk}" for pk in [a.pk, b.pk] * 50)  # far past any form's limit
    responses = [client.get(url) for _ in range(2)]
    assert [(r.status_code, r["X-Page-Cache"]) for r in responses] == [(200, "bypass"), (200, "bypass")]
    held = pages.bytes_held
    client.get(url)
    assert pages.bytes_held == held


@committed
def test_a_path_spelled_otherwise_makes_no_key(client):
    claim, _a, _b = _corpus()
    assert client.get(f"/claims/{claim.pk}/")["X-Page-Cache"] == "miss"
    for _ in range(2):
        response = client.get(f"/claims/000{claim.pk}/")
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "bypass"


@committed
def test_an_hx_target_header_makes_no_key(client):
    _corpus()
    assert client.get("/claims/", headers={"HX-Request": "true", "HX-Target": "results"})["X-Page-Cache"] == "miss"
    for target in ("other", "x" * 500):
        response = client.get("/claims/", headers={"HX-Request": "true", "HX-Target": target})
        assert response["X-Page-Cache"] == "hit"
        assert "<html" not in response.content.decode()


# The byte budget


def _bounded(name, max_bytes):
    from factcheck.cache_backends import ByteBoundedLocMemCache  # here, so the file runs on code without it

    return ByteBoundedLocMemCache(name, {"MAX_BYTES": max_bytes})


def _entry_size(c, key, value):
    c.set(key, value)
    size = c.bytes_held
    c.clear()
    return size


def test_it_evicts_the_least_recently_used_past_its_byte_budget():
    probe = _bounded("test-budget-probe", 10**9)
    size = _entry_size(probe, "a", b"x" * 10_000)
    assert size > 10_000 + len(":1:a")  # the value pickled, the key made, and the bookkeeping
    c = _bounded("test-budget", 3 * size)
    c.clear()
    for key in "abc":
        c.set(key, b"x" * 10_000)
    assert c.get("a") is not None  # a is now the most recently used; b the least
    c.set("d", b"x" * 10_000)
    assert c.get("b") is None
    assert [c.get(key) is not None for key in "acd"] == [True, True, True]
    assert c.bytes_held == 3 * size
    more = "efghijklmnopqrstuvwxyz"  # keys of one length: entries of one size
    for key in more:
        c.set(key, b"x" * 10_000)
    assert c.bytes_held == 3 * size
    assert [key for key in "abcd" + more if c.get(key) is not None] == ["x", "y", "z"]


def test_it_counts_a_replaced_or_deleted_value_once_and_stores_nothing_bigger_than_the_budget():
    c = _bounded("test-budget-replace", 50_000)
    c.clear()
    c.set("k", b"x" * 1_000)
    small = c.bytes_held
    for _ in range(10):
        c.set("k", b"x" * 1_000)
    assert c.bytes_held == small
    c.set("k", b"x" * 20_000)
    assert small + 19_000 <= c.bytes_held < small + 20_000
    c.delete("k")
    assert c.bytes_held == 0
    c.set("small", b"x")
    c.set("huge", b"x" * 60_000)
    assert c.get("huge") is None
    assert c.get("small") == b"x"  # not evicted to make room for what could never fit
    c.add("n", 1)
    before = c.bytes_held
    c.incr("n", 10**30)
    assert c.bytes_held > before
    c.clear()
    assert c.bytes_held == 0


def _settings_in_a_new_process(**env):
    code = (
        "import django; django.setup(); from django.conf import settings; import json; "
        "print(json.dumps(settings.CACHES['pages']))"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_PAGE_CACHE")}
    environ.update(DJANGO_SETTINGS_MODULE="factcheck.settings", DJANGO_SECRET_KEY="k" * 50, **env)
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=120)


def test_the_page_cache_is_bounded_in_bytes_by_default_and_by_its_setting():
    default = json.loads(_settings_in_a_new_process().stdout)
    assert default["BACKEND"] == "factcheck.cache_backends.ByteBoundedLocMemCache"
    assert default["MAX_BYTES"] == 64 * 2**20
    assert "OPTIONS" not in default  # no limit on the number of entries
    eight = json.loads(_settings_in_a_new_process(FACTCHECK_PAGE_CACHE_MB="8").stdout)
    assert eight["MAX_BYTES"] == 8 * 2**20
    refused = _settings_in_a_new_process(FACTCHECK_PAGE_CACHE_MB="0")
    assert refused.returncode != 0
    assert "FACTCHECK_PAGE_CACHE_MB must be at least 1; got 0" in refused.stderr
    other = json.loads(_settings_in_a_new_process(FACTCHECK_PAGE_CACHE_URL="dummy://").stdout)
    assert other["BACKEND"] == "django.core.cache.backends.dummy.DummyCache"  # other backends bound themselves
