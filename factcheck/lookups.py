"""Integer lookups that cannot overflow the database driver.

SQLite's driver raises ``OverflowError`` for an integer outside 64 bits, so
``?id=99999999999999999999`` reaching a query is a 500. Django (5.0+) already
treats an out-of-range value as "matches nothing" for ``exact``, ``lt``, ``gt``
and friends on integer fields, but not for ``in`` (ModelMultipleChoiceField,
admin actions' ``_selected_action``) nor for any lookup through a foreign key
(``topic_id=…``, ``source=…``). These do the same for those: a value no
column can hold is a value no row has.

Forms still refuse such values with a message naming the field; this is the
net under every query the app, the admin and Django's own forms build.
Registered once in ``FactcheckConfig.ready``.
"""

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_range(lookup, connection):
    """``(min, max)`` of the column ``lookup`` compares, or ``None`` if it is not an integer column."""
    field = lookup.lhs.output_field
    while getattr(field, "remote_field", None) is not None and hasattr(field, "target_field"):
        field = field.target_field  # a foreign key holds its target's values
    if not isinstance(field, models.IntegerField):
        return None
    return connection.ops.integer_field_range(field.get_internal_type())


def _fits(value, bounds):
    low, high = bounds
    # bool is an int; anything not an int is left to the database as before.
    return not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))


class _InRange:
    """``in``: drop the values no row can hold; none left means no row matches."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _integer_range(self, connection)
            if bounds is not None:
                self.rhs = [value for value in self.rhs if _fits(value, bounds)]
        return super().process_rhs(compiler, connection)


class _ExactInRange:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _integer_range(self, connection)
            if bounds is not None and not _fits(self.rhs, bounds):
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class IntegerIn(_InRange, In):
    pass


class ForeignKeyIn(_InRange, RelatedIn):
    pass


class ForeignKeyExact(_ExactInRange, RelatedExact):
    pass


def register():
    models.IntegerField.register_lookup(IntegerIn)
    models.ForeignKey.register_lookup(ForeignKeyIn)
    models.ForeignKey.register_lookup(ForeignKeyExact)
