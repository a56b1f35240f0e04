"""The data editors' admin.

Every form here runs the same checks as import and the editors' pages: a
quote is located in its source (``Assertion.locate``), offsets are computed,
never typed; a source's new text must still hold every quote that cites it;
an edit based on an out-of-date version is refused rather than applied over
someone else's change. Every save and delete goes through
``factcheck.services``, the writer the editors' pages and import call too
(``tests/integration/test_admin_writes.py`` checks). Every change page links
to its history.

One module per seam: ``base`` (what every model's admin shares),
``filters``, ``sources``, ``claims`` (topics and claims), ``assertions``
(their form, the claim's inline, their own admin),
``notes`` (notes and resolutions), ``speakers`` (speakers, and a source's
origins), ``corpus_views`` (import and export),
``aliases`` and ``synonyms`` (the evidence finder's synonym groups),
``tokens`` (API tokens).
Importing them registers their models.
"""

from django.contrib import admin

from factcheck.admin import aliases, assertions, claims, corpus_views, desk, notes, sources, speakers, synonyms, tokens
from factcheck.admin.base import HistoryAdmin, VersionedModelForm
from factcheck.admin.filters import ManyChoicesFilter, SourceFilter, TopicFilter

admin.site.site_header = "factcheck data entry"
admin.site.site_title = "factcheck admin"
admin.site.index_title = "Sources, claims and the corpus"

__all__ = [
    "HistoryAdmin",
    "ManyChoicesFilter",
    "SourceFilter",
    "TopicFilter",
    "VersionedModelForm",
    "aliases",
    "assertions",
    "claims",
    "corpus_views",
    "desk",
    "notes",
    "sources",
    "speakers",
    "synonyms",
    "tokens",
]
