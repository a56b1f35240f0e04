"""FACTCHECK_PUBLISHER_*: who publishes the ClaimReviews, read from the environment (factcheck/settings.py)."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "factcheck" / "settings.py"
NAMES = ("FACTCHECK_PUBLISHER_NAME", "FACTCHECK_PUBLISHER_URL", "FACTCHECK_PUBLISHER_LOGO")


def _publisher(monkeypatch, **env):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    found = runpy.run_path(str(SETTINGS_FILE))
    return tuple(found[name] for name in NAMES)


def test_it_defaults_to_the_site_itself(monkeypatch):
    assert _publisher(monkeypatch) == ("factcheck", "", "")


def test_it_reads_the_name_url_and_logo(monkeypatch):
    assert _publisher(
        monkeypatch,
        FACTCHECK_PUBLISHER_NAME=" Syria Desk ",
        FACTCHECK_PUBLISHER_URL="https://desk.example.org/",
        FACTCHECK_PUBLISHER_LOGO="https://desk.example.org/logo.png",
    ) == ("Syria Desk", "https://desk.example.org/", "https://desk.example.org/logo.png")


@pytest.mark.parametrize("name", ["FACTCHECK_PUBLISHER_URL", "FACTCHECK_PUBLISHER_LOGO"])
def test_it_refuses_a_url_that_is_not_absolute(monkeypatch, name):
    with pytest.raises(
        ImproperlyConfigured, match=f"{name} must be an absolute http\\(s\\) URL; got 'desk.example.org'"
    ):
        _publisher(monkeypatch, **{name: "desk.example.org"})
