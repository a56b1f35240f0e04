"""The corpus pages, beside the claim list: import (upload a file, check it or import it, within limits a
request can meet) and export (the whole corpus or some topics; the export actions use ``download``).

An import runs inside one web request, and gunicorn kills a worker whose
request takes longer than its timeout (30 s, gunicorn.conf.py). Import time
grows with the number of records (each is validated, saved and recorded in
history) and memory with the file's size, so the page takes at most
``MAX_IMPORT_BYTES`` and ``MAX_IMPORT_RECORDS``; larger files go through
``manage.py import_corpus``, which has no limit. Measured with
tools/measure_corpus_import.py on the development machine (2 cores shared
with other work, load average 6–7, SQLite): 2,928 records of the seed
corpus's shape (1 MB) took 6.7–7.0 s of CPU and 16–19 s of wall time,
peaking at 76 MB; 7.5 MB of source texts 4.1–4.7 s of CPU and 5–13 s,
peaking at 91 MB (15 MB: 8.2 s, 9–12 s, 128 MB).

The size is checked from Content-Length before the body is read: CSRF is
checked after that (the view is csrf_exempt and calls a csrf_protect'ed
function), since checking it means parsing the whole upload.
"""

import hashlib
import json
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from factcheck import corpus
from factcheck.models import Topic

MAX_IMPORT_BYTES = 8 * 1024 * 1024
MAX_IMPORT_RECORDS = 3_000
# Room for the multipart framing and the form's other fields around the file.
_ENVELOPE_BYTES = 64 * 1024
# A body over the limit but below this is read and dropped before answering:
# a browser still sending its upload shows "connection reset", not the page.
_DRAIN_BYTES = 64 * 1024 * 1024
_LARGER = "import larger files on the server with manage.py import_corpus FILE"
TEMPLATE = "admin/factcheck/corpus_import.html"
# Importing creates and changes sources, topics, claims and assertions, and
# removes assertions a file no longer lists.
IMPORT_PERMISSIONS = [
    *(
        f"factcheck.{action}_{model}"
        for model in ("source", "topic", "claim", "assertion")
        for action in ("add", "change")
    ),
    "factcheck.delete_assertion",
]
EXPORT_PERMISSIONS = [
    "factcheck.view_source",
    "factcheck.view_topic",
    "factcheck.view_claim",
    "factcheck.view_assertion",
]
# On top of the import's own: what replacing editors' work changes.
REPLACE_EDITORIAL_PERMISSIONS = ["factcheck.change_annotation", "factcheck.change_resolution"]


class CorpusImportForm(forms.Form):
    file = forms.FileField(
        help_text=(
            "A factcheck-corpus/2 (or /1) JSON file, or a CSV of claims with one row per assertion. UTF-8, "
            f"at most {MAX_IMPORT_BYTES // (1024 * 1024)} MB and {MAX_IMPORT_RECORDS:,} records (sources, topics, "
            f"claims and assertions together); {_LARGER}."
        )
    )
    format = forms.ChoiceField(choices=[("", "From the file name"), ("json", "JSON"), ("csv", "CSV")], required=False)
    dry_run = forms.BooleanField(
        required=False, label="Check only", help_text="Validate and show what would change, without writing anything."
    )
    replace_editorial = forms.BooleanField(
        required=False,
        label="Replace editors' work",
        help_text=(
            "Let the import delete or change editors' notes, decisions and assertions (each change is recorded "
            "in history). Without it, an import that would do so is refused and lists them; “Check only” lists "
            "them too."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(f"The file is {upload.size:,} bytes; the limit is {MAX_IMPORT_BYTES:,}: {_LARGER}.")
        return upload


def record_count(data):
    """Sources, topics, claims and assertions in a parsed document (what is malformed is left to validation)."""
    if not isinstance(data, dict):
        return 0
    lists = [data.get(kind) for kind in ("speakers", "sources", "topics", "claims")]
    count = sum(len(value) for value in lists if isinstance(value, list))
    for claim in data.get("claims") if isinstance(data.get("claims"), list) else ():
        assertions = claim.get("assertions") if isinstance(claim, dict) else None
        count += len(assertions) if isinstance(assertions, list) else 0
    return count


def import_page(request, context, *, message_user):
    """The page (GET) or an upload (POST); ``context`` is the admin's, ``message_user`` the ModelAdmin's."""
    context.update(max_mb=MAX_IMPORT_BYTES // (1024 * 1024), max_records=f"{MAX_IMPORT_RECORDS:,}")
    if request.method == "POST":
        length = _content_length(request)
        if length > MAX_IMPORT_BYTES + _ENVELOPE_BYTES:
            if length <= _DRAIN_BYTES:
                while request.read(64 * 1024):
                    pass
            context["problems"] = [
                f"The upload is {length:,} bytes; the limit is {MAX_IMPORT_BYTES:,} bytes for the file: {_LARGER}."
            ]
            context["form"] = CorpusImportForm()
            return TemplateResponse(request, TEMPLATE, context, status=413)
        return _post(request, context, message_user)
    context["form"] = CorpusImportForm()
    context["changes"] = request.session.pop("factcheck_import_changes", None)
    context["more_changes"] = request.session.pop("factcheck_import_more", 0)
    context["replaced"] = request.session.pop("factcheck_import_editorial", None)
    return TemplateResponse(request, TEMPLATE, context)


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads nothing of a body whose length it cannot parse either


# A file that passed “Check only” waits in the session, so that importing it
# needs no second upload; larger ones must be chosen again (sessions live in
# the database, and a row of many megabytes is not worth the convenience).
CHECKED_SESSION_KEY = "factcheck_import_checked"
MAX_CHECKED_BYTES = 4 * 1024 * 1024


@csrf_protect
def _post(request, context, message_user):
    if "checked" in request.POST and not request.FILES:
        return _import_checked(request, context, message_user)
    form = context["form"] = CorpusImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return TemplateResponse(request, TEMPLATE, context, status=400)
    upload = form.cleaned_data["file"]
    options = {
        "label": Path(upload.name).name,
        "fmt": form.cleaned_data["format"] or None,
        "replace_editorial": form.cleaned_data["replace_editorial"],
    }
    return _run(request, context, message_user, upload.read(), dry_run=form.cleaned_data["dry_run"], **options)


def _import_checked(request, context, message_user):
    """Import the file kept by “Check only”: the one whose digest the page was given, or a 400 saying to upload it."""
    context["form"] = CorpusImportForm()
    kept = request.session.get(CHECKED_SESSION_KEY) or {}
    content = (kept.get("content") or "").encode()
    if not kept or hashlib.sha256(content).hexdigest() != request.POST.get("checked"):
        context["problems"] = ["The checked file is no longer kept (it expires with a newer check): choose it again."]
        return TemplateResponse(request, TEMPLATE, context, status=400)
    replace = request.POST.get("replace_editorial") == "on"
    response = _run(
        request, context, message_user, content, label=kept["label"], fmt=kept["fmt"], replace_editorial=replace
    )
    if response.status_code == 302:
        request.session.pop(CHECKED_SESSION_KEY, None)
    return response


def _run(request, context, message_user, content, *, label, fmt, replace_editorial, dry_run=False):
    if replace_editorial and not request.user.has_perms(REPLACE_EDITORIAL_PERMISSIONS):
        raise PermissionDenied("Replacing editors' work needs permission to change notes and resolutions.")
    try:
        data = corpus.parse_corpus(content, label=label, fmt=fmt)
        if (count := record_count(data)) > MAX_IMPORT_RECORDS:
            context["problems"] = [
                f"{label}: {count:,} records (sources, topics, claims and assertions); "
                f"the limit here is {MAX_IMPORT_RECORDS:,}: {_LARGER}."
            ]
            return TemplateResponse(request, TEMPLATE, context, status=413)
        result = corpus.import_corpus(
            data,
            base_dir=None,
            label=label,
            dry_run=dry_run,
            replace_editorial=replace_editorial,
            user=request.user,
        )
    except corpus.EditorialWork as exc:
        context["editorial_refused"] = exc.problems
        return TemplateResponse(request, TEMPLATE, context, status=409)
    except corpus.CorpusError as exc:
        context["problems"] = exc.problems
        return TemplateResponse(request, TEMPLATE, context, status=400)
    if dry_run:
        context["result"] = result
        if len(content) <= MAX_CHECKED_BYTES:
            # parse_corpus read it as UTF-8, so it decodes.
            request.session[CHECKED_SESSION_KEY] = {"content": content.decode("utf-8-sig"), "label": label, "fmt": fmt}
            context["checked"] = {
                "digest": hashlib.sha256(content.decode("utf-8-sig").encode()).hexdigest(),
                "label": label,
                "replace_editorial": replace_editorial,
            }
        return TemplateResponse(request, TEMPLATE, context)
    message_user(request, f"Imported {label}: {result.summary()}.", messages.SUCCESS)
    request.session["factcheck_import_changes"] = result.changes[:500]
    request.session["factcheck_import_more"] = max(0, len(result.changes) - 500)
    request.session["factcheck_import_editorial"] = result.editorial[:500]
    return redirect("admin:factcheck_corpus_import")


class CorpusViewsMixin:
    """The import and export pages, served from the claim admin's URLs (``admin:factcheck_corpus_import``)."""

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="factcheck_corpus_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="factcheck_corpus_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **_corpus_links(request)}
        return super().changelist_view(request, extra_context)

    # CSRF is checked inside, once the upload's size is known to be within the limit (import_page).
    @method_decorator(csrf_exempt)
    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def import_view(self, request):
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied(
                "Importing needs permission to add and change sources, topics, claims and assertions."
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Import corpus",
            "opts": self.model._meta,
            "csv_columns": corpus.CSV_COLUMNS,
            "media": self.media,
        }
        return import_page(request, context, message_user=self.message_user)

    @method_decorator(require_safe)
    def export_view(self, request):
        if not request.user.has_perms(EXPORT_PERMISSIONS):
            raise PermissionDenied("Exporting needs permission to view sources, topics, claims and assertions.")
        fmt = request.GET.get("format", "json")
        if fmt not in ("json", "csv"):
            raise BadRequest(f"Bad parameter — format: {fmt[:20]!r} is not one of json, csv.")
        topics = None
        slugs = request.GET.getlist("topic")
        if slugs:
            topics = list(Topic.objects.filter(slug__in=slugs))
            missing = sorted(set(slugs) - {t.slug for t in topics})
            if missing:
                raise Http404(f"There is no topic “{missing[0][:100]}”.")
        return download(fmt, topics=topics, name="factcheck-corpus" if topics is None else "factcheck-topics")


def _corpus_links(request):
    user = request.user
    return {
        "can_import_corpus": user.has_perms(IMPORT_PERMISSIONS),
        "can_export_corpus": user.has_perms(EXPORT_PERMISSIONS),
    }


def download(fmt, *, topics=None, claims=None, name):
    """The chosen topics or claims (all of the corpus when neither) as an attachment in ``fmt`` (json or csv)."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        corpus.export_csv(response, topics=topics, claims=claims)
    else:
        data = corpus.export_corpus(topics=topics, claims=claims)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
