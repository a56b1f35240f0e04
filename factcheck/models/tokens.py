"""API tokens: how an integration writes as one user, without a session or a CSRF token.

Only a SHA-256 of the secret is stored; the secret itself is shown once,
when staff issue the token. The table is left out of the corpus version's
triggers (factcheck/cache.py): marking a token used is not a change to what
readers see.
"""

import hashlib

from django.conf import settings
from django.db import models

SECRET_PREFIX = "fct_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “CMS import”.")
    # The secret's first characters: enough to tell tokens apart in a list, useless to guess the rest.
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
