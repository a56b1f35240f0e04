"""Login throttling in front of the model backend, and the model backend reading permissions in one query."""

import functools

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.shortcuts import render


class ThrottlingBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request.

    Only a request has an IP to throttle by. ``authenticate()`` without one
    (the test client's ``login()``, a shell, a management command) is not a
    login form an attacker can reach, so it skips the check rather than
    failing the way django-axes' own backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class OneQueryModelBackend(ModelBackend):
    """Django's ModelBackend, reading a user's own and group permissions in one query, not two.

    Every editor's page asks for permissions; the two lists are read
    together (a UNION, written out: compiling the ORM's took longer than
    running it) and both of ModelBackend's per-request caches filled, so
    ``get_user_permissions`` and ``get_group_permissions`` still answer
    separately without a query of their own.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = [("user", *row) for row in Permission.objects.values_list("content_type__app_label", "codename")]
            else:
                with connections[router.db_for_read(Permission)].cursor() as cursor:
                    cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                    rows = cursor.fetchall()
            _keep_permissions(user_obj, rows)
        return user_obj._perm_cache

    def get_user(self, user_id):
        """The session's user with their permissions, in one query: both are read on every editor's page.

        The permissions fill the same caches ``get_all_permissions`` would,
        so the page (and a cached copy's key, factcheck/personal_pages.py)
        asks for them without a query of its own. A superuser's, all of
        them, are left to ``get_all_permissions``.
        """
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        fields = user_model._meta.concrete_fields
        connection = connections[router.db_for_read(user_model)]
        with connection.cursor() as cursor:
            cursor.execute(_user_with_permissions_sql(), [pk, pk, pk])
            rows = cursor.fetchall()
        if not rows:
            return None
        values = []
        for field, value in zip(fields, rows[0][: len(fields)], strict=True):
            column = field.cached_col
            for convert in [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]:
                value = convert(value, column, connection)  # as the ORM hands SQLite's dates and booleans over
            values.append(value)
        user = user_model.from_db(connection.alias, [field.attname for field in fields], values)
        if not self.user_can_authenticate(user):
            return None
        if not user.is_superuser:
            _keep_permissions(user, [row[len(fields) :] for row in rows if row[len(fields)] is not None])
        return user

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, f"_{from_name}_perm_cache"):
            self.get_all_permissions(user_obj)
        return getattr(user_obj, f"_{from_name}_perm_cache")


@functools.cache
def _permissions_sql():
    """A user's own permissions and their groups' (``%s`` twice: the user's id), as ``(origin, app, codename)``."""
    user = get_user_model()
    own = user._meta.get_field("user_permissions").remote_field.through._meta
    grouped = Group._meta.get_field("permissions").remote_field.through._meta
    membership = user._meta.get_field("groups").remote_field.through._meta
    perm, ct = Permission._meta.db_table, ContentType._meta.db_table
    columns = (
        f"{ct}.app_label AS app_label, {perm}.codename AS codename"
        f" FROM {perm} JOIN {ct} ON {ct}.id = {perm}.content_type_id"
    )
    return (
        f"SELECT 'user' AS origin, {columns} JOIN {own.db_table} o ON o.permission_id = {perm}.id WHERE o.user_id = %s"
        f" UNION ALL SELECT 'group', {columns} JOIN {grouped.db_table} g ON g.permission_id = {perm}.id"
        f" JOIN {membership.db_table} m ON m.group_id = g.group_id WHERE m.user_id = %s"
    )


def _keep_permissions(user, rows):
    """Fill ModelBackend's three permission caches on ``user`` from ``(origin, app_label, codename)`` rows."""
    found = {"user": set(), "group": set()}
    for origin, app_label, codename in rows:
        found[origin].add(f"{app_label}.{codename}")
    if user.is_superuser:
        found["group"] = found["user"]  # ModelBackend gives a superuser every permission from both
    user._user_perm_cache, user._group_perm_cache = found["user"], found["group"]
    user._perm_cache = found["user"] | found["group"]


@functools.cache
def _user_with_permissions_sql():
    """The user's row, once per permission of theirs (``_permissions_sql``) or once with none (``%s`` thrice)."""
    user = get_user_model()._meta
    columns = ", ".join(f"u.{field.column}" for field in user.concrete_fields)
    return (
        f"SELECT {columns}, p.origin, p.app_label, p.codename FROM {user.db_table} u"
        f" LEFT JOIN ({_permissions_sql()}) p ON 1 = 1 WHERE u.{user.pk.column} = %s"
    )


def locked_out(request, original_response=None, credentials=None):
    """The 429 page django-axes shows a locked-out username + IP pair."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def client_ip(request):
    """The address a login attempt is counted against.

    Directly exposed, the peer address is the client's. Behind the TLS proxy
    (DJANGO_BEHIND_PROXY), every peer is the proxy: the client is the last
    address the proxy appended to X-Forwarded-For. Earlier entries are
    whatever the client chose to send, so they are never believed.
    """
    if getattr(settings, "FACTCHECK_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
