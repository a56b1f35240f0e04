"""Production settings: the deploy check, HTTPS settings, gunicorn's config, WhiteNoise's static files."""

import http.client
import json
import re
import subprocess
import sys

import pytest
from django.conf import settings

from tests import servers
from tools.appserver import HOST, AppServer, app_env

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "p7Vq-3yZ_rTn8Kc0wLs2Hd9Xe4Bf6Jm1Ua5Gi-Ro7Np3Qt8Sv0Yw2Zx4Ac6Eg9Bk1Dn",
    "DJANGO_ALLOWED_HOSTS": "factcheck.example.org",
    "DJANGO_HTTPS": "1",
    "DJANGO_BEHIND_PROXY": "1",
}


def _run(args, env, check=False):
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def _production_env(tmp_path, **overrides):
    env = app_env(f"sqlite:///{tmp_path / 'prod.sqlite3'}", **PRODUCTION)
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_it_passes_the_deploy_check_under_production_settings(tmp_path):
    out = _run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], _production_env(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout


def test_the_deploy_check_names_what_is_missing_without_https(tmp_path):
    env = _production_env(tmp_path, DJANGO_HTTPS="0")
    out = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert out.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in out.stderr, warning


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    out = _run(["manage.py", "check"], env)
    assert out.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in out.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_HSTS_SECONDS", "a year", "DJANGO_HSTS_SECONDS must be an integer"),
        ("DJANGO_HTTPS", "maybe", "DJANGO_HTTPS must be one of"),
        ("DJANGO_CACHE_URL", "memcached://x", "DJANGO_CACHE_URL must start with one of"),
        ("FACTCHECK_PAGE_CACHE_URL", "locmem://p?max_entries=many", "timeout and max_entries must be whole numbers"),
    ],
)
def test_a_bad_production_setting_stops_start_up_naming_the_variable(tmp_path, variable, value, message):
    out = _run(["manage.py", "check"], _production_env(tmp_path, **{variable: value}))
    assert out.returncode != 0
    assert message in out.stderr


def test_it_reads_the_cache_backends_from_urls(tmp_path):
    env = _production_env(
        tmp_path,
        DJANGO_CACHE_URL=f"file://{tmp_path}/cache?timeout=60",
        FACTCHECK_PAGE_CACHE_URL="locmem://pages?max_entries=42",
    )
    code = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.CACHES))"
    caches = json.loads(_run(["-c", code], env, check=True).stdout)
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": f"{tmp_path}/cache",
        "TIMEOUT": 60,
    }
    assert caches["pages"]["OPTIONS"] == {"MAX_ENTRIES": 42}


def test_gunicorn_reads_its_settings_from_the_environment(tmp_path):
    env = _production_env(tmp_path, GUNICORN_WORKERS="3", GUNICORN_MAX_REQUESTS="500", GUNICORN_TIMEOUT="20")
    out = _run(["-m", "gunicorn", "-c", "gunicorn.conf.py", "--print-config"], env, check=True).stdout
    config = dict(re.findall(r"^(\w+)\s+= (.*)$", out, re.MULTILINE))
    assert config["bind"] == "['127.0.0.1:8000']"  # loopback unless told otherwise
    assert config["workers"] == "3"
    # Workers restart after about max_requests, spread out so they do not all restart at once.
    assert config["max_requests"] == "500"
    assert 0 < int(config["max_requests_jitter"]) < int(config["max_requests"])
    assert config["timeout"] == "20"
    assert config["preload_app"] == "True"
    assert config["wsgi_app"] == "factcheck.wsgi:application"
    # Set explicitly, the jitter wins: 0 turns it off.
    env["GUNICORN_MAX_REQUESTS_JITTER"] = "0"
    out = _run(["-m", "gunicorn", "-c", "gunicorn.conf.py", "--print-config"], env, check=True).stdout
    assert dict(re.findall(r"^(\w+)\s+= (.*)$", out, re.MULTILINE))["max_requests_jitter"] == "0"


@pytest.mark.slow
def test_it_serves_compressed_hashed_static_files_and_secure_headers_with_gunicorn(tmp_path):
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    servers.manage(url, "migrate", "--noinput", "-v", "0")
    # Plain HTTP on loopback: a TLS proxy would set X-Forwarded-Proto; here it says https itself.
    env = {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    with AppServer(url, **env) as server:
        proxied = {"X-Forwarded-Proto": "https"}
        page = server.get("/", headers=proxied)
        assert page.status == 200
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
        css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page.text)
        assert css, "the stylesheet link is not a hashed file name"
        static = server.get(css.group(1), headers={"Accept-Encoding": "gzip", **proxied})
        assert static.status == 200
        assert static.headers["Content-Encoding"] == "gzip"
        assert "immutable" in static.headers["Cache-Control"]
        # Without the proxy's header the request came over plain HTTP: redirected to HTTPS.
        status, location = _first_response(server.port, "/")
        assert status == 301 and location.startswith("https://")


def _first_response(port, path):
    """Status and Location of one GET, redirects not followed."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.getheader("Location", "")
    finally:
        conn.close()
