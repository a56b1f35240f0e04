"""Claims worded in other languages, beside the wording the newsroom checks."""

from django.db import models

from factcheck.language_codes import validate_language_code
from factcheck.models.claims import Claim
from factcheck.models.languages import direction_of, name_of
from factcheck.models.users import AttributedHistory


class ClaimTranslation(models.Model):
    """The claim as a reader of ``language`` would read it; one per claim and language.

    The claim's own text stays the one checked and cited: a translation is
    shown beside it and found by search, never compared with quotes.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, validators=[validate_language_code], help_text="ISO 639-1 code.")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AttributedHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["claim_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "language"], name="claim_translation_unique_language"),
        ]

    def __str__(self) -> str:
        return f"#{self.claim_id} ({self.language})"

    direction = direction_of("language")
    language_name = name_of("language")
