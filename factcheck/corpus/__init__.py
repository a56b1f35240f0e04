"""The corpus exchange formats.

JSON (``factcheck-corpus/1``): one document holding sources, topics, claims
and their assertions, keyed by stable keys (source ``key``, topic ``slug``,
claim ``key``) so that importing the same file twice changes nothing.

CSV: claims with their assertions, one row per assertion (columns
``CSV_COLUMNS``), for editing in a spreadsheet; the sources and topics it
names must already exist.

Import validates the whole document before writing anything; every problem
is reported with the file, the record (a JSON path, or a CSV line) and the
field it concerns, and nothing is written unless there are none. Nor is
anything written that deletes or changes editors' work (notes, decisions,
assertions editors added or edited) unless the caller says so
(``corpus.editorial``); a source's ``text_file`` is read only from beside
the JSON file (``reading.read_text_beside``).

Modules: ``reading`` (bytes to a document), ``csvfile`` (the CSV format,
both ways), ``checking`` (validation: the document's walk) and ``validator``
(its per-record and per-field checks), ``writing`` and ``editorial`` (the
import), ``exporting`` (JSON export).
"""

from factcheck.corpus.checking import quotes_after_text_change
from factcheck.corpus.common import FORMAT, FORMAT_1, FORMATS, KINDS, CorpusError, EditorialWork, occurrence_of
from factcheck.corpus.csvfile import CSV_COLUMNS, CSV_COLUMNS_1, export_csv, parse_csv
from factcheck.corpus.exporting import export_corpus
from factcheck.corpus.reading import decode_utf8, guess_format, parse_corpus, read_corpus_file
from factcheck.corpus.writing import ImportResult, import_corpus

__all__ = [
    "CSV_COLUMNS",
    "CSV_COLUMNS_1",
    "FORMAT",
    "FORMATS",
    "FORMAT_1",
    "KINDS",
    "CorpusError",
    "EditorialWork",
    "ImportResult",
    "decode_utf8",
    "export_corpus",
    "export_csv",
    "guess_format",
    "import_corpus",
    "occurrence_of",
    "parse_corpus",
    "parse_csv",
    "quotes_after_text_change",
    "read_corpus_file",
]
