"""What the admin's forms post, for tests that edit or import through the admin."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict


def _as_stored(instance, *fields):
    """``fields`` of ``instance`` as its change form shows them ("" for an empty one)."""
    return {name: "" if value is None else value for name, value in model_to_dict(instance, fields).items()}


def source_form(source, **changes):
    """The source change form as the admin renders it for ``source``, with ``changes`` applied."""
    data = {
        **_as_stored(source, "title", "publisher", "author", "url", "kind", "language", "notes", "text"),
        "published": "",
        "as_of": source.as_of_value or "",
        # The origins inline, with no rows: derivation_rows() fills some in.
        "derivations-TOTAL_FORMS": 0,
        "derivations-INITIAL_FORMS": 0,
        "derivations-MIN_NUM_FORMS": 0,
        "derivations-MAX_NUM_FORMS": 1000,
    }
    return {**data, **changes}


def assertion_form(assertion, **changes):
    """The assertion change form for ``assertion`` with its dates and occurrence left blank, ``changes`` applied."""
    data = {
        **_as_stored(assertion, "claim", "source", "stance", "quote", "speaker"),
        **dict.fromkeys(("occurrence", "stated_on", "as_of", "period_end"), ""),
        "base_version": assertion.version,
    }
    return {**data, **changes}


def claim_form(claim, rows, *, text=None, base_version=None):
    """The claim change page's POST: the claim's fields (``text`` and ``base_version`` as given, else the claim's)
    and its assertion inline's rows (dicts; ``id`` for stored ones)."""
    data = {
        "topic": claim.topic_id,
        "text": claim.text if text is None else text,
        "kind": claim.kind,
        "assigned_to": "",
        "base_version": claim.version if base_version is None else base_version,
        # The claim's wordings in other languages (an inline of their own): none.
        "translations-TOTAL_FORMS": 0,
        "translations-INITIAL_FORMS": 0,
        "assertions-TOTAL_FORMS": len(rows),
        "assertions-INITIAL_FORMS": sum(1 for row in rows if row.get("id")),
        "assertions-MIN_NUM_FORMS": 0,
        "assertions-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        row = {
            "id": "",
            "claim": claim.pk,
            "stance": "supports",
            "occurrence": "",
            "as_of": "",
            "base_version": "",
            **row,
        }
        data.update({f"assertions-{i}-{name}": value for name, value in row.items()})
    return data


def derivation_rows(rows, initial=0):
    """The origins inline's POST data for ``rows`` (dicts of origin_source, origin_speaker, relation, note, id)."""
    data = {"derivations-TOTAL_FORMS": len(rows), "derivations-INITIAL_FORMS": initial}
    for i, row in enumerate(rows):
        row = {"id": "", "origin_source": "", "origin_speaker": "", "relation": "cites", "note": "", **row}
        data.update({f"derivations-{i}-{name}": value for name, value in row.items()})
    return data


def upload(name, content):
    """A file field's value for the import page; ``content`` as text or bytes."""
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)
