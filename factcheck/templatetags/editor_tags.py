"""``{% editor_script %}``: the editors' small script, as ``{% htmx_script %}`` serves htmx."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def editor_script():
    # Lets htmx swap in the 409 (stale edit) and 422 (bad input) answers.
    return format_html('<script src="{}" defer></script>', static("js/editor.js"))
