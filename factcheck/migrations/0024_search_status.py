from django.db import migrations


def keep_claim_status(apps, schema_editor):
    """PostgreSQL: the claims', quotes' and notes' index rows keep their claim's status.

    Their status triggers are missing, so ``ensure_search_schema`` adds the
    column and its index and rebuilds those three indexes (the others stay).
    Here rather than only after ``migrate``: the system check would otherwise
    find the older trigger functions outdated and stop ``migrate`` itself.
    """
    from factcheck.search_index import ensure_search_schema

    ensure_search_schema(schema_editor.connection.alias)


def drop_search_index(apps, schema_editor):
    """Backwards: as 0021; ``migrate`` makes again what the schema allows."""
    from factcheck.search_index import drop_search_schema

    drop_search_schema(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0023_statement_index"),
    ]

    operations = [
        migrations.RunPython(keep_claim_status, drop_search_index),
    ]
