from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "factcheck"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from factcheck import cache, evidence, lookups, search_index, topic_counts

        # An integer no column can hold matches no row, instead of overflowing SQLite's driver (a 500).
        lookups.register()

        # Search: recreate index triggers a table remake dropped; cut passages of new or changed sources.
        post_migrate.connect(search_index.on_post_migrate, sender=self)
        evidence.connect_signals(self)

        # Topics' claim counts: the triggers that keep them (recounting if a table remake dropped them).
        post_migrate.connect(topic_counts.on_post_migrate, sender=self)

        # Page cache: the corpus-version row and the triggers that bump it on every write.
        post_migrate.connect(cache.on_post_migrate, sender=self)
