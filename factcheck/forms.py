from django import forms
from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from factcheck import dates
from factcheck.language_codes import LANGUAGE_CHOICES, validate_language_code
from factcheck.menu_widget import FixedMenu
from factcheck.models import Annotation, Assertion, Source, Stance, Status, Topic, Verdict
from factcheck.pagination import MAX_PAGE
from factcheck.quotes import clip_words
from factcheck.search.results import KIND_LABELS
from factcheck.selectors.queue import QUEUE_SORTS, QUEUE_TABS
from factcheck.services import MAX_NOTE_LENGTH, MAX_RATIONALE_LENGTH
from factcheck.services.base import MAX_HISTORY_REASON_LENGTH
from factcheck.services.decisions import MAX_REASON_LENGTH, needs_prevailing, prevailing_by_verdict, prevailing_for

# Any ISO 639-1 code: a filter for a language nothing is in yet finds nothing, it is not an error.
ANY_LANGUAGE = [("", "Any language"), *LANGUAGE_CHOICES]
MAX_QUERY_LENGTH = 500
# The largest id a row can have (a 64-bit column). A bigger number is refused
# here, naming the parameter, rather than reaching a query (see lookups.py).
MAX_ID = 2**63 - 1


def clean_partial_date(value):
    """``"2025-07"`` → ``(date, precision)``; blank → None; a message naming the format otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dates.parse_partial_date(value)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from None


class LanguageField(forms.ChoiceField):
    """A menu of languages whose refusal names the code meant ("Russian": use “ru”)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", FixedMenu("languages"))
        super().__init__(choices=ANY_LANGUAGE, **kwargs)

    def __deepcopy__(self, memo):
        # Each form copies its fields; ANY_LANGUAGE never changes, so the copy shares
        # it rather than deep-copying ~185 lazy labels (0.7 ms a form: search, the claim list).
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result

    def validate(self, value):
        if value:
            validate_language_code(value)


def id_field(**kwargs):
    return forms.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class ClaimFilterForm(forms.Form):
    """The filters of ``/claims/`` and ``/api/claims/``.

    Malformed values are a 400; well-formed references to things that do not
    exist (an unknown topic slug or source id) are a 404.
    """

    status = forms.ChoiceField(choices=[("", _("Any status")), *Status.choices], required=False)
    topic = forms.SlugField(max_length=100, required=False)
    source = id_field(required=False)
    q = forms.CharField(max_length=MAX_QUERY_LENGTH, required=False, strip=True, label=_("Words in the claim"))
    language = LanguageField(label=_("Quoted in"))

    def filter(self, claims):
        """Apply the cleaned filters; returns ``(claims, topic, source)``."""
        data = self.cleaned_data
        topic = source = None
        if data["topic"]:
            topic = Topic.objects.filter(slug=data["topic"]).first()
            if topic is None:
                raise Http404(_("There is no topic “%(slug)s”.") % {"slug": data["topic"]})
            claims = claims.filter(topic=topic)
        if data["source"]:
            source = Source.objects.filter(pk=data["source"]).only("id", "title").first()
            if source is None:
                raise Http404(_("There is no source with id %(id)s.") % {"id": data["source"]})
            claims = claims.citing(source)
        if data["status"]:
            claims = claims.filter(status=data["status"])
        if data["q"]:
            claims = claims.filter(text__icontains=data["q"])
        if data.get("language"):
            claims = claims.in_language(data["language"])
        return claims, topic, source


class SearchForm(forms.Form):
    """``/search/``: words, "phrases" and filters. Anything typed is safe: see factcheck/search.py."""

    q = forms.CharField(max_length=MAX_QUERY_LENGTH, required=False, strip=True, label=_("Search"))
    kind = forms.ChoiceField(
        choices=[("", _("Everything")), *KIND_LABELS.items()],
        required=False,
        label=_("Show"),
        widget=FixedMenu("search-kinds"),
    )
    topic = forms.SlugField(max_length=100, required=False)
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *Status.choices],
        required=False,
        label=_("Claim status"),
        widget=FixedMenu("search-statuses"),
    )
    language = LanguageField(label=_("Language"))
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)


class LanguageFilterForm(forms.Form):
    """``?language=`` of ``/sources/`` and ``/api/sources/``: an ISO 639-1 code, or nothing."""

    language = LanguageField(label="Language")


class TopicFinderForm(forms.Form):
    """Home's topic finder: words of a topic's title or description, a status its claims have, an order."""

    q = forms.CharField(max_length=200, required=False, strip=True, label=_("Find a topic"))
    status = forms.ChoiceField(
        choices=[("", _("Any claims")), *Status.choices], required=False, label=_("With a claim that is")
    )
    order = forms.ChoiceField(
        choices=[("conflicts", _("Most conflicts")), ("claims", _("Most claims")), ("title", _("A–Z"))],
        required=False,
        label=_("Order"),
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)


class EvidenceForm(forms.Form):
    """``/api/evidence/``: the statement to find evidence for, and how many passages."""

    q = forms.CharField(max_length=2000, strip=True)
    limit = forms.IntegerField(min_value=1, max_value=50, required=False)

    def clean_limit(self):
        return self.cleaned_data["limit"] or 5


class EvidenceSuggestionForm(forms.Form):
    """One suggested passage turned into an assertion: the editor picks the stance."""

    source = id_field(widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    stance = forms.ChoiceField(
        choices=Stance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("choose whether the passage supports, disputes or qualifies the claim.")},
    )
    as_of = forms.CharField(
        max_length=10, required=False, label=_("As of (optional)"), help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )

    def clean_as_of(self):
        return clean_partial_date(self.cleaned_data["as_of"])


def describe_errors(form):
    """One line naming each bad parameter and why."""
    return "; ".join(f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in form.errors.items())


def cleaned_or_400(form):
    if not form.is_valid():
        raise BadRequest(f"Bad parameter — {describe_errors(form)}")
    return form


# Editors' forms. Each edit carries the version it was based on (see services).

_VERSION_MESSAGES = {
    "required": _("The form did not say which version it was based on; reload the page and try again."),
    "invalid": _("The version must be a whole number; reload the page and try again."),
}


def version_field():
    return forms.IntegerField(
        min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput, error_messages=_VERSION_MESSAGES
    )


class VersionForm(forms.Form):
    """Delete, assign and revert: nothing to fill in but the version seen."""

    version = version_field()


class ReopenForm(VersionForm):
    """Reopening a decision: the version seen, and an optional short reason kept in its history."""

    reason = forms.CharField(label=_("Why reopen?"), max_length=MAX_HISTORY_REASON_LENGTH, required=False)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note (Markdown)"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the note: it cannot be empty.")},
    )


class NewNoteForm(NoteForm):
    """A note on the claim, or (``assertion``) on one of its assertions."""

    assertion = id_field(required=False, widget=forms.HiddenInput)
    internal = forms.BooleanField(required=False, label=_("Internal: editors and staff only"))
    parent = id_field(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean_parent(self):
        pk = self.cleaned_data["parent"]
        if pk is None:
            return None
        parent = Annotation.objects.filter(pk=pk, claim=self.claim).select_related("author", "assertion").first()
        if parent is None:
            raise forms.ValidationError(_("Note %(pk)s is not one of this claim's notes.") % {"pk": pk})
        return parent

    def clean_assertion(self):
        pk = self.cleaned_data["assertion"]
        if pk is None:
            return None
        assertion = Assertion.objects.filter(pk=pk, claim=self.claim).select_related("source").first()
        if assertion is None:
            raise forms.ValidationError(_("Assertion %(pk)s is not one of this claim's assertions.") % {"pk": pk})
        return assertion


class NoteEditForm(NoteForm):
    version = version_field()


class _PrevailingField(forms.ModelMultipleChoiceField):
    # It only ever offers one claim's assertions, so its refusals can name them.
    default_error_messages = {
        "invalid_choice": _("Assertion %(value)s is not one of this claim's assertions."),
        "invalid_pk_value": _("“%(pk)s” is not an assertion id."),
    }

    def label_from_instance(self, obj):
        # The quote at length: the form sits beside the columns, but the editor decides on these words.
        return f"{obj.source.title} — {obj.get_stance_display().lower()}: “{clip_words(obj.quote, 320)}”"

    def _check_values(self, value):
        # Django's own check only asks whether the value converts to an int;
        # one beyond 64 bits would then be looked up (an OverflowError on SQLite).
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                in_range = 1 <= int(str(pk)) <= MAX_ID
            except ValueError:
                in_range = False
            if not in_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


# What each verdict means, shown beside its choice: "Mixed" and "Outdated" are not self-explanatory.
VERDICT_DEFINITIONS = {
    Verdict.TRUE: _("the sources that prevail confirm the claim as stated"),
    Verdict.MOSTLY_TRUE: _("right in substance; a detail, figure or date is off"),
    Verdict.MIXED: _("parts of the claim hold and parts do not, at the same time"),
    Verdict.MOSTLY_FALSE: _("wrong in substance, though a detail holds"),
    Verdict.FALSE: _("the sources that prevail contradict the claim"),
    Verdict.UNPROVEN: _("no trustworthy source settles it either way"),
    Verdict.OUTDATED: _("it held once but no longer does (or the reverse): the situation changed, not the record"),
}


class _VerdictRadioSelect(forms.RadioSelect):
    """Each verdict's definition (shown beside it, ``verdict_definition``) describes its radio."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["aria-describedby"] = f"verdict-def-{value}"
        return option


class ResolutionForm(forms.Form):
    """Verdict, rationale and what prevails.

    Unbound with an initial ``verdict`` and no initial ``prevailing`` (a new
    decision, or the form asked again for another verdict), the side the
    verdict takes is pre-ticked: supporting statements for true and mostly
    true, disputing ones for false and mostly false. ``prevailing_by_verdict``
    gives the ids to pre-tick for every verdict, for a page that pre-ticks as
    the editor picks one. A true or false verdict with nothing prevailing
    needs ``no_prevailing_reason``.
    """

    verdict = forms.ChoiceField(
        choices=Verdict.choices,
        widget=_VerdictRadioSelect,
        error_messages={
            "required": _("Choose a verdict."),
            "invalid_choice": _("“%(value)s” is not a verdict; choose one of the listed ones."),
        },
    )
    rationale = forms.CharField(
        label=_("Rationale (Markdown)"),
        max_length=MAX_RATIONALE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Explain the decision: the rationale cannot be empty.")},
    )
    prevailing = _PrevailingField(
        queryset=Assertion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sources that prevail"),
    )
    no_prevailing_reason = forms.CharField(
        label=_("Why no statement prevails"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for a true or false verdict when no statement is ticked as prevailing."),
    )
    version = version_field()

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["prevailing"].queryset = (
            Assertion.objects.filter(claim=claim)
            .select_related("source")
            .defer("source__text")
            .order_by("stance", "source__title", "start")
        )
        verdict = self.initial.get("verdict")
        if not self.is_bound and verdict and "prevailing" not in self.initial:
            self.initial["prevailing"] = prevailing_for(self._statements, verdict)

    @cached_property
    def _statements(self):
        return list(self.claim.assertions.only("id", "stance"))

    @cached_property
    def prevailing_by_verdict(self):
        """``{verdict: [assertion ids to pre-tick]}``: one query, the first time it is read."""
        return prevailing_by_verdict(self._statements)

    def clean(self):
        data = super().clean()
        verdict = data.get("verdict")
        if verdict and needs_prevailing(verdict) and not data.get("prevailing") and "prevailing" not in self.errors:
            if not (data.get("no_prevailing_reason") or "").strip():
                label = dict(Verdict.choices)[verdict]
                self.add_error(
                    "no_prevailing_reason",
                    _(
                        "A “%(verdict)s” verdict with no statement prevailing needs a reason: "
                        "tick the statements that prevail, or say why none does."
                    )
                    % {"verdict": label},
                )
        return data


class ReviewFilterForm(ClaimFilterForm):
    """The review queue's filters: the tab says which claims (selectors.queue), not a status menu."""

    status = None
    language = None
    tab = forms.ChoiceField(choices=QUEUE_TABS, required=False)
    sort = forms.ChoiceField(choices=QUEUE_SORTS, required=False)
    assigned = forms.ChoiceField(
        choices=[("", _("Anyone or nobody")), ("me", _("Assigned to me")), ("nobody", _("Unassigned"))],
        required=False,
    )

    def clean(self):
        data = super().clean()
        data["status"] = None
        data["tab"] = data.get("tab") or QUEUE_TABS[0][0]
        data["sort"] = data.get("sort") or QUEUE_SORTS[0][0]
        return data
