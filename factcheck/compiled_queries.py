"""ORM querysets compiled once per process, then run with each request's values.

Building and compiling a queryset with joins (the claim with its topic,
decision and users; its quotes with their sources and speakers) took the
claim page longer than the database took to answer it, on SQLite and
PostgreSQL alike, and the page is rendered again after every note. A query
here is compiled the first time its key is asked for, with stand-in values
(negative ids no row has) where the request's values go; each later run
only swaps them and builds the instances as the ORM does (``ModelIterable``:
the same converters, ``from_db``, ``select_related``'s populators), through
the connection's own cursor, so query counts, the query log and prepared
statements see it as before.

Only plain filtered and ordered querysets belong here: no prefetching, no
``extra()``, no composite keys. A related manager's link back to its owner
(``claim.assertions``) is not kept: ``known`` sets it, as the manager would.
"""

from django.db import connections
from django.db.models.query import get_related_populators

# The stand-in for a query's one id (``fetch(key, build, {ID: pk})``): no row has a negative id.
ID = -1_000_001

_plans = {}
_INT64 = (-(2**63), 2**63 - 1)


class _Plan:
    """What ``ModelIterable`` works out from a compiled queryset before reading its rows."""

    def __init__(self, queryset, using):
        compiler = queryset.query.get_compiler(using=using)
        self.sql, self.params = compiler.as_sql()
        if compiler.has_extra_select or queryset._prefetch_related_lookups:
            raise ValueError("compiled_queries: a plain queryset only (no extra select, no prefetching)")
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, using)
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = list(compiler.get_converters([s[0] for s in select[: compiler.col_count]]).items())


def fetch(key, build, values, *, known=None, using="default"):
    """The instances ``build()``'s queryset gives with each stand-in of ``values`` replaced by its value.

    ``build`` is called once per process and database (``key`` names it) and
    must use the stand-ins of ``values`` (``{stand_in: value}``, negative ints)
    in its filters. ``known``: ``{field name: instance}`` set on every row.
    """
    if any(type(v) is int and not _INT64[0] <= v <= _INT64[1] for v in values.values()):
        return []  # as the ORM answers a lookup no 64-bit column can match, without asking
    connection = connections[using]
    plan_key = (key, using, connection.vendor)
    plan = _plans.get(plan_key)
    if plan is None:
        plan = _plans[plan_key] = _Plan(build(), using)
    params = [values.get(p, p) if type(p) is int else p for p in plan.params]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows = cursor.fetchall()
    objects = []
    for row in rows:
        if plan.converters:
            row = list(row)
            for position, (converters, expression) in plan.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
        obj = plan.model.from_db(using, plan.init_list, row[plan.start : plan.end])
        for populator in plan.populators:
            populator.populate(row, obj)
        for name, position in plan.annotations:
            setattr(obj, name, row[position])
        if known:
            for name, instance in known.items():
                setattr(obj, name, instance)
        objects.append(obj)
    return objects


# Id lists are padded to these lengths (repeating an id changes nothing in ``IN``): a few plans per query.
_SIZES = (1, 2, 4, 8, 16, 32, 64)
_IDS = -2_000_001  # the first stand-in of an id list; the others count down from it


def fetch_by_ids(key, build, ids, *, using="default"):
    """``build(ids)``'s instances, its SQL compiled once per padded length of ``ids`` (past 64, every time).

    ``build`` takes a list of ids and returns the queryset filtering by them (``pk__in=ids``).
    """
    ids = sorted({i for i in ids if i is not None})  # as the ORM leaves None out of IN
    size = next((n for n in _SIZES if n >= len(ids)), None)
    if not ids or size is None:
        return list(build(ids))
    stand_ins = [_IDS - i for i in range(size)]
    padded = ids + [ids[-1]] * (size - len(ids))
    return fetch((key, size), lambda: build(stand_ins), dict(zip(stand_ins, padded, strict=True)), using=using)
