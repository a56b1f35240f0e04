"""Reading a source: footnote markers, overlapping highlights, the notes folded, labels that agree."""

import re

import pytest

from factcheck.models import Assertion
from tests.conftest import make_claim, make_source

TEXT = "Russia keeps its bases in Tartus and Hmeimim [1][3]. Talks go on in Damascus or in Moscow, officials said."


@pytest.fixture
def source(db):
    return make_source(title="Footnoted report", text=TEXT, notes="A curator's long note about this source.")


def test_it_keeps_footnote_markers_in_the_text_but_quietly(client, source):
    make_claim(assertions=[(source, "supports", "Russia keeps its bases in Tartus and Hmeimim [1][3].")])
    body = client.get(f"/sources/{source.pk}/").content.decode()
    assert '<span class="footnote-marker"> [1][3]</span>' in body


def test_it_leaves_footnote_markers_out_of_displayed_quotes_yet_verifies_the_stored_one(client, source):
    claim = make_claim(assertions=[(source, "supports", "Russia keeps its bases in Tartus and Hmeimim [1][3].")])
    assertion = Assertion.objects.get(claim=claim)
    assert TEXT[assertion.start : assertion.end] == assertion.quote  # stored verbatim, markers and all
    assertion.locate()  # and it still verifies against the text
    topic_page = client.get(f"/topics/{claim.topic.slug}/").content.decode()
    assert "Tartus and Hmeimim." in topic_page and "[1]" not in topic_page
    claim_page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Tartus and Hmeimim</mark>" in claim_page or "Tartus and Hmeimim.</mark>" in claim_page
    assert "[1]" not in claim_page


def test_it_nests_overlapping_quotes_with_one_icon_each_and_whole_words(client, source):
    outer = make_claim(assertions=[(source, "supports", "Talks go on in Damascus or in Moscow, officials said.")])
    inner = make_claim(assertions=[(source, "disputes", "Damascus or in Moscow")])
    body = client.get(f"/sources/{source.pk}/").content.decode()
    text = re.search(r'<div class="source-text"[^>]*>(.*?)</div>', body, re.S).group(1)
    # The shared stretch: the disputing mark inside the supporting one, its link innermost.
    assert re.search(
        rf'<mark class="hl hl-supports" data-claims="{outer.pk}"><mark class="hl hl-disputes hl-start" '
        rf'data-claims="{inner.pk}"><a href="/claims/{inner.pk}/"[^>]*>Damascus or in Moscow</a></mark></mark>',
        text,
    )
    assert text.count("hl-start") == 2  # one icon per passage, not per fragment
    # Every mark holds whole words: none starts or ends inside one.
    plain = re.sub(r"<span class=\"anchor\"[^>]*></span>", "", text)
    for before, after in re.findall(r"(\w?)<mark[^>]*>(?:<mark[^>]*>)*<a[^>]*>(\w?)", plain):
        assert not (before and after)


def test_it_folds_the_curators_notes_and_counts_claims_and_passages_apart(client, source):
    make_claim(assertions=[(source, "supports", "Russia keeps its bases"), (source, "supports", "officials said")])
    body = client.get(f"/sources/{source.pk}/").content.decode()
    assert '<details class="source-notes-fold"><summary>Curator\'s notes</summary>' in body
    assert "The 1 claim it is quoted on</a> (2 passages)" in body
