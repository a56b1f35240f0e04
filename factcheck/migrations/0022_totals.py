"""The corpus's totals table and the triggers that keep it (factcheck/totals.py)."""

from django.db import migrations


def create_totals(apps, schema_editor):
    from factcheck import totals

    totals.ensure(schema_editor.connection.alias)


def drop_totals(apps, schema_editor):
    from factcheck import totals

    totals.drop(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0021_claim_wordings_index")]

    operations = [migrations.RunPython(create_totals, drop_totals)]
