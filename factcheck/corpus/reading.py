"""Reading a corpus file: bytes to a document, not yet validated."""

import codecs
import json
import os
import stat
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


def read_text_beside(folder, name):
    """The UTF-8 text of the file ``name``, which must lie inside ``folder``.

    A corpus file names its source texts, and the import publishes them: it
    may read what the file's author put beside it, nothing else on the
    machine. So an absolute path or ``..`` leading out of the folder, a
    symbolic link anywhere on the way, and anything but a regular file (a
    device, a FIFO) are refused. Raises ``ValueError`` saying why.
    """
    if not isinstance(name, str) or not name.strip() or "\0" in name:
        raise ValueError(f"{name!r} is not a file name")
    folder = Path(folder).resolve()
    # Lexically, so that no link is followed before each step is checked below.
    path = Path(os.path.normpath(folder / name))
    if path == folder or not path.is_relative_to(folder):
        raise ValueError(f"{name!r} lies outside the folder of the corpus file ({folder}); put the text file there")
    step = folder
    for part in path.relative_to(folder).parts:
        step = step / part
        if step.is_symlink():
            raise ValueError(f"{name!r} goes through a symbolic link ({step.name}); copy the text file there instead")
    # O_NOFOLLOW: a link put there after the check is refused too; O_NONBLOCK:
    # opening a FIFO does not hang before fstat says it is not a regular file.
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ValueError(f"there is no file {name!r} in {folder}") from None
    except OSError as exc:
        raise ValueError(f"cannot open {name!r} ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ValueError(f"{name!r} is not a regular file")
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name!r} is not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start})") from None
