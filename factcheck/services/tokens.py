"""API tokens: issued and revoked by staff, checked on every write the API receives."""

import datetime as dt
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from factcheck.models import ApiToken
from factcheck.models.tokens import SECRET_PREFIX, hash_secret

# Marking a token used at most this often: one UPDATE per request would cost more than the request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def api_token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its secret, which is stored nowhere and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the token after what will use it."})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=secret[:12], key_hash=hash_secret(secret))
    with transaction.atomic():
        token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke ``token`` for good (revoking twice keeps the first time)."""
    with transaction.atomic():
        current = ApiToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at is None:
            current.revoked_at = timezone.now()
            current.save(update_fields=["revoked_at"])
    return current


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The active token whose secret this is, its user selected; None for an unknown or revoked one."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
