"""Parts of pages that do not depend on who is reading, cached under the page cache's versions.

Logged-in editors' pages are never stored whole (they carry a CSRF token,
the editor's name, their controls). What they share with every reader — a
topic's grid, a source's text with its highlights, an assertion card — is
rendered once and stored here, keyed by name and arguments, with the tags
its render recorded (factcheck/page_store.py), and served while none of their
versions moved: the same guarantee as a cached page, one query to check.

In a template: ``{% fragment "topic" topic.pk %} … {% endfragment %}``
(``page_tags``). What goes inside must be the same for every user: no CSRF
token, no permission check, nothing from ``request.user``. A view keeps its
expensive reads lazy (``SimpleLazyObject``) so that a hit skips them too.
"""

import contextlib
import contextvars
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connections, models
from django.utils import translation
from django.utils.safestring import mark_safe

from factcheck import cache_tags, page_store


def _key(name, parts):
    named = [f"{p._meta.db_table}:{p.pk}" if isinstance(p, models.Model) else repr(p) for p in parts]
    # A fragment's words are in the interface language: one copy per language.
    raw = "\n".join([str(settings.DATABASES["default"]["NAME"]), translation.get_language() or "", name, *named])
    return "fragment:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _given(parts):
    """The object tags of the model instances among ``parts``: loaded before the fragment, shown in it."""
    return {cache_tags.object_tag(p._meta.db_table, p.pk) for p in parts if isinstance(p, models.Model)}


_prefetched = contextvars.ContextVar("factcheck_prefetched_fragments", default=None)


@contextlib.contextmanager
def prefetched(specs):
    """Check the fragments a page is about to render, ``[(name, parts)]``, with one version query.

    A claim page has a fragment per assertion card: on PostgreSQL a query
    each was most of an editor's page. Inside the block those found valid
    are served without a query of their own; the others are looked up and
    rendered as usual, those found stale without reading their versions again.
    """
    memo, stale, versions = {}, {}, None
    if settings.FACTCHECK_PAGE_CACHE and not connections["default"].in_atomic_block:
        keys = [_key(name, parts) for name, parts in specs]
        found = caches[page_store.CACHE_ALIAS].get_many(keys)
        versions = page_store.read_versions(set().union(*(stored.tags for stored in found.values())))
        if versions is not None:
            for key, stored in found.items():
                (memo if page_store._still_valid(stored, versions) else stale)[key] = stored
    token = _prefetched.set((memo, stale, versions))
    try:
        yield
    finally:
        _prefetched.reset(token)


def cached_fragment(name, parts, render):
    """``render()``'s HTML, from the cache while what it showed is unchanged.

    ``parts`` make the key; model instances among them (loaded before the
    fragment, and shown in it) are tags it depends on, besides the rows its
    render loads. Inside a page being cached (an anonymous reader's), the
    page depends on the fragment's tags as if it had rendered it itself.
    """
    if not settings.FACTCHECK_PAGE_CACHE or connections["default"].in_atomic_block:
        return render()
    key = _key(name, parts)
    memo, stale, read = _prefetched.get() or ({}, {}, None)
    stored = memo.get(key)
    if stored is not None:
        page_store.depends_on(*stored.tags)
        return mark_safe(stored.content)
    # Found stale by the prefetch (the claim's history after a note): its versions are not read again.
    stored, versions = page_store.lookup(key, stale=(stale[key], read) if key in stale else None)
    if versions is None:
        return render()
    if stored is not None:
        page_store.depends_on(*stored.tags)
        return mark_safe(stored.content)  # stored from a render's SafeString
    with page_store.recording() as recorded:
        html = render()
    recorded.setdefault(None, set()).update(_given(parts))
    tags = page_store._depends_on(recorded, ())
    page_store.depends_on(*tags)
    page_store.keep(key, tags, versions, str(html), [])
    return html
