"""Tags for pages that show hundreds of claims, quotes and sources at once.

Stance and status badges carry word, icon and class, so neither is told by
colour alone. They are simple tags rather than included templates: a topic
grid or a source's passage index shows hundreds of them, and an
``{% include %}`` costs a template render each. ``{% fragment %}`` caches
what every user sees alike (factcheck/fragments.py).
"""

from django import template
from django.template.defaultfilters import stringfilter, truncatechars
from django.utils.html import format_html

from factcheck.fragments import cached_fragment

register = template.Library()

STANCE_ICONS = {"supports": "✓", "disputes": "✗", "qualifies": "≈"}
STATUS_ICONS = {"conflict": "⚡", "agreement": "✓", "resolved": "⚖", "changed": "◷", "single": "①"}


def _badge(kind, value, icon, label):
    # The icon is for sighted readers; the label says the same in words, so colour is never the only cue.
    return format_html(
        '<span class="{0} {0}-{1}"><span aria-hidden="true" class="{0}-icon">{2}</span> {3}</span>',
        kind,
        value,
        icon,
        label,
    )


@register.simple_tag
def stance_badge(stance, label):
    return _badge("stance", stance, STANCE_ICONS.get(stance, "≈"), label)


@register.simple_tag
def status_badge(status, label):
    return _badge("status", status, STATUS_ICONS.get(status, "○"), label)


@register.filter(is_safe=True)
@stringfilter
def clip(value, length):
    """``truncatechars``, without walking every character of the (usual) text that is short enough already."""
    if len(value) <= int(length):
        return value
    return truncatechars(value, length)


class FragmentNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name, self.parts, self.nodelist = name, parts, nodelist

    def render(self, context):
        parts = [part.resolve(context) for part in self.parts]
        return cached_fragment(self.name.resolve(context), parts, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    """``{% fragment "name" obj … %}…{% endfragment %}``: the same for every user, cached (factcheck/fragments.py)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name, and the objects its HTML shows")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], nodelist)
