"""PostgreSQL's side of search: the app's connections, and the candidates' query on either path."""

import json
import subprocess
import sys

from django.conf import settings
from django.db import connection

from tools.appserver import app_env


def test_it_turns_jit_off_for_the_apps_postgresql_connections():
    env = app_env("postgres://factcheck@db.invalid:5432/factcheck", DJANGO_SECRET_KEY="settings-only")
    code = "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps(s.DATABASES))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout)["default"]["OPTIONS"]["options"] == "-c jit=off"
    if connection.vendor == "postgresql":  # and the server takes it: the suite's own connection
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
