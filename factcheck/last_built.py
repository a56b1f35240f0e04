"""A value built from rows read afresh on every use, built again only when the rows differ."""


class LastBuilt:
    """``self(rows)`` is ``build(rows)``, kept beside ``rows`` and reused while the rows read stay equal.

    For what every request must read (another worker may have changed it) but
    which seldom changes and costs more to build than to compare: the alias
    table, the evidence finder's vocabulary. One pair a process; assigning a
    tuple is atomic, so two threads at worst build the same value twice.
    """

    def __init__(self, build):
        self._build = build
        self._last = None

    def __call__(self, rows):
        last = self._last
        if last is None or last[0] != rows:
            last = self._last = (rows, self._build(rows))
        return last[1]
