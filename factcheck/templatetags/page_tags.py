"""Tags for pages that show hundreds of claims, quotes and sources at once.

Stance and status badges carry word, icon and class, so neither is told by
colour alone. They are simple tags rather than included templates: a topic
grid or a source's passage index shows hundreds of them, and an
``{% include %}`` costs a template render each. ``{% fragment %}`` caches
what every user sees alike (factcheck/fragments.py).
"""

from django import template
from django.template.defaultfilters import stringfilter
from django.templatetags.static import static
from django.utils.html import format_html

from factcheck import render_memo
from factcheck.fragments import cached_fragment
from factcheck.models import Stance, Status
from factcheck.quotes import clip_words, without_footnotes

register = template.Library()

# Templates pass the stored string, which may be empty: a lookup with a default, where Status(value) would raise.
STANCE_ICONS = {stance.value: stance.icon for stance in Stance}
STATUS_ICONS = {status.value: status.icon for status in Status}


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


@register.simple_tag
def app_script():
    """The app's own script (static/js/app.js), external and deferred as the CSP wants, like ``htmx_script``."""
    return format_html('<script src="{}" defer></script>', static("js/app.js"))


@register.simple_tag
def page_script(name):
    """One page's own script, ``static/js/<name>``, external and deferred like ``app_script``."""
    return format_html('<script src="{}" defer></script>', static(f"js/{name}"))


@register.filter
def verdict_definition(value):
    """What a verdict means, beside its choice in the resolve form (``forms.VERDICT_DEFINITIONS``)."""
    from factcheck.forms import VERDICT_DEFINITIONS

    return VERDICT_DEFINITIONS.get(value, "")


@register.simple_tag
def status_icon(status):
    return STATUS_ICONS.get(status, "○")


@register.filter(is_safe=True)
@stringfilter
def clip(value, length):
    """At most ``length`` characters, cut before a word (``truncatechars`` cuts inside one).

    Footnote markers ("[1][3]") are left out: this shows quotes.
    """
    return clip_words(value, int(length))


@register.filter(is_safe=True)
@stringfilter
def unfooted(value):
    """A quote (or its context) without the source's footnote markers."""
    return without_footnotes(value)


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


class MemoNode(template.Node):
    def __init__(self, key, nodelist):
        self.key, self.nodelist = key, nodelist

    def render(self, context):
        return render_memo.rendered(self.key.resolve(context), lambda: self.nodelist.render(context))


@register.tag
def memo(parser, token):
    """``{% memo key %}…{% endmemo %}``: HTML remembered under ``key``, all it shows (factcheck/render_memo.py)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% memo %} needs one key: every value the block shows")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(parser.compile_filter(bits[1]), nodelist)
