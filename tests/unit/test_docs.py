"""README.md stays a short front page, and every relative link in it and in docs/ leads somewhere."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
README_MAX_BYTES = 12 * 1024

# [text](target) and ![alt](target), with an optional "title" after the target.
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _prose(text):
    """The text without code, where `[x](y)` is an example rather than a link."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def _anchors(path):
    """The ids GitHub gives the file's headings: lower case, punctuation dropped, spaces to hyphens."""
    seen = {}
    anchors = set()
    for title in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        plain = re.sub(r"[`*_]|!?\[([^\]]*)\]\([^)]*\)", r"\1", title)
        slug = re.sub(r"[^\w\- ]", "", plain.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _broken_links(path):
    broken = []
    for target in LINK.findall(_prose(path.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no file {linked}")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    return broken


def test_it_starts_the_readme_with_the_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    # The title, then a block opening with `make run` and `make test`, before anything else.
    body = [line for line in lines[1:] if line.strip()] if lines[0].startswith("# ") else lines
    assert body[0].startswith("```")
    assert body[1].split()[:2] == ["make", "run"]
    assert body[2].split()[:2] == ["make", "test"]


def test_it_keeps_the_readme_under_12_kb():
    size = README.stat().st_size
    assert size < README_MAX_BYTES, f"README.md is {size:,} bytes; move detail into docs/"


def test_it_mentions_make_test_fast_in_the_readme_when_the_makefile_has_it():
    if re.search(r"^test-fast:", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE):
        assert "make test-fast" in README.read_text(encoding="utf-8")


def test_there_are_docs_to_link_to():
    assert {"architecture.md", "development.md", "operations.md", "performance.md"} <= {p.name for p in DOCS}


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_at_an_existing_file(path):
    assert _broken_links(path) == []


def test_the_link_check_finds_a_broken_link_and_a_missing_heading(tmp_path):
    (tmp_path / "other.md").write_text("# Other\n\n## Its part\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n[ok](other.md#its-part) ![img](missing.png) [gone](other.md#nowhere) "
        "[web](https://example.org/x.md) `[code](not-a-link.md)`\n\n```md\n[fenced](nor-this.md)\n```\n",
        encoding="utf-8",
    )
    assert [problem.split(":")[0] for problem in _broken_links(page)] == ["missing.png", "other.md#nowhere"]
