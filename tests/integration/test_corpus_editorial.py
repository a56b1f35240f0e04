"""Re-importing a corpus never deletes or changes editors' work without saying so (M4).

The scenario of the review: the seed corpus is imported; an editor adds an
assertion (as the evidence finder does), writes a note on it and resolves
the claim with it prevailing; another editor corrects the stance of an
imported assertion. Re-importing the unchanged seed file would remove the
first and undo the second.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from factcheck import corpus, quotes
from factcheck.models import Annotation, Assertion, Claim, Resolution, Stance
from tests.conftest import make_assertion, row_counts
from tests.editing import note_by, resolve

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed_corpus.json"


def _import(*args):
    out = io.StringIO()
    call_command("import_corpus", str(SEED), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _unique_passage(source, taken):
    """A short passage that occurs once in the source and is not an assertion of the claim yet."""
    words = source.text.split()
    for i in range(len(words) - 6):
        quote = " ".join(words[i : i + 6])
        found = quotes.find_occurrences(source.text, quote)
        if len(found) == 1 and (found[0].start, found[0].end) not in taken:
            return quote
    raise AssertionError("no unique passage")


@pytest.fixture
def editors_work(db, editor, second_editor):
    data, base_dir = corpus.read_corpus_file(SEED)
    corpus.import_corpus(data, base_dir=base_dir, label=str(SEED))
    claim = Claim.objects.filter(assertions__isnull=False).order_by("key").first()
    imported = claim.assertions.select_related("source").first()
    taken = {(a.start, a.end) for a in claim.assertions.filter(source=imported.source)}
    added = make_assertion(claim, imported.source, "qualifies", _unique_passage(imported.source, taken))
    note = note_by(editor, claim, "Checked against the original.", added)
    resolution = resolve(editor, claim, "mixed", "The added passage decides it.", [added])
    # A second editor corrects an imported assertion's stance, as the admin does.
    edited = Assertion.objects.exclude(claim=claim).select_related("claim", "source").order_by("id").first()
    edited.stance = next(s for s in Stance.values if s != edited.stance)
    edited.version += 1
    edited._history_user = second_editor
    edited.save()
    return {"claim": claim, "added": added, "note": note, "resolution": resolution, "edited": edited}


def _expected_items(work):
    claim, added, note, resolution, edited = (work[k] for k in ("claim", "added", "note", "resolution", "edited"))
    quote = " ".join(added.quote.split())
    return {
        f"assertion #{edited.pk} of claim {edited.claim.key!r} by source {edited.source.key!r} at "
        f"{edited.start}–{edited.end}, added or edited by an editor: changed (stance)",
        f"assertion #{added.pk} of claim {claim.key!r} by source {added.source.key!r} at {added.start}–{added.end} "
        f"(“{quote}”), added or edited by an editor: removed (not in the file)",
        f"note #{note.pk} by editor on assertion #{added.pk} of claim {claim.key!r} "
        "(“Checked against the original.”): "
        "its assertion is removed; the note is deleted (kept in history)",
        f"decision on claim {claim.key!r} (resolution #{resolution.pk}, verdict “Mixed”, version 1): "
        f"new version, prevailing assertion #{added.pk} removed",
    }


def test_it_lists_every_item_of_editors_work_a_dry_run_would_touch_and_writes_nothing(editors_work):
    before = row_counts()
    out = _import("--dry-run")
    assert row_counts() == before
    lines = out.splitlines()
    assert lines[1] == "It would delete or change 4 item(s) of editors' work (the import needs --replace-editorial):"
    assert {line.strip() for line in lines[2:]} == _expected_items(editors_work)


def test_it_refuses_to_replace_editors_work_unless_told_and_writes_nothing(editors_work):
    before = row_counts()
    with pytest.raises(CommandError) as exc:
        _import()
    assert row_counts() == before
    head, *items = str(exc.value).splitlines()
    assert head == (
        f"{SEED} would delete or change 4 item(s) of editors' work; nothing was imported. "
        "Check each, then run again with --replace-editorial to replace them (recorded in history):"
    )
    assert {item.strip() for item in items} == _expected_items(editors_work)


def test_it_replaces_editors_work_when_told_and_records_every_change_in_history(editors_work):
    added, note, resolution, edited = (editors_work[k] for k in ("added", "note", "resolution", "edited"))
    out = _import("--replace-editorial")
    assert "Replaced 4 item(s) of editors' work, recorded in history:" in out

    assert not Assertion.objects.filter(pk=added.pk).exists()
    # The note is a tombstone, as the site's own delete leaves it, with a history row saying why.
    note = Annotation.objects.get(pk=note.pk)
    assert (note.is_deleted, note.assertion_id, note.version) == (True, None, 2)
    assert note.body == "Checked against the original."
    row = note.history.order_by("-history_id").first()
    assert row.history_change_reason == f"corpus import seed_corpus.json: assertion #{added.pk} removed"
    assert note.history.order_by("history_id").first().assertion_id == added.pk

    # The decision has a new version without the removed assertion, recorded with its reason.
    resolution = Resolution.objects.get(pk=resolution.pk)
    assert resolution.version == 2 and not resolution.prevailing.exists()
    rows = list(resolution.history.order_by("history_id"))
    assert len(rows) == 2
    assert [a.assertion_id for a in rows[0].prevailing.all()] == [added.pk]
    assert list(rows[1].prevailing.all()) == []
    assert rows[1].history_change_reason == f"corpus import seed_corpus.json: prevailing assertion #{added.pk} removed"

    edited.refresh_from_db()
    assert edited.history.order_by("-history_id").first().history_change_reason == "imported from seed_corpus.json"

    # Done: the same file again touches nothing.
    before = row_counts()
    assert _import().startswith(f"Imported {SEED}: nothing changed (")
    assert row_counts() == before


def test_it_still_removes_the_imports_own_assertions_without_asking(db, tmp_path):
    data, base_dir = corpus.read_corpus_file(SEED)
    corpus.import_corpus(data, base_dir=base_dir, label=str(SEED))
    claim = next(c for c in data["claims"] if c["assertions"])
    dropped = claim["assertions"].pop()
    result = corpus.import_corpus(data, base_dir=base_dir, label=str(SEED))
    assert result.deleted_assertions == 1 and result.editorial == []
    assert not Assertion.objects.filter(claim__key=claim["key"], quote=dropped["quote"]).exists()
