"""A synthetic corpus at newsroom scale, for the benchmark and the scaling tests.

``build_corpus`` writes sources with real-length texts made of varied
sentences, topics, claims, assertions quoting real passages of those texts at
their true offsets, editors' annotations and resolutions — in bulk, in
batches, with every derived field (claim status and source count, offsets,
text digests, rendered Markdown) computed here in Python by the same
functions the models use.

Bulk inserts bypass ``save()`` and its signals, so this writes no history rows
and does not bump the page-cache version row by row. That is acceptable only
because it fills a fresh database for benchmarking; the command refuses a
database that already has claims. Real data goes through the models, the
admin or ``import_corpus``.

Run as ``python -m tools.bench_data [--claims N] ...`` against DATABASE_URL;
``make bench`` does, on a database of its own.
"""

# ruff: noqa: E402 -- run as a program, Django must be set up before the models are imported.
if __name__ == "__main__":
    from tools.cli import setup_django

    setup_django()

import contextlib
import datetime as dt
import functools
import itertools
import random
import time
from dataclasses import dataclass, field, fields

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connections, transaction
from django.utils import timezone

from factcheck import cache, markdown
from tools import bench_foreign

try:  # the search engineers' modules; the corpus is still useful without them
    from factcheck import evidence, search_index
    from factcheck.models import Passage
except ImportError:  # pragma: no cover
    evidence = search_index = Passage = None
from factcheck.models import (
    Annotation,
    Assertion,
    Claim,
    Precision,
    Resolution,
    Source,
    Stance,
    Status,
    Topic,
    Verdict,
    status_of,
    text_digest,
)

ACTORS = [
    "The Russian defence ministry",
    "Syria's foreign minister",
    "Ahmed al-Sharaa",
    "A Kremlin spokesman",
    "A senior Turkish official",
    "The UN special envoy",
    "Local residents",
    "Western diplomats",
    "The transitional government",
    "Analysts in Damascus",
    "Israeli military sources",
    "The Kurdish-led SDF",
    "An adviser to the presidency",
    "Gulf investors",
    "The European Commission",
    "Officials in Latakia",
    "Asaad al-Shaibani",
    "A former Assad-era general",
    "Humanitarian agencies",
    "The Iranian embassy",
]
VERBS = [
    "said",
    "denied",
    "confirmed",
    "reported",
    "insisted",
    "claimed",
    "acknowledged",
    "warned",
    "told reporters",
    "stated in a briefing",
    "suggested",
    "announced",
]
SUBJECTS = [
    "the naval base at Tartus",
    "the Hmeimim air base",
    "the extradition request",
    "wheat deliveries from Russia",
    "the reconstruction loans",
    "the ceasefire in Idlib",
    "oil exports through Baniyas",
    "the new constitution",
    "the prisoner exchange",
    "Russian military advisers",
    "the lease agreement of 2017",
    "fuel shipments",
    "the return of refugees",
    "the sanctions relief",
    "the border crossings with Turkey",
    "the airport in Qamishli",
    "the grain corridor",
    "the debt to Moscow",
    "the printing of new banknotes",
    "the phosphate mines near Palmyra",
]
PREDICATES = [
    "would remain under Russian control",
    "had been suspended",
    "was under review",
    "was discussed in Moscow",
    "had been agreed in principle",
    "would be renegotiated",
    "was never formally requested",
    "had resumed after a pause",
    "was linked to the debt talks",
    "would expire within two years",
    "had been quietly extended",
    "was rejected by the cabinet",
    "depended on a new security agreement",
    "had been reduced to a token presence",
    "was a matter for the courts",
    "would be decided by parliament",
]
TIMES = [
    "in October 2025",
    "as of July 2025",
    "earlier this year",
    "on 15 January 2025",
    "last spring",
    "in the summer of 2024",
    "by the end of 2025",
    "since December 2024",
    "in March 2026",
    "this week",
]
FILLERS = [
    "The statement could not be independently verified.",
    "Neither side published the text of the agreement.",
    "Satellite images taken at the time show little change at the site.",
    "The ministry did not respond to a request for comment.",
    "Earlier reports had given a different figure.",
    "The talks were held behind closed doors.",
    "Diplomats described the mood as cautious but constructive.",
    "Critics said the announcement raised more questions than it answered.",
]
PUBLISHERS = [
    "Reuters",
    "Associated Press",
    "Al Jazeera",
    "BBC News",
    "Le Monde",
    "Kommersant",
    "SANA",
    "Enab Baladi",
    "The Guardian",
    "Middle East Eye",
    "TASS",
    "Carnegie Endowment",
    "Crisis Group",
    "Wikipedia",
    "Anadolu Agency",
]
AUTHORS = ["", "", "Maria Tsvetkova", "Omar Haddad", "Lina Sinjab", "Jean Dupont", "Aisha Rahman", "Pavel Ivanov"]
HEADLINES = [
    "Russia and Syria after Assad",
    "The future of the bases",
    "What Damascus asked of Moscow",
    "A new government tests old alliances",
    "Sanctions, debt and grain",
    "The extradition question",
    "Inside the talks on Tartus",
    "Syria's reconstruction bill",
    "Turkey, Israel and the new Syria",
]
KINDS = [k for k, _ in Source.Kind.choices]
NOTES = [
    "Compared the **{a}** and the **{b}** accounts; the dates differ by a month.",
    "The quote is from the wire version; the later rewrite softened it.\n\n- check the Arabic original\n- ask the desk",
    "See the [original statement](https://example.org/statement) for context.",
    "This source speaks *before* the change of government.",
    "Translation checked against the Russian text by the desk.",
    "The figure of {n} is repeated from an earlier report, not independently sourced.",
]
RATIONALES = [
    "Satellite imagery and two independent accounts support the **{a}** version; the {b} account is older.",
    "The {a} account relies on an unnamed official; the documents published since support the {b} account.",
    "Both accounts are partly right: they describe the situation at different dates.",
    "No primary document is available yet; we rate this *unproven* until the agreement is published.",
]
ASSERTION_COUNTS = [0, 1, 2, 3, 4, 5, 6, 7, 8]
ASSERTION_WEIGHTS = [3, 14, 15, 15, 15, 13, 10, 8, 7]  # mean about 4.1
# Cumulative weights, computed once: random.choices would add them up on every call.
_COUNT_CUM = list(itertools.accumulate(ASSERTION_WEIGHTS))
_MIXED = ([Stance.SUPPORTS, Stance.DISPUTES, Stance.QUALIFIES], [5, 8, 10])
_AGREEING = ([Stance.SUPPORTS, Stance.QUALIFIES], [4, 5])


@dataclass
class Plan:
    """Sizes of the corpus to build."""

    claims: int = 100_000
    sources: int = 0
    topics: int = 0
    editors: int = 5
    seed: int = 9
    batch: int = 5_000
    staff_password: str = ""
    foreign_share: float = 0.0  # of sources written in Russian, French or Arabic (tools/bench_foreign.py)

    def __post_init__(self):
        self.sources = self.sources or max(20, self.claims // 50)
        self.topics = self.topics or max(5, self.claims // 10)


@dataclass
class Counts:
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0
    total_seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU for the rows above: on a busy machine, what wall time is not
    extra: dict = field(default_factory=dict)  # stage -> (rows or None, seconds), done by other modules' code

    def add(self, name, n):
        self.rows[name] = self.rows.get(name, 0) + n

    @property
    def total(self):
        return sum(self.rows.values())

    def summary(self):
        return ", ".join(f"{n:,} {name}" for name, n in self.rows.items())


class _Text:
    """One source text and the spans of its quotable sentences, drawn by ``sentence(rng)``."""

    def __init__(self, rng, target_length, sentence):
        parts, spans, length = [], [], 0
        while length < target_length:
            for _ in range(rng.randint(3, 8)):
                text = sentence(rng)
                if parts and not parts[-1].endswith("\n\n"):
                    parts.append(" ")
                    length += 1
                spans.append((length, length + len(text), text))
                parts.append(text)
                length += len(text)
            parts.append("\n\n")
            length += 2
        self.text = "".join(parts).rstrip()
        self.spans = [s for s in spans if s[1] <= len(self.text)]


def _sentence(rng):
    roll = rng.random()
    if roll < 0.12:
        return rng.choice(FILLERS)
    subject, predicate, when = rng.choice(SUBJECTS), rng.choice(PREDICATES), rng.choice(TIMES)
    actor, verb = rng.choice(ACTORS), rng.choice(VERBS)
    number = rng.randint(2, 4_000)
    if roll < 0.35:
        # Typographic quotes, as the sources print them.
        speaker = actor.lower() if actor.startswith("The") else actor
        return f"“{subject[0].upper()}{subject[1:]} {predicate} {when},” {speaker} {verb}."
    if roll < 0.5:
        return f"{actor} {verb} that {subject} {predicate}, citing {number} documents seen {when}."
    return f"{actor} {verb} that {subject} {predicate} {when}."


def _quote(rng, span):
    """A sentence, or the clause after its "that", with its offsets in the text."""
    start, end, sentence = span
    cut = sentence.find(" that ")
    if cut > 0 and rng.random() < 0.3:
        return sentence[cut + 6 :], start + cut + 6, end
    return sentence, start, end


def _random_date(rng, start_year=2024, end_year=2026):
    start = dt.date(start_year, 1, 1).toordinal()
    end = dt.date(end_year, 3, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


class _Writer:
    """Multi-row inserts straight into the tables: COPY on PostgreSQL, executemany on SQLite.

    ``bulk_create`` spends over 100 µs a row in Python compiling each value;
    this spends a few. Ids are assigned here, so rows can point at each other
    before they are written, and sequences are moved past them at the end.
    """

    def __init__(self, using="default"):
        self.connection = connections[using]
        self.ops = self.connection.ops
        self._now = timezone.now()
        self.now = self.ops.adapt_datetimefield_value(self._now)
        self._specs = {}
        self._next = {}

    def next_id(self, model):
        if model not in self._next:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
                self._next[model] = cursor.fetchone()[0] + 1
        value = self._next[model]
        self._next[model] += 1
        return value

    def date(self, value):
        return self.ops.adapt_datefield_value(value)

    def created_and_updated(self, rng):
        created = self._now - dt.timedelta(seconds=rng.randint(3_600, 2 * 365 * 86_400))
        updated = created + (self._now - created) * rng.random() ** 4  # most soon after, a few recently
        return {
            "created_at": self.ops.adapt_datetimefield_value(created),
            "updated_at": self.ops.adapt_datetimefield_value(updated),
        }

    def _spec(self, model):
        if model not in self._specs:
            spec = []
            for f in model._meta.concrete_fields:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    default = self.now
                else:
                    default = f.get_default()  # "" for text without a default, else None
                spec.append((f.attname, f.column, default))
            self._specs[model] = spec
        return self._specs[model]

    def insert(self, model, rows):
        """Write ``rows`` (dicts of attname: database-ready value); missing fields take their defaults."""
        if not rows:
            return 0
        spec = self._spec(model)
        table = self.ops.quote_name(model._meta.db_table)
        columns = ", ".join(self.ops.quote_name(column) for _, column, _ in spec)
        values = [tuple(row.get(att, default) for att, _, default in spec) for row in rows]
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                placeholders = ", ".join(["%s"] * len(spec))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)
        return len(values)

    def reset_sequences(self, models):
        sql = self.ops.sequence_reset_sql(no_style(), models)
        if sql:
            with self.connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


def build_corpus(plan, progress=None):
    """Write the corpus ``plan`` describes into an empty database; returns Counts."""
    if Claim.objects.exists():
        raise CommandError(
            f"bench_data fills an empty database, and this one has {Claim.objects.count():,} claims. "
            "Point DATABASE_URL at a fresh database (make bench does)."
        )
    rng = random.Random(plan.seed)
    counts = Counts()
    writer = _Writer()
    started, cpu_started = time.perf_counter(), time.process_time()

    def report(stage):
        counts.seconds = time.perf_counter() - started
        if progress:
            progress(stage, counts)

    if writer.connection.vendor == "sqlite" and not writer.connection.in_atomic_block:
        # A benchmark database is rebuilt, not recovered: no fsync per checkpoint while loading.
        with writer.connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    with cache.triggers_suspended(), _search_index_suspended(counts):
        editors = _users(plan, counts)
        with transaction.atomic():
            sources, texts = _sources(rng, plan, writer, counts)
        report("sources")
        with transaction.atomic():
            topics = _topics(rng, plan, writer, counts)
        pools = [rng.sample(sources, min(len(sources), rng.randint(3, 8))) for _ in topics]
        report("topics")
        notes = [(body, markdown.render(body)) for body in (_fill(rng, t) for t in NOTES * 4)]
        rationales = [(body, markdown.render(body)) for body in (_fill(rng, t) for t in RATIONALES * 3)]
        done = 0
        while done < plan.claims:
            n = min(plan.batch, plan.claims - done)
            with transaction.atomic():
                _claims_batch(rng, writer, done, n, topics, pools, texts, editors, notes, rationales, counts)
            done += n
            report(f"claims {done:,}/{plan.claims:,}")
        rows_seconds, counts.cpu_seconds = counts.seconds, time.process_time() - cpu_started
        writer.reset_sequences([Source, Topic, Claim, Assertion, Annotation, Resolution, Resolution.prevailing.through])
        if evidence is not None:
            # The evidence finder's passages, cut by its own code so they are exactly what it expects.
            cut = time.perf_counter()
            evidence.refresh_all_passages()
            counts.extra["passages"] = (Passage.objects.count(), time.perf_counter() - cut)
    if writer.connection.vendor == "postgresql" and not writer.connection.in_atomic_block:
        # What autovacuum would reach minutes later: planner statistics and a visibility map for
        # index-only scans. Done now, it neither skews the plans nor runs beside the benchmark.
        cut = time.perf_counter()
        with writer.connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        counts.extra["vacuum analyze"] = (None, time.perf_counter() - cut)
    counts.total_seconds = time.perf_counter() - started
    counts.seconds = rows_seconds
    return counts


@contextlib.contextmanager
def _search_index_suspended(counts):
    """Index everything in one pass at the end rather than row by row through the search triggers."""
    if search_index is None:
        yield
        return
    search_index.drop_search_schema()
    try:
        yield
    finally:
        started = time.perf_counter()
        search_index.ensure_search_schema(force_rebuild=True)
        counts.extra["search index"] = (None, time.perf_counter() - started)


def _fill(rng, template):
    return template.format(a=rng.choice(PUBLISHERS), b=rng.choice(PUBLISHERS), n=rng.randint(10, 9000))


def _users(plan, counts):
    User = get_user_model()
    editors = []
    for i in range(1, plan.editors + 1):
        user = User(username=f"bench-editor-{i}")
        user.set_unusable_password()
        editors.append(user)
    editors = User.objects.bulk_create(editors)
    counts.add("users", len(editors))
    if plan.staff_password:
        User.objects.create_superuser("bench-admin", password=plan.staff_password)
        counts.add("users", 1)
    return [u.pk for u in editors]


@dataclass
class _Source:
    """What the generator needs of a source it wrote: id, dates, quotable spans."""

    pk: int
    published: object
    as_of: object
    as_of_precision: str
    spans: list

    @property
    def speaks_as_of(self):
        return Source.speaks_as_of.fget(self)


def _sources(rng, plan, writer, counts):
    rows, sources = [], []
    for n in range(1, plan.sources + 1):
        # Lengths from a few KB to about 30 KB, most in between.
        length = int(rng.triangular(2_000, 30_000, 12_000))
        # Drawn only when asked for: the default corpus stays the one earlier figures were measured on.
        language = "en"
        if plan.foreign_share and rng.random() < plan.foreign_share:
            language = rng.choice(bench_foreign.LANGUAGES)
        sentence = _sentence if language == "en" else functools.partial(bench_foreign.sentence, language=language)
        body = _Text(rng, length, sentence)
        published = _random_date(rng) if rng.random() < 0.85 else None
        as_of, precision = None, Precision.DAY
        if rng.random() < 0.25:
            as_of, precision = _random_date(rng).replace(day=1), Precision.MONTH
        publisher = rng.choice(PUBLISHERS)
        pk = writer.next_id(Source)
        rows.append(
            {
                "id": pk,
                "key": f"bench-source-{n}",
                "title": f"{rng.choice(HEADLINES)} ({publisher}, {n})",
                "publisher": publisher,
                "author": rng.choice(AUTHORS),
                "url": f"https://example.org/bench/{n}",
                "published": writer.date(published),
                "as_of": writer.date(as_of),
                "as_of_precision": precision,
                "kind": rng.choice(KINDS),
                "language": language,
                "text": body.text,
                "text_sha256": text_digest(body.text),
            }
        )
        sources.append(_Source(pk, published, as_of, precision, body.spans))
        if len(rows) == 200:
            counts.add("sources", writer.insert(Source, rows))
            rows = []
    counts.add("sources", writer.insert(Source, rows))
    return sources, {s.pk: s for s in sources}


def _topics(rng, plan, writer, counts):
    rows = []
    for n in range(1, plan.topics + 1):
        subject = rng.choice(SUBJECTS)
        rows.append(
            {
                "id": writer.next_id(Topic),
                "slug": f"bench-{n}-{subject.replace(' ', '-').replace(chr(39), '')[:40]}",
                "title": f"What happens to {subject}? ({n})",
                "description": f"Claims about {subject}, {rng.choice(TIMES)}." if rng.random() < 0.5 else "",
            }
        )
    counts.add("topics", writer.insert(Topic, rows))
    return [row["id"] for row in rows]


@dataclass
class _Assertion:
    """Just enough of an assertion for ``status_of``."""

    pk: int
    source: _Source
    stance: str
    as_of: object
    as_of_precision: str

    @property
    def source_id(self):
        return self.source.pk

    @property
    def speaks_as_of(self):
        return Assertion.speaks_as_of.fget(self)


def _claims_batch(rng, writer, offset, n, topics, pools, texts, editors, notes, rationales, counts):
    claims, assertions_rows, annotations, resolutions, prevailing = [], [], [], [], []
    for i in range(offset + 1, offset + n + 1):
        claim_id = writer.next_id(Claim)
        # Mildly skewed: a few topics gather many claims, most have a handful.
        t = int(len(topics) * rng.random() ** 1.3)
        assertions = _assertions(rng, writer, claim_id, pools[t], assertions_rows)
        status = status_of(assertions)
        resolved = False
        if assertions and rng.random() < (0.25 if status == Status.CONFLICT else 0.01):
            body, html = rng.choice(rationales)
            is_open = rng.random() < 0.1
            resolution_id = writer.next_id(Resolution)
            resolutions.append(
                {
                    "id": resolution_id,
                    "claim_id": claim_id,
                    "verdict": rng.choice(Verdict.values),
                    "rationale": body,
                    "rationale_html": html,
                    "decided_by_id": rng.choice(editors),
                    "is_open": is_open,
                    "is_published": True,
                }
            )
            for a in rng.sample(assertions, min(2, len(assertions))):
                prevailing.append(
                    {
                        "id": writer.next_id(Resolution.prevailing.through),
                        "resolution_id": resolution_id,
                        "assertion_id": a.pk,
                    }
                )
            resolved = not is_open
        claims.append(
            {
                "id": claim_id,
                "topic_id": topics[t],
                "key": f"bench-claim-{i}",
                "text": f"{rng.choice(SUBJECTS)[0].upper()}{rng.choice(SUBJECTS)[1:]} {rng.choice(PREDICATES)} "
                f"{rng.choice(TIMES)}.",
                "status": Status.RESOLVED if resolved else status,
                "source_count": len({a.source_id for a in assertions}),
                # Entered over two years and edited since, as a newsroom's claims are:
                # lists ordered by recency must not meet a corpus of identical timestamps.
                **(dates := writer.created_and_updated(rng)),
                # In its status since it was entered, as migration 0012 starts existing claims.
                "status_since": dates["created_at"],
                # No statement here carries its own date: the newest is its sources' (Claim.newest_statement).
                "newest_statement": writer.date(
                    max((a.source.published for a in assertions if a.source.published), default=None)
                ),
            }
        )
        if rng.random() < 0.2:
            body, html = rng.choice(notes)
            on = rng.choice(assertions).pk if assertions and rng.random() < 0.3 else None
            annotations.append(
                {
                    "id": writer.next_id(Annotation),
                    "claim_id": claim_id,
                    "assertion_id": on,
                    "author_id": rng.choice(editors),
                    "body": body,
                    "body_html": html,
                }
            )
    counts.add("claims", writer.insert(Claim, claims))
    counts.add("assertions", writer.insert(Assertion, assertions_rows))
    counts.add("annotations", writer.insert(Annotation, annotations))
    counts.add("resolutions", writer.insert(Resolution, resolutions))
    counts.add("prevailing", writer.insert(Resolution.prevailing.through, prevailing))


def _assertions(rng, writer, claim_id, pool, rows):
    """Plan a claim's assertions: append their rows to ``rows``, return them for ``status_of``."""
    k = rng.choices(ASSERTION_COUNTS, cum_weights=_COUNT_CUM)[0]
    stances, cum_weights = _MIXED if rng.random() < 0.4 else _AGREEING
    seen, result = set(), []
    for _ in range(k):
        source = rng.choice(pool)
        quote, start, end = _quote(rng, rng.choice(source.spans))
        if (source.pk, start, end) in seen:
            continue
        seen.add((source.pk, start, end))
        as_of, precision = None, Precision.DAY
        if rng.random() < 0.3:
            as_of, precision = _random_date(rng).replace(day=1), Precision.MONTH
        a = _Assertion(
            writer.next_id(Assertion), source, rng.choices(stances, cum_weights=cum_weights)[0], as_of, precision
        )
        rows.append(
            {
                "id": a.pk,
                "claim_id": claim_id,
                "source_id": source.pk,
                "stance": a.stance,
                "quote": quote,
                "start": start,
                "end": end,
                "as_of": writer.date(as_of),
                "as_of_precision": precision,
            }
        )
        result.append(a)
    return result


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic corpus for benchmarks: N claims (default 100,000), "
        "about 4 assertions each, N/50 sources with texts of 2-30 KB, N/10 topics, annotations and resolutions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=100_000)
        parser.add_argument("--sources", type=int, default=0, help="Default: claims / 50 (at least 20).")
        parser.add_argument("--topics", type=int, default=0, help="Default: claims / 10 (at least 5).")
        parser.add_argument("--seed", type=int, default=9)
        parser.add_argument("--batch", type=int, default=5_000, help="Claims written per transaction.")
        parser.add_argument(
            "--foreign-share",
            type=float,
            default=0.0,
            help="Share of sources written in Russian, French or Arabic (0-1; default 0: all English).",
        )
        parser.add_argument(
            "--staff-password",
            default="",
            help="Also create a superuser 'bench-admin' with this password (the benchmark logs in to the admin).",
        )

    def handle(self, *args, verbosity, **options):
        # Each option sets the plan's field of its name (--staff-password: staff_password).
        plan = Plan(**{f.name: options[f.name] for f in fields(Plan) if f.name in options})
        if plan.claims < 1 or plan.batch < 1:
            raise CommandError("--claims and --batch must be at least 1.")
        if not 0 <= plan.foreign_share <= 1:
            raise CommandError(f"--foreign-share must be between 0 and 1; got {plan.foreign_share}.")

        def progress(stage, counts):
            if verbosity >= 1:
                rate = counts.total / counts.seconds if counts.seconds else 0
                self.stderr.write(f"  {stage}: {counts.total:,} rows in {counts.seconds:.1f} s ({rate:,.0f} rows/s)")

        counts = build_corpus(plan, progress)
        extra = "".join(
            f"; {name}: {'' if rows is None else f'{rows:,} rows '}in {seconds:.1f} s"
            for name, (rows, seconds) in counts.extra.items()
        )
        self.stdout.write(
            f"bench_data: {counts.summary()} — {counts.total:,} rows in {counts.seconds:.1f} s "
            f"({counts.total / counts.seconds:,.0f} rows/s; {counts.total / max(counts.cpu_seconds, 1e-9):,.0f} rows "
            f"per CPU second of this process){extra}; {counts.total_seconds:.1f} s in all."
        )


if __name__ == "__main__":
    from tools.cli import run_command

    run_command(Command, "tools.bench_data")
