"""The admin writes through the services: a source's new text moves its quotes, a deleted note comes back."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from factcheck import services
from factcheck.models import Annotation, Assertion, Claim
from tests.admin_forms import claim_form, source_form
from tests.conftest import make_claim, make_source

TEXT = "Intro. The base at Tartus stays open. End."
QUOTE = "The base at Tartus stays open."
MOVED = "source text changed; quote moved"


def _deleted_note(editor, claim):
    note = services.annotation_create(claim=claim, author=editor, body="First draft.")
    return services.annotation_delete(annotation=note, user=editor, version=1)


# A source's new text ----------------------------------------------------------


def test_it_moves_quotes_with_a_new_source_text_recording_who_and_why(staff_client, staff, db):
    source = make_source(title="Drift", text=TEXT)
    claim = make_claim(assertions=[(source, "supports", QUOTE)])
    url = reverse("admin:factcheck_source_change", args=[source.pk])

    response = staff_client.post(url, source_form(source, text="A longer intro. " + TEXT[7:]), follow=True)

    assert response.status_code == 200
    assert "1 quote(s) moved with the new text; their offsets were updated." in [
        str(m) for m in response.context["messages"]
    ]
    assertion = claim.assertions.get()
    assert (assertion.start, assertion.end, assertion.version) == (16, 46, 2)
    moved = assertion.history.latest("history_date")
    assert (moved.history_user_id, moved.history_change_reason, moved.start) == (staff.pk, MOVED, 16)
    assert source.history.count() == 2
    assert source.history.latest("history_date").history_user_id == staff.pk


def test_it_saves_a_sources_new_text_and_details_in_one_history_row(staff, db):
    source = make_source(title="Drift", text=TEXT)
    claim = make_claim(assertions=[(source, "supports", QUOTE)])
    source.title = "Drift, revised"

    moves = services.source_update_text(source=source, text="Preface. " + TEXT, user=staff)

    assert [(a.pk, start, end) for a, start, end in moves] == [(claim.assertions.get().pk, 16, 46)]
    row = source.history.latest("history_date")
    assert (row.title, row.text, row.history_user_id) == ("Drift, revised", "Preface. " + TEXT, staff.pk)
    assert source.history.count() == 2


def test_it_refuses_a_source_text_losing_a_quote_in_the_service_and_saves_nothing(staff, db):
    source = make_source(title="Drift", text=TEXT)
    claim = make_claim(assertions=[(source, "supports", QUOTE)])

    with pytest.raises(ValidationError) as caught:
        services.source_update_text(source=source, text="Intro. The base closes. End.", user=staff)

    errors = caught.value.message_dict["text"]
    assert errors[0] == "The new text would break 1 quote(s); nothing was saved."
    assert errors[1].startswith(f"claim {claim.key!r}, quote “{QUOTE}”: no longer in the text")
    source.refresh_from_db()
    assert source.text == TEXT and source.history.count() == 1
    assert claim.assertions.get().version == 1


# A deleted note brought back --------------------------------------------------


def test_it_restores_a_deleted_note_from_the_admin_as_staff_with_a_new_version(
    staff_client, staff, editor, conflict_claim
):
    note = _deleted_note(editor, conflict_claim)
    url = reverse("admin:factcheck_annotation_change", args=[note.pk])

    response = staff_client.post(url, {"body": note.body, "is_deleted": "", "base_version": 2})

    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.is_deleted, note.version, note.body) == (False, 3, "First draft.")
    row = note.history.latest("history_date")
    assert (row.is_deleted, row.history_user_id) == (False, staff.pk)
    assert note.history.count() == 3


def test_it_records_a_restore_and_an_edit_made_together_as_two_changes(staff_client, staff, editor, conflict_claim):
    note = _deleted_note(editor, conflict_claim)
    url = reverse("admin:factcheck_annotation_change", args=[note.pk])

    assert staff_client.post(url, {"body": "Fixed.", "is_deleted": "", "base_version": 2}).status_code == 302

    note.refresh_from_db()
    assert (note.is_deleted, note.version, note.body, note.body_html) == (False, 4, "Fixed.", "<p>Fixed.</p>")
    restored, edited = note.history.order_by("-history_date", "-history_id")[:2][::-1]
    # Each row is one change, so either can be undone on its own.
    assert (restored.is_deleted, restored.body) == (False, "First draft.")
    assert (edited.is_deleted, edited.body) == (False, "Fixed.")
    assert {restored.history_user_id, edited.history_user_id} == {staff.pk}


def test_it_refuses_a_stale_restore_and_restores_a_live_note_as_a_no_op(staff, editor, conflict_claim):
    note = _deleted_note(editor, conflict_claim)

    with pytest.raises(services.StaleEdit, match="you edited version 1, it is now version 2"):
        services.annotation_restore(annotation=note, user=staff, version=1)
    assert Annotation.objects.get(pk=note.pk).is_deleted

    restored = services.annotation_restore(annotation=note, user=staff, version=2)
    again = services.annotation_restore(annotation=note, user=staff, version=3)
    assert (restored.is_deleted, restored.version, again.version) == (False, 3, 3)
    assert note.history.count() == 3


# One writer -------------------------------------------------------------------

WRITES = {"save", "create", "bulk_create", "get_or_create", "update_or_create", "delete"}
# Django's own writers, which a call to super() would hand the write back to.
DJANGO_WRITERS = {"save_model", "save_formset", "save_related", "delete_model", "delete_queryset"}
LEFT = set()


class _Writes(ast.NodeVisitor):
    def __init__(self):
        self.found, self.function = [], "<module>"

    def visit_FunctionDef(self, node):
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    def visit_Call(self, node):
        if isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            self.found.append((self.function, node.func.attr))
        if (
            isinstance(node.func, ast.Attribute)
            and node.func.attr in DJANGO_WRITERS
            and isinstance(node.func.value, ast.Call)
            and getattr(node.func.value.func, "id", None) == "super"
        ):
            self.found.append((self.function, f"super().{node.func.attr}"))
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if node.attr == "_history_user" and isinstance(node.ctx, ast.Store):
            self.found.append((self.function, "_history_user"))
        self.generic_visit(node)


def test_it_writes_from_the_admin_and_the_views_only_through_services():
    app = Path(settings.BASE_DIR) / "factcheck"
    files = [*app.glob("admin*.py"), *app.glob("admin/**/*.py"), *app.glob("views*.py"), *app.glob("views/**/*.py")]
    assert files
    writes = set()
    for path in files:
        visitor = _Writes()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        name = path.relative_to(settings.BASE_DIR).as_posix()
        writes |= {(name, function, what) for function, what in visitor.found}
    assert writes == LEFT


def test_it_gives_every_admin_of_an_app_model_a_service_for_each_write():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "factcheck":
            continue
        for method in ("save_model", "delete_model", "delete_queryset"):
            # Defined by the app's admin, not inherited from Django or django-simple-history.
            owner = next(cls for cls in type(model_admin).__mro__ if method in vars(cls))
            assert owner.__module__.startswith("factcheck.admin"), (model.__name__, method, owner)
        if model_admin.inlines:
            owner = next(cls for cls in type(model_admin).__mro__ if "save_formset" in vars(cls))
            assert owner.__module__.startswith("factcheck.admin"), (model.__name__, "save_formset", owner)


# Claims and their inline assertions --------------------------------------------


def test_it_saves_a_claims_inline_assertions_through_the_services_with_versions_history_and_log(
    staff_client, staff, db
):
    first, second, third = (make_source(title=name, text=f"{name}. {QUOTE} End.") for name in "ABC")
    claim = make_claim(assertions=[(first, "supports", QUOTE), (second, "disputes", QUOTE)])
    kept, dropped = claim.assertions.order_by("pk")
    rows = [
        {"id": kept.pk, "source": first.pk, "quote": QUOTE, "stance": "qualifies", "base_version": 1},
        {
            "id": dropped.pk,
            "source": second.pk,
            "quote": QUOTE,
            "stance": "disputes",
            "base_version": 1,
            "DELETE": "on",
        },
        {"source": third.pk, "quote": QUOTE, "stance": "supports"},
    ]

    response = staff_client.post(
        reverse("admin:factcheck_claim_change", args=[claim.pk]), claim_form(claim, rows, text="Edited.")
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Edited.", 2)
    kept.refresh_from_db()
    assert (kept.stance, kept.version) == ("qualifies", 2)
    added = claim.assertions.get(source=third)
    assert (added.version, added.start, added.end) == (1, 3, 33)
    assert not Assertion.objects.filter(pk=dropped.pk).exists()
    rows_by = {
        (row.id, row.history_type, row.history_user_id)
        for row in Assertion.history.filter(id__in=[kept.pk, dropped.pk, added.pk], history_user_id=staff.pk)
    }
    assert rows_by == {(kept.pk, "~", staff.pk), (dropped.pk, "-", staff.pk), (added.pk, "+", staff.pk)}
    assert claim.history.latest("history_date").history_user_id == staff.pk
    message = LogEntry.objects.get(object_id=str(claim.pk)).get_change_message()
    assert message == (
        f"Changed Text. Added assertion “C supports #{claim.pk}”. "
        f"Changed Stance for assertion “A qualifies #{claim.pk}”. Deleted assertion “B disputes #{claim.pk}”."
    )


def test_it_refuses_a_stale_claim_update_in_the_service_and_saves_nothing(staff, db):
    claim = make_claim(text="As first written.")
    claim.text = "Written over a newer version."

    with pytest.raises(services.StaleEdit, match="you edited version 0, it is now version 1"):
        services.claim_update(claim=claim, user=staff, version=0)

    assert Claim.objects.get(pk=claim.pk).text == "As first written."
    assert claim.history.count() == 1


def test_it_deletes_selected_claims_through_the_service_recording_who(staff_client, staff, db):
    source = make_source(title="Drift", text=TEXT)
    claims = [make_claim(assertions=[(source, "supports", QUOTE)]) for _ in range(2)]
    quotes = [c.assertions.get().pk for c in claims]

    response = staff_client.post(
        reverse("admin:factcheck_claim_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [c.pk for c in claims]},
    )

    assert response.status_code == 302
    assert not Claim.objects.filter(pk__in=[c.pk for c in claims]).exists()
    gone = Claim.history.filter(id__in=[c.pk for c in claims], history_type="-")
    assert sorted(row.history_user_id for row in gone) == [staff.pk, staff.pk]
    gone_quotes = Assertion.history.filter(id__in=quotes, history_type="-")
    assert sorted(row.history_user_id for row in gone_quotes) == [staff.pk, staff.pk]
