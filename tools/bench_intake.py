"""CPU time of document extraction (factcheck/intake), one figure per format.

    DJANGO_SECRET_KEY=dev python -m tools.bench_intake [--runs 5] [--no-ocr] [FILE ...]

Documents are built by tests/intake_docs.py; FILE arguments (real documents) are measured
too. Prints the minimum and median CPU seconds of this process over the runs, and for
OCR the CPU of the Tesseract processes too.
"""

import argparse
import os
import resource
import statistics
import time

LINE = "The ministry said on Monday that the naval base would stay open until the end"


def measure(label, data, filename, runs):
    from factcheck.intake import extract

    extract(data, filename=filename)  # warm-up: imports, the language model
    own, children = [], []
    result = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.process_time()
        result = extract(data, filename=filename)
        own.append(time.process_time() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        children.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    extra = f", Tesseract CPU median {statistics.median(children):.2f} s" if any(children) else ""
    print(
        f"{label:<34} {len(data) // 1024:>6} KB {len(result.text):>8} chars  "
        f"CPU min {min(own):.3f} s, median {statistics.median(own):.3f} s{extra}"
    )


def main():
    parser = argparse.ArgumentParser(prog="python -m tools.bench_intake", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-ocr", action="store_true", help="leave out the scanned PDF (needs Tesseract)")
    parser.add_argument("files", nargs="*", metavar="FILE", help="documents of your own to measure as well")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from tests.intake_docs import make_docx, make_html, make_pdf, make_scanned_pdf

    pages = ["\n".join(f"{LINE} ({page}.{line})." for line in range(45)) for page in range(30)]
    measure("30-page text PDF", make_pdf(pages, {"title": "Thirty pages"}), "t.pdf", args.runs)
    paragraphs = [f"{LINE} ({n})." for n in range(1500)]
    measure("HTML page, 1,500 paragraphs", make_html(paragraphs=paragraphs).encode(), "p.html", args.runs)
    measure("DOCX, 1,500 paragraphs", make_docx(paragraphs), "d.docx", args.runs)
    if not args.no_ocr:
        scan = make_scanned_pdf(["The naval base at Tartus\nwill stay open, officials said."] * 2)
        measure("2-page scanned PDF (OCR)", scan, "s.pdf", max(1, args.runs // 2))
    for path in args.files:
        with open(path, "rb") as handle:
            measure(os.path.basename(path)[:34], handle.read(), os.path.basename(path), args.runs)


if __name__ == "__main__":
    main()
