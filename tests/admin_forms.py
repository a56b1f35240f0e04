"""What the admin's forms post, for tests that edit or import through the admin."""

from django.core.files.uploadedfile import SimpleUploadedFile


def source_form(source, **changes):
    """The source change form as the admin renders it for ``source``, with ``changes`` applied."""
    data = {
        "title": source.title,
        "publisher": source.publisher,
        "author": source.author,
        "url": source.url,
        "published": "",
        "as_of": source.as_of_value or "",
        "kind": source.kind,
        "language": source.language,
        "notes": source.notes,
        "text": source.text,
    }
    return {**data, **changes}


def upload(name, content):
    """A file field's value for the import page; ``content`` as text or bytes."""
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)
