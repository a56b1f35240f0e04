"""Uncached CPU per request of the benchmark's pages, in process, on one corpus.

    python -m tools.page_cpu var/bench/claims-100000.sqlite3 [--repeat 5]
    python -m tools.page_cpu "$(python3 -m tools.pgtemp start var/bench/pg-claims-100000)"

The corpus is a SQLite file or the URL of a PostgreSQL database the
benchmark built. On PostgreSQL the figures are this process's CPU only: the
server's own work (ranking, plans) shows in ``EXPLAIN ANALYZE`` and in the
benchmark, which counts the database's processes too.

For each page of the benchmark's table (tools/bench.py's ``url_pools``, on
the same seeded sample of claims, sources and topics), every URL is asked
once to warm it, once more to count its queries, then ``--repeat`` times;
the line gives the mean over the page's URLs of each URL's median process
CPU, and the query counts seen. No server and no load client: the figures
compare code with code, or one corpus size with another, on one machine
within minutes, which the throughput benchmark cannot do on a shared
machine. They include the test client's own cost (about 1–2 ms). The page
cache is off; the admin page is asked as the corpus's first superuser.
"""

import argparse
import json
import os
import random
import time
from pathlib import Path

PAGES_PER_KIND = 12  # URLs measured per page of the table, at most


def _sample():
    from factcheck.models import Claim, Source, Topic

    rng = random.Random(7)  # the benchmark's own seed: the same sample

    def pick(qs, n):
        ids = list(qs.values_list("pk", flat=True))
        return rng.sample(ids, min(n, len(ids)))

    topics = list(Topic.objects.filter(pk__in=pick(Topic.objects.all(), 60)).values_list("slug", flat=True))
    return {
        "claims": pick(Claim.objects.all(), 60),
        "sources": pick(Source.objects.all(), 40),
        "topics": topics,
        "claim_count": Claim.objects.count(),
        "source_count": Source.objects.count(),
    }


def measure(repeat):
    """``{page: (mean of median CPU ms, sorted query counts)}``, printing a line per page as it goes."""
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client

    from tools.bench import url_pools

    anonymous, staff = Client(), Client()
    staff.force_login(get_user_model().objects.filter(is_superuser=True).first())
    figures = {}
    for page, urls in url_pools(_sample()):
        client = staff if page.startswith("admin") else anonymous
        medians, queries = [], set()
        for url in urls[:PAGES_PER_KIND]:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            connection.force_debug_cursor = True
            reset_queries()
            client.get(url)
            queries.add(len(connection.queries))
            connection.force_debug_cursor = False
            times = []
            for _ in range(repeat):
                started = time.process_time()
                client.get(url)
                times.append(time.process_time() - started)
            times.sort()
            medians.append(times[len(times) // 2])
        figures[page] = (round(1000 * sum(medians) / len(medians), 1), sorted(queries))
        print(f"{page}: {figures[page][0]} ms CPU per request, queries {figures[page][1]}", flush=True)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.page_cpu", description="Uncached CPU per request of the benchmark's pages, in process."
    )
    parser.add_argument(
        "database", help="a corpus built by the benchmark: var/bench/claims-100000.sqlite3, or a postgres:// URL"
    )
    parser.add_argument("--repeat", type=int, default=5, help="requests per URL after the warm one (median taken)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args(argv)
    if args.database.startswith(("postgres://", "postgresql://")):
        url = args.database
    elif Path(args.database).is_file():
        url = f"sqlite:///{Path(args.database).resolve()}"
    else:
        parser.error(f"no such corpus: {args.database}")
    os.environ.update(
        DATABASE_URL=url,
        FACTCHECK_PAGE_CACHE="0",
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DJANGO_ALLOWED_HOSTS="*",
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "page-cpu-measurement-only")
    import django

    django.setup()
    figures = measure(args.repeat)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
