"""One JSON object per log line, for a log collector: ``DJANGO_LOG_FORMAT=json``.

Our own thirty lines rather than python-json-logger: the fields are few and
fixed (``time``, ``level``, ``logger``, ``message``, then ``exception`` and
whatever the caller passed as ``extra``), and a dependency for them would
outweigh them. ``settings.LOGGING`` puts it on the console handler, after the
filter that turns a client error into one line (factcheck/request_log.py).
"""

import json
import logging
from datetime import UTC, datetime

# What every LogRecord carries; anything else came in through ``extra=`` and is kept.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _request_fields(request):
    # Django's request loggers pass the HttpRequest itself; its repr is no use to a
    # collector, and its headers and body may hold what must not be logged.
    return {"method": getattr(request, "method", None), "path": getattr(request, "path", None)}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _RECORD_ATTRIBUTES or key.startswith("_") or key in entry:
                continue
            if key == "request":
                entry.update(_request_fields(value))
            else:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # ASCII escapes keep a message's newlines and U+2028 inside the one line.
        return json.dumps(entry, default=str, ensure_ascii=True)
