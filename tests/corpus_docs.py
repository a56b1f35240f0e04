"""Small corpus documents for import tests, so that each test writes out only what its case is about."""

from factcheck import corpus


def corpus_doc(*claims, sources, topic=("t", "T?"), format=corpus.FORMAT):
    """A corpus document: ``sources`` (dicts), one ``topic`` (slug, title), and on it ``claims`` (``claim_record``)."""
    slug, title = topic
    return {
        "format": format,
        "sources": list(sources),
        "topics": [{"slug": slug, "title": title}],
        "claims": [{"key": record["key"], "topic": slug, **record} for record in claims],
    }


def claim_record(key, text, *assertions, **fields):
    """A claim record for ``corpus_doc``; ``fields`` (``translations``, ``kind``…) go before its assertions."""
    return {"key": key, "text": text, **fields, "assertions": list(assertions)}


def quote_record(source, text, stance="supports", **fields):
    """An assertion record: ``text`` quoted from the source keyed ``source``."""
    return {"source": source, "stance": stance, "quote": text, **fields}
