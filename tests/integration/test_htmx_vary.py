"""Vary: HX-Request on every response (L11): a page and its htmx fragment share a URL.

A shared HTTP cache or the browser's would otherwise serve the fragment as the page.
"""

import pytest

from tests.integration.test_page_cache_keys import _corpus, _every_cached_url

committed = pytest.mark.django_db(transaction=True)


def _vary(response):
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


@committed
def test_it_sends_vary_hx_request_on_pages_that_answer_htmx_with_a_fragment_and_on_the_api(client):
    claim, a, b = _corpus()
    for url in _every_cached_url(claim, a, b):
        for headers in ({}, {"HX-Request": "true"}):
            miss_or_hit = [client.get(url, headers=headers) for _ in range(2)]
            assert [r["X-Page-Cache"] for r in miss_or_hit] == ["miss", "hit"], (url, headers)
            for response in miss_or_hit:
                assert "hx-request" in _vary(response), (url, headers)


@pytest.mark.django_db
def test_it_sends_vary_hx_request_on_editors_pages_too(client, editor, conflict_claim):
    client.force_login(editor)
    for url in ("/review/", f"/claims/{conflict_claim.pk}/evidence/", f"/claims/{conflict_claim.pk}/history/"):
        page = client.get(url)
        fragment = client.get(url, headers={"HX-Request": "true"})
        assert page.status_code == fragment.status_code == 200, url
        assert "<html" in page.content.decode() and "<html" not in fragment.content.decode(), url
        assert {"hx-request", "cookie"} <= _vary(page), url
        assert {"hx-request", "cookie"} <= _vary(fragment), url
