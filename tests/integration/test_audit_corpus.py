"""manage.py audit_corpus: each of issue 14's five rules fires on made-up data and stays quiet on a clean case."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from factcheck.corpus.audit import attribution_before, audit, read_justifications, two_propositions
from factcheck.models import Claim, SourceDerivation, Speaker
from tests.conftest import make_assertion, make_claim, make_source, make_topic

TEXT = (
    "Foreign Minister Shaibani insisted after the visit that all accords with Moscow were suspended. "
    "According to Omar Alhariri, the bases will stay. "
    "The bases will stay, officials in Damascus expect. "
    "The two have maintained close ties, exemplified by the 1980 treaty."
)


def _run(tmp_path, audit_md=None, *args):
    path = tmp_path / "AUDIT.md"
    path.write_text(audit_md or "# Audit\n", encoding="utf-8")
    out = io.StringIO()
    call_command("audit_corpus", "--justified", str(path), *args, stdout=out)
    return out.getvalue()


def _refused(tmp_path, audit_md=None, *args):
    path = tmp_path / "AUDIT.md"
    path.write_text(audit_md or "# Audit\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("audit_corpus", "--justified", str(path), *args, stdout=out)
    return out.getvalue(), str(caught.value)


def _dated(claim, source, quote, period):
    return make_assertion(claim, source, "supports", quote, as_of=period)


# Each rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start_of_quote", "phrase"),
    [
        (TEXT, "all accords with Moscow", "insisted after the visit that"),
        (TEXT, "the bases will stay", "According to Omar Alhariri,"),
        ("Lavrov has mentioned that Russia is prepared.", "Russia is prepared", "mentioned that"),
        ("In June it was reported that Goznak prints notes.", "Goznak prints", "reported that"),
        ("Putin told reporters: “we stay”.", "“we stay”", "told reporters:"),
        ("Asked again, the minister says the bases stay.", "the bases stay", "says"),
    ],
)
def test_it_finds_the_attribution_phrase_right_before_a_quote(text, start_of_quote, phrase):
    assert attribution_before(text, text.index(start_of_quote)) == phrase


@pytest.mark.parametrize(
    "start_of_quote",
    [
        "Foreign Minister Shaibani insisted",  # the quote includes the attribution
        "The bases will stay, officials",  # the attribution follows, inside the quote
        "exemplified by the 1980 treaty",  # "maintained close ties," is no attribution
    ],
)
def test_it_finds_no_attribution_where_there_is_none_before_the_quote(start_of_quote):
    assert attribution_before(TEXT, TEXT.index(start_of_quote)) is None


def test_it_finds_no_attribution_in_the_sentence_before():
    text = "Putin said that talks went well. Russia keeps Tartus."
    assert attribution_before(text, text.index("Russia keeps")) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Russia sought to keep its bases rather than leave.", "“rather than”"),
        ("Both Moscow and Damascus want new accords.", "“both … and”"),
        ("Moscow wants new accords, and Damascus agrees.", None),
        ("Russia keeps both bases.", None),
    ],
)
def test_it_finds_two_propositions_joined_in_a_claims_text(text, found):
    assert two_propositions(text) == found


def test_it_reports_an_attribution_cut_from_a_stored_quote(db):
    source = make_source(title="Pragmatic", text=TEXT)
    cut = make_claim(text="The accords are suspended.", assertions=[(source, "disputes", "all accords with Moscow")])
    make_claim(text="Kept.", assertions=[(source, "supports", "Foreign Minister Shaibani insisted after the visit")])

    findings = audit()

    assert [(f.rule, f.claim) for f in findings if f.rule == "attribution-cut"] == [("attribution-cut", cut.key)]
    [finding] = [f for f in findings if f.rule == "attribution-cut"]
    assert "“Pragmatic”" in finding.why and "“insisted after the visit that”" in finding.why


def test_it_reports_an_agreement_resting_on_one_origin_and_not_two_independent_ones(db):
    kremlin = Speaker.objects.create(slug="kremlin", name="The Kremlin", kind="government")
    a, b, c = make_source(), make_source(), make_source()
    one = make_claim(
        assertions=[
            (a, "supports", "Russia keeps its naval base at Tartus.", "2025"),
            (b, "supports", "Russia keeps its naval base at Tartus.", "2025"),
        ]
    )
    one.assertions.update(speaker=kremlin)
    # Stored as an agreement (as before issue 14's rules, or stale): the Kremlin reported twice is one voice.
    Claim.objects.filter(pk=one.pk).update(status="agreement")
    derived = make_claim(
        assertions=[
            (a, "supports", "Russia keeps its naval base at Tartus.", "2025"),
            (c, "supports", "Russia keeps its naval base at Tartus.", "2025"),
        ]
    )
    SourceDerivation.objects.create(source=c, origin_source=a, relation="republishes")
    Claim.objects.filter(pk=derived.pk).update(status="agreement")
    independent = make_claim(
        assertions=[
            (b, "supports", "Russia keeps its naval base at Tartus.", "2025"),
            (c, "supports", "Russia keeps its naval base at Tartus.", "2025"),
        ]
    )
    Claim.objects.filter(pk=independent.pk).update(status="agreement")

    flagged = [f.claim for f in audit() if f.rule == "one-origin"]

    assert sorted(flagged) == sorted([one.key, derived.key])


def test_it_reports_an_event_claim_with_an_undated_assertion_but_not_a_state_claim(db):
    source = make_source(title="Wire")
    event = make_claim(assertions=[(source, "supports", "Russia keeps its naval base at Tartus.")])
    dated = make_claim(assertions=[(source, "supports", "Russia keeps its naval base at Tartus.", "2025-10")])
    state = make_claim(assertions=[(source, "supports", "Russia keeps its naval base at Tartus.")])
    Claim.objects.filter(pk=state.pk).update(kind="state")

    findings = [f for f in audit() if f.rule == "undated-event"]

    assert [f.claim for f in findings] == [event.key]
    assert findings[0].why == "an event claim with 1 undated assertion(s): “Wire”"
    assert dated.key not in {f.claim for f in findings}


def test_it_reports_the_same_passage_dated_differently_in_two_claims(db):
    source = make_source(title="Encyclopedia")
    topic = make_topic()
    first = make_claim(topic=topic, assertions=[(source, "supports", "Talks about the bases are active", "2025-07-03")])
    second = make_claim(topic=topic, assertions=[(source, "supports", "Talks about the bases are active", "2025-07")])
    same = make_claim(topic=topic, assertions=[(source, "supports", "Russia keeps its naval base at Tartus.", "2025")])
    also_same = make_claim(
        topic=topic, assertions=[(source, "qualifies", "Russia keeps its naval base at Tartus.", "2025")]
    )

    findings = [f for f in audit() if f.rule == "dated-differently"]

    assert sorted(f.claim for f in findings) == sorted([first.key, second.key])
    by_claim = {f.claim: f.why for f in findings}
    assert by_claim[first.key].endswith(f"is dated 3 July 2025 here, July 2025 in {second.key}")
    assert {same.key, also_same.key}.isdisjoint(by_claim)


def test_it_reports_a_claim_joining_two_propositions(db):
    glued = make_claim(text="Russia sought to keep its bases rather than leave Syria.")
    make_claim(text="Russia sought to keep its bases.")
    assert [(f.rule, f.claim) for f in audit()] == [("two-propositions", glued.key)]


# The command ---------------------------------------------------------------------------


def test_it_passes_a_clean_corpus_with_a_one_line_summary(db, tmp_path):
    make_claim(assertions=[(make_source(), "supports", "Russia keeps its naval base at Tartus.", "2025")])
    assert _run(tmp_path) == "Audit clean: 0 finding(s), 0 justified.\n"


def test_it_fails_listing_one_line_per_finding_until_each_is_justified(db, tmp_path):
    glued = make_claim(text="Both Moscow and Damascus want new accords.")
    undated = make_claim(assertions=[(make_source(), "supports", "Russia keeps its naval base at Tartus.")])

    out, error = _refused(tmp_path)

    title = undated.assertions.get().source.title
    assert out.splitlines() == sorted(
        [
            f"{glued.key} [two-propositions]: the claim's text joins two propositions with “both … and”",
            f"{undated.key} [undated-event]: an event claim with 1 undated assertion(s): “{title}”",
        ],
        key=lambda line: line.split(" ")[0],
    )
    assert error == "2 finding(s), 0 justified: 2 to fix or justify."

    audit_md = (
        "# Audit\n\nText.\n\n## Justified findings\n\n"
        f"- two-propositions {glued.key}: both capitals said it in one joint statement\n"
        f"- `undated-event` `{undated.key}` — the text gives no date at all\n"
        "- undated-event gone-claim: kept for the record\n"
        "\n## Totals\n\n- not a justification line\n"
    )
    out = _run(tmp_path, audit_md)
    lines = out.splitlines()
    assert (
        f"{glued.key} [two-propositions]: the claim's text joins two propositions with “both … and” "
        "(justified: both capitals said it in one joint statement)"
    ) in lines
    assert "note: “undated-event gone-claim” is justified in" in out
    assert lines[-1] == "Audit clean: 2 finding(s), 2 justified."


def test_it_prints_findings_as_json_and_still_fails(db, tmp_path):
    glued = make_claim(text="Russia stays rather than leaves.")
    out, error = _refused(tmp_path, None, "--json")
    data = json.loads(out)
    assert data["findings"] == [
        {
            "rule": "two-propositions",
            "claim": glued.key,
            "why": "the claim's text joins two propositions with “rather than”",
            "justified": "",
        }
    ]
    assert data["unjustified"] == 1 and error.endswith("1 to fix or justify.")


def test_it_refuses_a_justification_it_cannot_read_naming_the_line(db, tmp_path):
    out, error = _refused(tmp_path, "## Justified findings\n\n- one-origin\n- made-up-rule some-claim: why\n")
    assert error.splitlines()[1:] == [
        f"{tmp_path / 'AUDIT.md'}: line 3: expected “- <rule> <claim-key>: <reason>” with a rule among "
        "one-origin, attribution-cut, undated-event, dated-differently, two-propositions",
        f"{tmp_path / 'AUDIT.md'}: line 4: expected “- <rule> <claim-key>: <reason>” with a rule among "
        "one-origin, attribution-cut, undated-event, dated-differently, two-propositions",
    ]


def test_it_reads_no_justifications_from_a_missing_file(tmp_path):
    assert read_justifications(tmp_path / "none.md") == ({}, [])
