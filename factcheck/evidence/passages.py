"""Source texts cut into sentences, stored as ``Passage`` rows and re-cut when a source changes."""

import re

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_save

from factcheck.analyser import Analyzer
from factcheck.search import AliasTable

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st mt no nos vs etc eg ie al pp p vol fig gen col lt maj capt sgt jr sr inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec approx est dept univ""".split()
)
# A sentence ends at . ! ? … (with closing quotes, brackets and footnote
# marks like [3] after it) followed by space, before something that can
# start a sentence. Newlines always end a passage.
_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?:\s?\[\d+\])*(?=\s+["'“‘(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF])""")
_LINE = re.compile(r"[^\n]+")


def split_passages(text):
    """``[(start, end), ...]`` of the sentences of ``text``; ``text[start:end]`` is the sentence."""
    spans = []
    for line in _LINE.finditer(text):
        start = line.start()
        for m in _BOUNDARY.finditer(line.group()):
            end = line.start() + m.end()
            if _is_abbreviation(text, line.start() + m.start()):
                continue
            spans.append((start, end))
            start = end
        spans.append((start, line.end()))
    result = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(ch.isalnum() for ch in text[start:end]):
            result.append((start, end))
    return result


def _is_abbreviation(text, dot):
    """True when the full stop at ``dot`` closes an abbreviation or an initial (“R. Politik”)."""
    if text[dot] != ".":
        return False
    m = re.search(r"(\w+)$", text[max(0, dot - 12) : dot])
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isalpha():
        return True  # an initial, or U.S.
    return word.lower() in _ABBREVIATIONS


def refresh_passages(source):
    """Re-cut ``source``'s passages when its text changed since they were cut. Returns True if it did."""
    from factcheck.models import Passage

    current = Passage.objects.filter(source=source).values_list("digest", flat=True).first()
    if current == source.text_sha256 and current is not None:
        return False
    # Only the number of terms is kept, and synonyms never change it: no need to read them.
    analyzer = Analyzer(AliasTable.load())
    spans = split_passages(source.text)
    rows = [
        Passage(
            source=source,
            position=n,
            start=start,
            end=end,
            text=source.text[start:end],
            gap_before=source.text[spans[n - 1][1] : start] if n else "",
            length=len(analyzer.terms(source.text[start:end], source.language)),
            digest=source.text_sha256,
        )
        for n, (start, end) in enumerate(spans)
    ]
    with transaction.atomic():
        Passage.objects.filter(source=source).delete()
        Passage.objects.bulk_create(rows, batch_size=500)
    return True


def stale_sources():
    """Sources whose passages are missing or were cut from an older text."""
    from factcheck.models import Passage, Source

    current = Passage.objects.filter(source=OuterRef("pk"), digest=OuterRef("text_sha256"))
    return Source.objects.exclude(text="").filter(~Exists(current)).only("id", "text", "text_sha256", "title")


def refresh_all_passages(force=False):
    """Bring every source's passages up to date; returns how many sources were re-cut."""
    from factcheck.models import Passage, Source

    if force:
        Passage.objects.all().delete()
        sources = Source.objects.exclude(text="").only("id", "text", "text_sha256")
    else:
        sources = stale_sources()
    done = 0
    for source in sources.iterator(chunk_size=100):
        done += refresh_passages(source)
    return done


def _source_saved(sender, instance, raw=False, **kwargs):
    # Fixture loading (raw) saves sources before anything else exists; the
    # post_migrate pass and rebuild_search_index cut those passages.
    if not raw:
        refresh_passages(instance)


def ensure_passages(using="default"):
    """Cut the passages of sources saved without the signal (fixtures, ``update()``); see factcheck/derived.py."""
    from django.db import connections

    from factcheck.models import Passage

    if Passage._meta.db_table in connections[using].introspection.table_names():
        refresh_all_passages()


def connect_signals(app_config):
    # Migrations are followed by factcheck.derived.ensure_all, which cuts what is missing.
    from factcheck.models import Source

    post_save.connect(_source_saved, sender=Source, dispatch_uid="evidence-source-saved")
