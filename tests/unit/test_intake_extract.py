"""factcheck.intake.extract(): formats, metadata, normalisation and refusals (see docs/intake.md)."""

import datetime as dt
import io
import re
import zipfile

import pytesseract
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError

from factcheck.intake import MAX_BYTES, IntakeError, extract, extract_pasted, ocr, pdf
from factcheck.intake import docx as docx_reader
from factcheck.intake.text import normalise
from tests.intake_docs import (
    LOREM,
    make_billion_laughs_html,
    make_docx,
    make_encrypted_pdf,
    make_entity_docx,
    make_html,
    make_pdf,
    make_pdf_with_forms,
    make_pdf_with_heavy_page,
    make_pdf_with_javascript,
    make_scanned_pdf,
    make_zip_bomb_docx,
    truncated,
)


def refusal(data: bytes, filename: str) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        extract(data, filename=filename)
    return caught.value


def assert_segments_cover(result):
    assert result.segments[0].start == 0
    assert result.segments[-1].end == len(result.text)
    for before, after in zip(result.segments, result.segments[1:], strict=False):
        assert before.end == after.start


# --- Plain text and paste --------------------------------------------------------------


def test_it_reads_utf8_text_into_one_body_segment():
    result = extract("Die Gespräche gehen weiter.\nSecond line.".encode(), filename="notes.txt")
    assert result.kind == "txt"
    assert result.text == "Die Gespräche gehen weiter.\nSecond line."
    assert [(s.start, s.end, s.label) for s in result.segments] == [(0, len(result.text), "body")]


def test_it_reads_utf8_and_utf16_by_their_byte_order_marks():
    text = "Переговоры продолжаются."
    assert extract(b"\xef\xbb\xbf" + text.encode(), filename="a.txt").text == text
    assert extract(text.encode("utf-16"), filename="a.txt").text == text
    assert extract(text.encode("utf-16-be").join([b"\xfe\xff", b""]), filename="a.txt").text == text


def test_it_refuses_text_that_is_not_utf8_naming_the_first_bad_byte():
    error = refusal("line one\ncafé".encode("cp1252"), "old.txt")
    assert error.code == "unsupported-type"
    assert "byte 0xE9 at offset 12 (line 2)" in error.message
    assert "“old.txt”" in error.message


def test_it_normalises_line_ends_controls_and_composition():
    raw = "e\u0301t\u00e9\r\nnext\rline\x07 bell\x00\n\n\n\n\n\nafter\tTab\ufeff"
    assert normalise(raw) == "\u00e9t\u00e9\nnext\nline bell\n\n\nafter\tTab"


def test_it_undoes_ligatures_presentation_forms_and_invisible_breaks():
    # "ﬁnal" with the fi ligature, "gov\u00adernment" with a soft hyphen, Arabic "سلام"
    # in presentation forms as PDFs give it.
    raw = "\ufb01nal gov\u00adernment zero\u200bwidth \ufeb3\ufefc\ufee1 x\u00b2 \uff21"
    assert normalise(raw) == "final government zerowidth \u0633\u0644\u0627\u0645 x\u00b2 \uff21"


def test_it_keeps_at_most_two_blank_lines():
    assert normalise("a\n\nb\n\n\nc\n \n\t\n\n\nd") == "a\n\nb\n\n\nc\n\n\nd"


def test_it_reads_pasted_text_as_one_segment():
    result = extract_pasted("  Officials said the talks continue.\r\n")
    assert result.kind == "paste"
    assert result.text == "Officials said the talks continue."
    assert [s.label for s in result.segments] == ["pasted text"]
    assert set(result.metadata) == {"title", "author", "publisher", "published", "language", "url"}


def test_it_detects_the_language_of_text_without_a_declared_one():
    result = extract_pasted("Officials said on Monday that the talks about the naval base would continue next month.")
    assert result.metadata["language"] == "en"
    result = extract_pasted("Официальные лица заявили в понедельник, что переговоры о военно-морской базе продолжатся.")
    assert result.metadata["language"] == "ru"


def test_it_refuses_empty_input():
    assert refusal(b"", "a.txt").code == "empty"
    assert refusal(b"  \n\t ", "a.txt").code == "empty"
    with pytest.raises(IntakeError) as caught:
        extract_pasted(" \n ")
    assert caught.value.code == "empty"


def test_it_refuses_a_file_over_the_limit_before_reading_it():
    error = refusal(b"a" * (MAX_BYTES + 1), "big.txt")
    assert error.code == "too-big"
    assert "25 MB" in error.message


# --- Types and extensions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "JPEG image"),
        (b"MZ\x90\x00" + b"\0" * 20, "Windows program"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, ".doc"),
    ],
)
def test_it_refuses_unsupported_types_saying_what_is_accepted(data, named):
    error = refusal(data, "upload.bin")
    assert error.code == "unsupported-type"
    assert named in error.message
    assert "accepts a PDF" in error.message


@pytest.mark.parametrize("start", ["BMW said", "MZ Wallace", "Rar! said", "ID3 tags"])
def test_it_reads_text_that_happens_to_begin_like_a_binary_format(start):
    assert extract(f"{start} the talks went on.".encode(), filename="n.txt").text == f"{start} the talks went on."


def test_it_shortens_a_long_file_name_in_messages_keeping_its_extension():
    error = refusal(b"\x89PNG\r\n\x1a\n", "x" * 500 + ".png")
    assert "“" + "x" * 109 + "…" + "xxxxxx.png”" in error.message


def test_it_reports_progress_for_a_single_part_document():
    seen = []
    extract(make_html().encode(), filename="p.html", progress=lambda *a: seen.append(a))
    assert seen == [(0, 1, "Reading an HTML page"), (1, 1, "Read an HTML page")]


def test_it_sniffs_a_run_of_comments_in_linear_time():
    # With a backtracking pattern these 64 comments had 2^64 ways to fail: the test would hang.
    assert extract(b"<!--a-->" * 64 + b" plain words after comments", filename="c").kind == "txt"
    assert extract(b"<!--a-->" * 64 + b"<html><body><p>Page</p></body></html>", filename="c").kind == "html"


def test_it_refuses_a_pdf_named_as_a_word_document_naming_the_real_type():
    error = refusal(make_pdf([LOREM]), "report.docx")
    assert error.code == "wrong-extension"
    assert error.message == "“report.docx” is a PDF document, not a Word document; rename it .pdf and try again"


def test_it_refuses_an_html_error_page_saved_as_a_pdf():
    error = refusal(make_html().encode(), "report.pdf")
    assert error.code == "wrong-extension"
    assert "is an HTML page, not a PDF document; rename it .html" in error.message


def test_it_reads_a_file_without_a_known_extension_by_its_contents():
    assert extract(make_pdf([LOREM]), filename="download").kind == "pdf"
    assert extract(make_docx(), filename="attachment.bin").kind == "docx"


def test_it_keeps_a_txt_file_with_tags_as_plain_text():
    result = extract(b"<html><body><p>Tags are part of this note.</p></body></html>", filename="note.txt")
    assert result.kind == "txt"
    assert result.text.startswith("<html>")


def test_it_refuses_zip_archives_that_are_not_word_documents():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    error = refusal(out.getvalue(), "sheet.docx")
    assert error.code == "unsupported-type"
    assert "Excel workbook" in error.message


# --- PDF -------------------------------------------------------------------------------


def test_it_reads_a_pdf_text_layer_page_by_page():
    pages = ["The ministry said the base stays.\nA second line.", "Page two speaks of (talks)."]
    result = extract(make_pdf(pages), filename="r.pdf")
    assert result.kind == "pdf"
    assert result.text == "The ministry said the base stays.\nA second line.\n\nPage two speaks of (talks)."
    assert [(s.label, result.text[s.start : s.end]) for s in result.segments] == [
        ("page 1", "The ministry said the base stays.\nA second line.\n\n"),
        ("page 2", "Page two speaks of (talks)."),
    ]
    assert result.warnings == []


def test_it_keeps_page_numbers_in_labels_when_a_page_is_empty(monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    result = extract(make_pdf(["First page words.", "", "Third page words."]), filename="r.pdf")
    assert [s.label for s in result.segments] == ["page 1", "page 3"]
    assert result.text == "First page words.\n\nThird page words."
    assert_segments_cover(result)
    assert result.warnings == ["page 2 had no text layer and could not be read: " + ocr.INSTALL_HINT]


def test_it_reads_pdf_information_metadata():
    info = {"title": "Annual Report", "author": "Jane Roe", "created": "2024-03-05"}
    result = extract(make_pdf([LOREM], info), filename="r.pdf")
    assert result.metadata == {
        "title": "Annual Report",
        "author": "Jane Roe",
        "publisher": "",
        "published": "2024-03-05",
        "language": "en",
        "url": "",
    }


def test_it_reports_progress_page_by_page():
    seen = []
    extract(make_pdf(["one page", "two page", "three page"]), filename="r.pdf", progress=lambda *a: seen.append(a))
    assert seen[:3] == [(0, 3, "Reading page 1 of 3"), (1, 3, "Reading page 2 of 3"), (2, 3, "Reading page 3 of 3")]
    assert seen[-1][0] == seen[-1][1] == 3


def test_it_refuses_a_password_protected_pdf():
    error = refusal(make_encrypted_pdf(), "secret.pdf")
    assert error.code == "encrypted"
    assert "“secret.pdf” is protected by a password" in error.message


def test_it_opens_a_pdf_encrypted_with_an_empty_user_password():
    result = extract(make_encrypted_pdf(["Anyone may read this page."], user_password=""), filename="r.pdf")
    assert result.text == "Anyone may read this page."


@pytest.mark.parametrize(("user_password", "readable"), [("", True), ("secret", False)])
def test_it_hands_encryption_pypdf_cannot_undo_to_pdfium(monkeypatch, user_password, readable):
    # AES needs the cryptography package, which pypdf lacks here: pdfium decrypts instead.
    def needs_cryptography(self, password):
        raise DependencyError("cryptography is required for AES")

    monkeypatch.setattr(PdfReader, "decrypt", needs_cryptography)
    data = make_encrypted_pdf(["Read by pdfium instead."], user_password=user_password)
    if readable:
        assert extract(data, filename="aes.pdf").text == "Read by pdfium instead."
    else:
        assert refusal(data, "aes.pdf").code == "encrypted"


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_it_refuses_a_truncated_pdf_as_corrupt(keep):
    error = refusal(truncated(make_pdf([LOREM] * 3), keep=keep), "cut.pdf")
    assert error.code == "corrupt"
    assert error.message.startswith("“cut.pdf” is damaged or incomplete and could not be read as a PDF document: ")


def test_it_reads_a_pdf_with_javascript_and_warns_that_it_was_ignored():
    result = extract(make_pdf_with_javascript(["The text is still read."]), filename="js.pdf")
    assert result.text == "The text is still read."
    assert result.warnings == ["the PDF carries JavaScript; it was ignored"]


def test_it_warns_of_document_level_and_link_javascript():
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["Scripted by its names tree."]))))
    scripts = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("s"), writer._add_object(action)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})
    assert extract(written(writer), filename="js.pdf").warnings == ["the PDF carries JavaScript; it was ignored"]

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["Scripted by a link."]))))
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): action,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    assert extract(written(writer), filename="js.pdf").warnings == ["the PDF carries JavaScript; it was ignored"]


def written(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_it_refuses_a_pdf_with_too_many_pages(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    error = refusal(make_pdf(["a b c", "d e f", "g h i"]), "long.pdf")
    assert error.code == "bomb"
    assert "3 pages; at most 2" in error.message


def test_it_reads_a_page_with_a_huge_drawing_through_pdfium():
    result = extract(make_pdf_with_heavy_page("Text above a detailed map.", megabytes=3), filename="map.pdf")
    assert result.text == "Text above a detailed map."
    assert [s.label for s in result.segments] == ["page 1"]


def test_it_reads_pages_past_pypdfs_budget_through_pdfium(monkeypatch):
    monkeypatch.setattr(pdf, "PYPDF_BUDGET", 100)  # the first page's stream is about 70 bytes
    monkeypatch.setattr(pdf, "_pdfium_page_text", lambda data, index: f"pdfium read page {index + 1}")
    result = extract(make_pdf(["First page read by pypdf.", "Second page."]), filename="r.pdf")
    assert result.text == "First page read by pypdf.\n\npdfium read page 2"


def test_it_counts_what_a_page_draws_through_forms(monkeypatch):
    # A tiny page drawing a form that draws another 20,000 times: ~1 MB for pypdf to interpret.
    monkeypatch.setattr(pdf, "_pdfium_page_text", lambda data, index: "read by pdfium")
    forms = {"A": b"/B Do " * 20_000, "B": b"0 0 m 10 10 l 20 0 l h S " * 2}
    assert extract(make_pdf_with_forms("Nested.", forms), filename="f.pdf").text == "read by pdfium"
    cheap = {"A": b"/B Do " * 3, "B": b"0 0 m 10 10 l S"}
    assert extract(make_pdf_with_forms("Logo page.", cheap), filename="f.pdf").text == "Logo page."


def test_it_reads_a_page_drawing_a_heavy_form_through_pdfium():
    forms = {"A": b"0 0 m 1 1 l S\n" * 60_000}
    result = extract(make_pdf_with_forms("Text over a heavy form.", forms), filename="f.pdf")
    assert result.text == "Text over a heavy form."


def test_it_refuses_a_form_that_draws_itself():
    error = refusal(make_pdf_with_forms("Loop.", {"A": b"/A Do"}), "loop.pdf")
    assert error.code == "bomb"


def test_it_refuses_a_pdf_whose_page_content_unpacks_past_the_limit(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_CONTENT_TOTAL", 1024 * 1024)
    error = refusal(make_pdf_with_heavy_page(megabytes=3), "flate.pdf")
    assert error.code == "bomb"
    assert "draws more than 1 MB of page content by page 1" in error.message


def test_it_caps_the_render_size_of_a_huge_page():
    assert ocr.render_scale(612, 792) == ocr.DPI / 72
    scale = ocr.render_scale(14400, 14400)  # 200 inches square
    assert (14400 * scale) ** 2 <= ocr.MAX_PIXELS


def test_it_keeps_renders_within_a_stricter_pillow_limit(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    scale = ocr.render_scale(612, 792)
    assert 612 * 792 * scale * scale <= 1_000_000


def test_it_says_ocr_is_unavailable_when_tesseract_is_missing(monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    error = refusal(make_scanned_pdf(["Scanned words"]), "scan.pdf")
    assert error.code == "ocr-unavailable"
    assert "apt-get install tesseract-ocr" in error.message


def test_it_names_the_pages_ocr_gave_up_on(monkeypatch):
    # Tesseract stubbed: a page that times out (ocr_image answers None) is left out, by name.
    monkeypatch.setattr(ocr, "tesseract_available", lambda: True)
    monkeypatch.setattr(ocr, "languages", lambda: "eng")
    monkeypatch.setattr(ocr, "ocr_image", lambda image, lang: None)
    result = extract(make_pdf(["A typed page.", "", "Another typed page."]), filename="r.pdf")
    assert result.text == "A typed page.\n\nAnother typed page."
    assert result.warnings == [f"OCR gave up on page 2 after {ocr.PAGE_TIMEOUT} s a page"]


def test_it_refuses_more_scanned_pages_than_ocr_reads(monkeypatch):
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 1)
    error = refusal(make_scanned_pdf(["one", "two"]), "scan.pdf")
    assert error.code == "bomb"
    assert "2 pages without a text layer; OCR reads at most 1" in error.message


# --- HTML ------------------------------------------------------------------------------

ARTICLE_META = {
    "author": "A. Writer",
    "og:site_name": "The Paper",
    "article:published_time": "2024-03-05T10:00:00Z",
}


def test_it_takes_the_main_text_of_a_page_without_scripts_styles_or_navigation():
    result = extract(make_html(title="Base talks").encode(), filename="page.html")
    assert result.kind == "html"
    assert "The ministry said the naval base would stay open" in result.text
    assert "the spokesman added." in result.text
    assert "MUST-NOT-APPEAR" not in result.text
    assert "World" not in result.text
    assert "Copyright" not in result.text
    assert [s.label for s in result.segments] == ["body"]


def test_it_reads_meta_tags_opengraph_lang_and_the_canonical_link():
    page = make_html(title="Base talks", lang="en-GB", meta=ARTICLE_META, canonical="https://paper.example/a/1")
    result = extract(page.encode(), filename="page.html")
    assert result.metadata == {
        "title": "Base talks",
        "author": "A. Writer",
        "publisher": "The Paper",
        "published": "2024-03-05",
        "language": "en",
        "url": "https://paper.example/a/1",
    }


@pytest.mark.parametrize("canonical", ["javascript:alert(1)", "/relative/path", "data:text/html,x", "https://"])
def test_it_keeps_only_absolute_web_addresses_as_the_url(canonical):
    result = extract(make_html(canonical=canonical).encode(), filename="p.html")
    assert result.metadata["url"] == ""


def test_it_cleans_metadata_to_one_line_of_text():
    meta = {"author": "Ann\u0007  \n Lee", "og:site_name": "x" * 900}
    result = extract(make_html(meta=meta).encode(), filename="p.html")
    assert result.metadata["author"] == "Ann Lee"
    assert len(result.metadata["publisher"]) == 500


def test_it_fills_gaps_from_json_ld():
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Not the article"},
            {
                "@type": "NewsArticle",
                "headline": "From JSON-LD",
                "author": [{"@type": "Person", "name": "Ann"}, {"@type": "Person", "name": "Bob"}],
                "publisher": {"@type": "Organization", "name": "LD News"},
                "datePublished": "2023-11",
                "url": "https://ld.example/story",
            },
        ],
    }
    result = extract(make_html(title="", json_ld=ld).encode(), filename="page.html")
    assert result.metadata["title"] == "From JSON-LD"
    assert result.metadata["author"] == "Ann; Bob"
    assert result.metadata["publisher"] == "LD News"
    assert result.metadata["published"] == "2023-11"
    assert result.metadata["url"] == "https://ld.example/story"


def test_it_prefers_the_declared_language_and_detects_when_it_is_not_a_code():
    assert extract(make_html(lang="fr").encode(), filename="p.html").metadata["language"] == "fr"
    assert extract(make_html(lang="english").encode(), filename="p.html").metadata["language"] == "en"


def test_it_decodes_a_page_by_its_declared_charset():
    page = make_html(paragraphs=["Переговоры о базе продолжатся в следующем месяце, сказал представитель."], lang="")
    data = page.replace('<meta charset="utf-8">', '<meta charset="windows-1251">').encode("cp1251")
    result = extract(data, filename="p.htm")
    assert "Переговоры о базе продолжатся" in result.text
    assert result.metadata["language"] == "ru"


def test_it_refuses_a_billion_laughs_page_without_expanding_it():
    error = refusal(make_billion_laughs_html(), "lol.html")
    assert error.code == "bomb"
    assert "entity" in error.message


def test_it_never_expands_entities_even_unrefused(monkeypatch):
    # The second lock: were the refusal gone, the parser still would not expand them.
    from factcheck.intake import html

    monkeypatch.setattr(html, "_without_internal_subset", lambda source, filename: source)
    result = extract(make_billion_laughs_html(), filename="lol.html")
    assert "lollol" not in result.text
    assert len(result.text) < 2000


def test_it_keeps_the_whole_body_of_a_page_too_small_for_an_article():
    result = extract(b"<html><body><p>Short note.</p><script>x()</script></body></html>", filename="n.html")
    assert result.text == "Short note."


def test_it_keeps_the_whole_text_of_a_page_too_large_for_main_text_extraction(monkeypatch):
    from factcheck.intake import html

    monkeypatch.setattr(html, "MAX_TREE_SIZE", 5)
    page = make_html(paragraphs=["First  paragraph\n of words.", "Second <b>bold</b> one."])
    result = extract(page.replace("&lt;b&gt;", "<b>").replace("&lt;/b&gt;", "</b>").encode(), filename="big.html")
    assert "First paragraph of words.\nSecond bold one.\n" in result.text
    assert "MUST-NOT-APPEAR" not in result.text
    assert result.warnings == ["the page is too large to find its main article; the whole page's text was kept"]


def test_it_refuses_a_page_with_more_tags_than_it_parses(monkeypatch):
    from factcheck.intake import html

    monkeypatch.setattr(html, "MAX_TAGS", 10)
    error = refusal(make_html().encode(), "tags.html")
    assert error.code == "bomb"
    assert "a page of more than 10 is not read" in error.message


# --- DOCX ------------------------------------------------------------------------------


def test_it_reads_docx_paragraphs_tables_and_core_properties():
    core = {"title": "Memo", "author": "Ann Lee", "language": "fr-FR", "created": dt.datetime(2023, 4, 5, 9, 0)}
    data = make_docx(["First paragraph.", "", "Second paragraph."], core, table=[["Year", "Count"], ["2023", "4"]])
    result = extract(data, filename="memo.docx")
    assert result.kind == "docx"
    assert result.text == "First paragraph.\nSecond paragraph.\nYear\tCount\n2023\t4"
    assert [s.label for s in result.segments] == ["body"]
    assert result.metadata == {
        "title": "Memo",
        "author": "Ann Lee",
        "publisher": "",
        "published": "2023-04-05",
        "language": "fr",
        "url": "",
    }


def test_it_leaves_unknown_docx_properties_empty():
    metadata = extract(make_docx(["Only a paragraph, and no properties at all."]), filename="d.docx").metadata
    assert metadata == {"title": "", "author": "", "publisher": "", "published": "", "language": "en", "url": ""}


def test_it_refuses_a_zip_bomb_named_docx_before_inflating_it():
    error = refusal(make_zip_bomb_docx(megabytes=60), "bomb.docx")
    assert error.code == "bomb"
    assert "unpacks to 60 MB, at most 50 MB" in error.message


def test_it_refuses_a_docx_part_compressed_beyond_any_real_document():
    error = refusal(make_zip_bomb_docx(megabytes=5), "bomb.docx")
    assert error.code == "bomb"
    assert "word/media/image1.bin is compressed" in error.message


def test_it_refuses_a_docx_with_too_many_parts(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_ENTRIES", 5)
    error = refusal(make_docx(), "many.docx")
    assert error.code == "bomb"
    assert "at most 5 are read" in error.message


def test_it_refuses_a_docx_whose_text_part_is_too_large_to_hold(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_MAIN_PART", 4096)
    error = refusal(make_docx(["A paragraph of some length."] * 100), "long.docx")
    assert error.code == "too-big"
    assert re.match(r"the text of “long\.docx” unpacks to \d+ KB; at most 4 KB is read", error.message)


def test_it_refuses_a_docx_declaring_xml_entities():
    error = refusal(make_entity_docx(), "lol.docx")
    assert error.code == "bomb"
    assert "word/document.xml declares XML entities" in error.message


def test_it_refuses_a_truncated_docx_as_corrupt():
    error = refusal(truncated(make_docx()), "cut.docx")
    assert error.code == "corrupt"
    assert "“cut.docx” is damaged or incomplete" in error.message
