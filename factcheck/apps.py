from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "factcheck"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate

        from factcheck import checks as derived_checks
        from factcheck import derived, evidence, lookups, source_fingerprints

        # An integer no column can hold matches no row, instead of overflowing SQLite's driver (a 500).
        lookups.register()

        # Passages of new or changed sources (claim status: receivers in factcheck/models/).
        evidence.connect_signals(self)
        # Fingerprints that find reprints (factcheck/source_fingerprints.py).
        source_fingerprints.connect_signals()

        # Migration 0008 creates the derived state's tables and triggers; this
        # hook stays because on SQLite any later migration that remakes a table
        # drops that table's triggers, and flush (between transactional tests)
        # empties what the triggers derive. ensure_all() is cheap when nothing is missing.
        post_migrate.connect(derived.on_post_migrate, sender=self, dispatch_uid="factcheck-derived-ensure")

        checks.register(derived_checks.derived_state_database, checks.Tags.database)
        checks.register(derived_checks.derived_state)
