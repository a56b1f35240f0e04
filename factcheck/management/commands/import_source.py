from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator, validate_slug
from django.utils.text import slugify

from factcheck import dates
from factcheck.corpus import CorpusError, decode_utf8
from factcheck.models import Source, text_digest


def _max(name):
    return Source._meta.get_field(name).max_length


class Command(BaseCommand):
    help = (
        "Add a source document from a UTF-8 text file, stored verbatim so quotes can be checked against it. "
        "Refuses a text that is already stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A UTF-8 plain-text file holding the document's full text.")
        parser.add_argument("--title", required=True)
        parser.add_argument("--publisher", default="")
        parser.add_argument("--author", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--published", default="", help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--as-of", default="", help="The date the text speaks as of: YYYY, YYYY-MM or YYYY-MM-DD.")
        parser.add_argument("--kind", choices=Source.Kind.values, default=Source.Kind.OTHER)
        parser.add_argument("--language", default="en", help="Language code (default: en).")
        parser.add_argument("--notes", default="", help="What the text reveals of its origin.")
        parser.add_argument("--key", help="Stable key for import/export (default: from the title).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            text = decode_utf8(raw, str(path))
        except CorpusError as exc:
            raise CommandError(f"{exc}; nothing added") from None
        problems = []
        if not text.strip():
            problems.append(f"{path} holds no text")
        fields = self._fields(options, problems)
        if text.strip():
            same = Source.objects.filter(text_sha256=text_digest(text)).first()
            if same is not None:
                problems.append(
                    f"{path}: the same text is already stored as source {same.key!r} “{same.title}” (id {same.pk})"
                )
        if problems:
            raise CommandError("; ".join(problems) + "; nothing added")
        source = Source(text=text, **fields)
        source._change_reason = f"import_source {path.name}"[:100]
        source.save()
        self.stdout.write(
            f"Added source {source.key!r} “{source.title}” (id {source.pk}) from {path}: "
            f"{len(text):,} characters, kind {source.kind}, language {source.language}."
        )

    def _fields(self, options, problems):
        fields = {"kind": options["kind"], "notes": options["notes"]}
        for name in ("title", "publisher", "author", "url", "language"):
            value = (options[name] or "").strip()
            if len(value) > _max(name):
                problems.append(f"--{name} is longer than {_max(name)} characters")
            fields[name] = value
        if not fields["title"]:
            problems.append("--title must not be blank")
        if not fields["language"]:
            problems.append("--language must not be blank")
        if fields["url"]:
            try:
                URLValidator()(fields["url"])
            except ValidationError:
                problems.append(f"--url: {fields['url']!r} is not a valid URL (include http:// or https://)")
        fields["published"] = None
        if options["published"]:
            try:
                published, precision = dates.parse_partial_date(options["published"])
            except ValueError as exc:
                problems.append(f"--published: {exc}")
            else:
                if precision != dates.DAY:
                    problems.append(f"--published: {options['published']!r} needs a full date, YYYY-MM-DD")
                fields["published"] = published
        fields["as_of"], fields["as_of_precision"] = None, dates.DAY
        if options["as_of"]:
            try:
                fields["as_of"], fields["as_of_precision"] = dates.parse_partial_date(options["as_of"])
            except ValueError as exc:
                problems.append(f"--as-of: {exc}")
        fields["key"] = self._key(options["key"], fields["title"], problems)
        return fields

    def _key(self, key, title, problems):
        if key:
            try:
                validate_slug(key)
                valid = len(key) <= _max("key")
            except ValidationError:
                valid = False
            if not valid:
                problems.append(f"--key: {key!r} may only hold letters, digits, hyphens and underscores (at most 100)")
            elif Source.objects.filter(key=key).exists():
                problems.append(f"--key: a source with key {key!r} already exists")
            return key
        base = slugify(title)[:90].strip("-") or "source"
        taken = set(Source.objects.filter(key__startswith=base).values_list("key", flat=True))
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate
