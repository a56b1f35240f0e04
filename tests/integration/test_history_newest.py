"""The claim page's newest history keys: the same rows, order and total as ``history_keys``, in one query."""

import datetime

import pytest
from django.utils import timezone

from factcheck import services
from factcheck.history import MODELS_WITH_HISTORY, history_keys, newest_history_keys
from factcheck.models import Claim
from tests.conftest import make_assertion, make_claim, make_source
from tests.editing import note_by, resolve


def _busy_claim(editor, second_editor):
    """A claim with rows of every kind, an internal note among them (hidden from readers' keys)."""
    claim = make_claim(text="Syria agreed to let Russia keep its bases.")
    alpha = make_assertion(claim, make_source(title="Alpha"), "supports", "Russia keeps its naval base at Tartus.")
    note_by(editor, claim, "Public note.")
    services.annotation_create(claim=claim, author=second_editor, body="Desk only.", internal=True)
    note = note_by(second_editor, claim, "On Alpha.", assertion=alpha)
    services.annotation_update(annotation=note, user=second_editor, body="On Alpha, edited.", version=1)
    resolve(editor, claim, prevailing=[alpha])
    services.claim_assign(claim=Claim.objects.get(pk=claim.pk), assignee=editor, version=1, by=editor)
    return claim


@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("limit", [1, 3, 20])
def test_it_gives_the_keys_and_total_of_history_keys(editor, second_editor, internal, limit):
    claim = _busy_claim(editor, second_editor)
    make_claim(text="Another claim, whose rows stay out.")

    keys, total = newest_history_keys(claim.pk, internal=internal, limit=limit)

    everything = history_keys(claim.pk, internal=internal)
    assert keys == list(everything[:limit])
    assert total == everything.count()
    assert all(timezone.is_aware(when) for _kind, _id, when, _object in keys)


def test_it_counts_the_internal_note_only_for_the_desk(editor, second_editor):
    claim = _busy_claim(editor, second_editor)

    assert newest_history_keys(claim.pk, internal=True, limit=20)[1] == (
        newest_history_keys(claim.pk, internal=False, limit=20)[1] + 1
    )


def test_it_orders_rows_of_one_instant_as_history_keys_does(editor, second_editor):
    claim = _busy_claim(editor, second_editor)
    instant = timezone.now() - datetime.timedelta(days=1)
    for model in MODELS_WITH_HISTORY.values():
        model.history.all().update(history_date=instant)

    keys, _total = newest_history_keys(claim.pk, internal=True, limit=20)

    assert keys == list(history_keys(claim.pk, internal=True)[:20])
    assert len({kind for kind, *_rest in keys}) == 4


def test_it_gives_nothing_for_a_claim_without_history(db):
    keys, total = newest_history_keys(make_claim().pk + 1000, limit=20)

    assert (keys, total) == ([], 0)


def test_it_is_one_query(editor, second_editor, django_assert_num_queries):
    claim = _busy_claim(editor, second_editor)
    newest_history_keys(claim.pk, limit=20)  # compiled once per process, before counting

    with django_assert_num_queries(1):
        newest_history_keys(claim.pk, limit=20)
