"""Search's vocabulary that editors keep: name aliases and synonym groups.

Neither table has history or a version: a row is a whole editorial choice,
and the admin's form has run the model's ``clean()`` (trimmed names, words
checked and normalised) before these are called.
"""

from factcheck.models import NameAlias, SynonymGroup
from factcheck.services.rows import delete_atomically, save_atomically


def name_alias_save(*, alias: NameAlias) -> NameAlias:
    return save_atomically(alias)


def name_alias_delete(*, alias: NameAlias) -> None:
    delete_atomically(alias)


def synonym_group_save(*, group: SynonymGroup) -> SynonymGroup:
    return save_atomically(group)


def synonym_group_delete(*, group: SynonymGroup) -> None:
    delete_atomically(group)
