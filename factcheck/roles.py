"""The editors' and moderators' groups and what they may do. Readers are anonymous; staff use the admin."""

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
    # Who said a statement and about when, on the claim page; speakers created there or edited.
    ("factcheck", "change_assertion"),
    ("factcheck", "add_speaker"),
    ("factcheck", "change_speaker"),
    # Removing a statement from a claim (undo offered in place).
    ("factcheck", "delete_assertion"),
    # A new claim: from a passage selected on a source page, or one a new document raises (issue 16).
    ("factcheck", "add_claim"),
]

# Approving another editor's decision for publication: a standards editor's
# power, given by the Publishers group (setup_demo puts its second editor there).
PUBLISH_DECISION = "factcheck.publish_decision"
PUBLISHERS = "Publishers"


def _ensure_group_with(name, permission):
    """The group ``name``, holding ``permission`` ("app.codename") among whatever else it has."""
    group, _ = Group.objects.get_or_create(name=name)
    app, code = permission.split(".")
    group.permissions.add(Permission.objects.get(content_type__app_label=app, codename=code))
    return group


def ensure_publisher_group():
    return _ensure_group_with(PUBLISHERS, PUBLISH_DECISION)


def can_publish(user, resolution=None):
    """Holds the publish permission and (given a draft) is not the editor who decided it."""
    if not (user.is_authenticated and user.has_perm(PUBLISH_DECISION)):
        return False
    return resolution is None or resolution.decided_by_id != user.pk


def is_desk(user):
    """Editors and staff: who may read internal notes, the inbox and drafts."""
    return user.is_authenticated and (user.is_staff or user.has_perm("factcheck.add_annotation"))


def ensure_editor_group():
    group, _ = Group.objects.get_or_create(name=EDITORS)
    perms = [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in EDITOR_PERMISSIONS]
    group.permissions.add(*perms)
    return group


# Reverting history restores any earlier state of a claim, its quotes, notes
# (other editors' and deleted ones included) and decision: more than an
# editor may do by hand, so it is a staff member's, and only one given it:
# superusers, and staff in the Moderators group (or granted it in the admin).
REVERT_HISTORY = "factcheck.revert_history"
MODERATORS = "Moderators"


def ensure_moderator_group():
    return _ensure_group_with(MODERATORS, REVERT_HISTORY)


def can_revert_history(user):
    return user.is_authenticated and user.is_staff and user.has_perm(REVERT_HISTORY)


def can_change_note(user, note, perm="factcheck.change_annotation"):
    """Editors change and delete only their own notes; staff may moderate anyone's."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (note.author_id == user.pk and user.has_perm(perm))
