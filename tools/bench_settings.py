"""Settings for the benchmark's gunicorn: production's, plus what the benchmark measures with.

The URLconf adds the reference view at /bench/ref/ to the app's URLs, and the
outermost middleware reports each response's query count in ``X-DB-Queries``
(``tools.bench_site``). ``tools/bench.py`` starts gunicorn with
``DJANGO_SETTINGS_MODULE=tools.bench_settings``; nothing else does.
"""

from factcheck.settings import *  # noqa: F403
from factcheck.settings import MIDDLEWARE

ROOT_URLCONF = "tools.bench_site"
MIDDLEWARE = ["tools.bench_site.query_count_middleware", *MIDDLEWARE]
# Every request comes from one address, the load client's: production's 300 a minute would
# answer most API requests with a 429. Counted as in production, never reached.
FACTCHECK_API_RATE_LIMIT = 10**9
