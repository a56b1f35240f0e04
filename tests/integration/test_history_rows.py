"""A timeline's rows read through SQL compiled once: the same rows, fields and predecessors as the ORM gives."""

import pytest
from django.contrib.auth import get_user_model

from factcheck import services
from factcheck.history import _page_rows, history_keys
from factcheck.models import Annotation
from tests.conftest import make_claim
from tests.editing import note_by


def _orm_row(history_id):
    return Annotation.history.select_related("history_user").get(history_id=history_id)


def _orm_previous(row):
    earlier = Annotation.history.filter(id=row.id, history_date__lte=row.history_date).exclude(
        history_id=row.history_id
    )
    return earlier.order_by("-history_date", "-history_id").first()


def _claim_with_notes(editor, second_editor, notes):
    """``notes`` notes, each edited once, the last one deleted: two or three rows each."""
    claim = make_claim()
    for i in range(notes):
        note = note_by((editor, second_editor)[i % 2], claim, f"Note {i}.")
        note = services.annotation_update(annotation=note, user=editor, body=f"Note {i}, edited.", version=1)
    services.annotation_delete(annotation=note, user=second_editor, version=2)
    return claim


@pytest.mark.parametrize("page", [1, 3, 5, 17, 40, 70])  # 70: past the longest padded list, compiled per call
def test_it_reads_what_the_orm_reads(editor, second_editor, page):
    claim = _claim_with_notes(editor, second_editor, 36)  # 73 rows of notes
    keys = [key for key in history_keys(claim.pk) if key[0] == "annotation"][3 : 3 + page]

    rows = _page_rows("annotation", keys)

    assert set(rows) >= {key[1] for key in keys}
    for _kind, history_id, _when, _object_id in keys:
        row, expected = rows[history_id], _orm_row(history_id)
        assert [getattr(row, f.attname) for f in row._meta.concrete_fields] == [
            getattr(expected, f.attname) for f in expected._meta.concrete_fields
        ]
        assert row.history_user.get_username() == expected.history_user.get_username()
        previous = _orm_previous(expected)
        assert (row.previous and row.previous.history_id) == (previous and previous.history_id)
        live = Annotation.objects.get(pk=row.id)
        assert (row.current_version, row.current_deleted) == (live.version, live.is_deleted)
        assert type(row.current_deleted) is bool


def test_it_gives_no_user_for_a_deleted_account_but_keeps_its_id(editor, second_editor):
    claim = make_claim()
    for i in range(2):  # the editor's notes, edited by the second editor, whose account then goes
        note = note_by(editor, claim, f"Note {i}.")
        services.annotation_update(annotation=note, user=second_editor, body=f"Note {i}, edited.", version=1)
    keys = [key for key in history_keys(claim.pk) if key[0] == "annotation"]
    gone = second_editor.pk
    get_user_model().objects.filter(pk=gone).delete()

    rows = _page_rows("annotation", keys).values()

    assert any(row.history_user_id == gone for row in rows)
    assert all(row.history_user is None for row in rows if row.history_user_id == gone)
    assert all(row.history_user.pk == editor.pk for row in rows if row.history_user_id == editor.pk)
