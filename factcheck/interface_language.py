"""The interface language: chosen per reader, never part of a URL.

The public URLs stay as they are (docs/ARCHITECTURE), so the language comes
from the ``django_language`` cookie that the switcher sets, else from
Accept-Language (Django's LocaleMiddleware), else English. The page cache and
its fragments key on the active language (factcheck/cache.py, fragments.py).

The JSON API stays in English whatever the reader's browser asks for: its
error messages and display strings are part of the contract.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

API_PREFIX = "/api/"


def api_in_english_middleware(get_response):
    def middleware(request):
        if request.path.startswith(API_PREFIX):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return get_response(request)

    return middleware


def _cross_site(request):
    """Whether the browser says the form was posted from another site.

    Browsers send ``Sec-Fetch-Site`` (all current ones) or at least
    ``Origin`` with every POST; a client sending neither is not a browser
    that a forged form could drive.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc != request.get_host() and origin not in settings.CSRF_TRUSTED_ORIGINS


@csrf_exempt
@require_POST
def set_language(request):
    """Django's ``set_language``, with a same-origin check in place of the CSRF token.

    The switcher sits on every page, and readers' pages are cached whole only
    because they carry no CSRF token and set no cookie (factcheck/cache.py):
    a token there would make every anonymous page uncacheable. What a forged
    post could do is change a reader's interface language; the Fetch Metadata
    and Origin headers every browser sends refuse that from another site.
    """
    if _cross_site(request):
        raise PermissionDenied(gettext("The language can only be changed from this site."))
    return django_set_language(request)
