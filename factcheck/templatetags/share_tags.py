"""Meta tags for links shared elsewhere: canonical URL, OpenGraph and Twitter cards."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

register = template.Library()

# Query parameters that name another page of the same resource; every other one is a view of it.
CANONICAL_PARAMS = ("page",)


@register.simple_tag(takes_context=True)
def canonical_link(context):
    request = context.get("request")
    if request is None:
        return ""
    query = request.GET.copy()
    for name in list(query):
        if name not in CANONICAL_PARAMS or query.get(name) == "1":
            del query[name]
    url = request.build_absolute_uri(request.path) + (f"?{query.urlencode()}" if query else "")
    return format_html('<link rel="canonical" href="{}">', url)


@register.simple_tag(takes_context=True)
def social_meta(context, title, description="", image="", kind="article"):
    """``og:`` and ``twitter:`` tags; ``image`` is a path on this site (a large card) or blank."""
    request = context["request"]
    tags = [
        ("property", "og:site_name", settings.FACTCHECK_PUBLISHER_NAME),
        ("property", "og:type", kind),
        ("property", "og:title", Truncator(title).chars(150)),
        ("property", "og:url", request.build_absolute_uri(request.path)),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", Truncator(title).chars(70)),
    ]
    if description:
        tags += [
            ("property", "og:description", Truncator(description).chars(300)),
            ("name", "twitter:description", Truncator(description).chars(200)),
        ]
    if image:
        absolute = request.build_absolute_uri(image)
        tags += [
            ("property", "og:image", absolute),
            ("property", "og:image:type", "image/png"),
            ("property", "og:image:width", "1200"),
            ("property", "og:image:height", "630"),
            ("property", "og:image:alt", Truncator(title).chars(150)),
            ("name", "twitter:image", absolute),
        ]
    return format_html_join("\n  ", '<meta {}="{}" content="{}">', tags)


@register.simple_tag
def claim_description(claim):
    """ "Conflict: 2 sources, 2 independent origins." — what a shared claim link says under its title."""
    state = claim.status_label
    if claim.verdict:
        state = gettext("Verdict: %(verdict)s") % {"verdict": claim.resolution.get_verdict_display()}
    sources = ngettext("%(counter)s source", "%(counter)s sources", claim.source_count) % {
        "counter": claim.source_count
    }
    origins = ngettext("%(counter)s independent origin", "%(counter)s independent origins", claim.origin_count) % {
        "counter": claim.origin_count
    }
    return f"{state} — {sources}, {origins}."


@register.simple_tag(takes_context=True)
def embed_snippet(context, claim):
    """The iframe another site pastes to show ``claim``'s embed (text: the template escapes it)."""
    request = context["request"]
    src = request.build_absolute_uri(reverse("embed-claim", args=[claim.pk]))
    title = Truncator(f"Fact check: {claim.text}").chars(90).replace('"', "“")
    return f'<iframe src="{src}" title="{title}" width="100%" height="340" frameborder="0" loading="lazy"></iframe>'
