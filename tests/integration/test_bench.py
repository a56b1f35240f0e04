"""The benchmark's parts: bench_data's corpus, the reference view and its URLconf, the load generator."""

import os

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from factcheck import cache
from factcheck.models import Annotation, Assertion, Claim, Resolution, Source, Status, Topic, text_digest
from tools import bench_data, bench_settings, loadgen
from tools.bench_data import Plan, build_corpus
from tools.bench_site import REFERENCE_BODY


@pytest.mark.django_db
def test_it_builds_a_corpus_of_the_planned_size():
    counts = build_corpus(Plan(claims=600, sources=25, topics=40, seed=5))
    assert Claim.objects.count() == 600 == counts.rows["claims"]
    assert Source.objects.count() == 25 == counts.rows["sources"]
    assert Topic.objects.count() == 40 == counts.rows["topics"]
    assertions = Assertion.objects.count()
    assert 3.5 * 600 < assertions < 4.6 * 600  # about four per claim
    assert Annotation.objects.exists() and Resolution.objects.exists()
    lengths = [len(t) for t in Source.objects.values_list("text", flat=True)]
    assert min(lengths) >= 2_000 and max(lengths) <= 31_000


@pytest.mark.django_db
def test_every_quote_is_a_real_passage_at_its_offsets():
    build_corpus(Plan(claims=300, seed=6))
    texts = dict(Source.objects.values_list("id", "text"))
    for quote, start, end, source_id in Assertion.objects.values_list("quote", "start", "end", "source_id"):
        assert texts[source_id][start:end] == quote
    call_command("verify_quotes")  # raises on any mismatch
    # Typographic quotes, as sources print them, are among the quoted passages.
    assert Assertion.objects.filter(quote__contains="”").exists()


@pytest.mark.django_db
def test_derived_fields_are_what_the_models_compute():
    build_corpus(Plan(claims=300, seed=7))
    stored = {c.pk: (c.status, c.source_count) for c in Claim.objects.all()}
    for claim in Claim.objects.all():
        claim.refresh_status()  # the models' own derivation, from the stored assertions and resolution
    recomputed = {c.pk: (c.status, c.source_count) for c in Claim.objects.all()}
    assert recomputed == stored
    statuses = {status for status, _ in stored.values()}
    assert {Status.CONFLICT, Status.AGREEMENT, Status.SINGLE, Status.RESOLVED} <= statuses
    for source in Source.objects.all()[:5]:
        assert source.text_sha256 == text_digest(source.text)
    # Topics' counts, kept by the triggers while the claims were written, are the claims' own.
    for topic in Topic.objects.all():
        claims = Claim.objects.filter(topic=topic)
        assert (topic.claim_count, topic.conflict_count, topic.resolved_count) == (
            claims.count(),
            claims.filter(status=Status.CONFLICT).count(),
            claims.filter(status=Status.RESOLVED).count(),
        )


@pytest.mark.django_db
def test_it_refuses_a_database_that_has_claims(conflict_claim):
    with pytest.raises(CommandError, match="fills an empty database, and this one has 1 claims"):
        build_corpus(Plan(claims=10))


@pytest.mark.django_db
def test_it_leaves_the_triggers_in_place_and_bumps_the_version_once():
    before = cache.corpus_version()
    build_corpus(Plan(claims=50, seed=8))
    assert cache.corpus_version() == before + 1
    assert cache.ensure_corpus_version() == []  # nothing was missing
    # The search index was rebuilt in one pass: bench claims are found.
    word = Claim.objects.first().text.split()[1]
    assert Claim.objects.filter(text__icontains=word).exists()


@pytest.mark.django_db
def test_the_command_reports_its_rate(capsys):
    call_command(bench_data.Command(), "--claims", "40", "--seed", "2", verbosity=0)
    out = capsys.readouterr().out
    assert "40 claims" in out and "rows/s" in out


def test_it_plans_the_corpus_from_the_options(monkeypatch):
    planned = []
    monkeypatch.setattr(bench_data, "build_corpus", lambda plan, progress: planned.append(plan) or _Done())
    options = ["--claims", "70", "--sources", "21", "--topics", "6", "--seed", "3", "--batch", "9"]
    call_command(bench_data.Command(), *options, "--staff-password", "pw", "--foreign-share", "0.25", verbosity=0)
    assert planned == [
        Plan(claims=70, sources=21, topics=6, seed=3, batch=9, staff_password="pw", foreign_share=0.25, editors=5)
    ]


def test_it_refuses_an_empty_corpus():
    with pytest.raises(CommandError, match="--claims and --batch must be at least 1"):
        call_command(bench_data.Command(), "--claims", "0", verbosity=0)


class _Done:
    """What the command reports from, for a corpus it did not build."""

    total, seconds, cpu_seconds, total_seconds, extra = 1, 1.0, 1.0, 1.0, {}

    def summary(self):
        return "nothing"


@pytest.fixture
def bench_site(settings):
    """The settings the benchmark's gunicorn runs with (tools.bench_settings), in this process."""
    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
    settings.MIDDLEWARE = bench_settings.MIDDLEWARE
    return settings


def test_production_has_no_bench_route(client, db):
    with pytest.raises(NoReverseMatch):
        reverse("bench-reference")
    with pytest.raises(Resolver404):
        resolve("/bench/ref/")
    response = client.get("/bench/ref/")
    assert response.status_code == 404
    assert "X-DB-Queries" not in response


def test_the_bench_urlconf_serves_the_reference_view_and_the_app(bench_site, db):
    client = Client()
    assert reverse("bench-reference") == "/bench/ref/"
    response = client.get("/bench/ref/")
    assert response.status_code == 200
    assert response.content == REFERENCE_BODY
    # Through the same middleware as every page.
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
    assert response["X-DB-Queries"] == "0"  # a fixed response: no query, not even for the session
    assert response["X-Bench-Worker"] == str(os.getpid())  # which worker's page cache answered
    # The app's own pages and error pages are all there too, each with its query count.
    home = client.get("/")
    assert home.status_code == 200 and int(home["X-DB-Queries"]) > 0
    missing = client.get("/claims/999999/")
    assert missing.status_code == 404 and b"<html" in missing.content.lower()


def test_the_load_generator_stops_at_its_request_budget(live_server, bench_site):
    bench_site.ALLOWED_HOSTS = ["127.0.0.1"]
    port = int(live_server.url.rsplit(":", 1)[1])
    result = loadgen.run("127.0.0.1", port, ["/bench/ref/", "/healthz"], concurrency=4, max_requests=40, max_seconds=30)
    assert result.requests == 40
    assert result.errors == 0
    assert result.statuses == {200: 40}
    assert 0 < result.p50 <= result.p99


def test_the_load_generator_counts_errors_and_stops_at_its_time_budget(live_server, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    port = int(live_server.url.rsplit(":", 1)[1])
    # A request budget it cannot reach: only the time budget can end the run.
    result = loadgen.run("127.0.0.1", port, ["/claims/999999/"], concurrency=2, max_requests=10**9, max_seconds=1.0)
    assert result.requests > 0 and result.errors == result.requests
    assert "HTTP 404" in result.first_error
