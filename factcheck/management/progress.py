"""Progress of long imports and exports, on standard error.

On a terminal one line is rewritten in place, at most ten times a second.
Elsewhere (a log, a pipe) nothing is written unless asked for with
``--progress``, and then one line per tenth of the work, so logs stay short.
"""

import time


class Progress:
    def __init__(self, stream, *, requested=False):
        self.stream = stream
        self.tty = stream.isatty()
        self.enabled = self.tty or requested
        self._last_time = float("-inf")  # the first update always shows
        self._last_tenth = {}
        self._open_line = False

    def __call__(self, stage, done, total):
        if not self.enabled or not total:
            return
        if self.tty:
            now = time.monotonic()
            if done < total and now - self._last_time < 0.1:
                return
            self._last_time = now
            self.stream.write(f"\r{stage}: {done}/{total}", ending="")
            self._open_line = done < total
            if not self._open_line:
                self.stream.write("")
            self.stream.flush()
            return
        tenth = done * 10 // total
        if tenth > self._last_tenth.get(stage, -1):
            self._last_tenth[stage] = tenth
            self.stream.write(f"{stage}: {done}/{total} ({done * 100 // total}%)")

    def close(self):
        """End a line left open by an interrupted stage."""
        if self._open_line:
            self.stream.write("")
            self._open_line = False
