"""/sources/add/: drop a file or paste a text, watch it being read, check its metadata, save it as a source.

The upload's size is checked from Content-Length before the body is read
(as the admin's corpus import does): CSRF is checked after that, since
checking it means parsing the whole upload. The reading runs as a
background task (factcheck/tasks.py); the job page polls its state.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from factcheck.intake import IntakeError
from factcheck.intake_forms import IntakeUploadForm, SourceMetadataForm, initial_metadata
from factcheck.models import IntakeJob, SourceOriginal
from factcheck.models.intake import segments_of
from factcheck.services.intake import (
    AlreadyStored,
    IntakeRefused,
    intake_paste,
    intake_retry,
    intake_save,
    intake_upload,
)
from factcheck.views.common import editor_required, get_or_404
from factcheck.views.responses import add_service_errors

# Bringing a document in is how an editor gets evidence in: the Editors group's add_assertion grants it.
PERMISSION = "factcheck.add_assertion"
DOING = gettext_lazy("Adding a source")
# Room for the multipart framing and the form's other fields around the file.
_ENVELOPE_BYTES = 64 * 1024
# A body over the limit but below this is read and dropped before answering, so a browser
# still sending shows the page rather than "connection reset" (factcheck/admin/corpus_views.py).
_DRAIN_BYTES = 64 * 1024 * 1024
# The preview shows this much of the text; the source page shows all of it once saved.
PREVIEW_CHARS = 20_000
ADD_TEMPLATE = "factcheck/source_add.html"


def _max_bytes():
    return settings.FACTCHECK_INTAKE_MAX_BYTES


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@editor_required(PERMISSION, DOING)
def source_add(request):
    context = {"max_mb": _max_bytes() // 2**20}
    if request.method != "POST":
        return render(request, ADD_TEMPLATE, {**context, "form": IntakeUploadForm()})
    length = _content_length(request)
    if length > _max_bytes() + _ENVELOPE_BYTES:
        if length <= _DRAIN_BYTES:
            while request.read(64 * 1024):
                pass
        problem = _("The upload is %(size)s bytes; the limit is %(limit)s bytes.") % {
            "size": f"{length:,}",
            "limit": f"{_max_bytes():,}",
        }
        return render(request, ADD_TEMPLATE, {**context, "form": IntakeUploadForm(), "problem": problem}, status=413)
    return _add(request, context)


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads nothing of a body whose length it cannot parse either


@csrf_protect
def _add(request, context):
    try:
        form = IntakeUploadForm(request.POST, request.FILES)
        valid = form.is_valid()
    except RequestDataTooBig:
        problem = _("The pasted text is too long to send as a form: save it as a .txt file and drop that instead.")
        return render(request, ADD_TEMPLATE, {**context, "form": IntakeUploadForm(), "problem": problem}, status=413)
    if not valid:
        return render(request, ADD_TEMPLATE, {**context, "form": form}, status=422)
    upload = form.cleaned_data["file"]
    try:
        if upload:
            job = intake_upload(
                user=request.user,
                upload=upload,
                filename=upload.name,
                content_type=upload.content_type or "",
                max_bytes=_max_bytes(),
            )
        else:
            job = intake_paste(user=request.user, text=form.cleaned_data["text"])
    except AlreadyStored as exc:
        return render(request, ADD_TEMPLATE, {**context, "form": IntakeUploadForm(), "stored": exc}, status=409)
    except IntakeError as exc:
        status = 413 if exc.code == "too-big" else 422
        return render(
            request, ADD_TEMPLATE, {**context, "form": IntakeUploadForm(), "problem": exc.message}, status=status
        )
    return redirect("intake-job", job_id=job.pk)


def _get_job(job_id):
    return get_or_404(
        IntakeJob.objects.select_related("duplicate_of", "near_duplicate_of", "source"), "intake job", pk=job_id
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required(PERMISSION, DOING)
def intake_job(request, job_id):
    """The job's page; with htmx, its state alone (polled every second until it is final or ready)."""
    job = _get_job(job_id)
    form = None
    if request.method == "POST":
        return _save(request, job)
    if job.state == IntakeJob.State.READY:
        form = SourceMetadataForm(initial=initial_metadata(job))
    context = _job_context(job, form)
    template = "factcheck/_intake_job.html" if request.htmx else "factcheck/intake_job.html"
    return render(request, template, context)


@csrf_protect
def _save(request, job):
    form = SourceMetadataForm(request.POST)
    if form.is_valid():
        try:
            source = intake_save(
                job=job,
                user=request.user,
                fields=form.source_fields(),
                confirm_reprint=form.cleaned_data["confirm_reprint"],
            )
        except AlreadyStored as exc:
            return render(request, "factcheck/intake_job.html", {**_job_context(job, None), "stored": exc}, status=409)
        except IntakeRefused as exc:
            return render(request, "factcheck/intake_job.html", {**_job_context(job, None), "refused": exc}, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(source.get_absolute_url())
    return render(request, "factcheck/intake_job.html", _job_context(job, form), status=422)


# How the job page names what was read; ``IntakeJob.kind`` is a machine value.
KIND_NAMES = {
    "pdf": "PDF",
    "pdf-ocr": gettext_lazy("PDF, read by OCR"),
    "html": "HTML",
    "docx": "Word (.docx)",
    "txt": gettext_lazy("plain text"),
    "paste": gettext_lazy("pasted text"),
}


def _job_context(job, form):
    return {
        "job": job,
        # IntakeJob.label names a paste in English, for logs and history; the page says it in the editor's language.
        "job_label": job.filename or _("pasted text"),
        "job_kind": KIND_NAMES.get(job.kind, job.kind),
        "form": form,
        "preview": preview(job.text, job.segments) if job.state == IntakeJob.State.READY else "",
        "truncated": len(job.text) > PREVIEW_CHARS,
    }


def preview(text, segments):
    """The first ``PREVIEW_CHARS`` of the text, a label where each segment (page, OCR'd page) begins."""
    shown = text[:PREVIEW_CHARS]
    marks = sorted((s["start"], s["label"]) for s in segments_of(segments) if s["label"] and s["start"] < len(shown))
    parts, last = [], 0
    for start, label in marks:
        parts.append(conditional_escape(shown[last:start]))
        parts.append(format_html('<span class="segment-mark" data-label="{}" title="{}"></span>', label, label))
        last = start
    parts.append(conditional_escape(shown[last:]))
    return mark_safe("".join(parts))  # every part above is escaped


@require_POST
@editor_required(PERMISSION, DOING)
def intake_retry_view(request, job_id):
    job = _get_job(job_id)
    try:
        intake_retry(job=job, user=request.user)
    except IntakeRefused as exc:
        return render(request, "factcheck/intake_job.html", {**_job_context(job, None), "refused": exc}, status=409)
    return redirect("intake-job", job_id=job.pk)


@require_safe
def source_original(request, pk):
    """The stored original of source ``pk``, as a download: never rendered by the browser."""
    original = get_or_404(SourceOriginal.objects.exclude(file=""), "original file of source", source_id=pk)
    try:
        handle = default_storage.open(original.file.name, "rb")
    except FileNotFoundError:
        raise Http404(f"The original file of source {pk} is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=original.filename or original.file.name.rsplit("/", 1)[-1],
        content_type=original.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
