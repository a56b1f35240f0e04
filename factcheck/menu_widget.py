"""A ``<select>`` of fixed choices whose HTML is kept once rendered: the language menu's ~185 options."""

from django import forms
from django.utils.translation import get_language

MAX_KEPT = 256  # renderings kept (menu, language, name, value, attributes); past it they start again


_rendered = {}


class FixedMenu(forms.Select):
    """A ``Select`` over a module-level list of choices that never changes, named by ``menu``.

    Rendering ~185 options through the widget templates costs several
    milliseconds a page (search, the claim list); the same menu with the same
    value and attributes in the same language is the same HTML, so it is
    rendered once per process.
    """

    def __init__(self, menu, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.menu = menu

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        key = (self.menu, get_language(), name, tuple(self.format_value(value)), tuple(sorted(final.items())))
        html = _rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(_rendered) >= MAX_KEPT:
                _rendered.clear()
            _rendered[key] = html
        return html

    def __deepcopy__(self, memo):
        # Each form copies its widgets; these choices never change, so the copy shares
        # them instead of normalising ~185 of them again (as Select's copy does).
        return forms.Widget.__deepcopy__(self, memo)
