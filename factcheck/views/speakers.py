"""Speakers: who is on record saying what, and editors keeping their names and aliases.

``/speakers/?q=`` finds speakers by name or alias; ``/speakers/<slug>/``
lists what one is reported saying, claim by claim, with the source that
carries each statement and the period it speaks about.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from factcheck import services
from factcheck.attribution_forms import SpeakerForm
from factcheck.cache import cached_page
from factcheck.forms import MAX_QUERY_LENGTH
from factcheck.models import Assertion, SourceDerivation, Speaker
from factcheck.pagination import paginate
from factcheck.selectors.speakers import listed_speakers, speaker_record
from factcheck.shapes import error_json, speaker_state_json
from factcheck.views.common import editor_required, get_or_404, wants_json
from factcheck.views.responses import add_service_errors, done, invalid

PER_PAGE = 50


def _get_speaker(slug):
    return get_or_404(Speaker.objects.all(), "speaker", slug=slug)


@require_safe
@cached_page(params=("page", "q"), tables=(Speaker, Assertion, SourceDerivation))
def speaker_list(request):
    q = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]
    page = paginate(request, listed_speakers(q), PER_PAGE)
    return render(request, "factcheck/speaker_list.html", {"page": page, "q": q})


@require_safe
@cached_page
def speaker_detail(request, slug):
    speaker = _get_speaker(slug)
    context = {
        "speaker": speaker,
        "record": speaker_record(speaker),
        "can_edit": request.user.has_perm("factcheck.change_speaker"),
    }
    return render(request, "factcheck/speaker_detail.html", context)


def _speaker_json(speaker):
    return speaker_state_json(speaker, services.speaker_fingerprint(speaker))


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("factcheck.change_speaker", gettext_lazy("Editing speakers"))
def speaker_edit(request, slug):
    speaker = _get_speaker(slug)
    template = "factcheck/speaker_form.html"
    context = {"speaker": speaker}
    if request.method != "POST":
        initial = {**_speaker_json(speaker), "aliases": speaker.aliases}
        return render(request, template, {**context, "form": SpeakerForm(initial=initial)})
    form = SpeakerForm(request.POST)
    if not form.is_valid():
        return invalid(request, form, template, context)
    try:
        # The form's fields are the service's: the name, kind, aliases, description and the state seen.
        speaker = services.speaker_update(speaker=speaker, user=request.user, **form.cleaned_data)
    except services.StaleSpeaker as exc:
        return _speaker_conflict(request, exc, form, context)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return invalid(request, form, template, context)
    return done(
        request,
        to=speaker.get_absolute_url(),
        message=_("Saved “%(name)s”.") % {"name": speaker.name},
        json_data=_speaker_json(speaker),
    )


def _speaker_conflict(request, error, form, context):
    """409: the speaker as it is now, and the editor's own values in a form based on it to save on top."""
    current = error.current
    if wants_json(request):
        now = _speaker_json(current) if current is not None else None
        return JsonResponse({**error_json(str(error), 409), "current": now}, status=409)
    if current is None:
        return redirect("speaker-list")
    again = SpeakerForm(initial={**form.cleaned_data, "seen": services.speaker_fingerprint(current)})
    context = {**context, "speaker": current, "form": again, "error": error}
    return render(request, "factcheck/speaker_form.html", context, status=409)
