"""How others find the site: the sitemap, robots.txt and the Atom feeds."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from factcheck import feeds
from factcheck.cache import cached_page
from factcheck.models import Claim, Resolution, Source, Speaker, Topic
from factcheck.sitemaps import SITEMAPS

# Editors' and staff pages: nothing there for a search engine, and each costs a redirect to log in.
PRIVATE = ["/admin/", "/accounts/", "/review/", "/history/", "/embed/"]


@require_safe
@cached_page(params=("p",), tables=(Claim, Topic, Source, Speaker))
def sitemap(request):
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS)


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE), "Allow: /", ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Lists: any write to what they list or filter on evicts them (factcheck/cache.py).
decisions_feed = require_safe(cached_page(feeds.DecisionsFeed(), tables=(Resolution, Claim)))
conflicts_feed = require_safe(cached_page(feeds.ConflictsFeed(), tables=(Claim, Topic)))
topic_conflicts_feed = require_safe(cached_page(feeds.TopicConflictsFeed(), tables=(Claim, Topic)))
