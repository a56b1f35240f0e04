"""The evidence finder: which passages of which sources speak to a statement.

Source texts are cut into sentences (:func:`split_passages`) stored as
``Passage`` rows with their offsets. A query is answered in two steps:

1. the database's full-text index (the same engines as search) fetches the
   candidate sentences holding the query's rarer words, and the word
   statistics BM25 needs;
2. Python re-ranks the candidates with one analyser applied to query and
   passage alike: stemming, name aliases, a short list of irregular forms,
   demonyms and synonyms, British/American spellings, numbers written as
   words, and compounds ("air base" = "airbase"). The score is BM25 over the
   sentence plus a share of its neighbours' (a pronoun's antecedent often sits
   one sentence back), weighted by how much of the query the passage covers,
   with a bonus for query words that appear side by side.

Everything is deterministic and needs no model: the same input gives the
same ranking on SQLite and PostgreSQL.

The package: ``passages`` (cutting sources into sentences), ``vocabulary``
(the editors' choices, in the database: name aliases and synonym groups),
``ranking`` (scoring candidates) and ``engine`` (the database round trips and
``find_evidence``). The analyser and the facts of English it applies are
``factcheck.analyser`` and ``factcheck.language``: site search reads words
with them too.
"""

from factcheck.analyser import Analyzer, SynonymTable, Term
from factcheck.evidence.engine import (
    CANDIDATES,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    _Engine,
    _query_terms,
    _retrieval_terms,
    find_evidence,
)
from factcheck.evidence.passages import (
    connect_signals,
    refresh_all_passages,
    refresh_passages,
    split_passages,
    stale_sources,
)
from factcheck.evidence.ranking import Evidence, PlainBM25, QueryTerm, rank
from factcheck.evidence.vocabulary import load_vocabulary

__all__ = [
    "CANDIDATES",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_QUERY_LENGTH",
    "Analyzer",
    "Evidence",
    "PlainBM25",
    "QueryTerm",
    "SynonymTable",
    "Term",
    "_Engine",
    "_query_terms",
    "_retrieval_terms",
    "connect_signals",
    "find_evidence",
    "load_vocabulary",
    "rank",
    "refresh_all_passages",
    "refresh_passages",
    "split_passages",
    "stale_sources",
]
