"""Share cards: ``/claims/<id>/card.png``, the image OpenGraph and Twitter meta tags name."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from factcheck.api_http import conditional_on_corpus
from factcheck.cache import cached_page
from factcheck.cards import claim_card_png
from factcheck.selectors.publishing import claim_card


@conditional_on_corpus
@require_safe
@cached_page
def claim_card_image(request, pk):
    """Cached under the corpus version like the pages, so an edit draws a new card."""
    # In English whatever the reader's language: social networks show it to everyone, and its fonts are Latin.
    with translation.override(settings.LANGUAGE_CODE):
        png = claim_card_png(claim_card(pk), site_name=settings.FACTCHECK_PUBLISHER_NAME)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="claim-{pk}.png"'
    return response
