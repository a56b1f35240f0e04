"""The axe-core results of one run, gathered from every process into var/axe-results.json.

Under pytest-xdist the browser tests may run in several worker processes, and a
single file written by each would keep only the last writer's pages. So each
process writes its own part into a directory made for the run, and the process
that started the run merges the parts when the run ends and prints the summary.
Workers find the directory through the environment, which they inherit.
"""

import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from django.conf import settings

REPORT = Path(settings.BASE_DIR) / "var" / "axe-results.json"
PARTS_ENV = "FACTCHECK_AXE_PARTS"
IMPACTS = ("critical", "serious", "moderate", "minor")

_results = {}


def start_run():
    """In the process that starts the run, before any worker starts."""
    # Only named here: the first result recorded makes it, so a run without browser tests leaves nothing.
    os.environ[PARTS_ENV] = str(Path(tempfile.gettempdir()) / f"factcheck-axe-{uuid.uuid4().hex}")


def record(label, result):
    """Keep one page view's result in this process's part of the report."""
    parts = os.environ.get(PARTS_ENV)
    assert parts, f"{PARTS_ENV} is unset: tests/conftest.py starts the axe report in pytest_configure"
    _results[label] = result
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    Path(parts).mkdir(exist_ok=True)
    (Path(parts) / f"{worker}.json").write_text(json.dumps(_results, sort_keys=True))


def finish_run():
    """Merge every process's part into REPORT; returns the merged results.

    A run that checked no page ({}) leaves the last report as it was: ``make test ARGS=tests/test_x.py``
    should not erase what the last browser run found.
    """
    parts = os.environ.pop(PARTS_ENV, None)
    if not parts:
        return {}
    merged = {}
    for part in sorted(Path(parts).glob("*.json")):  # none when no page was checked
        merged.update(json.loads(part.read_text()))
    shutil.rmtree(parts, ignore_errors=True)
    if merged:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(json.dumps(merged, indent=2, sort_keys=True))
    return merged


def count_by_impact(violations):
    counts = dict.fromkeys(IMPACTS, 0)
    for v in violations:
        counts[v["impact"] or "minor"] += 1
    return counts


def summary_lines(results):
    """The run's axe results, all impacts, for CI logs and the closing note."""
    totals = dict.fromkeys(IMPACTS, 0)
    rules = {}
    for result in results.values():
        for v in result["violations"]:
            totals[v["impact"] or "minor"] += 1
            rules.setdefault(f"{v['id']} ({v['impact']})", set()).add(result["url"])
    lines = [
        f"{len(results)} page views checked; violations by impact: "
        + ", ".join(f"{impact} {n}" for impact, n in totals.items())
    ]
    lines += [f"  {rule}: {len(where)} page(s)" for rule, where in sorted(rules.items())]
    lines.append(f"details: {REPORT.relative_to(settings.BASE_DIR)}")
    return lines
