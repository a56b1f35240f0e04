"""A per-process cache bounded by the bytes it holds, not by its number of entries.

Django's LocMemCache counts entries: 500 pages of a 470 KB source hold 235 MB
in every worker. This one adds up the size of what it stores (the pickled
value, the key and a fixed allowance for the bookkeeping around them) and,
past ``MAX_BYTES`` (set beside ``TIMEOUT``), evicts the least recently used
entries until it fits again. It has no entry limit unless
``OPTIONS["MAX_ENTRIES"]`` sets one.

Every thread's instance of a named cache shares one store, as LocMemCache's
do; the running total lives beside it and changes only under its lock.
"""

import sys

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured

DEFAULT_MAX_BYTES = 64 * 2**20
# Held per entry beyond its key and value: the OrderedDict node, the expiry
# entry and the objects' headers: about 200 bytes by tracemalloc, doubled to be safe.
ENTRY_OVERHEAD = 400

_held = {}  # cache name -> [bytes held]


class ByteBoundedLocMemCache(LocMemCache):
    def __init__(self, name, params):
        max_bytes = params.get("MAX_BYTES", DEFAULT_MAX_BYTES)
        if not isinstance(max_bytes, int) or max_bytes < 1:
            raise ImproperlyConfigured(f"cache {name!r}: MAX_BYTES must be a positive whole number; got {max_bytes!r}")
        options = {"MAX_ENTRIES": sys.maxsize, **(params.get("OPTIONS") or {})}
        super().__init__(name, {**params, "OPTIONS": options})
        self.max_bytes = max_bytes
        self._held = _held.setdefault(name, [0])

    @property
    def bytes_held(self):
        return self._held[0]

    @staticmethod
    def _size(key, pickled):
        return len(key) + len(pickled) + ENTRY_OVERHEAD

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        self._delete(key)  # a replaced value no longer counts
        size = self._size(key, value)
        if size > self.max_bytes:
            return  # storing it would evict everything else, and then itself
        super()._set(key, value, timeout)
        self._held[0] += size
        while self._held[0] > self.max_bytes:
            old_key, old_value = self._cache.popitem()  # the least recently used
            del self._expire_info[old_key]
            self._held[0] -= self._size(old_key, old_value)

    def _delete(self, key):
        value = self._cache.get(key)
        if not super()._delete(key):
            return False
        self._held[0] -= self._size(key, value)
        return True

    def _recount(self):
        self._held[0] = sum(self._size(key, value) for key, value in self._cache.items())

    def _cull(self):
        # Only with MAX_ENTRIES set; the parent drops entries without telling us which.
        super()._cull()
        self._recount()

    def incr(self, key, delta=1, version=None):
        value = super().incr(key, delta, version)
        with self._lock:
            self._recount()  # rare (the page cache never increments); exact beats fast here
        return value

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._held[0] = 0
