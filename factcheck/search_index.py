"""The search indexes' tables and the triggers that keep them current.

Each indexed kind (claims, quotes, notes, sources, passages) has one index
table whose row id is the document's id. Database triggers on the document
tables insert, replace and delete index rows, so no write path can leave the
index stale: not the admin, not the corpus import, not ``QuerySet.update()``.

SQLite drops a table's triggers when Django remakes the table during a later
migration (``ALTER`` it cannot do in place), so :func:`ensure_search_schema`
runs after every ``migrate`` (factcheck/derived.py) and recreates what is missing, rebuilding the
index of any kind whose triggers had gone.
"""

import re

from django.db import connections

from factcheck.search import INDEXED, index_table
from factcheck.search.postgres import STATUS_KINDS

SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"


def _wordings_sql(kind, claim_id):
    """A claim's wordings in other languages as one text (SQLite), for the claims' index."""
    table = INDEXED[kind]["wordings"]
    return f"(SELECT coalesce(group_concat(w.text, ' '), '') FROM {table} w WHERE w.claim_id = {claim_id})"


def _sqlite_statements(kind, wordings=True):
    """``wordings``: False while the wordings' table does not exist (migrated back before it)."""
    spec = INDEXED[kind]
    fts, table, cols = index_table(kind), spec["table"], spec["columns"]
    wordings = wordings and "wordings" in spec
    col_list = ", ".join(cols + (["wordings"] if wordings else []))
    new_values = ", ".join([f"new.{c}" for c in cols] + ([_wordings_sql(kind, "new.id")] if wordings else []))
    table_sql = f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({col_list}, tokenize='{SQLITE_TOKENIZER}')"
    triggers = {
        f"{fts}_ai": f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {col_list}) VALUES (new.id, {new_values}); END",
        f"{fts}_au": f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {', '.join(cols)} ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = old.id; "
        f"INSERT INTO {fts}(rowid, {col_list}) VALUES (new.id, {new_values}); END",
        f"{fts}_ad": f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = old.id; END",
    }
    values = ", ".join([f"t.{c}" for c in cols] + ([_wordings_sql(kind, "t.id")] if wordings else []))
    if wordings:
        # A wording added, changed or removed re-indexes its claim (both claims, if it moved).
        def refresh(claim_id):
            return (
                f"DELETE FROM {fts} WHERE rowid = {claim_id}; INSERT INTO {fts}(rowid, {col_list}) "
                f"SELECT t.id, {values} FROM {table} t WHERE t.id = {claim_id};"
            )

        child = spec["wordings"]
        triggers.update(
            {
                f"{fts}_wi": f"CREATE TRIGGER IF NOT EXISTS {fts}_wi AFTER INSERT ON {child} BEGIN "
                f"{refresh('new.claim_id')} END",
                f"{fts}_wu": f"CREATE TRIGGER IF NOT EXISTS {fts}_wu AFTER UPDATE OF text, claim_id ON {child} BEGIN "
                f"{refresh('old.claim_id')} {refresh('new.claim_id')} END",
                f"{fts}_wd": f"CREATE TRIGGER IF NOT EXISTS {fts}_wd AFTER DELETE ON {child} BEGIN "
                f"{refresh('old.claim_id')} END",
            }
        )
    rebuild = [f"DELETE FROM {fts}", f"INSERT INTO {fts}(rowid, {col_list}) SELECT t.id, {values} FROM {table} t"]
    return table_sql, triggers, rebuild


def trigger_table(sql):
    """The table a ``CREATE TRIGGER`` statement watches."""
    return re.search(r" ON (\w+)", sql).group(1)


# PostgreSQL's text-search configurations (PostgreSQL 12 and later) by ISO 639-1 code;
# any other language is indexed with ``simple`` (folded words, no stemming).
PG_CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}


def _pg_config(language_sql):
    cases = " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in sorted(PG_CONFIGS.items()))
    return f"(CASE {language_sql} {cases} ELSE 'simple' END)::regconfig"


def _folded(column):
    """The column in lower case under ICU's rules, whatever the database's locale.

    Under the C locale PostgreSQL lower-cases ASCII only, so "Тартус" would
    be indexed as written and never match a query typed "тартус"; queries
    are lower-cased by Python's ``str.lower`` to match (search/postgres.py).
    """
    return f"lower(coalesce({column}, '') COLLATE \"und-x-icu\")"


def _pg_text(config, column):
    """A text's vector in its language's configuration; not English, also as written (``simple``).

    The unstemmed words let a query in another language's configuration
    (an English reader's query names a Russian place) still find them.
    """
    text = _folded(column)
    return (
        f"(to_tsvector({config}, {text}) || CASE WHEN {config} = 'english'::regconfig"
        f" THEN ''::tsvector ELSE to_tsvector('simple', {text}) END)"
    )


def _pg_vector(kind, row):
    cols = INDEXED[kind]["columns"]
    source_language = f"(SELECT s.language FROM factcheck_source s WHERE s.id = {row}.source_id)"
    if kind == "sources":
        config = _pg_config(f"{row}.language")
        # The title weighs more than the body (ts_rank: A = 1.0, B = 0.4).
        return (
            f"setweight({_pg_text(config, f'{row}.title')}, 'A') || setweight({_pg_text(config, f'{row}.text')}, 'B')"
        )
    if kind == "passages":
        return _pg_text(_pg_config(source_language), f"{row}.text")
    if kind == "quotes":
        quote = _pg_text(_pg_config(f"coalesce(nullif({row}.language, ''), {source_language})"), f"{row}.quote")
        translation = _pg_text(_pg_config(f"{row}.translation_language"), f"{row}.translation")
        return f"{quote} || {translation}"
    vector = f"to_tsvector('english', {_folded(f'{row}.{cols[0]}')})"
    if "wordings" in INDEXED[kind]:
        vector = f"({vector} || {index_table(kind)}_wordings({row}.id))"
    return vector


def _pg_wordings_function(kind):
    """A claim's wordings, each in its own language's configuration (as a source's text is)."""
    fts, child = index_table(kind), INDEXED[kind]["wordings"]
    text = _pg_text(_pg_config("w.language"), "w.text")
    return f"""CREATE OR REPLACE FUNCTION {fts}_wordings(claim bigint) RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
DECLARE
  vec tsvector := ''::tsvector;
  w record;
BEGIN
  FOR w IN SELECT language, text FROM {child} WHERE claim_id = claim LOOP
    vec := vec || {text};
  END LOOP;
  RETURN vec;
END $$"""


def _pg_status(kind, row):
    if kind == "claims":
        return f"{row}.status"
    return f"coalesce((SELECT c.status FROM factcheck_claim c WHERE c.id = {row}.claim_id), '')"


def _pg_row(kind, row):
    """``(columns, values, on-conflict assignments)`` of an index row of ``kind`` built from document ``row``."""
    if kind == "quotes":
        # The quote's source beside its claim's status: a search of sources by status asks
        # whether a source has a quote of that status there (factcheck/search/postgres.py).
        return (
            "id, vec, status, source_id",
            f"{row}.id, {_pg_vector(kind, row)}, {_pg_status(kind, row)}, {row}.source_id",
            "vec = EXCLUDED.vec, status = EXCLUDED.status, source_id = EXCLUDED.source_id",
        )
    if kind in STATUS_KINDS:
        return (
            "id, vec, status",
            f"{row}.id, {_pg_vector(kind, row)}, {_pg_status(kind, row)}",
            ("vec = EXCLUDED.vec, status = EXCLUDED.status"),
        )
    return "id, vec", f"{row}.id, {_pg_vector(kind, row)}", "vec = EXCLUDED.vec"


def _pg_upsert(kind, where):
    """Re-index the rows of ``kind`` matching ``where`` (on the document table ``t``)."""
    fts, table = index_table(kind), INDEXED[kind]["table"]
    columns, values, update = _pg_row(kind, "t")
    return (
        f"INSERT INTO {fts} ({columns}) SELECT {values} FROM {table} t WHERE {where} "
        f"ON CONFLICT (id) DO UPDATE SET {update};"
    )


# Kinds whose vectors stay in the index row up to a whole page (migration 0027).
# A source's vector, 2–10 KB with its positions and barely compressible, was
# otherwise moved out of line to the TOAST table, and read from there twice for
# each source a search walks: once to test it, once to rank it (~3 ms of an
# overview's 5). In the row, both read the page the walk has already pinned.
INLINE_KINDS = ("sources",)


# Kinds whose vectors' statistics sample more rows than the default (migration
# 0027). Knowing fewer than 100 frequent lexemes of a column, PostgreSQL
# estimates each prefix of a query (a Russian or Arabic word's inflections) to
# match 2 % of the rows: seven of them made "Tartus" seem to be in 14 % of the
# notes, so the notes were walked newest first, all 20,000 of them, to find
# none (5.6 ms), where the GIN index answers at once. Notes are short and say
# similar things: at the default, 57 lexemes passed ANALYZE's cut; at 400, 163.
VECTOR_STATISTICS = {"notes": 400}


def inline_vectors_sql(fts):
    """Keep ``fts``'s rows whole up to the largest a page holds (the block size less its header: 8160 for 8 KB)."""
    return (
        "DO $$ BEGIN EXECUTE format('ALTER TABLE %I SET (toast_tuple_target = %s)',"
        f" '{fts}', current_setting('block_size')::int - 32); END $$"
    )


def _pg_statements(kind):
    spec = INDEXED[kind]
    fts, table, cols = index_table(kind), spec["table"], spec["columns"]
    columns, values, update = _pg_row(kind, "NEW")
    tables = [
        f"CREATE TABLE IF NOT EXISTS {fts} (id bigint PRIMARY KEY, vec tsvector NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {fts}_vec ON {fts} USING GIN (vec)",
        f"""CREATE OR REPLACE FUNCTION {fts}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM {fts} WHERE id = OLD.id;
  ELSE
    INSERT INTO {fts} ({columns}) VALUES ({values})
    ON CONFLICT (id) DO UPDATE SET {update};
  END IF;
  RETURN NULL;
END $$""",
        f"""CREATE OR REPLACE FUNCTION {fts}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE {fts};
  RETURN NULL;
END $$""",
    ]
    watched = cols + spec.get("languages", [])  # a language picks the configuration
    if kind in STATUS_KINDS and kind != "claims":
        watched = [*watched, "claim_id"]  # moved to another claim: that claim's status
    if kind == "quotes":
        watched = [*watched, "source_id"]
    triggers = {
        f"{fts}_sync": f"CREATE OR REPLACE TRIGGER {fts}_sync AFTER INSERT OR UPDATE OF {', '.join(watched)} OR DELETE "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {fts}_sync()",
        # Django's flush (between transactional tests) truncates, which row triggers do not see.
        f"{fts}_truncate": f"CREATE OR REPLACE TRIGGER {fts}_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {fts}_truncate()",
    }
    if "wordings" in spec:
        tables += [
            _pg_wordings_function(kind),
            f"""CREATE OR REPLACE FUNCTION {fts}_wordings_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN {_pg_upsert(kind, "t.id = OLD.claim_id")} END IF;
  IF TG_OP <> 'DELETE' THEN {_pg_upsert(kind, "t.id = NEW.claim_id")} END IF;
  RETURN NULL;
END $$""",
        ]
        triggers[f"{fts}_wordings"] = (
            f"CREATE OR REPLACE TRIGGER {fts}_wordings AFTER INSERT OR UPDATE OF text, language, claim_id OR DELETE "
            f"ON {spec['wordings']} FOR EACH ROW EXECUTE FUNCTION {fts}_wordings_sync()"
        )
    if spec.get("source_language"):
        # The source's language picks these rows' configuration: a change re-indexes that source's rows.
        tables.append(
            f"""CREATE OR REPLACE FUNCTION {fts}_relanguage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_pg_upsert(kind, "t.source_id = NEW.id")}
  RETURN NULL;
END $$"""
        )
        triggers[f"{fts}_relanguage"] = (
            f"CREATE OR REPLACE TRIGGER {fts}_relanguage AFTER UPDATE OF language ON factcheck_source FOR EACH ROW "
            f"WHEN (OLD.language IS DISTINCT FROM NEW.language) EXECUTE FUNCTION {fts}_relanguage()"
        )
    if kind in INLINE_KINDS:
        tables.insert(1, inline_vectors_sql(fts))
    if kind == "quotes":
        tables[1:1] = [
            f"ALTER TABLE {fts} ADD COLUMN IF NOT EXISTS source_id bigint",
            f"CREATE INDEX IF NOT EXISTS {fts}_source_status ON {fts} (source_id, status)",
        ]
    if kind in VECTOR_STATISTICS:
        tables.insert(1, f"ALTER TABLE {fts} ALTER COLUMN vec SET STATISTICS {VECTOR_STATISTICS[kind]}")
    if kind in STATUS_KINDS:
        # A table made before the status was kept gains it here; the new trigger's absence rebuilds the index.
        tables[1:1] = [
            f"ALTER TABLE {fts} ADD COLUMN IF NOT EXISTS status varchar(12) NOT NULL DEFAULT ''",
            f"CREATE INDEX IF NOT EXISTS {fts}_status ON {fts} (status, id)",
        ]
        if kind == "claims":
            restatus = f"UPDATE {fts} SET status = NEW.status WHERE id = NEW.id;"
        else:
            restatus = (
                f"UPDATE {fts} f SET status = NEW.status FROM {table} t WHERE t.claim_id = NEW.id AND f.id = t.id;"
            )
        tables.append(
            f"""CREATE OR REPLACE FUNCTION {fts}_restatus() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {restatus}
  RETURN NULL;
END $$"""
        )
        triggers[f"{fts}_status"] = (
            f"CREATE OR REPLACE TRIGGER {fts}_status AFTER UPDATE OF status ON factcheck_claim FOR EACH ROW "
            f"WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION {fts}_restatus()"
        )
    columns, values, _ = _pg_row(kind, "t")
    rebuild = [f"TRUNCATE {fts}", f"INSERT INTO {fts} ({columns}) SELECT {values} FROM {table} t"]
    return tables, triggers, rebuild


def pg_functions(kind):
    """``{name: CREATE FUNCTION statement}`` of the functions ``kind``'s index uses."""
    tables, _, _ = _pg_statements(kind)
    return {re.search(r"FUNCTION (\w+)\(", sql).group(1): sql for sql in tables if "FUNCTION" in sql}


def _existing(cursor, vendor):
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    else:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            " UNION SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        )
    return {row[0] for row in cursor.fetchall()}


# SQLite: covering indexes a filtered search reads each match's claim through (factcheck/search/sqlite.py names
# them with INDEXED BY, so they must exist). A table a later migration rebuilds loses them; post_migrate's
# ensure_search_schema puts them back, as it does the triggers.
SQLITE_FILTER_INDEXES = {
    "claim_filter_idx": ("factcheck_claim", "id, status, topic_id"),
    "assertion_claim_of_idx": ("factcheck_assertion", "id, claim_id"),
}


def ensure_filter_indexes(cursor, existing):
    """Create the SQLite filter indexes missing on the tables in ``existing``."""
    for name, (table, columns) in SQLITE_FILTER_INDEXES.items():
        if table in existing:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def ensure_search_schema(using="default", force_rebuild=False):
    """Create whatever index table or trigger is missing; rebuild those kinds' indexes.

    Returns the kinds rebuilt. Idempotent, cheap when nothing is missing.
    """
    conn = connections[using]
    vendor = conn.vendor
    if vendor not in ("sqlite", "postgresql"):
        return []
    rebuilt = []
    with conn.cursor() as cursor:
        existing = _existing(cursor, vendor)
        if vendor == "sqlite":
            ensure_filter_indexes(cursor, existing)
        for kind, spec in INDEXED.items():
            if spec["table"] not in existing:
                continue  # migrated back to before this table existed
            columns = {c.name for c in conn.introspection.get_table_description(cursor, spec["table"])}
            if not set(spec["columns"] + spec.get("languages", [])) <= columns:
                continue  # an earlier migration: the one adding the columns (0019) builds this index
            if "wordings" in spec and spec["wordings"] not in existing:
                if vendor == "postgresql":
                    continue  # migrated back before the wordings (0019): 0019's forward rebuilds this index
                table_sql, triggers, rebuild = _sqlite_statements(kind, wordings=False)
                table_stmts = [table_sql]
            elif vendor == "sqlite":
                table_sql, triggers, rebuild = _sqlite_statements(kind)
                table_stmts = [table_sql]
            else:
                table_stmts, triggers, rebuild = _pg_statements(kind)
            missing = index_table(kind) not in existing or any(name not in existing for name in triggers)
            if not (missing or force_rebuild):
                continue
            for sql in table_stmts:
                cursor.execute(sql)
            for sql in triggers.values():
                cursor.execute(sql)
            for sql in rebuild:
                cursor.execute(sql)
            rebuilt.append(kind)
    return rebuilt


def drop_search_schema(using="default"):
    conn = connections[using]
    with conn.cursor() as cursor:
        for kind in INDEXED:
            fts = index_table(kind)
            if conn.vendor == "sqlite":
                for suffix in ("ai", "au", "ad", "wi", "wu", "wd"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")
            elif conn.vendor == "postgresql":
                _, triggers, _ = _pg_statements(kind)
                for name, sql in triggers.items():
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {trigger_table(sql)}")
                for name in pg_functions(kind):
                    cursor.execute(f"DROP FUNCTION IF EXISTS {name}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")


def index_counts(using="default"):
    """``{kind: (documents, indexed rows)}``, to check the index is whole."""
    conn = connections[using]
    counts = {}
    with conn.cursor() as cursor:
        for kind, spec in INDEXED.items():
            cursor.execute(f"SELECT (SELECT count(*) FROM {spec['table']}), (SELECT count(*) FROM {index_table(kind)})")
            counts[kind] = tuple(cursor.fetchone())
    return counts
