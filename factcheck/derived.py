"""Every derived value this app stores, what keeps it current, how to check and recompute it.

Derived state is kept two ways:

- database triggers (cache tags, topic counts, search index), so no write
  path can leave it stale — not ``QuerySet.update()``, not raw SQL;
- Python (claim status, source and origin counts, passages), because their
  rules live in Python. Claim status follows every ORM write: signals for
  one row's save and delete, the default managers' QuerySets for
  ``update()``, ``bulk_create()``, ``bulk_update()`` and ``delete()``
  (factcheck/models/upkeep.py). Raw SQL bypasses it: ``manage.py
  recompute_derived --check`` counts the claims it left stale, and
  ``recompute_derived`` repairs them. Passages follow a source's ``save()``.

Each entry of :data:`REGISTRY` names its triggers per engine (or its
signals), and gives ``ensure`` (create what is missing, cheap when nothing
is), ``recreate`` (drop and create again, for outdated triggers) and
``recompute`` (the values from scratch). :func:`problems` is what the system
check (factcheck/checks.py) reports; :func:`ensure_all` runs in migration
0008 and after every ``migrate``; :func:`recompute_all` is the repair command.
This module is the declarations; factcheck/derived_machinery.py compares
them with a database, installs and recomputes them.
"""

from django.db import connections
from django.db.models.signals import post_delete, post_save

from factcheck import cache_tags, derived_machinery, search_index, source_fingerprints, topic_counts, totals
from factcheck.derived_machinery import Derived, Problem, app_tables
from factcheck.evidence import passages
from factcheck.search import INDEXED, index_table


def _plain(sql):
    # SQLite stores a trigger's statement as written, minus IF NOT EXISTS.
    return sql.replace("CREATE TRIGGER IF NOT EXISTS ", "CREATE TRIGGER ", 1)


# Cache tags (the page cache's versions).

# Every table of the app, with the columns whose values name an object tag a
# write to the row bumps: (column, the table the value is a row of). The
# table's own tag is always bumped. Adding a model means adding its line
# here (and the history table's, if it has one): the system check reports a
# table of the app that is missing, and migrate gives it its triggers.
_CLAIM, _TOPIC, _SOURCE, _ASSERTION = "factcheck_claim", "factcheck_topic", "factcheck_source", "factcheck_assertion"
_SPEAKER, _RESOLUTION = "factcheck_speaker", "factcheck_resolution"
CACHE_TAGGED = {
    _TOPIC: (("id", _TOPIC),),
    _CLAIM: (("id", _CLAIM), ("topic_id", _TOPIC)),
    _SOURCE: (("id", _SOURCE),),
    _ASSERTION: (("id", _ASSERTION), ("claim_id", _CLAIM), ("source_id", _SOURCE), ("speaker_id", _SPEAKER)),
    # A note's assertion is one of its claim's: the claim's notes tag covers it.
    "factcheck_annotation": (("id", "factcheck_annotation"), ("claim_id", cache_tags.CLAIM_NOTES)),
    _RESOLUTION: (("id", _RESOLUTION), ("claim_id", _CLAIM)),
    "factcheck_resolution_prevailing": (("resolution_id", _RESOLUTION), ("assertion_id", _ASSERTION)),
    "factcheck_passage": (("id", "factcheck_passage"), ("source_id", _SOURCE)),
    _SPEAKER: (("id", _SPEAKER),),
    "factcheck_sourcederivation": (
        ("id", "factcheck_sourcederivation"),
        ("source_id", _SOURCE),
        ("origin_source_id", _SOURCE),
        ("origin_speaker_id", _SPEAKER),
    ),
    "factcheck_claimtranslation": (("id", "factcheck_claimtranslation"), ("claim_id", _CLAIM)),
    "factcheck_namealias": (("id", "factcheck_namealias"),),
    "factcheck_synonymgroup": (("id", "factcheck_synonymgroup"),),
    "factcheck_deleteduser": (("id", "factcheck_deleteduser"),),
    # History rows: each also names the object it is a version of.
    "factcheck_historicaltopic": (("id", _TOPIC),),
    "factcheck_historicalclaim": (("id", _CLAIM), ("topic_id", _TOPIC)),
    "factcheck_historicalsource": (("id", _SOURCE),),
    "factcheck_historicalassertion": (("id", _ASSERTION), ("claim_id", _CLAIM), ("source_id", _SOURCE)),
    "factcheck_historicalannotation": (("id", "factcheck_annotation"), ("claim_id", cache_tags.CLAIM_NOTES)),
    "factcheck_historicalresolution": (("id", _RESOLUTION), ("claim_id", _CLAIM)),
    "factcheck_historicalresolution_prevailing": (("resolution_id", _RESOLUTION),),
    "factcheck_historicalspeaker": (("id", _SPEAKER),),
    "factcheck_historicalsourcederivation": (("id", "factcheck_sourcederivation"), ("source_id", _SOURCE)),
    "factcheck_historicalclaimtranslation": (("id", "factcheck_claimtranslation"), ("claim_id", _CLAIM)),
    # A watch shows only on its user's own copy of the claim or topic page.
    "factcheck_watch": (("user_id", cache_tags.WATCHES),),
    # None: no page or fragment shows these to a reader (an editor's own desk
    # and the API's credentials), so a write there bumps nothing, not even
    # ``*``: using a token, delivering a webhook leaves
    # every cached page, the API's ETags and the corpus statistics alone.
    # The original a source was read from, shown on its page.
    "factcheck_sourceoriginal": (("id", "factcheck_sourceoriginal"), ("source_id", _SOURCE)),
    "factcheck_apitoken": None,
    # Intake's work in progress and the reprint index: no page a reader sees shows them.
    "factcheck_intakejob": None,
    "factcheck_sourcefingerprint": None,
    "factcheck_fingerprintband": None,
    "factcheck_notification": None,
    "factcheck_notificationpreference": None,
    "factcheck_webhook": None,
    "factcheck_delivery": None,
    # Editors-only, read fresh (outside the source page's fragment, never in the page cache).
    "factcheck_suggestion": None,
    "factcheck_suggestionrun": None,
}


def _tag_triggers(vendor, using):
    quote = connections[using].ops.quote_name
    found = {}
    for table, columns in cache_tags.declared(using).items():
        names = cache_tags.trigger_names(vendor, table)
        statements = cache_tags.create_trigger_sql(vendor, table, columns, quote)
        if vendor == "sqlite":
            found.update({name: (table, _plain(sql)) for name, sql in zip(names, statements, strict=True)})
        else:
            found.update(dict.fromkeys(names, (table, None)))
    return found


def _tag_problems(using):
    found = [
        Problem("factcheck.E005", "cache tags", f"Table {table} is not declared in derived.CACHE_TAGGED.")
        for table in app_tables(using)
        if table not in CACHE_TAGGED
    ]
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {cache_tags.TABLE} WHERE tag IN (%s, %s)", [cache_tags.CORPUS, cache_tags.EPOCH]
        )
        if cursor.fetchone()[0] != 2:
            found.append(
                Problem("factcheck.E002", "cache tags", f"The rows * and #epoch of {cache_tags.TABLE} are missing.")
            )
    return found


def _recreate_tags(using):
    cache_tags.drop_triggers(using)
    cache_tags.ensure(using)


# Topic counts.


def _count_triggers(vendor, using):
    if vendor == "sqlite":
        return {name: (topic_counts.CLAIMS, _plain(sql)) for name, sql in topic_counts._sqlite_triggers().items()}
    return dict.fromkeys(topic_counts._pg_triggers(), (topic_counts.CLAIMS, None))


def _recreate_counts(using):
    topic_counts.drop_triggers(using)
    topic_counts.ensure_triggers(using)


# The search index.


def _search_triggers(vendor, using):
    found = {}
    for kind in INDEXED:
        # A claim's wordings and a source's language have triggers on their own tables.
        if vendor == "sqlite":
            _, triggers, _ = search_index._sqlite_statements(kind)
            found.update({name: (search_index.trigger_table(sql), _plain(sql)) for name, sql in triggers.items()})
        else:
            _, triggers, _ = search_index._pg_statements(kind)
            found.update({name: (search_index.trigger_table(sql), None) for name, sql in triggers.items()})
    return found


def _search_functions(vendor):
    if vendor != "postgresql":
        return {}
    found = {}
    for kind in INDEXED:
        found.update(search_index.pg_functions(kind))
    return found


def _recreate_search(using):
    search_index.drop_search_schema(using)
    search_index.ensure_search_schema(using)


# Claim status and source count.


def _claim_signals():
    from factcheck.models import Assertion, Claim, Resolution, SourceDerivation
    from factcheck.models.assertions import _assertion_changed
    from factcheck.models.claims import _claim_saved
    from factcheck.models.editorial import _resolution_changed
    from factcheck.models.sources import Source, _source_saved
    from factcheck.models.speakers import _derivation_changed

    return [
        (signal, sender, receiver)
        for sender, receiver in (
            (Assertion, _assertion_changed),
            (Resolution, _resolution_changed),
            (SourceDerivation, _derivation_changed),
        )
        for signal in (post_save, post_delete)
    ] + [(post_save, Claim, _claim_saved), (post_save, Source, _source_saved)]


def _claim_querysets(using):
    from factcheck.models import Assertion, Claim, Resolution, SourceDerivation
    from factcheck.models.upkeep import StatusKeepingQuerySet

    return [
        Problem("factcheck.E004", "claim status", f"{model.__name__}.objects does not keep claim status.")
        for model in (Assertion, Claim, Resolution, SourceDerivation)
        if not isinstance(model._default_manager.get_queryset(), StatusKeepingQuerySet)
    ]


def _fingerprint_signals():
    from factcheck.models import Source

    return [(post_save, Source, source_fingerprints._source_saved)]


def recompute_claim_status(using="default"):
    """Store every claim's status, source count and origin count as the rules give them.

    Returns how many claims had a stale value.
    """
    from factcheck.models import Claim
    from factcheck.models.claims import recompute_statuses

    return recompute_statuses(Claim.objects.using(using))


# Passages.


def _passage_signals():
    from factcheck.models import Source

    return [(post_save, Source, passages._source_saved)]


def _ensure_passages(using):
    # Only the default database: passages are cut through the models' default manager.
    if using == "default":
        passages.ensure_passages(using)


def _recompute_passages(using):
    if using == "default":
        return passages.refresh_all_passages(force=True)
    return 0


REGISTRY = [
    Derived(
        name="claim status",
        values=(
            "Claim.status, Claim.source_count and Claim.origin_count, from the claim's assertions, "
            "its kind, its sources' origins (factcheck/voices.py) and its resolution (a published one); "
            "Claim.status_since, when the status last changed (the review queue's 'waiting since'); "
            "Claim.newest_statement, the newest statement's date or else its source's (the queue's 'stale' tab)"
        ),
        kept_by=(
            "signals: post_save/post_delete of Assertion, Resolution and SourceDerivation, "
            "post_save of Claim when its kind changes, post_save of Source for its date (factcheck/models/); "
            "their QuerySets' update/bulk_create/bulk_update/delete (factcheck/models/upkeep.py)"
        ),
        signals=_claim_signals,
        recompute=recompute_claim_status,
        extra_problems=_claim_querysets,
    ),
    Derived(
        name="search index",
        values="the index tables " + ", ".join(index_table(kind) for kind in INDEXED),
        kept_by=(
            "triggers <index table>_* on the indexed tables, on claim wordings (a claim is found by them) "
            "and, on PostgreSQL, on a source's language, which picks its passages' and quotes' "
            "configuration, and on a claim's status, which its claim, quote and note rows keep "
            "(factcheck/search_index.py)"
        ),
        triggers=_search_triggers,
        functions=_search_functions,
        tables=lambda vendor: {index_table(kind) for kind in INDEXED},
        ensure=search_index.ensure_search_schema,
        recreate=_recreate_search,
        recompute=lambda using: search_index.ensure_search_schema(using, force_rebuild=True),
    ),
    Derived(
        name="passages",
        values="Passage rows, the sentences of each source text",
        kept_by="signal: post_save of Source (factcheck/evidence/passages.py)",
        signals=_passage_signals,
        ensure=_ensure_passages,
        recompute=_recompute_passages,
    ),
    Derived(
        name="fingerprints",
        values="SourceFingerprint and FingerprintBand rows, each source text's MinHash signature and its LSH bands",
        kept_by="signal: post_save of Source (factcheck/source_fingerprints.py)",
        signals=_fingerprint_signals,
        ensure=source_fingerprints.ensure_fingerprints,
        recompute=source_fingerprints.recompute_fingerprints,
    ),
    Derived(
        name="topic counts",
        values="Topic.claim_count, conflict_count, agreement_count, resolved_count",
        kept_by=f"triggers {topic_counts.PREFIX}* on {topic_counts.CLAIMS} (factcheck/topic_counts.py)",
        triggers=_count_triggers,
        functions=lambda vendor: (
            {topic_counts.PG_FUNCTION: topic_counts._PG_FUNCTION_SQL} if vendor == "postgresql" else {}
        ),
        ensure=topic_counts.ensure_triggers,
        recreate=_recreate_counts,
        recompute=topic_counts.recount,
    ),
    Derived(
        name="totals",
        values=f"the corpus's claims, claims of each status and topics, the rows of {totals.TABLE}",
        kept_by=f"triggers {totals.PREFIX}* on {totals.CLAIMS} and {totals.TOPICS} (factcheck/totals.py)",
        triggers=lambda vendor, using: totals.installed_form(vendor),
        functions=lambda vendor: {totals.PG_FUNCTION: totals.PG_FUNCTION_SQL} if vendor == "postgresql" else {},
        tables=lambda vendor: {totals.TABLE},
        ensure=totals.ensure,
        recreate=totals.recreate,
        recompute=totals.recount,
    ),
    Derived(
        name="cache tags",
        values=f"the page cache's versions, the rows of {cache_tags.TABLE}",
        kept_by=f"triggers {cache_tags.TRIGGER_PREFIX}* on every table of CACHE_TAGGED (factcheck/cache_tags.py)",
        triggers=_tag_triggers,
        functions=lambda vendor: {cache_tags.PG_FUNCTION: cache_tags.PG_FUNCTION_SQL} if vendor == "postgresql" else {},
        tables=lambda vendor: {cache_tags.TABLE},
        ensure=cache_tags.ensure,
        recreate=_recreate_tags,
        recompute=cache_tags.bump_all,
        extra_problems=_tag_problems,
    ),
]


def problems(using="default"):
    """What is missing or outdated, as :class:`Problem` rows; empty when all is in place."""
    return derived_machinery.problems(REGISTRY, using)


def ensure_all(using="default", *, signals=True):
    """Create whatever trigger, table or row is missing (recomputing what it then covers).

    ``signals=False`` (migration 0008) leaves out the signal-kept entries: they
    read through today's models, which a later migration may have changed.
    """
    derived_machinery.ensure_all(REGISTRY, using, signals=signals)


def recompute_all(using="default"):
    """Recreate every trigger, then recompute every derived value from scratch.

    Returns ``{name: what its recompute returned}``. In the registry's order:
    claim status before the topic counts that count it, the search index
    before the passages its triggers index as they are cut, the corpus
    version bumped last.
    """
    return derived_machinery.recompute_all(REGISTRY, using)


def on_post_migrate(sender, using="default", **kwargs):
    ensure_all(using)
