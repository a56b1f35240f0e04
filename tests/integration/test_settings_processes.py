"""Settings that only tooling reads, where Django must be set up for real in a new process.

dictConfig and Sentry's global client are decided once per process, so these
start one (the rest, run in this process with ``runpy``: tests/unit/test_settings_tooling.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _django_process(code, **env):
    """Run ``code`` after django.setup() in a new process; ``env`` (None: unset) over ours."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "DJANGO_LOG_")) and k not in env}
    environ.update({k: v for k, v in env.items() if v is not None})
    environ.update(DJANGO_SETTINGS_MODULE="factcheck.settings", PYTHONPATH=str(ROOT))
    environ.setdefault("DJANGO_SECRET_KEY", "k" * 50)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- DJANGO_LOG_FORMAT ------------------------------------------------------------------


@pytest.mark.slow
def test_it_logs_json_from_django_only_when_asked():
    code = "import logging; logging.getLogger('factcheck.probe').warning('hello %s', 'world')"
    as_json = _django_process(code, DJANGO_LOG_FORMAT="json")
    assert as_json.returncode == 0, as_json.stderr
    entries = [json.loads(line) for line in as_json.stderr.splitlines()]
    assert [(e["level"], e["logger"], e["message"]) for e in entries] == [("WARNING", "factcheck.probe", "hello world")]

    plain = _django_process(code, DJANGO_LOG_FORMAT=None)
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr == "hello world\n"


# --- SENTRY_DSN ---------------------------------------------------------------------------

_SENTRY_STATE = (
    "import json, sentry_sdk\n"
    "client = sentry_sdk.get_client()\n"
    "print(json.dumps({'active': client.is_active(), 'dsn': client.dsn,"
    " 'pii': client.options.get('send_default_pii'), 'integrations': sorted(client.integrations or ())}))"
)


@pytest.mark.slow
def test_it_leaves_sentry_uninitialised_without_a_dsn():
    result = _django_process(_SENTRY_STATE, SENTRY_DSN=None)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["active"] is False
    blank = _django_process(_SENTRY_STATE, SENTRY_DSN="  ")
    assert json.loads(blank.stdout)["active"] is False


@pytest.mark.slow
def test_it_initialises_sentry_with_django_and_no_personal_data_when_a_dsn_is_set():
    # Nothing is sent: no error happens, and the address is a closed loopback port.
    result = _django_process(_SENTRY_STATE, SENTRY_DSN="http://public@127.0.0.1:9/1")
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout)
    assert state["active"] is True
    assert state["dsn"] == "http://public@127.0.0.1:9/1"
    assert state["pii"] is False
    assert "django" in state["integrations"]
