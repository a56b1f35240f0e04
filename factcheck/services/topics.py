"""Topics as the admin writes them: no version to check, a history row by whoever saved."""

from django.contrib.auth.models import AbstractBaseUser

from factcheck.models import Topic
from factcheck.services.rows import delete_atomically, save_atomically


def topic_create(*, topic: Topic, user: AbstractBaseUser) -> Topic:
    """Save a new ``topic``, or the changes the caller made to one (title, description)."""
    return save_atomically(topic, user)


# The admin calls each case by its name; a topic's write does not depend on which it is.
topic_update = topic_create


def topic_delete(*, topic: Topic, user: AbstractBaseUser) -> None:
    """Delete a topic without claims (they protect it: ``ProtectedError`` otherwise)."""
    delete_atomically(topic, user)
