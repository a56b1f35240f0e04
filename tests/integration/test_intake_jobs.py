"""Intake jobs: duplicates (bytes, text, reprints), a worker killed mid-read, and the real database queue."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from factcheck import source_fingerprints
from factcheck.models import FingerprintBand, IntakeJob, Source, SourceDerivation, SourceFingerprint
from factcheck.services.intake import intake_run

WORDS = " ".join(f"w{n} said the minister on day {n}." for n in range(120))


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _upload(client, name, data):
    return client.post("/sources/add/", {"file": SimpleUploadedFile(name, data)})


def _job(response):
    assert response.status_code == 302, response.content[:400]
    return IntakeJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _save(client, job, **extra):
    return client.post(f"/sources/add/{job.pk}/", {"title": "Saved", "kind": "news", "language": "en", **extra})


def test_it_answers_already_stored_for_the_same_bytes_before_any_work(editor_client):
    job = _job(_upload(editor_client, "a.txt", WORDS.encode()))
    _save(editor_client, job)
    source = Source.objects.get()
    response = _upload(editor_client, "renamed.txt", WORDS.encode())
    assert response.status_code == 409
    html = response.content.decode()
    assert f"The same file is already stored as #{source.pk} “Saved”." in html
    assert f'href="/sources/{source.pk}/"' in html
    assert IntakeJob.objects.count() == 1  # no job, no read


def test_it_answers_already_stored_for_the_same_text_right_after_reading(editor_client):
    stored = Source.objects.create(key="wire", title="Wire copy", text=WORDS)
    job = _job(editor_client.post("/sources/add/", {"text": WORDS}))
    assert (job.state, job.error_code, job.duplicate_of) == ("failed", "duplicate", stored)
    html = editor_client.get(f"/sources/add/{job.pk}/").content.decode()
    assert f"The same text is already stored as #{stored.pk}" in html and f'href="/sources/{stored.pk}/"' in html
    assert Source.objects.count() == 1


def test_it_saves_a_reprint_only_when_confirmed_and_records_it_as_derived(editor_client, editor):
    twin = Source.objects.create(key="original", title="Original", text=WORDS)
    reprint = WORDS.replace("w5 said", "w5 told") + " Reprinted with permission."
    job = _job(editor_client.post("/sources/add/", {"text": reprint}))
    assert job.state == "ready" and job.near_duplicate_of == twin and job.near_similarity >= 0.9
    html = editor_client.get(f"/sources/add/{job.pk}/").content.decode()
    assert f"Save anyway as a reprint of #{twin.pk}" in html
    refused = _save(editor_client, job)
    assert refused.status_code == 422
    assert f"tick “save anyway as a reprint of #{twin.pk}” to save it" in refused.content.decode().replace(
        "&ldquo;", "“"
    ).replace("&rdquo;", "”")
    assert Source.objects.count() == 1
    assert _save(editor_client, job, confirm_reprint="on").status_code == 302
    saved = Source.objects.get(title="Saved")
    derivation = SourceDerivation.objects.get(source=saved)
    assert (derivation.origin_source, derivation.relation) == (twin, "republishes")
    assert derivation.history.get().history_user == editor


def test_it_does_not_take_a_different_text_for_a_reprint(editor_client):
    Source.objects.create(key="original", title="Original", text=WORDS)
    other = " ".join(f"v{n} wrote the reporter in week {n + 7}." for n in range(120))
    job = _job(editor_client.post("/sources/add/", {"text": other}))
    assert job.state == "ready" and job.near_duplicate_of is None


def test_it_keeps_fingerprints_current_and_rebuilds_them_on_recompute(db):
    source = Source.objects.create(key="a", title="A", text=WORDS)
    first = SourceFingerprint.objects.get(source=source).signature
    assert FingerprintBand.objects.filter(source=source).count() == 16
    source.text = "Something else entirely, said nobody at all on that day."
    source.save()
    assert SourceFingerprint.objects.get(source=source).signature != first
    # A fingerprint the signal never wrote (fixtures, update()) is filled in by the derived-state repair.
    SourceFingerprint.objects.all().delete()
    FingerprintBand.objects.all().delete()
    call_command("recompute_derived", stdout=io.StringIO())
    assert SourceFingerprint.objects.filter(source=source, text_sha256=source.text_sha256).exists()
    assert source_fingerprints.find_near_duplicate(source.text).source_id == source.pk


def test_it_offers_a_retry_for_a_job_whose_worker_was_killed_and_the_retry_succeeds(editor_client, reader):
    job = IntakeJob.objects.create(pasted=WORDS)
    # What a worker killed mid-read leaves: the job taken ("extracting", attempt 1), its heartbeat long stale.
    long_ago = timezone.now() - dt.timedelta(minutes=30)
    IntakeJob.objects.filter(pk=job.pk).update(
        state="extracting", attempts=1, started_at=long_ago, heartbeat=long_ago, stage="OCR page 2 of 5"
    )
    html = editor_client.get(f"/sources/add/{job.pk}/").content.decode()
    assert "stopped: its worker has not reported since" in html
    assert f'action="/sources/add/{job.pk}/retry/"' in html and "every 1s" not in html
    assert editor_client.get(f"/sources/add/{job.pk}/retry/").status_code == 405
    readers = Client()
    readers.force_login(reader)
    assert readers.post(f"/sources/add/{job.pk}/retry/").status_code == 403
    response = editor_client.post(f"/sources/add/{job.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/sources/add/{job.pk}/"
    job.refresh_from_db()
    assert (job.state, job.attempts, job.text) == ("ready", 2, WORDS)


def test_it_refuses_to_retry_a_job_that_is_still_alive(editor_client):
    job = IntakeJob.objects.create(pasted=WORDS)
    IntakeJob.objects.filter(pk=job.pk).update(state="extracting", attempts=1, heartbeat=timezone.now())
    response = editor_client.post(f"/sources/add/{job.pk}/retry/")
    assert response.status_code == 409
    assert "Only a stalled job can be retried; this one is reading." in response.content.decode()


def test_it_ignores_what_a_superseded_worker_writes_after_a_retry(db):
    job = IntakeJob.objects.create(pasted=WORDS)
    first = intake_run(job_id=job.pk)
    assert first.state == "ready"
    # A second run of the same job (a duplicate delivery) finds it taken and changes nothing.
    again = intake_run(job_id=job.pk)
    assert (again.state, again.attempts) == ("ready", 1)


@pytest.mark.django_db(transaction=True)
def test_it_queues_on_the_database_and_a_db_worker_runs_it(client, editor, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(editor)
    job = _job(_upload(client, "a.txt", WORDS.encode()))
    assert job.state == "queued"
    html = client.get(f"/sources/add/{job.pk}/").content.decode()
    assert "Waiting for a worker" in html and 'hx-trigger="every 1s"' in html
    call_command("db_worker", batch=True, startup_delay=False, stdout=io.StringIO(), stderr=io.StringIO())
    job.refresh_from_db()
    assert (job.state, job.text) == ("ready", WORDS)


def test_it_writes_progress_once_per_stage_with_a_heartbeat(db, monkeypatch):
    from factcheck.intake import extract_pasted
    from factcheck.services import intake

    seen = []

    def fake_extract(data, *, filename, progress):
        for done, stage in [(0, "Reading page 1 of 3"), (0, "Reading page 1 of 3"), (1, "OCR page 2 of 3")]:
            progress(done, 3, stage)
            row = IntakeJob.objects.values("state", "stage", "progress_done", "progress_total", "heartbeat").get()
            seen.append(row)
        return extract_pasted(WORDS)

    monkeypatch.setattr(intake, "extract", fake_extract)
    job = IntakeJob.objects.create(filename="scan.pdf", sha256="0" * 64, original="originals/none.pdf", size=3)
    monkeypatch.setattr(type(job.original), "open", lambda self, mode="rb": io.BytesIO(b"%PDF"))
    intake.intake_run(job_id=job.pk)
    assert [(r["state"], r["stage"], r["progress_done"], r["progress_total"]) for r in seen] == [
        ("extracting", "Reading page 1 of 3", 0, 3),
        ("extracting", "Reading page 1 of 3", 0, 3),
        ("extracting", "OCR page 2 of 3", 1, 3),
    ]
    assert all(r["heartbeat"] is not None for r in seen)
    job.refresh_from_db()
    assert (job.state, job.stage, job.attempts) == ("ready", "Ready", 1)


def test_it_looks_reprints_up_in_two_queries_whatever_the_corpus_size(db, django_assert_num_queries):
    for n in range(30):
        # Thirty variants of one text, each with a different word changed here and there: all candidates.
        Source.objects.create(key=f"s{n}", title=f"S{n}", text=WORDS.replace(f"day {n}.", f"day {n}, twice."))
    # the candidate sources sharing a band, most bands first; their signatures
    with django_assert_num_queries(2):
        found = source_fingerprints.find_near_duplicate(WORDS + " One more sentence.")
    assert found is not None and found.similarity >= 0.9


def test_it_asks_to_confirm_a_twin_stored_after_the_text_was_read(editor_client):
    job = _job(editor_client.post("/sources/add/", {"text": WORDS}))
    assert job.near_duplicate_of is None
    twin = Source.objects.create(key="late", title="Late twin", text=WORDS + " Stored meanwhile.")
    refused = _save(editor_client, job)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert f"the same as #{twin.pk}" in html and 'name="confirm_reprint"' in html
    assert _save(editor_client, job, confirm_reprint="on").status_code == 302
    assert SourceDerivation.objects.get(source__title="Saved").origin_source == twin
