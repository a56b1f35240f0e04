from django.db import migrations


def rebuild_search_index(apps, schema_editor):
    """The claims' index gained a column (the claim's wordings in other languages), and PostgreSQL
    triggers re-index a source's passages and quotes when its language changes: all made again."""
    from factcheck.search_index import drop_search_schema, ensure_search_schema

    drop_search_schema(schema_editor.connection.alias)
    ensure_search_schema(schema_editor.connection.alias)


def drop_search_index(apps, schema_editor):
    """Backwards: the triggers go first, as in 0019; ``migrate`` makes again what the schema allows."""
    from factcheck.search_index import drop_search_schema

    drop_search_schema(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0020_suggestion_runs"),
    ]

    operations = [
        migrations.RunPython(rebuild_search_index, drop_search_index),
    ]
