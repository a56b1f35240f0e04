"""The French, Russian and Arabic catalogues: complete, well-formed, compiled, with each language's plurals.

The .po files are read with a small parser (polib is not a dependency); the
.mo files with Python's own gettext, as Django reads them.
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
NPLURALS = {"fr": 2, "ru": 3, "ar": 6}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _unquote(text):
    return text[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def read_po(path):
    """``[{"msgctxt", "msgid", "msgid_plural", "msgstr": {index: text}, "flags"}]``, header first."""
    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current is not None:
                entries.append(current)
            current = None
            continue
        if current is None:
            current = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if key[0] == "msgstr":
                current["msgstr"][key[1]] += _unquote(line)
            else:
                current[key[0]] += _unquote(line)
        else:
            keyword, value = line.split(" ", 1)
            match = re.fullmatch(r"msgstr(?:\[(\d)\])?", keyword)
            if match:
                key = ("msgstr", int(match.group(1) or 0))
                current["msgstr"][key[1]] = _unquote(value)
            else:
                key = (keyword, None)
                current[keyword] = _unquote(value)
    return entries


def _catalogue(language):
    return read_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po")


@pytest.mark.parametrize("language", NPLURALS)
def test_it_translates_every_string(language):
    header, *entries = _catalogue(language)
    assert f"nplurals={NPLURALS[language]};" in header["msgstr"][0]
    assert len(entries) > 500
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        forms = NPLURALS[language] if entry["msgid_plural"] is not None else 1
        assert sorted(entry["msgstr"]) == list(range(forms)), entry["msgid"]
        assert all(text.strip() for text in entry["msgstr"].values()), f"untranslated: {entry['msgid']!r}"


@pytest.mark.parametrize("language", NPLURALS)
def test_it_keeps_every_placeholder(language):
    """A translation keeps its msgid's placeholders; a plural form for one or two may spell the number out.

    The last plural form (French "> 1", Russian "many", Arabic "other") is the general one: it keeps them all.
    """
    for entry in _catalogue(language)[1:]:
        wanted = set(PLACEHOLDER.findall(entry["msgid"] + (entry["msgid_plural"] or "")))
        last = max(entry["msgstr"])
        for index, text in entry["msgstr"].items():
            used = set(PLACEHOLDER.findall(text))
            if entry["msgid_plural"] is None or index == last:
                assert used == wanted, (entry["msgid"], index, text)
            else:
                assert used <= wanted, (entry["msgid"], index, text)


@pytest.mark.parametrize("language", NPLURALS)
def test_the_compiled_catalogue_is_the_current_one(language):
    """The committed .mo says what the .po says: a machine without gettext serves the same words."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in _catalogue(language)[1:]:
        context, msgid = entry["msgctxt"], entry["msgid"]
        if entry["msgid_plural"] is None:
            found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert found == entry["msgstr"][0], msgid
        else:
            for n in range(0, 120):
                found = compiled.ngettext(msgid, entry["msgid_plural"], n)
                assert found in entry["msgstr"].values(), (msgid, n)


def test_it_uses_each_language_s_plural_forms():
    def translated(language, n):
        with (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
            return gettext.GNUTranslations(mo).ngettext("%(counter)s source", "%(counter)s sources", n)

    assert [translated("fr", n) for n in (0, 1, 2)] == [
        "%(counter)s source",
        "%(counter)s source",
        "%(counter)s sources",
    ]
    russian = {n: translated("ru", n) for n in (1, 2, 5, 11, 21, 22, 25, 111)}
    assert russian == {
        1: "%(counter)s источник",
        2: "%(counter)s источника",
        5: "%(counter)s источников",
        11: "%(counter)s источников",
        21: "%(counter)s источник",
        22: "%(counter)s источника",
        25: "%(counter)s источников",
        111: "%(counter)s источников",
    }
    # Arabic: zero, one, two, few (3–10), many (11–99), and the rest.
    arabic = [translated("ar", n) for n in (0, 1, 2, 3, 11, 100)]
    assert arabic[1] == "مصدر واحد" and arabic[2] == "مصدران"
    assert arabic[3].endswith("مصادر") and arabic[4].endswith("مصدرًا")
    with (LOCALE_DIR / "ar" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        plural = gettext.GNUTranslations(mo).plural
    assert [plural(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103)] == [0, 1, 2, 3, 3, 4, 4, 5, 5, 3]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt (apt-get install gettext)")
@pytest.mark.parametrize("language", NPLURALS)
def test_msgfmt_accepts_the_catalogue(language):
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
