"""The editors' forms on a source's suggestions: accept (stance, speaker, period), reject, a new claim."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from factcheck.attribution_forms import known_speaker, partial_date_field, speaker_field
from factcheck.models import ClaimKind, Stance, Topic

_PASSAGE = re.compile(r"^(\d{1,10}):(\d{1,10})$")


class DecisionForm(forms.Form):
    """``passage``: the ``start:end`` the editor saw, so a decision never lands on a passage they did not."""

    passage = forms.CharField(
        max_length=25,
        error_messages={"required": gettext_lazy("The form did not say which passage it showed; reload the page.")},
    )

    def __init__(self, data, suggestion):
        super().__init__(data)
        self.suggestion = suggestion

    def clean_passage(self):
        m = _PASSAGE.match(self.cleaned_data["passage"].strip())
        if not m:
            raise forms.ValidationError(_("Expected start:end, as the suggestion gives it."))
        if (int(m.group(1)), int(m.group(2))) != (self.suggestion.start, self.suggestion.end):
            raise forms.ValidationError(
                _("This is not the passage of this suggestion (the source was matched again since); reload the page.")
            )
        return m.group(0)


class AcceptForm(DecisionForm):
    stance = forms.ChoiceField(choices=Stance.choices, label=gettext_lazy("Stance"))
    speaker = speaker_field(
        gettext_lazy("Whom the source reports saying this (a known speaker’s name or alias); blank for its own voice.")
    )
    period_from = partial_date_field(
        gettext_lazy("Speaks about: from"), gettext_lazy("Blank: undated. YYYY, YYYY-MM or YYYY-MM-DD")
    )
    period_to = partial_date_field(gettext_lazy("to"), gettext_lazy("Blank for one date. YYYY, YYYY-MM or YYYY-MM-DD"))

    def clean_speaker(self):
        """A known speaker by name or alias, or None; new speakers are made on the claim page, not here."""
        return known_speaker(
            self.cleaned_data["speaker"],
            ambiguous=_("“%(name)s” names %(count)s speakers; type the full name of one."),
            unknown=_("No speaker is called “%(name)s”. Leave it blank, or add the speaker first (Speakers page)."),
        )


class NewClaimForm(AcceptForm):
    topic = forms.CharField(
        max_length=100, label=gettext_lazy("Topic"), help_text=gettext_lazy("The topic’s slug or title.")
    )
    text = forms.CharField(
        max_length=1000, label=gettext_lazy("Claim"), help_text=gettext_lazy("The claim, in the newsroom’s words.")
    )
    kind = forms.ChoiceField(choices=ClaimKind.choices, initial=ClaimKind.EVENT, required=False)

    def clean_topic(self):
        value = self.cleaned_data["topic"].strip()
        topic = Topic.objects.filter(slug=value).first() or Topic.objects.filter(title=value).first()
        if topic is None:
            raise forms.ValidationError(
                _("There is no topic “%(value)s”; choose one from the list.") % {"value": value}
            )
        return topic

    def clean_kind(self):
        return self.cleaned_data["kind"] or ClaimKind.EVENT
