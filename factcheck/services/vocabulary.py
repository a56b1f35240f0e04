"""Search's vocabulary that editors keep: name aliases and synonym groups.

Neither table has history or a version: a row is a whole editorial choice,
and the admin's form has run the model's ``clean()`` (trimmed names, words
checked and normalised) before these are called.
"""

from django.db import transaction

from factcheck.models import NameAlias, SynonymGroup


def name_alias_save(*, alias: NameAlias) -> NameAlias:
    with transaction.atomic():
        alias.save()
    return alias


def name_alias_delete(*, alias: NameAlias) -> None:
    with transaction.atomic():
        alias.delete()


def synonym_group_save(*, group: SynonymGroup) -> SynonymGroup:
    with transaction.atomic():
        group.save()
    return group


def synonym_group_delete(*, group: SynonymGroup) -> None:
    with transaction.atomic():
        group.delete()
