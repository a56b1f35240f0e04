import pytest
from django.core.management import CommandError, call_command

from factcheck.models import Source, Speaker
from tests.conftest import make_claim, make_source


def test_it_reports_every_quote_matching(conflict_claim, capsys):
    call_command("verify_quotes")
    assert "All 2 quotes match their sources." in capsys.readouterr().out


def test_it_fails_listing_each_quote_that_no_longer_matches(db):
    source = make_source(title="Drifting", text="The base at Tartus stays open. Nothing else.")
    claim = make_claim(assertions=[(source, "supports", "The base at Tartus stays open.")])
    # Someone edits the stored text under the quote.
    Source.objects.filter(pk=source.pk).update(text="The base at Tartous stays open. Nothing else.")
    with pytest.raises(CommandError) as exc:
        call_command("verify_quotes")
    message = str(exc.value)
    assert message.startswith("1 of 1 quotes do not match:")
    assert f"claim {claim.pk}, source {source.pk} “Drifting”, 0–30" in message
    assert "nearest passage: “The base at Tartous stays open.”" in message


def test_it_checks_reported_speech_and_dated_periods_like_any_quote(db, capsys):
    kremlin = Speaker.objects.create(slug="kremlin", name="The Kremlin", kind="government")
    source = make_source(title="Reporting", text="The Kremlin denied that any extradition was requested.")
    claim = make_claim(assertions=[(source, "disputes", "The Kremlin denied that any extradition was requested.")])
    claim.assertions.update(
        speaker=kremlin, stated_on="2025-10-15", as_of="2025-10-01", as_of_precision="month", period_end=None
    )
    call_command("verify_quotes")
    assert "All 1 quotes match their sources." in capsys.readouterr().out

    Source.objects.filter(pk=source.pk).update(text="The Kremlin confirmed that an extradition was requested.")
    with pytest.raises(CommandError) as exc:
        call_command("verify_quotes")
    assert str(exc.value).startswith("1 of 1 quotes do not match:")
