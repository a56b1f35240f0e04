"""Which offsets of a source may become an assertion added from an evidence suggestion.

A suggestion is a passage the evidence finder offered: one sentence (a
``Passage`` row), or two neighbouring sentences of one paragraph (the
finder's window, see ``evidence.rank``). The editor may add it as offered or
narrowed to part of it, so the quote must

- lie within one sentence, or two neighbouring sentences of one paragraph;
- start and end on word boundaries (not "ussia keeps its naval ba");
- be at least MIN_QUOTE_LENGTH characters: a quote is a statement, and
  "n" or "Russia" is not one. Twenty characters is three or four words, the
  shortest sentence the evaluation questions quote is longer.

Errors are keyed by the offending parameter, ``start`` or ``end``.
"""

from django.core.exceptions import ValidationError

from factcheck import evidence
from factcheck.models import Passage

MIN_QUOTE_LENGTH = 20


def _is_word(char):
    return char.isalnum() or char == "_"


def _passages_around(source, start, end):
    """``[(start, end, gap_before), ...]`` in order: the source's sentences overlapping ``start``–``end``.

    From the ``Passage`` rows when they were cut from the current text (two
    indexed queries); otherwise cut afresh, by the same function.
    """
    current = Passage.objects.filter(source=source, digest=source.text_sha256)
    overlapping = current.filter(start__lt=end, end__gt=start).order_by("position")
    rows = list(overlapping.values_list("start", "end", "gap_before"))
    if rows or current.exists():
        return rows
    spans = evidence.split_passages(source.text)
    return [
        (s, e, source.text[spans[n - 1][1] : s] if n else "") for n, (s, e) in enumerate(spans) if s < end and e > start
    ]


def _outside(passages, start, end):
    """``None`` if ``start``–``end`` lies within one suggestion; else the parameter at fault."""
    if not passages or passages[0][0] > start:
        return "start"
    if passages[-1][1] < end or len(passages) > 2:
        return "end"
    # Two sentences: neighbours, of one paragraph (a newline ends one), as the finder pairs them.
    if len(passages) == 2 and "\n" in passages[1][2]:
        return "end"
    return None


def check(source, start, end):
    """The offsets of the quote (``start``–``end`` without surrounding blanks); ``ValidationError`` if not allowed."""
    text, title = source.text, source.title
    if not 0 <= start < end <= len(text):
        raise ValidationError({"end": f"The passage {start}–{end} is not within “{title}” (length {len(text)})."})
    inner_start, inner_end = start, end
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and text[inner_end - 1].isspace():
        inner_end -= 1
    if inner_start == inner_end:
        raise ValidationError({"end": f"The passage {start}–{end} of “{title}” is blank."})
    at_fault = _outside(_passages_around(source, inner_start, inner_end), inner_start, inner_end)
    if at_fault:
        raise ValidationError(
            {
                at_fault: f"The passage {start}–{end} is not within one passage of “{title}”: add a suggested "
                "passage as offered, or a part of it."
            }
        )
    if inner_start > 0 and _is_word(text[inner_start - 1]) and _is_word(text[inner_start]):
        raise ValidationError({"start": f"Offset {start} is in the middle of a word: start where a word starts."})
    if inner_end < len(text) and _is_word(text[inner_end - 1]) and _is_word(text[inner_end]):
        raise ValidationError({"end": f"Offset {end} is in the middle of a word: end where a word ends."})
    if inner_end - inner_start < MIN_QUOTE_LENGTH:
        quote = text[inner_start:inner_end]
        raise ValidationError(
            {
                "end": f"The quote “{quote}” is {len(quote)} characters long; an assertion quotes at least "
                f"{MIN_QUOTE_LENGTH} (a few words)."
            }
        )
    return inner_start, inner_end
