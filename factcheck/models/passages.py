"""Source texts cut into sentences for the evidence finder."""

from django.db import models

from factcheck.models.sources import Source


class Passage(models.Model):
    """One sentence of a source text, with its offsets, for the evidence finder.

    Derived from ``Source.text`` (see ``evidence.refresh_passages``); ``digest``
    is the source text's digest when the passage was cut, so a passage whose
    source changed behind our back is never served with wrong offsets.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField(help_text="Index of the sentence in its source.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    # What stands between the previous passage and this one: a space between
    # two sentences of a paragraph, a newline between paragraphs. Kept here so
    # that joining neighbours never needs the (long) source text.
    gap_before = models.TextField(blank=True, default="")
    length = models.PositiveIntegerField(default=0, help_text="Number of indexed words, for BM25.")
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["source_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="passage_source_position"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.start}–{self.end}"
