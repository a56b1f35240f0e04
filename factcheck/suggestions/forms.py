"""The editors' forms on a source's suggestions: accept (stance, speaker, period), reject, a new claim."""

import re

from django import forms

from factcheck.attribution_forms import partial_date_field
from factcheck.forms import clean_partial_date
from factcheck.models import ClaimKind, Stance, Topic

_PASSAGE = re.compile(r"^(\d{1,10}):(\d{1,10})$")


class DecisionForm(forms.Form):
    """``passage``: the ``start:end`` the editor saw, so a decision never lands on a passage they did not."""

    passage = forms.CharField(
        max_length=25,
        error_messages={"required": "The form did not say which passage it showed; reload the page."},
    )

    def __init__(self, data, suggestion):
        super().__init__(data)
        self.suggestion = suggestion

    def clean_passage(self):
        m = _PASSAGE.match(self.cleaned_data["passage"].strip())
        if not m:
            raise forms.ValidationError("Expected start:end, as the suggestion gives it.")
        if (int(m.group(1)), int(m.group(2))) != (self.suggestion.start, self.suggestion.end):
            raise forms.ValidationError(
                "This is not the passage of this suggestion (the source was matched again since); reload the page."
            )
        return m.group(0)


class AcceptForm(DecisionForm):
    stance = forms.ChoiceField(choices=Stance.choices)
    speaker = forms.CharField(
        max_length=200,
        required=False,
        help_text="Whom the source reports saying this (a known speaker's name or alias); blank for its own voice.",
    )
    period_from = partial_date_field("Speaks about: from", "Blank: undated. YYYY, YYYY-MM or YYYY-MM-DD")
    period_to = partial_date_field("to", "Blank for one date. YYYY, YYYY-MM or YYYY-MM-DD")

    def clean_period_from(self):
        return clean_partial_date(self.cleaned_data["period_from"])

    def clean_period_to(self):
        return clean_partial_date(self.cleaned_data["period_to"])

    def clean_speaker(self):
        """A known speaker by name or alias, or None; new speakers are made on the claim page, not here."""
        from factcheck.selectors.speakers import speakers_named

        name = " ".join(self.cleaned_data["speaker"].split())
        if not name:
            return None
        found = speakers_named(name)
        if len(found) == 1:
            return found[0]
        if found:
            raise forms.ValidationError(f"“{name}” names {len(found)} speakers; type the full name of one.")
        raise forms.ValidationError(
            f"No speaker is called “{name}”. Leave it blank, or add the speaker first (Speakers page)."
        )


class NewClaimForm(AcceptForm):
    topic = forms.CharField(max_length=100, help_text="The topic's slug or title.")
    text = forms.CharField(max_length=1000, help_text="The claim, in the newsroom's words.")
    kind = forms.ChoiceField(choices=ClaimKind.choices, initial=ClaimKind.EVENT, required=False)

    def clean_topic(self):
        value = self.cleaned_data["topic"].strip()
        topic = Topic.objects.filter(slug=value).first() or Topic.objects.filter(title=value).first()
        if topic is None:
            raise forms.ValidationError(f"There is no topic “{value}”; choose one from the list.")
        return topic

    def clean_kind(self):
        return self.cleaned_data["kind"] or ClaimKind.EVENT
