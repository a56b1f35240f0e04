"""The requirements files agree with their locks and with the pre-commit hooks.

``make setup`` installs requirements-dev.lock and production installs
requirements.lock, both with ``--require-hashes``: a pin changed in a
requirements*.txt without ``make lock`` would silently not be installed.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
# What only tests and tools import: production must not install it.
DEVELOPMENT_ONLY = {"pytest", "pytest-django", "pytest-xdist", "hypothesis", "playwright", "ruff", "mypy"}


def _name(raw):
    return re.sub(r"[-_.]+", "-", raw).lower()


def _pins(filename):
    pins = {}
    for line in (ROOT / filename).read_text().splitlines():
        if match := PIN.match(line.strip()):
            pins[_name(match[1])] = match[2]
    return pins


def _hashed(filename):
    """Names of the lock's packages each followed by at least one --hash."""
    text = (ROOT / filename).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    return {_name(PIN.match(e)[1]) for e in entries if PIN.match(e) and "--hash=sha256:" in e}


def test_it_locks_every_runtime_pin_at_its_version_in_both_locks():
    runtime = _pins("requirements.txt")
    assert runtime, "requirements.txt pins nothing"
    for lock in ("requirements.lock", "requirements-dev.lock"):
        locked = _pins(lock)
        assert {name: locked.get(name) for name in runtime} == runtime, f"{lock} is stale: run make lock"


def test_it_locks_every_development_pin():
    development = _pins("requirements-dev.txt")
    locked = _pins("requirements-dev.lock")
    assert {name: locked.get(name) for name in development} == development, "requirements-dev.lock is stale"


def test_it_pins_the_runtime_dependencies_identically_in_both_locks():
    runtime, development = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {name: development.get(name) for name in runtime} == runtime


def test_it_hashes_every_locked_package():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        assert _hashed(lock) == set(_pins(lock)), lock


def test_it_keeps_tests_and_tools_out_of_production():
    assert not DEVELOPMENT_ONLY & set(_pins("requirements.txt"))
    assert not DEVELOPMENT_ONLY & set(_pins("requirements.lock"))
    assert DEVELOPMENT_ONLY <= set(_pins("requirements-dev.txt"))


def test_it_runs_the_pinned_ruff_in_pre_commit():
    config = (ROOT / ".pre-commit-config.yaml").read_text()
    ruff_rev = re.search(r"ruff-pre-commit\s+rev:\s*\"?v?([^\s\"]+)", config)
    assert ruff_rev, "no ruff-pre-commit rev in .pre-commit-config.yaml"
    assert ruff_rev[1] == _pins("requirements-dev.txt")["ruff"]
