"""The editors' group and what it may do. Readers are anonymous; staff use the admin."""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"

# (app_label, codename) pairs an editor needs to annotate and resolve.
EDITOR_PERMISSIONS = [
    ("factcheck", "add_annotation"),
    ("factcheck", "change_annotation"),
    ("factcheck", "delete_annotation"),
    ("factcheck", "add_resolution"),
    ("factcheck", "change_resolution"),
    ("factcheck", "add_assertion"),
    ("factcheck", "change_claim"),
]


def ensure_editor_group():
    group, _ = Group.objects.get_or_create(name=EDITORS)
    perms = [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in EDITOR_PERMISSIONS]
    group.permissions.add(*perms)
    return group
