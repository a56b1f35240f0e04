"""No template carries inline script or style, which the Content-Security-Policy would block.

The policy itself, on real responses: tests/integration/test_security_headers.py.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.html_safety import inspect


def _templates():
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(root.rglob("*.html"))


def test_it_has_templates_to_check():
    assert len(_templates()) >= 10


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_it_keeps_every_template_free_of_inline_script_and_style(template):
    source = template.read_text()
    # Template tags are not HTML; blank them so the parser sees only markup.
    markup = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", source, flags=re.S)
    parsed = inspect(markup)
    inline = [
        s
        for s in parsed.scripts
        if not s["attrs"].get("src") and s["attrs"].get("type") not in ("application/json", "application/ld+json")
    ]
    assert inline == [], f"inline <script> in {template.name}"
    assert [p for p in parsed.problems if not p.startswith("<link>")] == [], parsed.problems
    assert parsed.style_attrs == [], f"style= attribute in {template.name}: {parsed.style_attrs}"
    assert parsed.style_elements == 0, f"<style> element in {template.name}"
