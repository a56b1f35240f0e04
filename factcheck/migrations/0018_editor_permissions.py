"""Editors may now remove a statement from a claim and create claims (issue 16).

``setup_demo`` gives a new Editors group every permission in
``factcheck.roles.EDITOR_PERMISSIONS``; an Editors group that already exists in
a running newsroom gets the two new ones here, so upgrading changes nobody's
powers by surprise. Where the permissions don't exist yet (a fresh database:
Django creates them after the migrations), there is no group to update either.
"""

from django.db import migrations

NEW_EDITOR_PERMISSIONS = ("delete_assertion", "add_claim")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.using(schema_editor.connection.alias).filter(name="Editors").first()
    if group is None:
        return
    permissions = Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="factcheck", codename__in=NEW_EDITOR_PERMISSIONS
    )
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(schema_editor.connection.alias).filter(name="Editors").first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(codename__in=NEW_EDITOR_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0017_perf"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
