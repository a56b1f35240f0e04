"""What the admin's change forms post, built from a stored row, for tests that edit through the admin."""


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
