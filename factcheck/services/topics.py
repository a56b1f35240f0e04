"""Topics as the admin writes them: no version to check, a history row by whoever saved."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from factcheck.models import Topic
from factcheck.services.base import delete_as, save_as


def topic_create(*, topic: Topic, user: AbstractBaseUser) -> Topic:
    with transaction.atomic():
        save_as(topic, user)
    return topic


def topic_update(*, topic: Topic, user: AbstractBaseUser) -> Topic:
    """Save ``topic`` with the changes the caller made to it (title, description)."""
    with transaction.atomic():
        save_as(topic, user)
    return topic


def topic_delete(*, topic: Topic, user: AbstractBaseUser) -> None:
    """Delete a topic without claims (they protect it: ``ProtectedError`` otherwise)."""
    with transaction.atomic():
        delete_as(topic, user)
