"""factcheck's operations harness: the benchmark, the load test, the evidence evaluation.

Development tools, kept out of the app: ``factcheck/`` imports nothing from
here, and production's URLconf and settings carry no trace of them. Run each
from the repository root as ``python -m tools.<module>`` (the Makefile's
``bench``, ``loadtest``, ``eval`` and ``test-pg`` targets do):

- ``bench``: the benchmark (``make bench``), with ``bench_data`` (its synthetic
  corpus), ``bench_site`` and ``bench_settings`` (the reference view and the
  query count its server adds) and ``loadgen`` (its load generator);
- ``loadtest``: the load and fault test (``make loadtest``), with ``load_checks``
  (what runs inside Django against its scratch database);
- ``eval_evidence``: the evidence finder's recall (``make eval``);
- ``appserver``: the one gunicorn runner, and ``scratchdb``: the one scratch
  database, for all of the above and for the tests;
- ``pgtemp``: a throwaway PostgreSQL server, and ``redistemp`` a Redis one,
  sharing their lifecycle (command line, temporary directory) in
  ``tempserver`` (standard library only, so CI can run them before any
  virtual environment exists: this file imports nothing).
"""
