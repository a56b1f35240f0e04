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

from factcheck.backup import backed_up_models, wipe
from factcheck.loadtest import scratch_database
from factcheck.models import Annotation, Claim, Resolution, Verdict
from tests.conftest import make_claim, make_source


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The cast's users are created per test; PBKDF2 would dominate this file's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    assert "Restored 2 users, 2 sources, 1 claims, 1 annotations, 1 resolutions, 11 history rows" in capsys.readouterr().out


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
