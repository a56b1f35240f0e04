"""Editors' forms for attribution: who said a statement, when, and about what period; a claim's kind; a speaker."""

from django import forms
from django.utils.translation import gettext_lazy as _

from factcheck import dates
from factcheck.forms import clean_partial_date, version_field
from factcheck.models import ClaimKind, Speaker, Stance
from factcheck.selectors.speakers import speakers_named

DATE_FORMATS_HELP = _("YYYY, YYYY-MM or YYYY-MM-DD")


class PartialDateField(forms.CharField):
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` typed; cleaned to ``(date, precision)``, or None when blank."""

    def clean(self, value):
        return clean_partial_date(super().clean(value))


def partial_date_field(label, help_text=DATE_FORMATS_HELP):
    return PartialDateField(max_length=10, required=False, label=label, help_text=help_text)


def speaker_field(help_text):
    """A speaker typed by name or alias; the form's ``clean`` finds them (``known_speaker``)."""
    return forms.CharField(max_length=200, required=False, label=_("Speaker"), help_text=help_text)


def known_speaker(value, *, ambiguous, unknown):
    """The one speaker called ``value`` by name or alias; None when it is blank.

    Otherwise a ValidationError in the form's own words: ``unknown`` with
    ``%(name)s``; ``ambiguous`` with ``%(name)s``, ``%(count)s`` and
    ``%(names)s`` (each speaker's name and page) for a name several share.
    """
    name = " ".join(value.split())
    if not name:
        return None
    found = speakers_named(name)
    if len(found) == 1:
        return found[0]
    if not found:
        raise forms.ValidationError(unknown % {"name": name})
    names = "; ".join(f"{s.name} (/speakers/{s.slug}/)" for s in found)
    raise forms.ValidationError(ambiguous % {"name": name, "count": len(found), "names": names})


class AttributionForm(forms.Form):
    """An assertion's speaker (an existing one by name or alias, or a new one), statement date and period.

    ``speaker`` is blank for the source's own voice. A name no speaker has
    needs ``new_speaker_kind``: the editor creates the speaker in place.
    """

    # Blank keeps the stance: forms and clients from before it was editable here send none.
    stance = forms.ChoiceField(choices=[("", _("— as it is —")), *Stance.choices], required=False, label=_("Stance"))
    speaker = speaker_field(_("Whom the source reports saying this; blank when the source says it itself."))
    new_speaker_kind = forms.ChoiceField(
        choices=[("", _("— an existing speaker —")), *Speaker.Kind.choices],
        required=False,
        label=_("New speaker? Their kind"),
    )
    stated_on = partial_date_field(
        _("Statement made on"), _("Blank: the source’s publication date. YYYY, YYYY-MM or YYYY-MM-DD")
    )
    period_from = partial_date_field(_("Speaks about: from"), _("Blank: undated. YYYY, YYYY-MM or YYYY-MM-DD"))
    period_to = partial_date_field(_("to"), _("Blank for one date. YYYY, YYYY-MM or YYYY-MM-DD"))
    # The quote's language and a translation beneath it (factcheck/services/translations.py checks them).
    language = forms.CharField(
        max_length=10,
        required=False,
        label=_("Language of the quote"),
        help_text=_("Blank: the source’s. e.g. ru, ar, fr"),
    )
    translation = forms.CharField(
        max_length=20_000, required=False, label=_("Translation"), widget=forms.Textarea(attrs={"rows": 3})
    )
    translation_language = forms.CharField(
        max_length=10, required=False, label=_("Translated into"), help_text=_("e.g. en")
    )
    translator = forms.CharField(max_length=200, required=False, label=_("Translated by"), help_text=_("Blank: you."))
    version = version_field()

    def clean(self):
        """``speaker``: a Speaker, or None; ``new_speaker``: the name to create one with, or None."""
        data = super().clean()
        name = " ".join(data.get("speaker", "").split())
        data["speaker"], data["new_speaker"] = None, None
        if not name:
            return data
        found = speakers_named(name)
        if len(found) == 1:
            data["speaker"] = found[0]
        elif len(found) > 1:
            names = "; ".join(f"{s.name} ({s.get_kind_display().lower()}, /speakers/{s.slug}/)" for s in found)
            self.add_error(
                "speaker",
                _("“%(name)s” names %(count)s speakers: %(names)s. Type the full name of one.")
                % {"name": name, "count": len(found), "names": names},
            )
        elif not data.get("new_speaker_kind"):
            self.add_error(
                "new_speaker_kind",
                _("No speaker is called “%(name)s”. To add one, choose their kind; or pick a name from the list.")
                % {"name": name},
            )
        else:
            data["new_speaker"] = name
        return data

    @property
    def date_fields(self):
        return [self[name] for name in ("stated_on", "period_from", "period_to")]

    @property
    def language_fields(self):
        return [self[name] for name in ("language", "translation_language", "translator")]

    @staticmethod
    def initial_for(assertion):
        return {
            "stance": assertion.stance,
            "speaker": assertion.speaker.name if assertion.speaker_id else "",
            "stated_on": dates.serialize_partial_date(assertion.stated_on, assertion.stated_on_precision) or "",
            "period_from": dates.serialize_partial_date(assertion.as_of, assertion.as_of_precision) or "",
            "period_to": dates.serialize_partial_date(assertion.period_end, assertion.period_end_precision) or "",
            "language": assertion.language,
            "translation": assertion.translation,
            "translation_language": assertion.translation_language,
            "translator": assertion.translator,
            "version": assertion.version,
        }


class ClaimKindForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ClaimKind.choices,
        widget=forms.RadioSelect,
        label=_("This claim is"),
        error_messages={
            "required": _("Choose event or state."),
            "invalid_choice": _("“%(value)s” is not event or state."),
        },
    )
    version = version_field()


class SpeakerForm(forms.Form):
    """A speaker's details; ``seen`` is what the editor's form was built from (see services.speakers)."""

    name = forms.CharField(max_length=200, error_messages={"required": _("Give the speaker's name.")})
    kind = forms.ChoiceField(choices=Speaker.Kind.choices)
    aliases = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Other names and spellings sources use, one per line."),
    )
    description = forms.CharField(required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 3}))
    seen = forms.CharField(
        max_length=64,
        widget=forms.HiddenInput,
        error_messages={"required": _("The form did not say which state of the speaker it showed; reload the page.")},
    )
