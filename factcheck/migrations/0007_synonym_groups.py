# The evidence finder's synonym groups move from code (factcheck/evidence.py's SYNONYMS) to the database,
# where editors change them in the admin. Seeded with exactly the groups the code had, in its order.

from django.db import migrations, models

# Words that mean the same in the register of news and analysis. Capitals
# stand for their states ("Moscow said") as they do in news prose.
SEED_GROUPS = [
    "agreement accord treaty pact deal",
    "weapon arms armament weaponry",
    "troops soldiers forces army military",
    "kill death die dead casualties",
    "talks negotiations discussions",
    "begin start launch commence",
    "help aid assistance assist",
    "money funds cash currency banknotes",
    "debt loans",
    "buy purchase acquire",
    "sell sale",
    "big large",
    "overthrow oust topple depose",
    "collapse fall",
    "flee escape",
    "asylum refuge sanctuary shelter",
    "aircraft plane jet",
    "warship vessel",
    "navy naval",
    "port harbour",
    "ties relations",
    "ask request",
    "reject refuse decline",
    "keep retain maintain preserve",
    "leave depart withdraw",
    "expert analyst specialist",
    "meet meeting summit",
    "extradite surrender handover",
    "president leader ruler",
    "envoy diplomat ambassador",
    "want seek desire",
    "station deploy",
    "reconstruction rebuilding",
    "poll survey",
    "sanctions embargo",
    "facility installation",
    "stop end halt cease",
    "operation campaign intervention mission",
    "share proportion percentage percent",
    "jihadist islamist militant extremist",
    "airstrike bombing raid",
    "support back endorse",
    "establish open found",
    "break sever",
    "honour respect uphold abide",
    "rely depend dependent reliant",
    "move relocate transfer",
    "trade exchange swap",
    "presence footprint",
    "shrink decline decrease reduce",
    "review revisit reexamine",
    "conditions circumstances",
    "willing prepared ready",
    "comment remark",
    "condemn criticize denounce",
    "protect guard defend",
    "run control operate",
    "arrest detain",
    "warrant order",
    "compensation reparations",
    "russia moscow kremlin",
    "syria damascus",
    "ukraine kyiv kiev",
    "america washington",
    "turkey ankara",
    "iran tehran",
    "egypt cairo",
    "israel jerusalem",
]


def seed_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("factcheck", "SynonymGroup")
    db = schema_editor.connection.alias
    if not SynonymGroup.objects.using(db).exists():
        # One at a time: the ids keep the order, and the order decides a word found in two groups.
        for words in SEED_GROUPS:
            SynonymGroup.objects.using(db).create(words=words)


class Migration(migrations.Migration):

    dependencies = [
        ("factcheck", "0006_deleted_users_and_revert_permission"),
    ]

    operations = [
        migrations.CreateModel(
            name="SynonymGroup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "words",
                    models.CharField(
                        help_text="Two or more single words separated by spaces, e.g. “russia moscow kremlin”. "
                        "Any form of a word finds the others (“treaty” also finds “treaties”).",
                        max_length=500,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.RunPython(seed_groups, migrations.RunPython.noop),
    ]
