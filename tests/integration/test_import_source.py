"""``manage.py import_source``: a new source document from a text file, refused when anything is off."""

import io

import pytest
from django.core.management import CommandError, call_command

from factcheck.models import IntakeJob, Source
from tests.conftest import make_source

TEXT = "Moscow, 15 October 2025. Al-Sharaa met Putin.\nBoth sides said the “agreements will be respected”.\n"


def _file(tmp_path, content, name="doc.txt"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def _run(*args):
    out = io.StringIO()
    call_command("import_source", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _refused(*args):
    before = (Source.objects.count(), Source.history.count())
    with pytest.raises(CommandError) as exc:
        _run(*args)
    assert (Source.objects.count(), Source.history.count()) == before
    return str(exc.value)


def test_it_adds_a_source_verbatim_with_its_metadata_and_prints_a_summary(db, tmp_path):
    path = _file(tmp_path, TEXT)
    out = _run(
        path,
        "--title",
        "Al-Sharaa in Moscow",
        "--publisher",
        "TRT World",
        "--author",
        "Murat Sofuoglu",
        "--url",
        "https://example.org/a",
        "--published",
        "2025-10-16",
        "--as-of",
        "2025-10",
        "--kind",
        "news",
    )
    source = Source.objects.get()
    assert out == (
        f"Added source 'al-sharaa-in-moscow' “Al-Sharaa in Moscow” (id {source.pk}) from {path}: "
        f"{len(TEXT) - 1} characters, {len(TEXT.encode())} bytes read as txt, kind news, language en.\n"
    )
    # The text as extraction gives it: verbatim, the file's final line break dropped.
    assert source.text == TEXT.rstrip("\n")
    assert (source.publisher, source.author, source.url) == ("TRT World", "Murat Sofuoglu", "https://example.org/a")
    assert source.published.isoformat() == "2025-10-16"
    assert source.as_of_value == "2025-10"
    assert source.history.get().history_change_reason == "import_source doc.txt"


def test_it_makes_a_free_key_from_the_title_unless_given_one(db, tmp_path):
    make_source(key="report", title="Report")
    _run(_file(tmp_path, "One text."), "--title", "Report")
    _run(_file(tmp_path, "Another text.", "b.txt"), "--title", "Report", "--key", "report-b")
    assert set(Source.objects.values_list("key", flat=True)) == {"report", "report-2", "report-b"}


def test_it_refuses_a_text_already_stored_naming_the_source(db, tmp_path):
    existing = make_source(key="wire", title="Wire copy", text=TEXT.rstrip("\n"))
    message = _refused(_file(tmp_path, TEXT), "--title", "Again")
    assert message == (
        f"{tmp_path / 'doc.txt'}: the same text is already stored as source 'wire' “Wire copy” (id {existing.pk}); "
        "nothing added"
    )


def test_it_refuses_a_file_that_is_not_utf8_naming_the_byte(db, tmp_path):
    path = _file(tmp_path, "Line one.\nCaf\xe9 in Tartus.\n".encode("latin-1"))
    assert _refused(path, "--title", "Latin") == (
        f"{path}: “doc.txt” is not UTF-8 text: byte 0xE9 at offset 13 (line 2) is not valid UTF-8; "
        "save the file as UTF-8 and try again; nothing added"
    )


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--published", "2025-13-01", "--published: '2025-13-01' is not a valid date: month must be in 1..12"),
        ("--published", "2025-10", "--published: '2025-10' needs a full date, YYYY-MM-DD"),
        ("--published", "16/10/2025", "--published: '16/10/2025' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("--as-of", "autumn 2025", "--as-of: 'autumn 2025' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("--url", "example dot org", "--url: 'example dot org' is not a valid URL (include http:// or https://)"),
        (
            "--key",
            "not a key",
            "--key: 'not a key' may only hold letters, digits, hyphens and underscores (at most 100)",
        ),
    ],
)
def test_it_refuses_bad_options_saying_which_and_why(db, tmp_path, option, value, message):
    assert _refused(_file(tmp_path, TEXT), "--title", "T", option, value) == f"{message}; nothing added"


def test_it_refuses_an_empty_file_a_taken_key_and_a_missing_file(db, tmp_path):
    make_source(key="wire")
    path = _file(tmp_path, "  \n")
    # The options are checked before the file is read.
    assert (
        _refused(path, "--title", "T", "--key", "wire")
        == "--key: a source with key 'wire' already exists; nothing added"
    )
    assert _refused(path, "--title", "T") == f"{path}: “doc.txt” is empty; nothing added"
    assert _refused(str(tmp_path / "missing.txt"), "--title", "T") == (
        f"Cannot read {tmp_path / 'missing.txt'}: No such file or directory"
    )


def test_it_reads_a_pdf_and_html_through_the_intake_pipeline_with_their_metadata(db, tmp_path):
    from factcheck.models import SourceOriginal
    from tests.intake_docs import make_html, make_pdf

    pdf = _file(
        tmp_path,
        make_pdf(["Page one says the base stays.", "Page two says talks go on."], {"title": "Talks"}),
        "talks.pdf",
    )
    out = _run(pdf, "--kind", "official")
    source = Source.objects.get(title="Talks")
    assert "read as pdf" in out and source.kind == "official"
    original = SourceOriginal.objects.get(source=source)
    assert [s["label"] for s in original.segments] == ["page 1", "page 2"]
    assert original.filename == "talks.pdf" and original.content_type == "application/pdf"
    assert original.file.name == f"originals/{original.sha256}.pdf"
    assert "Page two says talks go on." in source.text
    page = make_html(title="Base talks continue", meta={"author": "A. Writer"}, canonical="https://example.org/talks")
    _run(_file(tmp_path, page, "talks.html"), "--title", "Overridden title")
    html_source = Source.objects.get(title="Overridden title")
    assert (html_source.author, html_source.url) == ("A. Writer", "https://example.org/talks")
    assert "SCRIPT-TEXT-MUST-NOT-APPEAR" not in html_source.text


def test_it_refuses_the_same_file_twice_and_a_reprint_unless_confirmed(db, tmp_path):
    words = " ".join(f"word{n}" for n in range(400))
    first = _file(tmp_path, words, "a.txt")
    _run(first, "--title", "First")
    stored = Source.objects.get(title="First")
    assert _refused(first, "--title", "Again") == (
        f"{first}: the same file is already stored as source {stored.key!r} “First” (id {stored.pk}); nothing added"
    )
    reprint = _file(tmp_path, words.replace("word7 ", "changed "), "b.txt")
    message = _refused(reprint, "--title", "Reprint")
    assert message.startswith("--confirm-reprint: This text is ") and f"the same as #{stored.pk} “First”" in message
    out = _run(reprint, "--title", "Reprint", "--confirm-reprint")
    copy = Source.objects.get(title="Reprint")
    assert out.endswith(f", a reprint of source {stored.pk}.\n")
    derivation = copy.derivations.get()
    assert (derivation.origin_source, derivation.relation) == (stored, "republishes")


def test_it_exits_non_zero_with_the_extraction_error(db, tmp_path):
    from tests.intake_docs import make_encrypted_pdf

    path = _file(tmp_path, make_encrypted_pdf(), "locked.pdf")
    assert _refused(path) == (
        f"{path}: “locked.pdf” is protected by a password; remove the protection and try again; nothing added"
    )
    assert not IntakeJob.objects.exclude(original="").exists()  # the refused file's stored copy is gone
