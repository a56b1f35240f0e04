"""Editors on a source page: a passage selected in the reader, attached to a claim or made into a new claim.

The reader's script sends the selection's offsets and words; the form is
built (GET) and saved (POST) only after the server has checked them against
the source's text (services.attach). Without JavaScript the same URLs answer
as whole pages. Answers as every editor's action does (views.responses):
422 naming the field for bad input, 409 for a passage the claim already
quotes, htmx the partial, a plain post a redirect to the claim.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from factcheck import search, services
from factcheck.attach_forms import AttachForm, NewClaimForm, SelectionForm
from factcheck.forms import describe_errors
from factcheck.models import Source
from factcheck.selectors.speakers import speaker_names
from factcheck.services.attach import selection_check
from factcheck.shapes import error_json
from factcheck.views.common import editor_required, get_or_404, wants_json
from factcheck.views.responses import add_service_errors

FINDER_LIMIT = 10  # claims listed for the words typed: pick one, or type more
ATTACHING = gettext_lazy("Attaching a passage to a claim")


def _get_source(pk):
    return get_or_404(Source.objects.all(), "source", pk=pk)


def _render(request, mode, source, form, status=200, **extra):
    if status >= 400 and wants_json(request):
        fields = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
        return JsonResponse(error_json(f"Not saved — {describe_errors(form)}", status, fields), status=status)
    context = {"mode": mode, "source": source, "form": form, "speaker_names": speaker_names(), **extra}
    template = "factcheck/_attach_form.html" if request.htmx else "factcheck/attach.html"
    return render(request, template, context, status=status)


def _selection(request, source):
    """``(start, end, errors)``: the checked, trimmed selection from the query string, or the errors naming fields."""
    form = SelectionForm(request.GET)
    if not form.is_valid():
        return None, None, form.errors
    data = form.cleaned_data
    try:
        start, end = selection_check(source, start=data["start"], end=data["end"], quote=data["quote"])
    except ValidationError as exc:
        return None, None, exc.message_dict
    return start, end, None


def _form_or_save(request, pk, mode):
    source = _get_source(pk)
    form_class = AttachForm if mode == "claim" else NewClaimForm
    if request.method != "POST":
        start, end, errors = _selection(request, source)
        if errors:
            form = SelectionForm(request.GET)
            form.is_valid()
            for name, problems in errors.items():
                if name not in form.errors:
                    form.add_error(name if name in form.fields else None, problems)
            return _render(request, mode, source, form, status=422, refused=True)
        quote = source.text[start:end]
        initial = {"start": start, "end": end, "quote": quote}
        if mode == "new":
            initial["text"] = " ".join(quote.split())[:1_000]
        return _render(request, mode, source, form_class(initial=initial), quote=quote)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render(request, mode, source, form, status=422, quote=request.POST.get("quote", ""))
    data = form.cleaned_data
    common = {
        "source": source,
        "start": data["start"],
        "end": data["end"],
        "quote": data["quote"],
        "stance": data["stance"],
        "period_from": data["period_from"],
        "speaker": data["speaker"],
        "user": request.user,
    }
    try:
        if mode == "claim":
            assertion = services.assertion_attach(claim=data["claim"], **common)
        else:
            assertion = services.claim_create_with_assertion(
                topic=data["topic"], text=data["text"], kind=data["kind"], **common
            )
    except ValidationError as exc:
        add_service_errors(form, exc)  # drops the fields it names from cleaned_data
        return _render(request, mode, source, form, status=422, quote=request.POST.get("quote", ""))
    except services.AssertionExists:
        form.add_error(None, _("This claim already quotes exactly this passage of the source."))
        return _render(request, mode, source, form, status=409, quote=request.POST.get("quote", ""))
    claim = assertion.claim
    if request.htmx:
        return render(request, "factcheck/_attach_done.html", {"assertion": assertion, "claim": claim, "mode": mode})
    if mode == "new":
        done = _("New claim, quoting the passage of “%(title)s”.")
    else:
        done = _("Attached the passage of “%(title)s”.")
    messages.success(request, done % {"title": source.title})
    return redirect(f"{claim.get_absolute_url()}#assertion-{assertion.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("factcheck.add_assertion", ATTACHING)
def source_attach(request, pk):
    """Attach the selected passage to an existing claim: GET the form for the selection, POST it."""
    return _form_or_save(request, pk, "claim")


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required("factcheck.add_claim", gettext_lazy("Making a new claim from a passage"))
def source_new_claim(request, pk):
    """A new claim with the selected passage as its first quote."""
    return _form_or_save(request, pk, "new")


@require_safe
@editor_required("factcheck.add_assertion", ATTACHING)
def source_attach_claims(request, pk):
    """The claims whose words match ``q``, to pick one from (the site's search over claims)."""
    source = _get_source(pk)
    q = request.GET.get("q", "").replace("\x00", "")[:200]
    hits = search.search(q, kinds=("claims",), limit=FINDER_LIMIT).kinds.get("claims") if q.strip() else None
    context = {"source": source, "q": q, "hits": hits.hits if hits else [], "total": hits.total if hits else 0}
    return render(request, "factcheck/_attach_claims.html", context)
