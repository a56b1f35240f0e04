"""The review queue at scale: a stored newest-statement date per claim, and assertions indexed by creation."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def _newest_statements(apps, schema_editor):
    # One UPDATE with the rule of Claim.refresh_status (a statement's date, else its source's).
    Assertion = apps.get_model("factcheck", "Assertion")
    Claim = apps.get_model("factcheck", "Claim")
    newest = (
        Assertion.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(newest=Max(Coalesce("stated_on", "source__published")))
        .values("newest")
    )
    db = schema_editor.connection.alias
    Claim.objects.using(db).update(newest_statement=Subquery(newest[:1], output_field=models.DateField()))


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0016_suggestions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="newest_statement",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(_newest_statements, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="assertion",
            index=models.Index(fields=["created_at"], name="assertion_created_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["newest_statement", "status"], name="claim_newest_statement_idx"),
        ),
    ]
