"""Who did what: history that outlives accounts, and the accounts that were deleted."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from simple_history.models import HistoricalRecords


class AttributedHistory(HistoricalRecords):
    """History rows that keep naming their author after the account is deleted.

    django-simple-history sets ``history_user`` to NULL when the user goes
    (and its foreign key would refuse a dangling id): the change would read as
    made by nobody. Here the id stays, without a database constraint, and
    ``DeletedUser`` keeps the name that went with it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("user_db_constraint", False)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        super().contribute_to_class(cls, name)
        # History models belong to the package, as before it was split into
        # modules: otherwise django-simple-history gives them the module
        # "factcheck", which holds none (the shell's automatic imports fail).
        self.module = __name__.rpartition(".")[0]

    def _get_history_user_fields(self) -> dict[str, "models.Field[Any, Any]"]:
        fields = super()._get_history_user_fields()
        user = fields.get("history_user")
        if isinstance(user, models.ForeignKey):
            fields["history_user"] = models.ForeignKey(
                user.remote_field.model,
                null=True,
                related_name=self.user_related_name,
                on_delete=models.DO_NOTHING,
                db_constraint=False,
            )
        return fields


class DeletedUser(models.Model):
    """An account that was deleted, by its id: history rows still carry that id.

    Written whenever a user is deleted, by whatever path (admin, bulk action,
    shell), so history keeps saying who did what; backed up with the rest, and
    a restore keeps new accounts from being given one of these ids.
    """

    id = models.BigIntegerField(primary_key=True, help_text="The deleted account's id.")
    username = models.CharField(max_length=150)
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.username} (deleted account)"


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def _user_deleted(sender: type[AbstractBaseUser], instance: AbstractBaseUser, **kwargs: Any) -> None:
    DeletedUser.objects.update_or_create(pk=instance.pk, defaults={"username": instance.get_username()})
