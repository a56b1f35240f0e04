"""Speakers and periods on the pages: reported speech, "undated", speaker pages, search, source origins."""

import datetime as dt

import pytest

from factcheck import services
from factcheck.models import Claim
from factcheck.selectors.speakers import source_origins
from tests.conftest import make_claim, make_source

DENIAL = "The Kremlin denied that any extradition was requested."
BASES = "Russia keeps its naval base at Tartus."
TALKS = "Talks about the bases are active as of July 2025."


@pytest.fixture
def reported(editor):
    """TRT World reports the Kremlin's denial; Alpha says in its own voice the bases are kept, about 1955–58."""
    trt = make_source(
        title="Kremlin denies extradition request", publisher="TRT World", published=dt.date(2025, 10, 17)
    )
    alpha = make_source(title="Alpha", published=dt.date(2025, 1, 20))
    kremlin = services.speaker_create(
        name="the Kremlin", kind="government", aliases="Kremlin press office", user=editor
    )
    claim = make_claim(text="Syria asked Russia to extradite Assad.", assertions=[(trt, "disputes", DENIAL)])
    denial = claim.assertions.get()
    services.assertion_attribute(
        assertion=denial, version=denial.version, speaker=kremlin, stated_on=None, period_from=None, user=editor
    )
    other = make_claim(text="Russia keeps its bases.", assertions=[(alpha, "supports", BASES)])
    own = other.assertions.get()
    services.assertion_attribute(
        assertion=own,
        version=own.version,
        speaker=None,
        stated_on="2025-01",
        period_from="1955",
        period_to="1958",
        user=editor,
    )
    return {"claim": claim, "other": other, "kremlin": kremlin, "trt": trt, "alpha": alpha}


def test_it_shows_reported_speech_as_the_speakers_carried_by_the_source(client, reported):
    body = client.get(f"/claims/{reported['claim'].pk}/").content.decode()
    assert 'TRT World reports <a href="/speakers/the-kremlin/">the Kremlin</a>:' in body
    # Nobody dated the statement: it defaults to the source's publication date, and says so.
    assert "17 October 2025 (publication date)" in body
    assert '<dd class="period undated">undated</dd>' in body


def test_it_shows_the_own_voice_the_period_and_the_statement_date(client, reported):
    body = client.get(f"/claims/{reported['other'].pk}/").content.decode()
    assert '<p class="card-voice">Alpha:</p>' in body
    assert " reports " not in body
    assert '<dd class="period">1955–58</dd>' in body
    assert "<dd>January 2025</dd>" in body


def test_it_shows_the_claims_kind_and_its_sources_and_independent_origins(client, editor, reported):
    claim = reported["claim"]
    make_source_b = make_source(title="Beta", publisher="TRT World")
    services.derivation_add(source=make_source_b, origin_source=reported["trt"], relation="republishes", user=editor)
    from tests.conftest import make_assertion

    make_assertion(claim, make_source_b, "disputes", DENIAL)
    body = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "2 sources, 2 independent origins" in body  # the Kremlin, and Beta's root: TRT World's article
    assert '<span class="chip">Event</span>' in body


def test_it_lists_speakers_searchable_by_name_and_alias_with_counts(client, reported):
    body = client.get("/speakers/?q=press+office").content.decode()
    assert '<a href="/speakers/the-kremlin/">the Kremlin</a>' in body
    assert "<td>1</td>" in body and "1 source</td>" in body
    assert "the Kremlin" not in client.get("/speakers/?q=Lavrov").content.decode().split("<tbody>")[1]


def test_it_shows_what_a_speaker_said_by_claim_with_source_stance_and_period(client, reported):
    body = client.get("/speakers/the-kremlin/").content.decode()
    claim = reported["claim"]
    assert f'<a href="/claims/{claim.pk}/">{claim.text}</a>' in body
    assert f'<a href="/sources/{reported["trt"].pk}/">Kremlin denies extradition request</a> reports it' in body
    assert "Disputes" in body and ">undated</span>" in body
    assert client.get("/speakers/nobody/").status_code == 404


def test_it_finds_speakers_in_site_search(client, reported):
    body = client.get("/search/?q=kremlin+press").content.decode()
    assert 'href="/speakers/the-kremlin/">the Kremlin</a>' in body


def test_it_lists_a_sources_origins_and_what_derives_from_it(client, editor, reported):
    insider = services.speaker_create(name="The Insider", kind="outlet", user=editor)
    copy = make_source(title="Copy of TRT")
    services.derivation_add(source=reported["trt"], origin_speaker=insider, relation="cites", user=editor)
    services.derivation_add(source=copy, origin_source=reported["trt"], relation="republishes", user=editor)
    body = client.get(f"/sources/{reported['trt'].pk}/").content.decode()
    assert 'Cites <a href="/speakers/the-insider/">The Insider</a>' in body
    assert f'<a href="/sources/{copy.pk}/">Copy of TRT</a> republishes this source' in body
    # The highlighted passage's tooltip names the speaker.
    assert 'title="Disputes (reporting the Kremlin): Syria asked' in body


def test_it_keeps_each_origin_list_in_its_order_from_one_query(editor, reported, django_assert_num_queries):
    trt = reported["trt"]
    insider = services.speaker_create(name="The Insider", kind="outlet", user=editor)
    wire, zeta, alpha = (make_source(title=t) for t in ("Zeta wire", "Zeta copy", "Alpha copy"))
    # What it derives from, in the order recorded, though "The Insider" would sort after "Zeta wire".
    cites = services.derivation_add(source=trt, origin_speaker=insider, relation="cites", user=editor)
    translates = services.derivation_add(source=trt, origin_source=wire, relation="translates", user=editor)
    # What derives from it, by title: "Alpha copy" was recorded last.
    services.derivation_add(source=zeta, origin_source=trt, relation="republishes", user=editor)
    services.derivation_add(source=alpha, origin_source=trt, relation="cites", user=editor)
    with django_assert_num_queries(1):
        derived_from, derived = source_origins(trt.pk)
        names = [d.origin_speaker.name if d.origin_speaker_id else d.origin_source.title for d in derived_from]
        titles = [d.source.title for d in derived]
    assert [d.pk for d in derived_from] == [cites.pk, translates.pk]
    assert names == ["The Insider", "Zeta wire"]
    assert titles == ["Alpha copy", "Zeta copy"]
    assert [[d.pk for d in side] for side in source_origins(wire.pk)] == [[], [translates.pk]]


def test_it_escapes_speaker_names_and_aliases(client, editor):
    evil = services.speaker_create(
        name="<script>alert(1)</script>", aliases="<img src=x onerror=alert(2)>", user=editor
    )
    for url in ("/speakers/", evil.get_absolute_url(), "/search/?q=script"):
        body = client.get(url).content.decode()
        assert "<script>alert(1)" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_it_keeps_the_claim_kind_out_of_the_history_timelines_own_kind(client, editor, conflict_claim):
    services.claim_set_kind(claim=conflict_claim, kind="state", version=conflict_claim.version, user=editor)
    client.force_login(editor)
    assert client.get(f"/claims/{conflict_claim.pk}/history/").status_code == 200
    assert Claim.objects.get(pk=conflict_claim.pk).kind == "state"


def test_it_shows_speakers_and_periods_in_the_topic_grid_timeline_and_compare(client, reported):
    topic = reported["claim"].topic
    body = client.get(f"/topics/{topic.slug}/").content.decode()
    grid = body.split('<table class="claim-grid">')[1].split("</table>")[0]
    assert '<span class="cell-voice">reports the Kremlin</span>' in grid
    assert '<span class="as-of undated">undated</span>' in grid
    timeline = body.split('class="timeline-section"')[1]
    assert '<span class="timeline-voice">reports the Kremlin</span>' in timeline
    other = reported["other"].topic
    assert '<span class="as-of">about 1955–58</span>' in client.get(f"/topics/{other.slug}/").content.decode()
    compared = client.get(f"/compare/?a={reported['trt'].pk}&b={reported['alpha'].pk}").content.decode()
    assert "reports the Kremlin" in compared and "about 1955–58" in compared


def test_the_speaker_pages_query_counts_do_not_grow_with_what_is_said(client, editor, django_assert_num_queries):
    kremlin = services.speaker_create(name="the Kremlin", kind="government", user=editor)

    def grow(n):
        for _ in range(n):
            claim = make_claim(assertions=[(make_source(), "disputes", DENIAL)])
            a = claim.assertions.get()
            services.assertion_attribute(
                assertion=a, version=a.version, speaker=kremlin, stated_on=None, period_from="2025", user=editor
            )

    def check():
        # The speakers counted (the paginator) + a page of them with their counts.
        with django_assert_num_queries(2):
            assert client.get("/speakers/?q=kremlin").status_code == 200
        # The speaker + what they said, joined to claims, topics, resolutions and
        # sources + the sources recorded as deriving from them (an outlet).
        with django_assert_num_queries(3):
            assert client.get(kremlin.get_absolute_url()).status_code == 200

    grow(1)
    check()
    grow(5)
    check()
    assert client.get(kremlin.get_absolute_url()).content.decode().count("about 2025") == 6
