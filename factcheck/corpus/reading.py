"""Reading a corpus file: bytes to a document, not yet validated."""

import codecs
import json
from pathlib import Path

from factcheck.corpus.common import CorpusError
from factcheck.corpus.csvfile import parse_csv


def decode_utf8(raw, label):
    """``raw`` as text; a byte that is not UTF-8 is reported with its place."""
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = bom + exc.start
        line = raw.count(b"\n", 0, pos) + 1
        column = pos - (raw.rfind(b"\n", 0, pos) + 1) + 1
        raise CorpusError(
            [
                f"{label}: not UTF-8 text: byte {raw[pos]:#04x} at offset {pos} (line {line}, column {column}) "
                "is not valid UTF-8; save the file as UTF-8"
            ]
        ) from None


def guess_format(name, text):
    suffix = Path(str(name)).suffix.lower()
    if suffix in (".csv", ".json"):
        return suffix[1:]
    return "json" if text.lstrip()[:1] in ("{", "[") else "csv"


def parse_corpus(raw, *, label, fmt=None):
    """Bytes of a JSON or CSV corpus file → the corpus document, not yet validated."""
    text = decode_utf8(raw, label)
    fmt = fmt or guess_format(label, text)
    if fmt == "csv":
        return parse_csv(text, label)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError([f"{label}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"]) from None


def read_corpus_file(path, fmt=None):
    """Parse a corpus file; text_file references are resolved beside it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    return parse_corpus(raw, label=str(path), fmt=fmt), path.parent
