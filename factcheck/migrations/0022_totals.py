"""The corpus's totals table and the triggers that keep it (factcheck/totals.py), and the index
that serves the claim list filtered by topic and status."""

from django.db import migrations, models


def create_totals(apps, schema_editor):
    from factcheck import totals

    totals.ensure(schema_editor.connection.alias)


def drop_totals(apps, schema_editor):
    from factcheck import totals

    totals.drop(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0021_claim_wordings_index")]

    operations = [
        migrations.RunPython(create_totals, drop_totals),
        migrations.RemoveIndex(model_name="claim", name="claim_topic_status_idx"),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["topic", "status", "-updated_at", "-id"], name="claim_topic_status_recent_idx"),
        ),
    ]
