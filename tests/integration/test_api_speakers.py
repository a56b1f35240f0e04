"""The JSON API's issue-14 fields: speakers, statement dates, periods, voices, kinds, origins; /api/speakers/."""

import pytest

from factcheck import dates
from factcheck.models import Assertion, Claim, SourceDerivation, Speaker
from tests.conftest import make_claim, make_source, make_topic

DENIAL = "The Kremlin denied that any extradition was requested."
BASE = "Russia keeps its naval base at Tartus."
TALKS = "Talks about the bases are active as of July 2025."

OLD_CLAIM_FIELDS = {"id", "key", "text", "topic", "status", "verdict", "version", "url", "assertions"}
OLD_ASSERTION_FIELDS = {"id", "source", "stance", "quote", "start", "end", "as_of", "url"}


def _attribute(assertion, **fields):
    for name, value in fields.items():
        setattr(assertion, name, value)
    assertion.save()
    return assertion


@pytest.fixture
def reported(db):
    """TRT World reports the Kremlin's denial; a wire republishing TRT says the base stays, in its own voice."""
    kremlin = Speaker.objects.create(slug="kremlin", name="The Kremlin", kind="government", aliases="Kremlin")
    trt = make_source(title="TRT World", published=dates.parse_partial_date("2025-10-16")[0])
    wire = make_source(title="Wire")
    SourceDerivation.objects.create(source=wire, origin_source=trt, relation="republishes")
    claim = make_claim(text="Syria asked for Assad.", assertions=[(trt, "disputes", DENIAL), (wire, "supports", BASE)])
    denial = claim.assertions.get(source=trt)
    _attribute(
        denial,
        speaker=kremlin,
        stated_on=dates.parse_partial_date("2025-10-15")[0],
        as_of=dates.parse_partial_date("2025-10")[0],
        as_of_precision="month",
    )
    own = claim.assertions.get(source=wire)
    _attribute(
        own,
        as_of=dates.parse_partial_date("2024-10")[0],
        as_of_precision="month",
        period_end=dates.parse_partial_date("2024-12")[0],
        period_end_precision="month",
    )
    Claim.objects.filter(pk=claim.pk).update(kind="state")
    claim.refresh_status()
    return {"claim": claim, "kremlin": kremlin, "trt": trt, "wire": wire, "denial": denial, "own": own}


def test_it_adds_speaker_dates_period_and_voice_to_each_assertion_keeping_every_old_field(client, reported):
    data = client.get(f"/api/claims/{reported['claim'].pk}/").json()

    assert OLD_CLAIM_FIELDS <= set(data)
    assert (data["kind"], data["source_count"]) == ("state", 2)
    by_id = {a["id"]: a for a in data["assertions"]}
    denial, own = by_id[reported["denial"].pk], by_id[reported["own"].pk]
    assert OLD_ASSERTION_FIELDS <= set(denial) and OLD_ASSERTION_FIELDS <= set(own)
    assert denial["speaker"] == {"slug": "kremlin", "name": "The Kremlin", "kind": "government"}
    assert (denial["stated_on"], denial["as_of"]) == ("2025-10-15", "2025-10")
    assert denial["period"] == {"from": "2025-10", "to": None}
    assert denial["voice"] == f"speaker:{reported['kremlin'].pk}"
    # The wire's own voice is TRT World's: it republishes TRT.
    assert (own["speaker"], own["stated_on"]) == (None, None)
    assert own["period"] == {"from": "2024-10", "to": "2024-12"} and own["as_of"] == "2024-10"
    assert own["voice"] == f"source:{reported['trt'].pk}"
    # Two voices: the Kremlin, and TRT World (through the wire).
    assert data["origin_count"] == 2


def test_it_gives_an_undated_assertion_a_null_period(client, db):
    claim = make_claim(assertions=[(make_source(), "supports", BASE)])
    [a] = client.get(f"/api/claims/{claim.pk}/").json()["assertions"]
    assert (a["period"], a["as_of"], a["speaker"], a["stated_on"]) == (None, None, None, None)


def test_it_lists_the_new_fields_in_the_claims_list_too(client, reported):
    [claim] = client.get("/api/claims/").json()["results"]
    assert {"kind", "origin_count"} <= set(claim)
    assert {a["voice"] for a in claim["assertions"]} == {
        f"speaker:{reported['kremlin'].pk}",
        f"source:{reported['trt'].pk}",
    }


def test_it_shows_a_sources_origins_and_its_assertions_speakers(client, reported):
    data = client.get(f"/api/sources/{reported['wire'].pk}/").json()
    assert data["derived_from"] == [
        {
            "source": {"id": reported["trt"].pk, "title": "TRT World", "publisher": ""},
            "speaker": None,
            "relation": "republishes",
            "note": "",
        }
    ]
    trt = client.get(f"/api/sources/{reported['trt'].pk}/").json()
    [a] = trt["assertions"]
    assert a["speaker"]["slug"] == "kremlin" and a["period"] == {"from": "2025-10", "to": None}
    assert a["as_of"] == "2025-10" and a["stated_on"] == "2025-10-15"


def test_it_lists_and_finds_speakers_by_alias(client, reported):
    Speaker.objects.create(slug="putin", name="Vladimir Putin")
    data = client.get("/api/speakers/").json()
    assert [s["slug"] for s in data["results"]] == ["kremlin", "putin"]
    assert data["results"][0]["statement_count"] == 1
    assert data["results"][0]["aliases"] == ["Kremlin"]
    found = client.get("/api/speakers/", {"q": "kreml"}).json()
    assert [s["slug"] for s in found["results"]] == ["kremlin"]


def test_it_shows_what_a_speaker_said(client, reported):
    data = client.get("/api/speakers/kremlin/").json()
    assert (data["name"], data["kind"], data["statement_count"]) == ("The Kremlin", "government", 1)
    [said] = data["statements"]
    assert said["claim"]["id"] == reported["claim"].pk
    assert (said["source"]["title"], said["stance"], said["quote"]) == ("TRT World", "disputes", DENIAL)
    assert said["period"] == {"from": "2025-10", "to": None}


def test_it_answers_an_unknown_speaker_and_a_long_query_with_json_errors(client, db):
    missing = client.get("/api/speakers/nobody/")
    assert missing.status_code == 404 and "There is no speaker with slug nobody." in missing.json()["error"]
    long = client.get("/api/speakers/", {"q": "x" * 101})
    assert long.status_code == 400 and "q" in long.json()["error"]


def test_its_speaker_pages_take_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    source = make_source()
    topic = make_topic()

    def add(n):
        # n more speakers, and n more statements, all by the first speaker
        for _ in range(n):
            Speaker.objects.create(slug=f"s-{Speaker.objects.count()}", name=f"Speaker {Speaker.objects.count()}")
            claim = make_claim(topic=topic, assertions=[(source, "supports", TALKS)])
            Assertion.objects.filter(claim=claim).update(speaker=Speaker.objects.get(slug="s-0"))

    add(2)
    # count + page of speakers (with statement counts)
    with django_assert_num_queries(2):
        client.get("/api/speakers/")
    # the speaker (with its count) + its statements (with claims and sources)
    with django_assert_num_queries(2):
        client.get("/api/speakers/s-0/")
    add(10)
    with django_assert_num_queries(2):
        client.get("/api/speakers/")
    with django_assert_num_queries(2):
        client.get("/api/speakers/s-0/")
    assert len(client.get("/api/speakers/s-0/").json()["statements"]) == 12


def test_its_claims_take_no_more_queries_with_speakers_and_origins(client, reported, django_assert_num_queries):
    # claim (with topic, resolution) + assertions (with speakers) + their sources + root origins + wordings
    with django_assert_num_queries(5):
        client.get(f"/api/claims/{reported['claim'].pk}/")
    other = Speaker.objects.create(slug="putin", name="Vladimir Putin")
    for n in range(5):
        extra = make_source(title=f"Extra {n}")
        SourceDerivation.objects.create(source=extra, origin_source=reported["wire"])
        a = Assertion(claim=reported["claim"], source=extra, stance="qualifies", quote=TALKS, speaker=other)
        a.locate()
        a.save()
    with django_assert_num_queries(5):
        client.get(f"/api/claims/{reported['claim'].pk}/")
