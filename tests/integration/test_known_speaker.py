"""The speaker field of the attach and suggestion forms: one lookup, each form's own refusals."""

from types import SimpleNamespace

import pytest

from factcheck.attach_forms import AttachForm
from factcheck.suggestions.forms import AcceptForm
from tests.conftest import make_speaker

pytestmark = pytest.mark.django_db


def _attach_errors(speaker):
    form = AttachForm({"speaker": speaker})
    return form, form.errors.get("speaker")


def _accept_errors(speaker):
    form = AcceptForm({"speaker": speaker}, SimpleNamespace(start=0, end=5))
    return form, form.errors.get("speaker")


@pytest.mark.parametrize("errors_of", [_attach_errors, _accept_errors])
def test_it_finds_one_speaker_by_name_or_alias_and_none_for_blank(errors_of):
    kremlin = make_speaker("The Kremlin", kind="government", aliases="Kremlin\nMoscow")
    for typed, expected in [("  the   kremlin ", kremlin), ("MOSCOW", kremlin), ("   ", None), ("", None)]:
        form, errors = errors_of(typed)
        assert errors is None, typed
        assert form.cleaned_data["speaker"] == expected, typed


def test_it_lists_the_speakers_an_ambiguous_name_fits_on_the_attach_form():
    make_speaker("Ivan Petrov", slug="ivan-petrov")
    make_speaker("I. Petrov", slug="i-petrov", aliases="Ivan Petrov")
    _form, errors = _attach_errors("Ivan Petrov")
    # Speakers come by name, as the model orders them.
    assert errors == [
        "“Ivan Petrov” names 2 speakers: I. Petrov (/speakers/i-petrov/); Ivan Petrov (/speakers/ivan-petrov/). "
        "Type the full name of one."
    ]


def test_it_counts_the_speakers_an_ambiguous_name_fits_on_the_suggestion_form():
    make_speaker("Ivan Petrov")
    make_speaker("I. Petrov", aliases="Ivan Petrov")
    _form, errors = _accept_errors("ivan petrov")
    assert errors == ["“ivan petrov” names 2 speakers; type the full name of one."]


def test_it_says_no_speaker_has_the_name_in_each_forms_words():
    make_speaker("Ivan Petrov")
    assert _attach_errors("Nobody Known")[1] == [
        "No speaker is called “Nobody Known”: pick a name from the list, or leave it blank and add the speaker "
        "afterwards with “Edit who said it and when” on the claim page."
    ]
    assert _accept_errors("Nobody  Known")[1] == [
        "No speaker is called “Nobody Known”. Leave it blank, or add the speaker first (Speakers page)."
    ]
