"""Time and peak memory of a corpus import, by file size: what the admin's upload limit rests on.

    .venv/bin/python tools/measure_corpus_import.py 1 2 4
    .venv/bin/python tools/measure_corpus_import.py --texts-only 4 8 16

For each size (MB) it builds a factcheck-corpus/1 JSON file of about that
size from copies of the seed corpus (each copy's sources get a distinct
text, its claims distinct keys; with --texts-only, the sources alone, the
shape of a file that brings new documents), then imports it into a fresh SQLite
database in a fresh process, as the admin's import view does: read the
bytes, parse, validate and write in one transaction. It prints, per size,
the wall and CPU seconds of parse + import and the process's peak resident
memory, before and after (Linux's VmHWM, reset once Django is loaded; a
forked child's ru_maxrss would start at its parent's).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed_corpus.json"


def build(size_mb, path, texts_only=False):
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    for source in seed["sources"]:
        if "text_file" in source:
            source["text"] = (SEED.parent / source.pop("text_file")).read_text(encoding="utf-8")
    if texts_only:
        seed["claims"] = []
    one = len(json.dumps(seed, ensure_ascii=False).encode())
    copies = max(1, round(size_mb * 1024 * 1024 / one))
    doc = {"format": seed["format"], "sources": [], "topics": seed["topics"], "claims": []}
    for n in range(copies):
        for source in seed["sources"]:
            # A distinct text per copy: the import refuses two sources with the same text.
            doc["sources"].append({**source, "key": f"{source['key']}-{n}", "text": f"{source['text']}\n[copy {n}]"})
        for claim in seed["claims"]:
            assertions = [{**a, "source": f"{a['source']}-{n}"} for a in claim["assertions"]]
            doc["claims"].append({**claim, "key": f"{claim['key']}-{n}", "assertions": assertions})
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return copies, len(doc["claims"]), sum(len(c["assertions"]) for c in doc["claims"])


def _peak_rss_mb(reset=False):
    try:
        if reset:
            Path("/proc/self/clear_refs").write_text("5")
        status = Path("/proc/self/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024
    except (OSError, StopIteration, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(corpus_path):
    """Runs in its own process, so that the peak is this import's alone."""
    import django

    django.setup()
    from django.db import connection

    from factcheck import corpus

    connection.ensure_connection()
    before = _peak_rss_mb(reset=True)
    wall, cpu = time.perf_counter(), time.process_time()
    raw = Path(corpus_path).read_bytes()
    data = corpus.parse_corpus(raw, label="measure.json")
    result = corpus.import_corpus(data, base_dir=None, label="measure.json")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _peak_rss_mb()
    print(json.dumps({"wall": wall, "cpu": cpu, "rss_before": before, "rss_peak": peak, "summary": result.summary()}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=float, help="File sizes in MB.")
    parser.add_argument("--texts-only", action="store_true", help="Sources only, no claims.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "factcheck.settings", "PYTHONPATH": str(ROOT)}
    env.setdefault("DJANGO_SECRET_KEY", "measure-corpus-import")
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": f"sqlite:///{template}"},
            check=True,
        )
        for size in args.sizes:
            corpus_path = Path(tmp) / f"corpus-{size}.json"
            copies, claims, assertions = build(size, corpus_path, args.texts_only)
            db = Path(tmp) / f"db-{size}.sqlite3"
            shutil.copy(template, db)
            out = subprocess.run(
                [sys.executable, __file__, "0", "--child", str(corpus_path)],
                cwd=ROOT,
                env={**env, "DATABASE_URL": f"sqlite:///{db}"},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            m = json.loads(out.splitlines()[-1])
            mb = corpus_path.stat().st_size / 1024 / 1024
            print(
                f"{mb:6.1f} MB ({copies} seed copies, {claims} claims, {assertions} assertions): "
                f"{m['wall']:6.1f} s wall, {m['cpu']:6.1f} s CPU, peak RSS {m['rss_peak']:5.0f} MB "
                f"(+{m['rss_peak'] - m['rss_before']:.0f} MB over {m['rss_before']:.0f} MB before the import)",
                flush=True,
            )


if __name__ == "__main__":
    main()
