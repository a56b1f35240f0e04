"""``/sitemap.xml``: every reader's page a search engine should know, with when it last changed."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from factcheck.models import Claim, Source, Speaker, Topic


class PagesSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return ["home", "claim-list", "source-list", "speaker-list", "api-docs"]

    def location(self, item):
        return reverse(item)


class TopicSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return Topic.objects.order_by("id").only("id", "slug", "created_at")


class ClaimSitemap(Sitemap):
    priority = 0.7

    def items(self):
        return Claim.objects.order_by("id").only("id", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class SourceSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return Source.objects.order_by("id").only("id")


class SpeakerSitemap(Sitemap):
    priority = 0.4

    def items(self):
        return Speaker.objects.order_by("id").only("id", "slug")


SITEMAPS = {
    "pages": PagesSitemap,
    "topics": TopicSitemap,
    "claims": ClaimSitemap,
    "sources": SourceSitemap,
    "speakers": SpeakerSitemap,
}
