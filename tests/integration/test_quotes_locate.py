"""Assertion.locate: a quote found in its source's stored text, or a clear refusal.

The matching itself: tests/unit/test_quotes.py.
"""

import pytest
from django.core.exceptions import ValidationError

from factcheck.models import Assertion
from tests.conftest import make_claim, make_source
from tests.unit.test_quotes import TEXT


@pytest.mark.django_db
class TestAssertionLocate:
    def test_it_computes_offsets_in_the_original_text(self):
        source = make_source(text=TEXT)
        claim = make_claim()
        assertion = Assertion(claim=claim, source=source, stance="supports", quote='will "respect  all agreements"')
        assertion.locate()
        assert (assertion.start, assertion.end) == (TEXT.index("will"), TEXT.index("\u201d") + 1)
        assert assertion.matches_source()

    def test_it_refuses_an_absent_quote_naming_the_source_and_nearest_passage(self):
        source = make_source(text=TEXT, title="TRT analysis")
        assertion = Assertion(
            claim=make_claim(), source=source, stance="supports", quote="Syria will respect no agreements"
        )
        with pytest.raises(ValidationError) as exc:
            assertion.locate()
        message = exc.value.message_dict["quote"][0]
        assert "does not occur in “TRT analysis”" in message
        assert 'Nearest passage: “Al Sharaa said that Syria will "respect all agreements"' in message

    def test_it_asks_which_occurrence_of_a_repeated_quote(self):
        source = make_source(text="The base stays. The base stays. The base stays.")
        assertion = Assertion(claim=make_claim(), source=source, stance="supports", quote="The base stays.")
        with pytest.raises(ValidationError) as exc:
            assertion.locate()
        assert "occurs 3 times" in exc.value.message_dict["occurrence"][0]
        assertion.locate(occurrence=2)
        assert (assertion.start, assertion.end) == (16, 31)
        with pytest.raises(ValidationError) as exc:
            assertion.locate(occurrence=4)
        assert "between 1 and 3" in exc.value.message_dict["occurrence"][0]
