"""Share cards: a claim as a 1200×630 PNG (OpenGraph and Twitter's large image), drawn with Pillow.

The fonts are the ones the site serves (static/fonts/, SIL Open Font
License): Source Serif for the claim, Inter for the rest. Both are variable
fonts; the weight is chosen per line. Text that does not fit is cut at a word
with an ellipsis, never overflowing the card.
"""

import functools
import io

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
FONTS = settings.BASE_DIR / "static" / "fonts"
SERIF = FONTS / "source-serif-4-latin-wght-normal.woff2"
SANS = FONTS / "inter-latin-wght-normal.woff2"

BG = "#f8f6f1"
FG = "#1f2328"
MUTED = "#595f66"
ACCENT = "#1a5291"
LINE = "#dcd8cf"
STANCE_COLOURS = {"supports": "#1b6b3a", "disputes": "#a32418", "qualifies": "#7a4f00"}
STATUS_COLOURS = {"conflict": "#a32418", "agreement": "#1b6b3a", "resolved": "#3d3591", "changed": "#1f5d73"}
MAX_SOURCES = 3


@functools.cache
def _font(path, size, weight):
    font = ImageFont.truetype(str(path), size)
    font.set_variation_by_axes([weight])
    return font


def _wrap(draw, text, font, width, max_lines):
    """``text`` in lines no wider than ``width``; past ``max_lines`` the last ends in "…"."""
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while draw.textlength(line, font=font) > width:  # one word wider than the card
            line = line[:-2] + "…"
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last + " …"
    return lines


def _claim_lines(draw, text, width):
    """The largest size at which the claim fits in four lines (five at the smallest)."""
    for size, max_lines in ((56, 3), (48, 4), (40, 5)):
        font = _font(SERIF, size, 600)
        lines = _wrap(draw, text, font, width, max_lines)
        if not lines[-1].endswith("…") or size == 40:
            return font, lines, size
    raise AssertionError("unreachable")


def claim_card_png(card, *, site_name):
    """``card`` (``selectors.publishing.ClaimCard``) drawn as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BG)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    claim = card.claim
    draw.rectangle((0, 0, WIDTH, 10), fill=ACCENT)

    kicker = _font(SANS, 26, 600)
    y = 44
    topic = _wrap(draw, f"{site_name} · {claim.topic.title}", kicker, inner, 1)[0]
    draw.text((MARGIN, y), topic, font=kicker, fill=MUTED)
    y += 52

    font, lines, size = _claim_lines(draw, claim.text, inner)
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=FG)
        y += int(size * 1.22)
    y += 14

    badge_font = _font(SANS, 30, 700)
    label = card.headline
    colour = "#3d3591" if card.verdict_label else STATUS_COLOURS.get(claim.status, MUTED)
    pad = 16
    badge_w = int(draw.textlength(label, font=badge_font)) + 2 * pad
    draw.rounded_rectangle((MARGIN, y, MARGIN + badge_w, y + 50), radius=25, fill=colour)
    draw.text((MARGIN + pad, y + 25), label, font=badge_font, fill="#ffffff", anchor="lm")
    x = MARGIN + badge_w + 28
    count_font = _font(SANS, 26, 600)
    for stance, stance_label, count in card.counts:
        text = f"{stance_label} {count}"
        draw.text((x, y + 25), text, font=count_font, fill=STANCE_COLOURS.get(stance, MUTED), anchor="lm")
        x += int(draw.textlength(text, font=count_font)) + 28

    footer_y = HEIGHT - 120
    draw.line((MARGIN, footer_y, WIDTH - MARGIN, footer_y), fill=LINE, width=2)
    sources_font = _font(SANS, 24, 450)
    names = [s.title for s in card.sources[:MAX_SOURCES]]
    more = len(card.sources) - len(names)
    text = "Sources: " + "; ".join(names) + (f"; and {more} more" if more > 0 else "") if names else "No sources yet"
    for i, line in enumerate(_wrap(draw, text, sources_font, inner, 2)):
        draw.text((MARGIN, footer_y + 18 + i * 34), line, font=sources_font, fill=MUTED)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
