"""Source against source: grouping, summary, several sources, bad input, query counts."""

import re

import pytest

from factcheck.comparison import compare_sources
from tests.conftest import make_claim, make_source, make_topic

Q1 = "Russia keeps its naval base at Tartus."
Q2 = "Talks about the bases are active as of July 2025."
Q3 = "The Kremlin denied that any extradition was requested."
Q4 = "Officials said the “agreements will be respected” by both sides."


def _pair_corpus(topic=None):
    """Alpha and Beta: 2 agree, 1 conflict, 1 only in time, 1 only Alpha, 1 only Beta; Gamma elsewhere."""
    topic = topic or make_topic(slug="bases", title="Will Russia keep its bases?")
    a, b, c = make_source(title="Alpha"), make_source(title="Beta"), make_source(title="Gamma")
    claims = {
        "agree": make_claim(topic, "Both support.", [(a, "supports", Q1), (b, "supports", Q1)]),
        "qualified": make_claim(topic, "One qualifies.", [(a, "supports", Q1), (b, "qualifies", Q4)]),
        "conflict": make_claim(topic, "They clash.", [(a, "supports", Q1), (b, "disputes", Q2)]),
        "changed": make_claim(
            topic,
            "Things moved.",
            [(a, "supports", Q1, "2024-12"), (b, "disputes", Q2, "2025-10-15")],
            kind="state",
        ),
        "only_a": make_claim(topic, "Alpha alone.", [(a, "supports", Q3)]),
        "only_b": make_claim(topic, "Beta alone.", [(b, "disputes", Q3)]),
        "gamma": make_claim(topic, "Gamma alone.", [(c, "supports", Q3)]),
    }
    return topic, a, b, c, claims


def _section(body, group):
    """The HTML of one group's section on the compare page."""
    match = re.search(rf'<section class="compare-group[^"]*" id="group-{group}".*?</section>', body, re.S)
    return match.group(0) if match else ""


def test_it_groups_claims_as_agree_conflict_time_only_and_only_one(client, db):
    _topic, a, b, _c, claims = _pair_corpus()
    response = client.get("/compare/", {"a": a.pk, "b": b.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "They clash." in _section(body, "conflict")
    assert "Things moved." in _section(body, "changed")
    assert "Things moved." not in _section(body, "conflict")
    assert "Both support." in _section(body, "agree") and "One qualifies." in _section(body, "agree")
    only = _section(body, "only_one")
    assert "Alpha alone." in only and "Beta alone." in only
    # A claim neither compared source speaks to is not on the page.
    assert "Gamma alone." not in body
    # Side by side with the quotes.
    assert Q2 in _section(body, "conflict") and Q1 in _section(body, "conflict")


def test_it_says_how_often_the_two_agree(client, db):
    _topic, a, b, _c, _claims = _pair_corpus()
    body = client.get("/compare/", {"a": a.pk, "b": b.pk}).content.decode()
    assert (
        "<strong>Alpha</strong> and <strong>Beta</strong> agree on 2 of 4 claims both address, "
        "conflict on 1, differ only in time on 1." in body
    )
    assert "Only Alpha speaks to 1 claim; only Beta to 1." in body


def test_it_serves_the_comparison_as_json(client, db):
    _topic, a, b, _c, claims = _pair_corpus()
    data = client.get("/api/compare/", {"a": a.pk, "b": b.pk}).json()
    assert [s["title"] for s in data["sources"]] == ["Alpha", "Beta"]
    assert data["counts"] == {"conflict": 1, "changed": 1, "agree": 2, "only_one": 2}
    [pair] = data["pairs"]
    assert pair == {
        "a": a.pk,
        "b": b.pk,
        "both_address": 4,
        "agree": 2,
        "conflict": 1,
        "changed": 1,
        "only_a": 1,
        "only_b": 1,
        "summary": "Alpha and Beta agree on 2 of 4 claims both address, conflict on 1, differ only in time on 1.",
    }
    assert (data["count"], data["next"], data["previous"]) == (6, None, None)
    groups = {c["id"]: c["group"] for c in data["results"]}
    assert groups == {
        claims["agree"].pk: "agree",
        claims["qualified"].pk: "agree",
        claims["conflict"].pk: "conflict",
        claims["changed"].pk: "changed",
        claims["only_a"].pk: "only_one",
        claims["only_b"].pk: "only_one",
    }
    # Conflicts first.
    assert [c["group"] for c in data["results"]] == ["conflict", "changed", "agree", "agree", "only_one", "only_one"]
    conflict = data["results"][0]
    assert [cell["source"] for cell in conflict["cells"]] == [a.pk, b.pk]
    assert [x["quote"] for x in conflict["cells"][1]["assertions"]] == [Q2]
    assert conflict["cells"][1]["assertions"][0]["stance"] == "disputes"


def test_it_pages_through_long_comparisons_conflicts_first(client, db, settings):
    settings.FACTCHECK_PAGE_SIZE = 3
    _topic, a, b, _c, _claims = _pair_corpus()
    first = client.get("/compare/", {"a": a.pk, "b": b.pk}).content.decode()
    assert "They clash." in _section(first, "conflict") and "Things moved." in _section(first, "changed")
    assert "(2 claims; 1 on this page)" in _section(first, "agree")
    assert "Alpha alone." not in first and "Page 1 of 2" in first
    assert f'href="?a={a.pk}&amp;b={b.pk}&amp;page=2"' in first
    second = client.get("/compare/", {"a": a.pk, "b": b.pk, "page": 2}).content.decode()
    assert "They clash." not in second and "Alpha alone." in _section(second, "only_one")
    # The summary always counts every claim.
    assert "agree on 2 of 4 claims both address, conflict on 1, differ only in time on 1." in second
    data = client.get("/api/compare/", {"a": a.pk, "b": b.pk}).json()
    assert data["count"] == 6 and len(data["results"]) == 3
    assert data["next"] == f"http://testserver/api/compare/?a={a.pk}&b={b.pk}&page=2"
    assert data["pairs"][0]["both_address"] == 4
    assert client.get("/compare/", {"a": a.pk, "b": b.pk, "page": 3}).status_code == 404
    assert client.get("/api/compare/", {"a": a.pk, "b": b.pk, "page": "x"}).status_code == 400


def test_it_judges_time_by_the_statements_that_oppose_the_other_source(db):
    a, b = make_source(title="Alpha"), make_source(title="Beta")
    # Alpha says yes as of 2024 and 2026, Beta no as of 2025: a record that
    # flips back is a conflict (issue 14; it used to count as changed, twice).
    flipped = make_claim(
        assertions=[(a, "supports", Q1, "2024"), (b, "disputes", Q2, "2025"), (a, "supports", Q4, "2026")],
        kind="state",
    )
    # Alpha contradicts itself in 2025; Beta's 2023 "no" opposes only Alpha's 2025 "yes", a year later.
    self_contradicting = make_claim(
        assertions=[(a, "supports", Q1, "2025"), (a, "disputes", Q2, "2025"), (b, "disputes", Q3, "2023")],
        kind="state",
    )
    # Same period, opposite sides: a conflict.
    clash = make_claim(assertions=[(a, "supports", Q1, "2025"), (b, "disputes", Q2, "2025-07")], kind="state")
    # An event's opposed statements conflict, whatever periods they speak about.
    event = make_claim(assertions=[(a, "supports", Q1, "2021"), (b, "disputes", Q2, "2025")])
    comparison = compare_sources([a, b])
    assert {row.claim.pk: row.group for row in comparison.rows} == {
        clash.pk: "conflict",
        flipped.pk: "conflict",
        self_contradicting.pk: "changed",
        event.pk: "conflict",
    }


def test_it_counts_only_what_a_source_says_in_its_own_voice(db):
    from tests.conftest import make_speaker

    trt, alpha = make_source(title="TRT World"), make_source(title="Alpha")
    kremlin = make_speaker("the Kremlin", kind="government")
    reported = make_claim(
        assertions=[(alpha, "supports", Q1), {"source": trt, "stance": "disputes", "quote": Q3, "speaker": kremlin}]
    )
    own = make_claim(assertions=[(alpha, "supports", Q1), (trt, "disputes", Q3)])
    comparison = compare_sources([trt, alpha])
    # TRT World only reports the Kremlin on the first claim: it takes no side of its own there.
    assert {row.claim.pk: row.group for row in comparison.rows} == {reported.pk: "only_one", own.pk: "conflict"}
    pair = comparison.pair
    assert (pair.conflict, pair.agree, pair.only_a, pair.only_b) == (1, 0, 0, 1)


def test_it_refuses_to_compare_a_source_with_itself(client, db):
    # Comparing a source with itself would say nothing; the reader is asked
    # for a second source instead (the form stays on the page).
    _topic, a, _b, _c, _claims = _pair_corpus()
    response = client.get("/compare/", {"a": a.pk, "b": a.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "You chose “Alpha” twice; choose two different sources to compare." in body
    assert 'name="s"' in body
    response = client.get("/api/compare/", {"s": [a.pk, a.pk]})
    assert response.status_code == 400
    assert "choose two different sources" in response.json()["error"]


def test_it_counts_a_source_named_twice_once_among_others(client, db):
    _topic, a, b, _c, _claims = _pair_corpus()
    data = client.get("/api/compare/", {"a": a.pk, "b": b.pk, "s": [a.pk]}).json()
    assert [s["id"] for s in data["sources"]] == [a.pk, b.pk]


def test_it_answers_an_unknown_source_with_a_404_naming_it(client, db):
    _topic, a, _b, _c, _claims = _pair_corpus()
    response = client.get("/compare/", {"a": a.pk, "b": 999999})
    assert response.status_code == 404
    assert "There is no source with id 999999." in response.content.decode()
    response = client.get("/api/compare/", {"s": [999998, a.pk, 999999]})
    assert response.status_code == 404
    assert response.json() == {"error": "There is no source with id 999998 or 999999.", "status": 404}


def test_it_asks_for_a_second_source_when_given_one(client, db):
    _topic, a, _b, _c, _claims = _pair_corpus()
    for params in ({"a": a.pk}, {"a": a.pk, "b": ""}, {"s": a.pk}):
        response = client.get("/compare/", params)
        assert response.status_code == 400
        assert "Choose at least two sources to compare; you chose only “Alpha”." in (response.content.decode())
    response = client.get("/api/compare/", {"a": a.pk})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Choose at least two sources to compare")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"a": "x", "b": "2"}, "Bad parameter — a: &#x27;x&#x27; is not a source id"),
        ({"s": ["1", "2.5"]}, "Bad parameter — s: &#x27;2.5&#x27; is not a source id"),
        ({"a": "0", "b": "1"}, "Bad parameter — a: 0 is not a source id"),
        ({"a": "1", "b": str(2**64)}, "is not a source id (ids start at 1)"),
        ({"s": [str(i) for i in range(1, 14)]}, "Choose at most 12 sources to compare; you chose 13."),
        ({"a": "1", "b": "2", "topic": "no such!"}, "Bad parameter — topic:"),
    ],
)
def test_it_answers_malformed_input_with_a_clear_400(client, db, params, message):
    response = client.get("/compare/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    response = client.get("/api/compare/", params)
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_the_api_needs_sources(client, db):
    response = client.get("/api/compare/")
    assert response.status_code == 400
    assert "?a=<id>&b=<id>" in response.json()["error"]


def test_it_shows_only_the_form_when_no_source_is_chosen(client, db):
    _topic, a, b, _c, _claims = _pair_corpus()
    response = client.get("/compare/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<form method="get" action="/compare/">' in body
    assert f'<input type="checkbox" name="s" value="{a.pk}">' in body
    assert '<details class="compare-picker" open>' in body


def test_it_ticks_the_compared_sources_in_the_form(client, db):
    _topic, a, b, c, _claims = _pair_corpus()
    body = client.get("/compare/", {"a": a.pk, "b": b.pk}).content.decode()
    assert f'name="s" value="{a.pk}" checked>' in body and f'name="s" value="{b.pk}" checked>' in body
    assert f'name="s" value="{c.pk}">' in body


def test_it_compares_more_than_two_sources(client, db):
    topic = make_topic()
    a, b, c = make_source(title="Alpha"), make_source(title="Beta"), make_source(title="Gamma")
    clash = make_claim(topic, "Two for, one against.", [(a, "supports", Q1), (b, "supports", Q1), (c, "disputes", Q2)])
    agree = make_claim(topic, "All three agree.", [(a, "disputes", Q3), (b, "disputes", Q3), (c, "qualifies", Q4)])
    moved = make_claim(topic, "It moved.", [(a, "supports", Q1, "2021"), (c, "disputes", Q2, "2025-07")], kind="state")
    alone = make_claim(topic, "Only Gamma.", [(c, "supports", Q3)])
    response = client.get("/compare/", {"s": [a.pk, b.pk, c.pk]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Two for, one against." in _section(body, "conflict")
    assert "All three agree." in _section(body, "agree")
    assert "It moved." in _section(body, "changed")
    assert "Only Gamma." in _section(body, "only_one")
    # A claims × sources table: one column per source.
    assert _section(body, "conflict").count('<th scope="col"><a href="/sources/') == 3
    # Each pair's own figures, linking to the pair's comparison.
    assert f'href="?a={a.pk}&amp;b={c.pk}">Alpha · Gamma</a>' in body
    data = client.get("/api/compare/", {"s": [a.pk, b.pk, c.pk]}).json()
    assert {c_["id"]: c_["group"] for c_ in data["results"]} == {
        clash.pk: "conflict",
        agree.pk: "agree",
        moved.pk: "changed",
        alone.pk: "only_one",
    }
    pairs = {(p["a"], p["b"]): p for p in data["pairs"]}
    assert (pairs[(a.pk, b.pk)]["agree"], pairs[(a.pk, b.pk)]["conflict"]) == (2, 0)
    assert (pairs[(a.pk, c.pk)]["agree"], pairs[(a.pk, c.pk)]["conflict"], pairs[(a.pk, c.pk)]["changed"]) == (1, 1, 1)
    # Gamma alone speaks to "It moved." and "Only Gamma." of these three.
    assert [pairs[(b.pk, c.pk)][k] for k in ("both_address", "only_a", "only_b")] == [2, 0, 2]


def test_it_limits_the_comparison_to_one_topic(client, db):
    topic, a, b, _c, _claims = _pair_corpus()
    elsewhere = make_claim(make_topic(), "On another topic.", [(a, "supports", Q1), (b, "disputes", Q2)])
    body = client.get("/compare/", {"a": a.pk, "b": b.pk}).content.decode()
    assert elsewhere.text in body
    body = client.get("/compare/", {"a": a.pk, "b": b.pk, "topic": topic.slug}).content.decode()
    assert elsewhere.text not in body and "They clash." in body
    assert "Only claims in" in body
    response = client.get("/compare/", {"a": a.pk, "b": b.pk, "topic": "missing"})
    assert response.status_code == 404
    assert "There is no topic with slug missing." in response.content.decode()


def test_it_is_linked_from_the_topic_grid_and_the_source_page(client, db):
    topic, a, b, c, _claims = _pair_corpus()
    body = client.get(f"/topics/{topic.slug}/").content.decode()
    # Each column header offers a comparison with every other column, within the topic.
    assert f'href="/compare/?a={a.pk}&amp;b={b.pk}&amp;topic={topic.slug}">with Beta</a>' in body
    assert f'href="/compare/?a={c.pk}&amp;b={a.pk}&amp;topic={topic.slug}">with Alpha</a>' in body
    assert f'href="/compare/?s={a.pk}&amp;s={b.pk}&amp;s={c.pk}&amp;topic={topic.slug}">Compare these 3 sources' in body
    body = client.get(f"/sources/{a.pk}/").content.decode()
    assert '<form class="compare-with" method="get" action="/compare/">' in body
    assert f'<input type="hidden" name="a" value="{a.pk}">' in body
    assert f'<option value="{b.pk}">Beta (4 claims in common)</option>' in body


def test_it_escapes_what_sources_say(client, db):
    a = make_source(title="<b>Alpha</b>", text="He said <script>alert(1)</script> twice.")
    b = make_source(title="Beta")
    make_claim(assertions=[(a, "supports", "He said <script>alert(1)</script> twice."), (b, "disputes", Q2)])
    body = client.get("/compare/", {"a": a.pk, "b": b.pk}).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body
    assert "<b>Alpha</b>" not in body


def test_it_refuses_writes(client, db):
    assert client.post("/compare/").status_code == 405
    assert client.post("/api/compare/").status_code == 405


def _grow(topic, a, b, n):
    for i in range(n):
        make_claim(topic, f"More {i}.", [(a, "supports", Q1), (b, "disputes", Q2), (make_source(), "supports", Q1)])


def test_its_query_count_does_not_grow_with_the_corpus(client, db, django_assert_num_queries):
    topic, a, b, c, _claims = _pair_corpus()
    # Page: the chosen sources + their assertions joined to claims, topics and
    # resolutions + every source's id and title for the form.
    # JSON: the chosen sources + their assertions.
    # With a topic: + the topic.
    cases = [
        ("/compare/", {"a": a.pk, "b": b.pk}, 3),
        ("/compare/", {"s": [a.pk, b.pk, c.pk]}, 3),
        ("/compare/", {"a": a.pk, "b": b.pk, "topic": topic.slug}, 4),
        ("/api/compare/", {"a": a.pk, "b": b.pk}, 2),
        ("/api/compare/", {"s": [a.pk, b.pk, c.pk], "topic": topic.slug}, 3),
    ]
    for url, params, expected in cases:
        with django_assert_num_queries(expected):
            assert client.get(url, params).status_code == 200
    _grow(topic, a, b, 25)
    _grow(make_topic(), a, c, 10)
    for url, params, expected in cases:
        with django_assert_num_queries(expected):
            assert client.get(url, params).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_its_pages_are_cached_until_the_corpus_changes(client, editor):
    # Committed writes, as in production: the page cache stands aside inside a test's transaction.
    from factcheck.models import Resolution

    topic, a, b, _c, claims = _pair_corpus()
    urls = [
        f"/compare/?a={a.pk}&b={b.pk}",
        f"/api/compare/?a={a.pk}&b={b.pk}",
        f"/api/topics/{topic.slug}/timeline/",
        "/api/claimreview/",
    ]
    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    resolution = Resolution.objects.create(
        claim=claims["conflict"], verdict="false", rationale="Checked.", decided_by=editor
    )
    resolution.prevailing.set(claims["conflict"].assertions.filter(source=b))
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "False" in response.content.decode() or '"false"' in response.content.decode(), url
    # A bad request is never stored.
    assert client.get(f"/compare/?a={a.pk}")["X-Page-Cache"] == "bypass"
