"""M2 end to end: junk query parameters neither grow a gunicorn worker nor get past its page cache.

Before the fix each junk value made a new key: 2,000 requests for a large
source grew a worker by hundreds of MB, every one rendered from scratch.
"""

import re
from pathlib import Path

import pytest

from tests import servers
from tools.appserver import AppServer

REQUESTS = 2_000
# The worker's resident memory may grow by at most this much over the drive:
# one large page cached twice over (HTML and JSON, about 1 MB), allocator slack,
# and nowhere near one more copy per request (400 KB each, 800 MB in all).
MAX_GROWTH_MB = 30
TEXT_BYTES = 400_000  # the page stays under the cache's 512 KB limit per response

_MAKE_SOURCE = f"""
from factcheck.models import Source
sentence = "The ministry said the talks about the naval base would resume in the spring. "
text = sentence * ({TEXT_BYTES} // len(sentence))
print(Source.objects.create(key="large", title="A large source", text=text).pk)
"""


def _rss_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


@pytest.mark.slow
def test_junk_parameters_neither_grow_the_worker_nor_miss_the_page_cache(tmp_path):
    url = f"sqlite:///{tmp_path / 'junk.sqlite3'}"
    servers.manage(url, "migrate", "--noinput", "-v", "0")
    pk = int(servers.manage(url, "shell", "-c", _MAKE_SOURCE).split()[-1])
    paths = [f"/api/sources/{pk}/?v=", f"/sources/{pk}/?cb="]
    # Recycling would replace the worker being measured.
    with AppServer(url, workers=1, GUNICORN_MAX_REQUESTS="0") as server:
        (worker,) = server.worker_pids()
        for path in paths:
            first = server.get(f"{path}first")
            assert first.status == 200, first.text[:500]
            assert len(first.body) > TEXT_BYTES
        # A few more rounds so that the allocator's own warm-up is not counted as growth.
        for n in range(20):
            for path in paths:
                server.get(f"{path}warm{n}")
        before = _rss_mb(worker)
        outcomes = {}
        for n in range(REQUESTS // len(paths)):
            for path in paths:
                response = server.get(f"{path}{n}")
                key = (response.status, response.headers.get("X-Page-Cache"))
                outcomes[key] = outcomes.get(key, 0) + 1
        after = _rss_mb(worker)
        assert server.worker_pids() == [worker]
    print(f"worker RSS {before:.1f} MB -> {after:.1f} MB over {REQUESTS} junk-parameter requests; {outcomes}")
    assert after - before <= MAX_GROWTH_MB, f"the worker grew from {before:.1f} to {after:.1f} MB; {outcomes}"
    assert outcomes == {(200, "hit"): REQUESTS}
