"""What a rendered page would execute, read with the standard library's HTML parser.

Used by the XSS and security-header tests: a payload that reached the page
unescaped shows up here as a script, an event-handler attribute, a
``javascript:`` URL or an active element that the app never renders itself.
"""

import re
from html.parser import HTMLParser

# Elements that run code or embed other documents; the app renders none of them.
ACTIVE_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "portal", "xml"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc", "ping"}
# Browsers ignore ASCII whitespace and control characters inside a URL scheme.
_SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "livescript:")


class _Collector(HTMLParser):
    def __init__(self, allow=()):
        super().__init__(convert_charrefs=True)
        self.allow = set(allow)
        self.tag_counts = {}
        self.scripts = []  # (attrs dict, inline text)
        self.problems = []
        self._in_script = None
        self.style_attrs = []
        self.style_elements = 0

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self._in_script = {"attrs": dict(attrs), "text": ""}
            self.scripts.append(self._in_script)
        if tag == "style":
            self.style_elements += 1
            self.problems.append("<style> element")
        href = dict(attrs).get("href") or ""
        # A canonical or feed link names this very site (the test client's host): it loads nothing.
        same_site = href.startswith("http://testserver/") or (href.startswith("/") and not href.startswith("//"))
        canonical = dict(attrs).get("rel") in ("canonical", "alternate") and same_site
        if tag == "link" and not href.startswith("/static/") and not canonical:
            self.problems.append(f"<link> to {href!r}")

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self.scripts.append({"attrs": dict(attrs), "text": ""})

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["text"] += data

    def _check(self, tag, attrs):
        self.tag_counts[tag] = self.tag_counts.get(tag, 0) + 1
        if tag in ACTIVE_TAGS and tag not in self.allow:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and any(n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs):
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            bare = name.removeprefix("data-")
            if bare.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…> htmx event handler")
            elif bare.startswith("hx-") and re.search(r"\bxss\b|alert\(|^\s*js:|javascript:", value or "", re.I):
                self.problems.append(f"<{tag} {name}={value!r}> injected htmx attribute")
            if name == "style":
                self.style_attrs.append((tag, value))
            if name in URL_ATTRS and value:
                scheme = _SCHEME_NOISE.sub("", value).lower()
                if scheme.startswith(_BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}> script URL")


def inspect(html, allow=()):
    """``allow``: active tags the page renders itself (the admin draws <svg> icons)."""
    parser = _Collector(allow)
    parser.feed(html)
    parser.close()
    return parser


def is_known_script(script, allowed_srcs):
    """An app script: a file we serve, or a JSON data block (not executed)."""
    attrs = script["attrs"]
    if attrs.get("type") in ("application/json", "application/ld+json"):
        return True
    src = attrs.get("src")
    return bool(src) and not script["text"].strip() and any(src.startswith(p) for p in allowed_srcs)


# Our static files, and the admin's JavaScript translation catalogue (a same-origin file).
APP_SCRIPT_PREFIXES = ("/static/", "/admin/jsi18n/")


def unsafe_parts(html, allowed_srcs=APP_SCRIPT_PREFIXES, allow=()):
    """Everything on the page that would execute and is not one of our own scripts."""
    parsed = inspect(html, allow)
    found = list(parsed.problems)
    for script in parsed.scripts:
        if not is_known_script(script, allowed_srcs):
            found.append(f"<script {script['attrs']}>{script['text'][:60]}")
    return found
