from django.db import migrations, models


def fill_gaps(apps, schema_editor):
    """Each passage's gap from its source's text, one source at a time."""
    Passage = apps.get_model("factcheck", "Passage")
    Source = apps.get_model("factcheck", "Source")
    db = schema_editor.connection.alias
    for source in Source.objects.using(db).only("id", "text").iterator(chunk_size=100):
        passages = list(Passage.objects.using(db).filter(source=source).order_by("position"))
        previous_end = None
        for passage in passages:
            passage.gap_before = source.text[previous_end : passage.start] if previous_end is not None else ""
            previous_end = passage.end
        Passage.objects.using(db).bulk_update(passages, ["gap_before"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0002_search_aliases_passages"),
    ]

    operations = [
        migrations.AddField(
            model_name="passage",
            name="gap_before",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill_gaps, migrations.RunPython.noop),
    ]
