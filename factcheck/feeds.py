"""Atom feeds: published decisions, claims in conflict, and a topic's claims in conflict.

A claim's entry is dated by its last change (``updated_at``): the model
keeps no separate "became a conflict" time, and a claim edited while in
conflict is news to a reader following the conflicts again.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from factcheck.models import Claim, Resolution, Status, Topic

ITEMS = 50


class _AtomFeed(Feed):
    feed_type = Atom1Feed
    # A site-wide feed's page is the claim list filtered to this status; a topic's feed links to its topic.
    list_status = None

    def link(self):
        return reverse("claim-list") + f"?status={self.list_status}"

    def author_name(self):
        return settings.FACTCHECK_PUBLISHER_NAME

    # Every item here, a decision or a claim, is dated by its row.
    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class DecisionsFeed(_AtomFeed):
    title = "Published decisions"
    subtitle = "Every claim an editor has decided, newest first, with the verdict and the reasons."
    list_status = Status.RESOLVED

    def items(self):
        return Resolution.objects.filter(is_open=False).select_related("claim").order_by("-updated_at", "-id")[:ITEMS]

    def item_title(self, item):
        return f"{item.get_verdict_display()}: {item.claim.text}"

    def item_description(self, item):
        return item.rationale

    def item_link(self, item):
        return item.claim.get_absolute_url()

    def item_guid(self, item):
        # A revised decision is a new entry.
        return f"{item.claim.get_absolute_url()}#decision-{item.version}"

    item_guid_is_permalink = False


class _ConflictsFeed(_AtomFeed):
    def claims(self, topic=None):
        qs = Claim.objects.filter(status=Status.CONFLICT).select_related("topic")
        if topic is not None:
            qs = qs.filter(topic=topic)
        return qs.order_by("-updated_at", "-id")[:ITEMS]

    def item_title(self, item):
        return item.text

    def item_description(self, item):
        return (
            f"Sources conflict on this claim ({item.topic.title}): {item.source_count} sources, "
            f"{item.origin_count} independent origins."
        )

    def item_link(self, item):
        return item.get_absolute_url()


class ConflictsFeed(_ConflictsFeed):
    title = "Claims in conflict"
    subtitle = "Claims whose sources support and dispute them, most recently changed first."
    list_status = Status.CONFLICT

    def items(self):
        return self.claims()


class TopicConflictsFeed(_ConflictsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj):
        return f"Conflicts: {obj.title}"

    def subtitle(self, obj):
        return f"Claims under “{obj.title}” whose sources conflict."

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return self.claims(obj)
