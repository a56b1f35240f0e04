"""The production shape on this machine: two gunicorn servers over one PostgreSQL and one Redis.

An edit through server A shows at once through server B, while B keeps an
unrelated page cached; a login on A is a session on B; failed logins on
either server lock the pair out on both. Redis is FACTCHECK_TEST_REDIS_URL
(.ci/run starts one with tools/redistemp.py) or a throwaway one started
here. Skipped only when PostgreSQL or redis-server is not installed (a
failure under CI, which installs both).
"""

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests import servers
from tools.appserver import AppServer
from tools.scratchdb import scratch_database

pytestmark = pytest.mark.slow

PASSWORD = "editor-password-123"
LIMIT = 3  # failed logins before a lockout, set low for the test
# One public host name for both servers, as behind the proxy: the page cache keys on the host.
PROXIED = {"Host": "127.0.0.1"}

CREATE_EDITOR = f"""
from django.contrib.auth import get_user_model
from factcheck.roles import ensure_editor_group
for name in ("desk", "night"):
    get_user_model().objects.create_user(name, password={PASSWORD!r}).groups.add(ensure_editor_group())
"""


@pytest.fixture(scope="module")
def two_servers(postgres_server, redis_url):
    # A Redis shared with an earlier run (.ci/run runs the suite twice) still holds its lockouts.
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    with scratch_database(postgres_server, prefix="factcheck_t") as url:
        servers.manage(url, "migrate", "--noinput", "-v", "0")
        servers.tool(url, "bench_data", "--claims", "30", "-v", "0")
        servers.manage(url, "shell", "-c", CREATE_EDITOR)
        env = {"REDIS_URL": redis_url, "FACTCHECK_LOGIN_FAILURE_LIMIT": str(LIMIT)}
        with AppServer(url, **env) as a, AppServer(url, **env) as b:
            yield a, b


class Browser:
    """A cookie jar speaking to any server: the session it gets from one is sent to the other."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, server, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": f"{server.url}{path}", **(headers or {})}
        request = urllib.request.Request(f"{server.url}{path}", data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def log_in(self, server, username="desk", password=PASSWORD):
        _status, _headers, form = self.request(server, "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        return self.request(server, "/accounts/login/", data)[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _claims(server):
    return json.loads(server.get("/api/claims/").body)["results"]


def test_an_edit_through_one_server_shows_through_the_other_at_once(two_servers):
    a, b = two_servers
    edited, unrelated = _claims(b)[:2]
    page, other = f"/claims/{edited['id']}/", f"/claims/{unrelated['id']}/"
    for path in (page, other):
        b.get(path, headers=PROXIED)
        assert b.get(path, headers=PROXIED).headers["X-Page-Cache"] == "hit", path
    desk = Browser()
    assert desk.log_in(a) == 302
    status, _headers, _body = desk.request(
        a,
        f"{page}annotations/",
        {"body": "Checked with the *port authority*."},
        {"X-CSRFToken": desk.cookie("csrftoken")},
    )
    assert status == 302

    fresh = b.get(page, headers=PROXIED)
    assert fresh.headers["X-Page-Cache"] == "miss"
    assert "<em>port authority</em>" in fresh.text
    assert b.get(other, headers=PROXIED).headers["X-Page-Cache"] == "hit"  # the note touched nothing it shows
    assert a.get(page, headers=PROXIED).headers["X-Page-Cache"] == "hit"  # one shared page cache: B's render serves A


def test_a_login_on_one_server_is_a_session_on_the_other(two_servers):
    a, b = two_servers
    desk = Browser()
    assert desk.log_in(a) == 302
    status, _headers, body = desk.request(b, "/review/")
    assert status == 200
    assert "desk" in body
    assert Browser().request(b, "/review/")[0] == 302  # without the session: to the login page


def test_failed_logins_on_either_server_lock_the_pair_out_on_both(two_servers):
    a, b = two_servers
    attacker = Browser()
    codes = [attacker.log_in(server, "night", password="wrong") for server in (a, b, a)[: LIMIT - 1]]
    assert codes == [200] * (LIMIT - 1)
    assert attacker.log_in(b, "night", password="wrong") == 429  # the limit reached across both
    assert Browser().log_in(a, "night") == 429  # the right password, refused while locked, on either
    assert Browser().log_in(b, "night") == 429
    assert Browser().log_in(b, "desk") == 302  # only that username (from this address) is locked
