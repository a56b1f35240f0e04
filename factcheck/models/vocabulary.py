"""Search's vocabulary that editors keep: name spellings and synonym groups."""

from django.core.exceptions import ValidationError
from django.db import models


class NameAlias(models.Model):
    """One spelling of a name that search treats as the same as its canonical form.

    Sources transliterate Arabic and Russian names differently (Hmeimim /
    Khmeimim, al-Shaibani / al-Shibani / Al-Schaibani); every variant of a
    canonical name finds every other.
    """

    canonical = models.CharField(max_length=100, help_text="The name as this newsroom writes it, e.g. “Hmeimim”.")
    variant = models.CharField(max_length=100, help_text="Another spelling found in sources, e.g. “Khmeimim”.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["canonical", "variant"]
        verbose_name_plural = "name aliases"
        constraints = [
            models.UniqueConstraint(fields=["canonical", "variant"], name="name_alias_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.variant} → {self.canonical}"

    def clean(self) -> None:
        self.canonical, self.variant = self.canonical.strip(), self.variant.strip()
        if not any(ch.isalnum() for ch in self.canonical):
            raise ValidationError({"canonical": "A name needs at least one letter or digit."})
        if not any(ch.isalnum() for ch in self.variant):
            raise ValidationError({"variant": "A name needs at least one letter or digit."})


class SynonymGroup(models.Model):
    """Words the evidence finder counts as meaning the same: “Moscow said” speaks to “Russia said”.

    An editorial choice, not a fact of English (those stay in
    factcheck/language.py), so editors keep the groups in the admin.
    A match through a synonym counts for less than the word itself. Groups
    apply oldest first: a word in two groups counts with the older one.
    """

    words = models.CharField(
        max_length=500,
        help_text="Two or more single words separated by spaces, e.g. “russia moscow kremlin”. "
        "Any form of a word finds the others (“treaty” also finds “treaties”).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.words

    def clean(self) -> None:
        from factcheck.evidence.vocabulary import synonym_words

        words, problems = synonym_words(self.words)
        if problems:
            raise ValidationError({"words": problems})
        if len(words) < 2:
            raise ValidationError({"words": "A group needs at least two different words."})
        self.words = " ".join(words)
