"""Adding an evidence suggestion as an assertion: only a suggested passage, or a sensible part of one (L9)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from factcheck import services
from factcheck.models import Assertion, Passage, Source
from tests.conftest import make_claim, make_source

TEXT = (
    "Russia keeps its naval base at Tartus. Officials in Damascus said the agreements will be respected.\n\n"
    "Mr. Putin did not agree to extradite Assad. He was granted asylum in Moscow in December 2024.\n"
    "The Khmeimim Air Base at Latakia stays in Russian hands."
)


@pytest.fixture
def source(db):
    return make_source(title="Bases report", text=TEXT)


@pytest.fixture
def claim(db):
    attached = make_source(title="Attached", text="Russia refused to extradite Assad to Syria, officials said.")
    return make_claim(
        text="Russia refused to extradite Assad.",
        assertions=[(attached, "supports", "Russia refused to extradite Assad to Syria")],
    )


def _span(text, start_at=0):
    start = TEXT.index(text, start_at)
    return start, start + len(text)


def _post(client, claim, source, start, end, **headers):
    data = {"source": source.pk, "start": start, "end": end, "stance": "supports"}
    return client.post(reverse("claim-evidence-add", args=[claim.pk]), data, headers=headers)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    "start, end, field, message",
    [
        # The audit's case: a one-character quote, here the "n" of "naval".
        (*_span("n", TEXT.index("naval")), "end", "in the middle of a word"),
        (*_span("Russia"), "end", "“Russia” is 6 characters long; an assertion quotes at least 20"),
        (*_span("ssia keeps its naval base"), "start", "in the middle of a word"),
        (*_span("Russia keeps its naval ba"), "end", "in the middle of a word"),
        # Across a paragraph break, and across three sentences: no suggestion is either.
        (TEXT.index("Officials"), TEXT.index(" He was"), "end", "not within one passage"),
        (TEXT.index("Mr. Putin"), len(TEXT), "end", "not within one passage"),
    ],
)
def test_it_refuses_offsets_that_are_no_suggested_passage_with_422_naming_the_field(
    editor_client, claim, source, start, end, field, message
):
    response = _post(editor_client, claim, source, start, end)
    assert response.status_code == 422
    body = response.content.decode()
    assert re.search(rf"Not added — {field}: [^<]*{re.escape(message)}", body.replace("&#x27;", "'")), body
    assert not Assertion.objects.filter(source=source).exists()


def test_with_htmx_the_refusal_comes_back_beside_the_button(editor_client, claim, source):
    response = _post(editor_client, claim, source, *_span("Russia"), HX_Request="true")
    assert response.status_code == 422
    body = response.content.decode()
    assert "<!doctype" not in body and "end: The quote “Russia” is 6 characters long" in body and 'role="alert"' in body


@pytest.mark.parametrize(
    "quote",
    [
        "Mr. Putin did not agree to extradite Assad.",  # one sentence, as suggested
        # two sentences of one paragraph: the finder's window
        "Mr. Putin did not agree to extradite Assad. He was granted asylum in Moscow in December 2024.",
        "did not agree to extradite Assad",  # narrowed by the editor, on word boundaries
        "granted asylum in Moscow",
    ],
)
def test_it_adds_a_suggested_passage_or_a_sensible_part_of_it(editor_client, editor, claim, source, quote):
    start, end = _span(quote)
    response = _post(editor_client, claim, source, start, end)
    assert response.status_code == 302
    added = Assertion.objects.get(claim=claim, source=source)
    assert (added.quote, added.start, added.end) == (quote, start, end)
    assert added.history.get().history_user == editor


def test_it_accepts_every_suggestion_the_claim_page_offers_as_offered(editor_client, claim, source):
    suggestions = editor_client.get(reverse("claim-evidence", args=[claim.pk]), headers={"HX-Request": "true"})
    offered = re.findall(r'name="passage" value="(\d+):(\d+):(\d+)"', suggestions.content.decode())
    assert offered
    for source_id, start, end in offered:
        response = _post(editor_client, claim, Source.objects.get(pk=source_id), start, end)
        assert response.status_code == 302, response.content.decode()


def test_it_uses_the_text_itself_when_the_passages_are_not_cut_yet(claim, source, editor):
    Passage.objects.filter(source=source).delete()
    with pytest.raises(ValidationError) as refused:
        services.assertion_create(
            claim=claim, source=source, start=0, end=TEXT.index(" He was"), stance="supports", user=editor
        )
    assert "not within one passage" in str(refused.value)
    added = services.assertion_create(
        claim=claim, source=source, start=0, end=TEXT.index(" Officials"), stance="supports", user=editor
    )
    assert added.quote == "Russia keeps its naval base at Tartus."


def test_the_service_is_keyword_only_and_records_history_as_now(claim, source, editor):
    with pytest.raises(TypeError):
        services.assertion_create(claim, source, 0, 38, "supports", None, editor)
    before = timezone.now()
    added = services.assertion_create(
        claim=claim,
        source=source,
        start=0,
        end=38,
        stance="disputes",
        as_of=(dt.date(2025, 7, 1), "month"),
        user=editor,
    )
    record = added.history.get()
    assert (record.history_user, record.history_type) == (editor, "+") and record.history_date >= before
    assert (added.stance, added.as_of_value) == ("disputes", "2025-07")


def test_the_service_refuses_a_duplicate_and_an_unknown_stance_writing_nothing(claim, source, editor):
    services.assertion_create(claim=claim, source=source, start=0, end=38, stance="supports", user=editor)
    with pytest.raises(services.AssertionExists):
        services.assertion_create(claim=claim, source=source, start=0, end=38, stance="disputes", user=editor)
    with pytest.raises(ValidationError) as refused:
        services.assertion_create(claim=claim, source=source, start=39, end=99, stance="agrees", user=editor)
    assert list(refused.value.message_dict) == ["stance"]
    assert Assertion.objects.filter(source=source).count() == 1


def test_it_names_start_when_the_quote_begins_outside_every_passage(claim, editor):
    # A line of punctuation only is no passage (evidence.split_passages): a quote cannot begin there.
    source = make_source(
        title="Dashes", text="The first sentence is long enough.\n— — —\nThe second one is long enough too."
    )
    with pytest.raises(ValidationError) as refused:
        services.assertion_create(
            claim=claim,
            source=source,
            start=source.text.index("—"),
            end=len(source.text),
            stance="supports",
            user=editor,
        )
    assert list(refused.value.message_dict) == ["start"]
    assert "not within one passage" in refused.value.message_dict["start"][0]
