from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator, validate_slug

from factcheck import dates
from factcheck.intake import IntakeError
from factcheck.intake_forms import SourceMetadataForm, initial_metadata
from factcheck.models import IntakeJob, Source
from factcheck.services.intake import AlreadyStored, intake_save, intake_upload

# Options named as the form's fields, with the option's own spelling where it differs.
OPTIONS = {"as_of": "--as-of"}
# What an option says where the page's help does not fit a command line.
HELP = {"title": "Default: the document's own title, else the file's name."}


class Command(BaseCommand):
    help = (
        "Add a source document from a file (PDF, scanned PDF, HTML, .docx, .txt), through the same pipeline as "
        "/sources/add/: its text and metadata are read from it, options override what was read. Refuses a file "
        "or text already stored, and a reprint unless --confirm-reprint."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The document: .pdf, .html/.htm, .docx or .txt (UTF-8), at most 25 MB.")
        # One option for each field of the page's metadata form, explained as the page explains it.
        for name, field in SourceMetadataForm.base_fields.items():
            if name == "confirm_reprint":
                continue  # below: a flag, not a value
            parser.add_argument(
                OPTIONS.get(name, f"--{name}"),
                default=field.initial or "",
                choices=Source.Kind.values if name == "kind" else None,
                help=HELP.get(name, str(field.help_text)) or None,
            )
        parser.add_argument(
            "--confirm-reprint",
            action="store_true",
            help="Save a text mostly the same as a stored source, recorded as republishing it.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            size = path.stat().st_size
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        problems = _option_problems(options)
        if problems:
            handle.close()
            raise CommandError("; ".join(problems) + "; nothing added")
        with handle:
            try:
                job = intake_upload(user=None, upload=File(handle, name=path.name), filename=path.name, run_now=True)
            except AlreadyStored as exc:
                raise CommandError(f"{path}: {_stored(exc.source, 'file')}; nothing added") from None
            except IntakeError as exc:
                raise CommandError(f"{path}: {exc.message}; nothing added") from None
        if job.state != IntakeJob.State.READY:
            if job.duplicate_of is not None:
                raise CommandError(f"{path}: {_stored(job.duplicate_of, 'text')}; nothing added")
            raise CommandError(f"{path}: {job.error_message}; nothing added")
        for warning in job.warnings:
            self.stderr.write(f"{path}: {warning}")
        form = SourceMetadataForm(_form_data(job, options))
        if not form.is_valid():
            raise CommandError("; ".join(_form_problems(form, options)) + "; nothing added")
        try:
            source = intake_save(
                job=job,
                user=None,
                fields=form.source_fields(),
                confirm_reprint=options["confirm_reprint"],
                reason=f"import_source {path.name}",
            )
        except AlreadyStored as exc:
            raise CommandError(f"{path}: {_stored(exc.source, 'text')}; nothing added") from None
        except ValidationError as exc:
            messages = [
                f"{OPTIONS.get(name, '--' + name.replace('_', '-'))}: {' '.join(errors)}"
                for name, errors in exc.message_dict.items()
            ]
            raise CommandError("; ".join(messages) + "; nothing added") from None
        reprint = source.derivations.first()
        self.stdout.write(
            f"Added source {source.key!r} “{source.title}” (id {source.pk}) from {path}: "
            f"{len(source.text):,} characters, {size:,} bytes read as {job.kind}, kind {source.kind}, "
            f"language {source.language}"
            + (f", a reprint of source {reprint.origin_source_id}" if reprint else "")
            + "."
        )


def _stored(source, what):
    return f"the same {what} is already stored as source {source.key!r} “{source.title}” (id {source.pk})"


def _option_problems(options):
    """What is wrong with the options themselves, before the file is read."""
    problems = []
    for name in ("title", "publisher", "author", "url", "notes"):
        limit = Source._meta.get_field(name).max_length
        if limit and len(options[name] or "") > limit:
            problems.append(f"--{name} is longer than {limit} characters")
    if options["url"]:
        try:
            URLValidator()(options["url"])
        except ValidationError:
            problems.append(f"--url: {options['url']!r} is not a valid URL (include http:// or https://)")
    if options["published"]:
        try:
            _, precision = dates.parse_partial_date(options["published"])
        except ValueError as exc:
            problems.append(f"--published: {exc}")
        else:
            if precision != dates.DAY:
                problems.append(f"--published: {options['published']!r} needs a full date, YYYY-MM-DD")
    if options["as_of"]:
        try:
            dates.parse_partial_date(options["as_of"])
        except ValueError as exc:
            problems.append(f"--as-of: {exc}")
    key = options["key"]
    if key:
        try:
            validate_slug(key)
            valid = len(key) <= Source._meta.get_field("key").max_length
        except ValidationError:
            valid = False
        if not valid:
            problems.append(f"--key: {key!r} may only hold letters, digits, hyphens and underscores (at most 100)")
        elif Source.objects.filter(key=key).exists():
            problems.append(f"--key: a source with key {key!r} already exists")
    return problems


def _form_data(job, options):
    """What was read from the document, each value an option gives replaced by it."""
    data = {**initial_metadata(job), "kind": options["kind"], "notes": options["notes"], "key": options["key"] or ""}
    for name in ("title", "publisher", "author", "url", "published", "as_of", "language"):
        value = (options[name] or "").strip()
        if value:
            data[name] = value
    if options["published"] and not options["as_of"]:
        data["as_of"] = ""  # an explicit publication date stands alone, as the options say
    return data


def _form_problems(form, options):
    problems = []
    for name, errors in form.errors.items():
        option = OPTIONS.get(name, f"--{name.replace('_', '-')}")
        read = form.data.get(name, "") if not options.get(name) else ""
        problems.append(f"{option}: {' '.join(errors)}" + (f" (read from the document: {read!r})" if read else ""))
    return problems
