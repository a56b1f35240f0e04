"""Listing the triggers this app keeps in the database (page-cache version, topic counts)."""


def existing_triggers(cursor, prefix):
    """Names of the user triggers whose name starts with ``prefix``, on SQLite or PostgreSQL."""
    if cursor.db.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [prefix + "%"])
    else:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s", [prefix + "%"])
    return {row[0] for row in cursor.fetchall()}
