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

from django.db import connections

from factcheck.search import INDEXED, index_table

SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"


def _sqlite_statements(kind):
    spec = INDEXED[kind]
    fts, table, cols = index_table(kind), spec["table"], spec["columns"]
    col_list = ", ".join(cols)
    new_values = ", ".join(f"new.{c}" for c in cols)
    table_sql = f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({col_list}, tokenize='{SQLITE_TOKENIZER}')"
    triggers = {
        f"{fts}_ai": f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {col_list}) VALUES (new.id, {new_values}); END",
        f"{fts}_au": f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {col_list} ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = old.id; "
        f"INSERT INTO {fts}(rowid, {col_list}) VALUES (new.id, {new_values}); END",
        f"{fts}_ad": f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = old.id; END",
    }
    rebuild = [f"DELETE FROM {fts}", f"INSERT INTO {fts}(rowid, {col_list}) SELECT id, {col_list} FROM {table}"]
    return table_sql, triggers, rebuild


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
    return f"to_tsvector('english', {_folded(f'{row}.{cols[0]}')})"


def _pg_statements(kind):
    spec = INDEXED[kind]
    fts, table, cols = index_table(kind), spec["table"], spec["columns"]
    tables = [
        f"CREATE TABLE IF NOT EXISTS {fts} (id bigint PRIMARY KEY, vec tsvector NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {fts}_vec ON {fts} USING GIN (vec)",
        f"""CREATE OR REPLACE FUNCTION {fts}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM {fts} WHERE id = OLD.id;
  ELSE
    INSERT INTO {fts} (id, vec) VALUES (NEW.id, {_pg_vector(kind, "NEW")})
    ON CONFLICT (id) DO UPDATE SET vec = EXCLUDED.vec;
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
    triggers = {
        f"{fts}_sync": f"CREATE OR REPLACE TRIGGER {fts}_sync AFTER INSERT OR UPDATE OF {', '.join(watched)} OR DELETE "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {fts}_sync()",
        # Django's flush (between transactional tests) truncates, which row triggers do not see.
        f"{fts}_truncate": f"CREATE OR REPLACE TRIGGER {fts}_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {fts}_truncate()",
    }
    rebuild = [f"TRUNCATE {fts}", f"INSERT INTO {fts} (id, vec) SELECT t.id, {_pg_vector(kind, 't')} FROM {table} t"]
    return tables, triggers, rebuild


def _existing(cursor, vendor):
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    else:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            " UNION SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        )
    return {row[0] for row in cursor.fetchall()}


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
        for kind, spec in INDEXED.items():
            if spec["table"] not in existing:
                continue  # migrated back to before this table existed
            columns = {c.name for c in conn.introspection.get_table_description(cursor, spec["table"])}
            if not set(spec["columns"] + spec.get("languages", [])) <= columns:
                continue  # an earlier migration: the one adding the columns (0019) builds this index
            if vendor == "sqlite":
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
                for suffix in ("ai", "au", "ad"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")
            elif conn.vendor == "postgresql":
                table = INDEXED[kind]["table"]
                cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_sync ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_truncate ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {fts}_sync()")
                cursor.execute(f"DROP FUNCTION IF EXISTS {fts}_truncate()")
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
