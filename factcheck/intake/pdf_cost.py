"""What reading a PDF page's text costs pypdf, estimated before it is read.

pypdf interprets content streams in Python, and follows every ``/Name Do`` into a form
XObject, again each time it is drawn. A page with a tiny content stream can therefore
draw a 10 MB form, or a form that draws another ten thousand times. The estimate is the
bytes pypdf would interpret: a stream's own length plus, for every ``Do``, the cost of
the form it names (memoised per form, bounded in depth, capped at ``limit``).
"""

from __future__ import annotations

import re
from typing import Any

_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")
MAX_DEPTH = 12


def page_cost(page: Any, *, limit: int, memo: dict[Any, int]) -> int:
    """Bytes of content pypdf would interpret for ``page``'s text, at most ``limit + 1``."""
    contents = page.get_contents()
    if contents is None:
        return 0
    return _stream_cost(contents.get_data(), _resolve(page.get("/Resources")), 0, limit, memo)


def _stream_cost(data: bytes, resources: Any, depth: int, limit: int, memo: dict[Any, int]) -> int:
    cost = len(data)
    if cost > limit or b"Do" not in data:
        return min(cost, limit + 1)
    xobjects: Any = _resolve(resources.get("/XObject")) if hasattr(resources, "get") else None
    if not hasattr(xobjects, "get"):
        return cost
    for match in _DO.finditer(data):
        cost += _form_cost(xobjects.get("/" + match.group(1).decode("latin-1")), resources, depth, limit, memo)
        if cost > limit:
            return limit + 1
    return cost


def _form_cost(reference: Any, inherited: Any, depth: int, limit: int, memo: dict[Any, int]) -> int:
    if reference is None:
        return 0
    key = (reference.idnum, reference.generation) if hasattr(reference, "idnum") else id(reference)
    if key in memo:
        return memo[key]
    if depth >= MAX_DEPTH:
        return limit + 1  # nesting this deep is no real document
    memo[key] = limit + 1  # while it is being measured: a form that draws itself costs everything
    form = _resolve(reference)
    if not hasattr(form, "get") or form.get("/Subtype") != "/Form":
        memo[key] = 0  # images and the like are not interpreted for text
        return 0
    resources = _resolve(form.get("/Resources")) or inherited
    memo[key] = _stream_cost(form.get_data(), resources, depth + 1, limit, memo)
    return memo[key]


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value
