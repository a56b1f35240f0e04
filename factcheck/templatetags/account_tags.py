"""``{{ record|changed_by }}``: who made a recorded change, by name, even once their account is deleted."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

from factcheck.models import DeletedUser

register = template.Library()


@register.filter
def changed_by(record):
    """The username; "<username> (deleted account)"; or "system" for a change no user made.

    History rows keep a deleted account's id (see ``AttributedHistory``); only
    those rows cost a query, to read the name ``DeletedUser`` kept.
    """
    if record.history_user_id is None:
        return "system"
    try:
        user = record.history_user  # None when select_related found no row
    except ObjectDoesNotExist:
        user = None
    if user is not None:
        return user.get_username()
    deleted = DeletedUser.objects.filter(pk=record.history_user_id).first()
    return str(deleted) if deleted else f"user #{record.history_user_id} (deleted account)"
