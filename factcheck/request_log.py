"""One log line per client error; tracebacks only for the server's own.

Django logs every 4xx it turns an exception into (``BadRequest``, ``Http404``,
``PermissionDenied``, ``SuspiciousOperation``) with that exception's
traceback: about 1.6 KB for ``?page=x``, the cause of which is the client's
input, not our code. :class:`ClientErrorsOnOneLine` rewrites such records
(those carrying a ``status_code`` below 500) to
``<method> <path> <status> <reason>`` without the traceback. 5xx records
pass untouched. Wired up in ``settings.LOGGING``.
"""

import logging
import re
from http import HTTPStatus

MAX_PART = 300  # characters of the path and of the reason kept
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(text):
    """``text`` on one line, cut to MAX_PART: a path or message is the client's, and may hold a newline."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    return text if len(text) <= MAX_PART else f"{text[:MAX_PART]}…"


def _reason(record, status, request):
    exc = record.exc_info[1] if record.exc_info else None
    message = str(exc) if exc is not None else getattr(request, "error_message", "")
    # Django's own 404 for an unmatched URL carries a resolver dict, not prose.
    if message and not message.startswith("{"):
        return message
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Client error"


class ClientErrorsOnOneLine(logging.Filter):
    """Shorten the record of a 4xx response to one line; never drops a record."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500 or getattr(record, "_one_line", False):
            return True
        request = getattr(record, "request", None)
        method = getattr(request, "method", None) or "-"
        path = getattr(request, "path", None) or "-"
        record.msg = f"{_printable(method)} {_printable(path)} {status} {_printable(_reason(record, status, request))}"
        record.args = ()
        record.exc_info = record.exc_text = record.stack_info = None
        record._one_line = True
        return True
