"""Every URL the URLconf serves, made concrete from a small corpus.

The permission matrix and the fuzz tests request each one. A route this module
cannot fill in fails loudly (``UnknownRoute``), so a new URL cannot slip past
those tests: give it a filling here and an expected outcome in the matrix.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver


class UnknownRoute(Exception):
    pass


@dataclass
class Url:
    name: str
    route: str
    path: str


def walk(patterns=None, prefix=""):
    """``(route, name)`` for every pattern, nested includes flattened."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name


def _admin_model(name):
    """``factcheck_claim_change`` -> the Claim model (or None)."""
    for model in admin.site._registry:
        label = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name and name.startswith(label):
            return model
    return None


def _first_pk(model):
    obj = model._default_manager.order_by("pk").first()
    return obj.pk if obj is not None else None


def walk_corpus(claim, note, **extra):
    """What ``concrete_urls`` fills routes from: ``claim`` (its first assertion's source, its topic), ``note`` and
    the note's first history row, with ``extra`` keys (``speaker``, ``assertion``...)."""
    record = note.history.first()
    return {
        "claim": claim,
        "source": claim.assertions.first().source,
        "topic": claim.topic,
        "note": note,
        "history": ("annotation", record.history_id),
        **extra,
    }


def concrete_urls(corpus):
    """One concrete path per route. ``corpus``: claim, source, topic, note, history (kind, id).

    And ``speaker``, ``assertion`` when it has them; else a speaker is made, and the claim's first assertion used.
    """
    speaker = corpus.get("speaker") or _a_speaker()
    job = corpus.get("intake_job") or _an_intake_job()
    fill = {
        "topics/<slug:slug>/": f"topics/{corpus['topic'].slug}/",
        "speakers/<slug:slug>/": f"speakers/{speaker.slug}/",
        "speakers/<slug:slug>/edit/": f"speakers/{speaker.slug}/edit/",
        "api/speakers/<slug:slug>/": f"api/speakers/{speaker.slug}/",
        "api/topics/<slug:slug>/timeline/": f"api/topics/{corpus['topic'].slug}/timeline/",
        "history/<slug:kind>/<int:history_id>/revert/": "history/{}/{}/revert/".format(*corpus["history"]),
        "embed/claims/<int:pk>/": f"embed/claims/{corpus['claim'].pk}/",
        "embed/topics/<slug:slug>/": f"embed/topics/{corpus['topic'].slug}/",
        "feeds/topics/<slug:slug>/conflicts/": f"feeds/topics/{corpus['topic'].slug}/conflicts/",
        "people/<str:username>/": f"people/{corpus['note'].author.get_username()}/",
        # A forged token: the page must refuse it whoever asks (a valid one is tested in test_notifications.py).
        "notifications/unsubscribe/<str:token>/": "notifications/unsubscribe/forged-token/",
        "sources/add/<int:job_id>/": f"sources/add/{job.pk}/",
        "sources/add/<int:job_id>/retry/": f"sources/add/{job.pk}/retry/",
        "sources/<int:pk>/original/": f"sources/{_with_original(corpus['source']).pk}/original/",
    }
    urls = []
    for route, name in walk():
        if route.startswith("admin/"):
            url = _admin_url(route, name)
            if url is not None:
                urls.append(url)
            continue
        if route in fill:
            path = fill[route]
        elif "<int:pk>" in route:
            head = route.split("/")[0] if not route.startswith("api/") else route.split("/")[1]
            obj = {
                "claims": corpus["claim"],
                "sources": corpus["source"],
                "annotations": corpus["note"],
                "assertions": corpus.get("assertion") or corpus["claim"].assertions.first(),
            }.get(head)
            if head == "suggestions":
                obj = corpus.get("suggestion") or _a_suggestion(corpus)
            if obj is None:
                raise UnknownRoute(f"no object to fill in {route!r} ({name}): add it to tests/urlwalk.py")
            path = route.replace("<int:pk>", str(obj.pk))
        elif "<" in route or "^" in route:
            raise UnknownRoute(f"cannot fill in {route!r} ({name}): add it to tests/urlwalk.py")
        else:
            path = route
        urls.append(Url(name, route, "/" + path))
    return urls


def _a_suggestion(corpus):
    """A suggestion on the corpus' source: its claim, for the source's first sentence-sized span."""
    from factcheck.models import Suggestion

    source = corpus["source"]
    found = Suggestion.objects.filter(source=source).order_by("pk").first()
    return found or Suggestion.objects.create(
        source=source, claim=corpus["claim"], start=0, end=min(20, len(source.text)), digest=source.text_sha256
    )


def _a_speaker():
    from factcheck.models import Speaker

    return Speaker.objects.order_by("pk").first() or Speaker.objects.create(slug="walked", name="Walked Speaker")


def _an_intake_job():
    """A job read and ready to save (pasted text: no file to store)."""
    from factcheck.models import IntakeJob

    return IntakeJob.objects.filter(state="ready").order_by("pk").first() or IntakeJob.objects.create(
        pasted="Walked text.", state="ready", text="Walked text.", kind="paste", metadata={"title": "Walked"}
    )


def _with_original(source):
    """``source``, given a stored original file if it has none, so that its download answers."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from factcheck.models import SourceOriginal

    if not SourceOriginal.objects.filter(source=source).exclude(file="").exists():
        name = default_storage.save(f"originals/walk-{source.pk}.txt", ContentFile(source.text.encode()))
        SourceOriginal.objects.update_or_create(
            source=source, defaults={"file": name, "filename": "walk.txt", "content_type": "text/plain"}
        )
    return source


def _admin_url(route, name):
    if route == "admin/r/<int:content_type_id>/<path:object_id>/":
        return None  # the "view on site" redirect: it leaves the admin, nothing of its own to protect
    if route == "admin/(?P<url>.*)$":
        return Url("admin-catch-all", route, "/admin/no-such-page/")
    if route.startswith("admin/^(?P<app_label>"):
        return Url(name, route, "/admin/factcheck/")
    model = _admin_model(name)
    if route == "admin/auth/user/<id>/password/":
        route = "admin/auth/user/<path:object_id>/password/"
    if "<path:object_id>" in route or "^([^/]+)" in route:
        pk = _first_pk(model) if model else None
        if pk is None:
            return None  # no row of this model to reach (axes' logs in a fresh database)
        if "^([^/]+)/history/([^/]+)/$" in route:
            record = model.history.filter(**{model._meta.pk.attname: pk}).order_by("history_id").first()
            if record is None:
                return None
            path = re.sub(r"\^\(\[\^/\]\+\)/history/\(\[\^/\]\+\)/\$", f"{pk}/history/{record.history_id}/", route)
        else:
            path = route.replace("<path:object_id>", str(pk))
        return Url(name or f"{name}-redirect", route, "/" + path)
    if "<" in route or "^" in route:
        raise UnknownRoute(f"cannot fill in admin route {route!r} ({name}): add it to tests/urlwalk.py")
    return Url(name, route, "/" + route)


_FINGERPRINT_SQL = None


def _fingerprint_sql():
    """One query: row count, highest id and version sum of every table a write could touch."""
    from django.db import connection

    parts = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if not (
            label.startswith(("factcheck.", "admin."))
            or label.startswith("auth.group")
            or label == "auth.user_groups"
            or label == "auth.user_user_permissions"
        ):
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        fields = {f.column for f in model._meta.concrete_fields}
        version = f"COALESCE(SUM({connection.ops.quote_name('version')}), 0)" if "version" in fields else "0"
        parts.append(f"SELECT '{label}', COUNT(*), COALESCE(MAX({pk}), 0), {version} FROM {table}")
    return " UNION ALL ".join(parts)


def model_fingerprint():
    """Row counts, highest ids and version sums, history tables included: any write changes it.

    Editorial saves bump a version and write a history row; admin saves write a
    history row and a log entry; deletes lower a count. Sessions, last_login and
    django-axes' logs are left out: logging in writes them by design.
    """
    global _FINGERPRINT_SQL
    from django.db import connection

    if _FINGERPRINT_SQL is None:
        _FINGERPRINT_SQL = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL)
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
