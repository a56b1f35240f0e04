"""Editors' forms for a passage selected in the source reader: attach it to a claim, or make a new claim of it."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from factcheck.attribution_forms import known_speaker, partial_date_field, speaker_field
from factcheck.models import Claim, ClaimKind, Stance, Topic

_OFFSET = {"min_value": 0, "max_value": 2**31 - 1}
_STANCE_MESSAGES = {
    "required": gettext_lazy("Choose what the passage does to the claim: supports, disputes or qualifies."),
    "invalid_choice": gettext_lazy("“%(value)s” is not a stance; choose supports, disputes or qualifies."),
}


class SelectionForm(forms.Form):
    """Where the selection lies in the source's text, and the words the browser saw there (checked again)."""

    start = forms.IntegerField(
        **_OFFSET,
        error_messages={"required": gettext_lazy("Missing: where the selection starts (select a passage first).")},
    )
    end = forms.IntegerField(**_OFFSET, error_messages={"required": gettext_lazy("Missing: where the selection ends.")})
    # Not stripped: it must be exactly the text at start–end, blanks included.
    quote = forms.CharField(
        max_length=20_000, strip=False, error_messages={"required": gettext_lazy("Missing: the selected words.")}
    )


class _Attribution(SelectionForm):
    stance = forms.ChoiceField(choices=Stance.choices, widget=forms.RadioSelect, error_messages=_STANCE_MESSAGES)
    speaker = speaker_field(
        gettext_lazy(
            "Optional: whom the source reports saying this, by name or alias; blank for the source’s own voice."
        )
    )
    period_from = partial_date_field(
        gettext_lazy("Speaks about: from"), gettext_lazy("Optional. Blank: undated. YYYY, YYYY-MM or YYYY-MM-DD")
    )

    def clean_speaker(self):
        """A Speaker, or None. Only existing ones: a new speaker is made in its card's attribution form."""
        return known_speaker(
            self.cleaned_data["speaker"],
            ambiguous=_("“%(name)s” names %(count)s speakers: %(names)s. Type the full name of one."),
            unknown=_(
                "No speaker is called “%(name)s”: pick a name from the list, or leave it blank and add the speaker "
                "afterwards with “Edit who said it and when” on the claim page."
            ),
        )


class AttachForm(_Attribution):
    claim = forms.ModelChoiceField(
        queryset=Claim.objects.only("id", "text", "topic_id", "version"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the claim: find it by its words, then pick it from the list."),
            "invalid_choice": gettext_lazy("There is no such claim; find it by its words again."),
        },
    )


class NewClaimForm(_Attribution):
    text = forms.CharField(
        max_length=1_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("The claim"),
        help_text=gettext_lazy("One checkable statement, in your words; the selection is its first quote."),
        error_messages={"required": gettext_lazy("Write the claim: one checkable statement.")},
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.order_by("title"),
        empty_label=gettext_lazy("— choose a topic —"),
        error_messages={
            "required": gettext_lazy("Choose the topic the claim answers."),
            "invalid_choice": gettext_lazy("There is no such topic."),
        },
    )
    kind = forms.ChoiceField(choices=ClaimKind.choices, initial=ClaimKind.EVENT, widget=forms.RadioSelect)
