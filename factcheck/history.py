"""A claim's history as a timeline: who changed what, when, and from what to what.

Built from django-simple-history's rows for the claim, its assertions, its
notes and its resolution, a page at a time: ``history_keys`` orders the keys
of every row (a UNION of the four history tables, newest first) so that a
page is a slice of it, and ``claim_timeline`` reads in full only the page's
rows and, for each change, the row before it of the same object, to compare
them (``diff_against``, in history_entries.py). The names behind ids (users, topics, sources) are
looked up once per page. However long the history, a page costs the same
few queries and reads at most twice its own number of rows.

A deleted note's words are withheld from everyone but staff, on every
version of it, whoever deleted it and however: the site and the admin's
checkbox leave a tombstone (``is_deleted``), the admin's delete and its bulk
action remove the row, leaving a ``-`` history row. Either way the note is
not there to read now, and that is what decides.
"""

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value

from factcheck import render_memo
from factcheck.history_entries import Entry, EntryBuilder
from factcheck.models import Annotation, Assertion, Claim, Resolution

# The models whose changes make up a claim's history, by the kind that names them in URLs and keys.
MODELS_WITH_HISTORY = {"claim": Claim, "assertion": Assertion, "annotation": Annotation, "resolution": Resolution}


def _scope(kind, claim_id, internal):
    """The history rows of one kind that belong to the claim; internal notes' and drafts' only if ``internal``."""
    rows = MODELS_WITH_HISTORY[kind].history.all()
    if kind == "annotation" and not internal:
        # A note is internal or not from its creation on (services.annotation_create): every row agrees.
        rows = rows.filter(is_internal=False)
    if kind == "resolution" and not internal:
        # A draft decision is the desk's until a second editor approves it.
        rows = rows.filter(is_published=True)
    return rows.filter(id=claim_id) if kind == "claim" else rows.filter(claim_id=claim_id)


def history_keys(claim_id, *, internal=False):
    """``(kind, history_id, history_date, object id)`` of each history row of the claim and what hangs on it.

    ``internal``: with internal notes and draft decisions, for editors and staff.

    Newest first, and lazy: slice it (a ``Paginator`` does) and the database
    sorts these narrow keys and returns the slice; ``count()`` counts without
    reading rows.
    """
    parts = [
        _scope(kind, claim_id, internal)
        .order_by()
        # Not ``kind``: a claim has a field of that name (event or state).
        .annotate(history_kind=Value(kind, output_field=CharField()))
        .values_list("history_kind", "history_id", "history_date", "id")
        for kind in MODELS_WITH_HISTORY
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id", "history_kind")


# Ids no row has, standing for real ones in the queries compiled once per process below:
# a claim's id, then lists of history ids (the keys, the oldest rows), each counting down from its base.
# All within 32-bit integers: Django leaves an out-of-range value out of an IN on PostgreSQL.
_CLAIM, _KEY_IDS, _OLDEST_IDS = -(10**9), -15 * 10**8, -2 * 10**9
_compiled = {}


def _compiled_once(key, build):
    """``(sql, params)`` of the queryset ``build()`` returns, compiled the first time ``key`` is asked for.

    The ORM takes longer to build and compile the timeline's queries than the
    database takes to answer them, and the claim page asks again after every note.
    """
    if key not in _compiled:
        _compiled[key] = build().query.sql_with_params()
    return _compiled[key]


def _filled(params, values):
    """``params`` with each stand-in id replaced by its value in ``values``."""
    return [values.get(p, p) if isinstance(p, int) and not isinstance(p, bool) else p for p in params]


def newest_history_keys(claim_id, *, internal=False, limit, using="default"):
    """``(keys, total)``: ``history_keys(claim_id, internal=internal)[:limit]`` as a list, and its ``count()``.

    One query instead of two, and SQL compiled once: the claim page asks for
    it again after every note (its timeline shows notes), while readers wait.
    """
    union_sql, params = _compiled_once(
        ("newest", using, connections[using].vendor, internal),
        lambda: history_keys(_CLAIM, internal=internal).order_by(),
    )
    # The total in the same query: a window sees every row before the LIMIT keeps the newest.
    sql = (
        f'SELECT "history_kind", "history_id", "history_date", "id", COUNT(*) OVER () FROM ({union_sql}) "keys" '
        'ORDER BY "history_date" DESC, "history_id" DESC, "history_kind" ASC LIMIT %s'
    )
    connection = connections[using]
    # SQLite hands a union's dates back as text; the ORM would have converted them as this does.
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_filled(params, {_CLAIM: claim_id}), limit])
        rows = cursor.fetchall()
    keys = [
        (kind, history_id, convert(when, None, connection) if convert else when, object_id)
        for kind, history_id, when, object_id, _total in rows
    ]
    return keys, rows[0][4] if rows else 0


def _before(history, column="history_id"):
    """``column`` of the row just before the outer row, for the same object."""
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    rows = history.objects.filter(earlier, id=OuterRef("id")).order_by("-history_date", "-history_id")
    return Subquery(rows.values(column)[:1])


def _rows_query(kind, key_ids, oldest_ids):
    """The rows ``key_ids`` of one kind and the row before each of ``oldest_ids``, as ``_page_rows`` reads them."""
    model = MODELS_WITH_HISTORY[kind]
    history = model.history.model
    before_oldest = history.objects.filter(history_id__in=oldest_ids).annotate(previous=_before(history))
    live = model.objects.filter(pk=OuterRef("id"))
    now = {"current_version": Subquery(live.values("version")[:1])}
    if kind == "annotation":
        now["current_deleted"] = Subquery(live.values("is_deleted")[:1])
    return (
        history.objects.filter(Q(history_id__in=key_ids) | Q(history_id__in=before_oldest.values("previous")))
        # Who made the change, by name only: a join, not a second model built per row.
        .annotate(**now, history_username=F(f"history_user__{get_user_model().USERNAME_FIELD}"))
        .order_by("id", "history_date", "history_id")
    )


# Lists padded to these lengths (repeating an id changes nothing in ``IN``): a few compiled queries per kind.
_SIZES = (1, 2, 4, 8, 16, 32, 64)


def _rows_sql_params(alias, kind, key_ids, oldest_ids):
    """``(sql, params)`` of ``_rows_query``: compiled once per kind and padded list lengths, in this process."""
    sizes = [next((n for n in _SIZES if n >= len(ids)), None) for ids in (key_ids, oldest_ids)]
    if None in sizes:
        return _rows_query(kind, key_ids, oldest_ids).query.sql_with_params()
    stand_ins = [[base - i for i in range(size)] for base, size in zip((_KEY_IDS, _OLDEST_IDS), sizes, strict=True)]
    sql, params = _compiled_once(
        ("rows", alias, connections[alias].vendor, kind, *sizes), lambda: _rows_query(kind, *stand_ins)
    )
    values = {}
    for ids, real in zip(stand_ins, (key_ids, oldest_ids), strict=True):
        padded = [*real, *[real[-1]] * (len(ids) - len(real))]
        values.update(zip(ids, padded, strict=True))
    return sql, _filled(params, values)


def _page_rows(kind, keys, using="default"):
    """``{history_id: row}``: the rows of ``keys`` (of one kind) and the row before each; one query.

    A page is a run of consecutive keys, so of each object's rows on it only
    the oldest has its previous row elsewhere: one row more per object, found
    by a subquery. Every row is given ``previous`` (that earlier row, or None)
    and ``current_version``, the object's version now (None once it is gone
    from its table); a note's rows also ``current_deleted``. ``history_user``
    holds the user's id and name only (None for a deleted account, as a join
    finding no row gives); their other fields are read if ever asked for.
    """
    history = MODELS_WITH_HISTORY[kind].history.model
    User = get_user_model()
    oldest = {}
    for _kind, history_id, when, object_id in keys:
        if object_id not in oldest or (when, history_id) < oldest[object_id]:
            oldest[object_id] = (when, history_id)
    sql, params = _rows_sql_params(using, kind, [key[1] for key in keys], [h for _when, h in oldest.values()])
    user_field = history._meta.get_field("history_user")
    users = {}
    found, last = {}, {}
    # Raw rows get the model fields' converters, not the annotations': current_deleted comes as 0/1 on SQLite.
    for row in history.objects.using(using).raw(sql, params):
        if kind == "annotation" and row.current_deleted is not None:
            row.current_deleted = bool(row.current_deleted)
        user = None
        if row.history_user_id is not None and row.history_username is not None:
            if row.history_user_id not in users:
                users[row.history_user_id] = User.from_db(
                    using, ["id", User.USERNAME_FIELD], [row.history_user_id, row.history_username]
                )
            user = users[row.history_user_id]
        user_field.set_cached_value(row, user)
        row.previous = last.get(row.id)
        last[row.id] = found[row.history_id] = row
    return found


def _prevailing_snapshots(resolution_rows):
    """``{history_id: {assertion_id, ...}}`` for the resolution rows: one query, if any."""
    if not resolution_rows:
        return {}
    snapshot = Resolution.history.model.prevailing.model
    found = {row.history_id: set() for row in resolution_rows}
    pairs = snapshot.objects.filter(history_id__in=found).values_list("history_id", "assertion_id")
    for history_id, assertion_id in pairs:
        found[history_id].add(assertion_id)
    return found


def claim_timeline(claim, keys, *, can_revert=False, show_deleted=False, known_sources=None, known_assertions=None):
    """The entries of ``keys`` (a slice of ``history_keys(claim.pk)``), in that order.

    Only those rows are read, each with the row before it: one query per kind
    of object among them; one for the resolutions' prevailing sets, one for
    the sources of assertions it mentions that ``known_assertions``
    (``{assertion_id: source_id}``) does not give, and one each for the user,
    topic and source names it needs, each only if needed. ``known_sources``
    (``{id: title}``, say from the page's own assertions) spares looking those
    titles up again. ``show_deleted``: staff see deleted notes' words.
    """
    keys = list(keys)
    by_kind = {}
    for key in keys:
        by_kind.setdefault(key[0], []).append(key)
    rows = {kind: _page_rows(kind, kind_keys) for kind, kind_keys in by_kind.items()}
    snapshots = _prevailing_snapshots(list(rows.get("resolution", {}).values()))
    builder = EntryBuilder(
        rows,
        snapshots,
        can_revert=can_revert,
        show_deleted=show_deleted,
        known_sources=known_sources or {},
        known_assertions=known_assertions or {},
    )
    entries = builder.build(keys)
    claim_url = claim.get_absolute_url()
    for entry in entries:
        entry.memo_key = render_memo.entry_key(entry, claim_url)
    return entries


def latest_reopening(claim_id):
    """The newest change to the claim's resolution if it reopened the claim, as an entry; else None.

    One query, for two rows: the claim page says who reopened a decision and
    why, even when the reopening has dropped out of its newest entries.
    """
    newest = list(
        Resolution.history.filter(claim_id=claim_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:2]
    )
    if len(newest) == 2 and newest[0].history_type == "~" and newest[0].is_open and not newest[1].is_open:
        return Entry(
            kind="resolution",
            record=newest[0],
            action="reopened",
            description="reopened the claim",
            anchor="#resolution",
        )
    return None


def deletion_marks(notes):
    """``{note_id: (user, date)}`` saying who deleted each deleted note, and when: one query, if any.

    Reads only the rows that deleted a note (a deleted row whose previous row
    was not), not every edit of it.
    """
    deleted = [n.pk for n in notes if n.is_deleted]
    if not deleted:
        return {}
    rows = (
        Annotation.history.filter(id__in=deleted, is_deleted=True)
        .annotate(was_deleted=_before(Annotation.history.model, "is_deleted"))
        .filter(Q(was_deleted=False) | Q(was_deleted__isnull=True))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    # The latest deletion of each, should it have been restored and deleted again.
    return {row.id: (row.history_user, row.history_date) for row in rows}
