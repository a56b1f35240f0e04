"""How ``make test`` shares the suite between pytest-xdist workers (``--dist loadscope``).

Two things must hold on every worker, as they do in one process:

- Tests that commit (``transaction=True``) end by flushing the database, rows
  that data migrations seeded included; pytest-django runs them after the
  tests that roll back, which need those rows. xdist's own loadscope hands out
  whole modules, biggest first, so a worker could run a committing module and
  then one that expects the seeded rows. Here a unit of work is a run of one
  module's tests in pytest-django's order, and units go out in that order: a
  worker only takes a later test after the earlier ones it was given.
- The browser package (tests/browser/) is one unit, handed out first: one
  Chromium, one live server and one corpus load on one worker, while the other
  starts on the rest. Its fixtures put the database back as they found it, so
  it may run before anything.
"""

from collections import OrderedDict

from xdist.scheduler import LoadScopeScheduling

BROWSER = "tests/browser/"


def units_in_order(nodeids):
    """nodeid -> unit: consecutive tests of one module (or of the browser package) form a unit."""
    unit_of, runs, previous = {}, 0, None
    for nodeid in nodeids:
        name = BROWSER if nodeid.startswith(BROWSER) else nodeid.split("::", 1)[0]
        if name != previous:
            runs, previous = runs + 1, name
        unit_of[nodeid] = f"{name} (run {runs})"
    return unit_of


class _BrowserFirst(OrderedDict):
    def __setitem__(self, unit, nodeids):
        super().__setitem__(unit, nodeids)
        if unit.startswith(BROWSER):
            self.move_to_end(unit, last=False)


class InOrderScheduling(LoadScopeScheduling):
    def __init__(self, config, log=None):
        super().__init__(config, log)
        self.workqueue = _BrowserFirst()
        self.unit_of = {}

    def schedule(self):
        if self.collection is None and self.registered_collections:
            self.unit_of = units_in_order(next(iter(self.registered_collections.values())))
        # Collection order, not xdist's biggest-first: see the module's docstring.
        option = self.config.option
        reorder, option.loadscopereorder = option.loadscopereorder, False
        try:
            super().schedule()
        finally:
            option.loadscopereorder = reorder

    def _split_scope(self, nodeid):
        return self.unit_of[nodeid]
