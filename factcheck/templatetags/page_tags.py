"""Tags for pages that show hundreds of claims, quotes and sources at once.

Stance and status badges carry word, icon and class, so neither is told by
colour alone. They are simple tags rather than included templates: a topic
grid or a source's passage index shows hundreds of them, and an
``{% include %}`` costs a template render each.
"""

from django import template
from django.template.defaultfilters import stringfilter, truncatechars
from django.utils.html import format_html

register = template.Library()

STANCE_ICONS = {"supports": "✓", "disputes": "✗", "qualifies": "≈"}
STATUS_ICONS = {"conflict": "⚡", "agreement": "✓", "resolved": "⚖", "changed": "◷", "single": "①"}


@register.simple_tag
def stance_badge(stance, label):
    return format_html(
        '<span class="stance stance-{}"><span aria-hidden="true" class="stance-icon">{}</span> {}</span>',
        stance,
        STANCE_ICONS.get(stance, "≈"),
        label,
    )


@register.simple_tag
def status_badge(status, label):
    return format_html(
        '<span class="status status-{}"><span aria-hidden="true" class="status-icon">{}</span> {}</span>',
        status,
        STATUS_ICONS.get(status, "○"),
        label,
    )


@register.filter(is_safe=True)
@stringfilter
def clip(value, length):
    """``truncatechars``, without walking every character of the (usual) text that is short enough already."""
    if len(value) <= int(length):
        return value
    return truncatechars(value, length)
