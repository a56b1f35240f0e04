from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def intake_script():
    """The drop zone's script (static/js/intake.js), external and deferred as the CSP wants, like ``app_script``."""
    return format_html('<script src="{}" defer></script>', static("js/intake.js"))
