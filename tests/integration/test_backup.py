"""`manage.py backup` and `manage.py restore`: a round trip gives back every row, ids included."""

import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection
from django.test import Client

from factcheck.backup import backed_up_models, wipe
from factcheck.models import Annotation, Claim, DeletedUser, Resolution, Verdict
from factcheck.roles import ensure_editor_group, ensure_moderator_group
from tests.conftest import make_claim, make_source
from tools.scratchdb import scratch_database


def _fingerprint():
    """Every backed-up row of every table, as plain values."""
    return {
        m._meta.label: sorted((tuple(sorted(row.items())) for row in m.objects.values()), key=repr)
        for m in backed_up_models()
    }


@pytest.fixture
def newsroom(editor, staff, conflict_claim):
    a = conflict_claim.assertions.get(stance="supports")
    Annotation.objects.create(claim=conflict_claim, assertion=a, author=editor, body="Checked *twice*.")
    resolution = Resolution.objects.create(
        claim=conflict_claim, verdict=Verdict.MOSTLY_TRUE, rationale="Bases **stay**.", decided_by=editor
    )
    resolution.prevailing.add(a)
    claim = Claim.objects.get(pk=conflict_claim.pk)
    claim.text = "Syria agreed to let Russia keep both bases."
    claim.save()
    return claim


def _backup(tmp_path, name="backup.json"):
    path = tmp_path / name
    call_command("backup", output=str(path), stdout=open(os.devnull, "w"))
    return path


def fresh_database():
    """Empty every backed-up table and restart every id counter, as in a newly migrated database."""
    wipe()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), connection.introspection.sequence_list()):
            cursor.execute(sql)


def _post(client, path, data, expect=302):
    response = client.post(path, data)
    assert response.status_code == expect, (path, response.status_code, response.content[:300])
    return response


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def _newsroom_at_work(claim, editor, staff):
    """Editors' and moderators' work through the site, then two of them leave and staff delete their accounts."""
    User = get_user_model()
    moderator = User.objects.create_user("moderator", is_staff=True)
    moderator.groups.add(ensure_moderator_group())
    leaver = User.objects.create_user("leaver")
    leaver.groups.add(ensure_editor_group())
    ed = _logged_in(editor)
    # A revert, by a moderator: the claim's text as it was before its edit.
    edit = claim.history.filter(history_type="~").latest("history_date")
    _post(
        _logged_in(moderator),
        f"/history/claim/{edit.history_id}/revert/",
        {"version": Claim.objects.get(pk=claim.pk).version},
    )
    # Notes written, edited, deleted; a quote attached; the decision reopened and taken again.
    _post(ed, f"/claims/{claim.pk}/annotations/", {"body": "A *second* look."})
    note = Annotation.objects.latest("id")
    _post(ed, f"/annotations/{note.pk}/edit/", {"body": "A *third* look.", "version": 1})
    _post(ed, f"/annotations/{note.pk}/delete/", {"version": 2})
    spare = make_source(title="Spare")
    _post(ed, f"/claims/{claim.pk}/evidence/add/", {"source": spare.pk, "start": 0, "end": 38, "stance": "supports"})
    resolution = Resolution.objects.get(claim=claim)
    _post(ed, f"/claims/{claim.pk}/reopen/", {"version": resolution.version})
    _post(
        ed,
        f"/claims/{claim.pk}/resolve/",
        {
            "verdict": "false",
            "rationale": "On reflection.",
            "no_prevailing_reason": "No source has the final word.",
            "version": resolution.version + 1,
        },
    )
    # The leaver takes the claim, then leaves; both leave in the admin.
    _post(
        _logged_in(leaver),
        f"/claims/{claim.pk}/assign/",
        {"version": Claim.objects.get(pk=claim.pk).version, "assignee": "me"},
    )
    admin = _logged_in(staff)
    for user in (leaver, moderator):
        _post(admin, f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    return leaver, moderator


@pytest.mark.django_db
def test_it_round_trips_deleted_users_reverts_and_editors_work_exactly(newsroom, editor, staff, tmp_path):
    leaver, moderator = _newsroom_at_work(newsroom, editor, staff)
    assert set(DeletedUser.objects.values_list("username", flat=True)) == {"leaver", "moderator"}
    assert Claim.history.filter(history_user_id=moderator.pk).exists()
    before = _fingerprint()
    first = _backup(tmp_path, "first.json")

    fresh_database()
    call_command("restore", str(first), stdout=open(os.devnull, "w"))

    assert _fingerprint() == before
    # Backed up again, the restored database writes the very same document.
    assert _backup(tmp_path, "second.json").read_bytes() == first.read_bytes()
    # And no new account is given the id history still credits to a deleted one.
    assert get_user_model().objects.create_user("newcomer").pk > max(leaver.pk, moderator.pk)


@pytest.mark.django_db
def test_it_restores_every_row_after_changes_with_force(newsroom, tmp_path, capsys):
    before = _fingerprint()
    path = _backup(tmp_path)
    # Damage the database every way: edit, add, delete.
    Claim.objects.filter(pk=newsroom.pk).update(text="vandalised")
    make_claim(text="A claim made after the backup.")
    Annotation.objects.all().delete()
    get_user_model().objects.filter(username="staff").delete()
    assert _fingerprint() != before

    call_command("restore", str(path), force=True)
    assert _fingerprint() == before
    assert (
        "Restored 2 users, 2 sources, 1 claims, 1 annotations, 1 resolutions, 11 history rows"
        in capsys.readouterr().out
    )


@pytest.mark.django_db
def test_it_keeps_users_passwords_groups_history_and_ids(newsroom, editor, tmp_path):
    path = _backup(tmp_path)
    call_command("restore", str(path), force=True)
    restored = get_user_model().objects.get(username="editor")
    assert restored.pk == editor.pk and restored.check_password("editor-password-123")
    assert restored.has_perm("factcheck.add_annotation")
    claim = Claim.objects.get(pk=newsroom.pk)
    assert claim.text == "Syria agreed to let Russia keep both bases."
    assert claim.status == "resolved" and claim.verdict == Verdict.MOSTLY_TRUE
    assert [h.text for h in claim.history.order_by("history_id")][-2:] == [
        "Syria agreed to let Russia keep its bases.",
        "Syria agreed to let Russia keep both bases.",
    ]
    assert list(claim.resolution.prevailing.values_list("stance", flat=True)) == ["supports"]


@pytest.mark.django_db
def test_it_refuses_to_overwrite_a_database_with_data_without_force(newsroom, tmp_path):
    path = _backup(tmp_path)
    Claim.objects.filter(pk=newsroom.pk).update(text="edited since")
    with pytest.raises(CommandError, match=r"The database is not empty \(2 users, 2 sources, 1 claims.*--force"):
        call_command("restore", str(path))
    assert Claim.objects.get(pk=newsroom.pk).text == "edited since"


@pytest.mark.django_db
def test_it_restores_into_an_empty_database_without_force(newsroom, tmp_path):
    before = _fingerprint()
    path = _backup(tmp_path, "backup.json.gz")
    with gzip.open(path, "rt") as f:
        assert any(obj["model"] == "factcheck.historicalclaim" for obj in json.load(f))
    wipe()
    assert get_user_model().objects.count() == 0 and Claim.objects.count() == 0

    call_command("restore", str(path), stdout=open(os.devnull, "w"))
    assert _fingerprint() == before


@pytest.mark.django_db
def test_it_leaves_the_database_untouched_when_the_backup_is_broken(newsroom, tmp_path):
    before = _fingerprint()
    path = _backup(tmp_path)
    data = json.loads(path.read_text())
    data.append({"model": "factcheck.claim", "pk": 999, "fields": {"topic": 424242, "text": "orphan"}})
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="not restored, the database is unchanged"):
        call_command("restore", str(broken), force=True)
    assert _fingerprint() == before

    truncated = tmp_path / "truncated.json"
    truncated.write_text(path.read_text()[:500])
    with pytest.raises(CommandError, match="not restored, the database is unchanged"):
        call_command("restore", str(truncated), force=True)
    assert _fingerprint() == before


@pytest.mark.django_db
def test_it_names_a_missing_file_and_a_bad_file_name(tmp_path):
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "nope.json"))
    with pytest.raises(CommandError, match="must end in one of .json"):
        call_command("backup", output=str(tmp_path / "backup.dat"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_it_round_trips_between_two_databases_from_the_command_line():
    """The documented pair, as an operator runs it: outside any test transaction, so the snapshot path runs.

    Two scratch databases of the kind the suite runs on (SQLite files, or databases on the PostgreSQL server).
    """
    base = os.environ.get("DATABASE_URL", "")
    with scratch_database(base) as first, scratch_database(base) as second, tempfile.TemporaryDirectory() as tmp:
        _round_trip(first, second, Path(tmp))


def _round_trip(first, second, tmp_path):
    def manage(url, *args):
        env = {**os.environ, "DATABASE_URL": url}
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
        )

    for db in (first, second):
        assert manage(db, "migrate", "--noinput").returncode == 0
    seed = (
        "from tests.conftest import make_claim, make_source; from factcheck.roles import ensure_editor_group;"
        "from django.contrib.auth.models import User;"
        "u = User.objects.create_user('ed', password='a-long-passphrase'); u.groups.add(ensure_editor_group());"
        "a, b = make_source(title='A'), make_source(title='B');"
        "make_claim(text='Kept.', assertions=[(a, 'supports', 'Russia keeps its naval base at Tartus.'),"
        " (b, 'disputes', 'Talks about the bases are active as of July 2025.')])"
    )
    assert manage(first, "shell", "-c", seed).returncode == 0
    out = manage(first, "backup", "-o", str(tmp_path / "b.json.gz"))
    assert out.returncode == 0, out.stderr
    assert "Backed up 1 users, 2 sources, 1 claims" in out.stdout

    out = manage(second, "restore", str(tmp_path / "b.json.gz"))
    assert out.returncode == 0, out.stderr
    assert "Restored 1 users, 2 sources, 1 claims" in out.stdout
    check = "from factcheck.models import Claim; c = Claim.objects.get(); print(c.text, c.status, c.assertions.count())"
    assert manage(second, "shell", "-c", check).stdout.strip().splitlines()[-1] == "Kept. conflict 2"
    refused = manage(second, "restore", str(tmp_path / "b.json.gz"))
    assert refused.returncode == 1 and "--force" in refused.stderr
