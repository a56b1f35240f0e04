"""Upgrading gives an existing Editors group the powers issue 16 added, and nothing else."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("factcheck", "0017_perf")]
AFTER = [("factcheck", "0018_editor_permissions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_it_grants_an_existing_editors_group_removal_and_new_claims():
    try:
        _migrate(BEFORE)
        group = Group.objects.create(name="Editors")
        group.permissions.add(Permission.objects.get(content_type__app_label="factcheck", codename="add_assertion"))
        others = Group.objects.create(name="Readers")
        _migrate(AFTER)
        assert set(group.permissions.values_list("codename", flat=True)) == {
            "add_assertion",
            "delete_assertion",
            "add_claim",
        }
        assert not others.permissions.exists()
        _migrate(BEFORE)
        assert set(group.permissions.values_list("codename", flat=True)) == {"add_assertion"}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
