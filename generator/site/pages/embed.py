"""How tall the embed card is, so the iframe snippet on the item page fits it (no empty band
below the card, no scroll bar inside it).

An iframe cannot size itself to its page without a script, and the card has none: the
snippet carries a height. It is the card's height at its narrowest (a 320 px iframe), where
its lines wrap most, counted from the card's own HTML with the sizes embed.css gives each
block; wider, the card stretches to the same height (embed.css) with its link at the bottom.
tests/test_embed.py measures every card in Chromium against this count.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata

TEXT_WIDTH = 320 - 2 * 4 - 2 * 1 - 2 * 12  # px of text at 320 px: main's padding, the card's border and padding
CHROME = 2 * 4 + 2 * 1 + 2 * 10  # main's padding, the card's border, its padding top and bottom
# Each block of the card (class → font size, line height, margin below, in px), as in embed.css.
BLOCKS = {
    "ml-embed__kicker": (12, 18, 6),
    "ml-embed__title": (18, 24.3, 8),
    "ml-embed__status": (15, 24, 6),  # the badge's border makes its line a little taller
    "ml-embed__figure": (14, 21, 6),
    "ml-embed__foot": (12, 18, 0),
    "ml-updated": (12, 18, 4),
}
SLACK = 6  # px: rounding, and a line that wraps a character early
_BLOCK = re.compile(r'<(?:p|h1) class="([\w-]+)"[^>]*>(.*?)</(?:p|h1)>', re.S)
_TAG = re.compile(r"<[^>]+>")


_TOKEN = re.compile(r"[A-Za-z0-9.,%+\-]+|.", re.S)  # a Latin word or a number wraps as one piece; anything else per character


def char_width(ch: str, size: float) -> float:
    """Px of a character: a Chinese character or full-width sign is one em, others about 0.65 em, more than most fonts give a digit, so a line is not counted short."""
    return size if unicodedata.east_asian_width(ch) in "WF" else size * 0.65


def lines(text: str, size: float, width: float = TEXT_WIDTH) -> int:
    """How many lines `text` takes at `width` px: pieces put on a line while they fit, as a browser does."""
    count, used = 1, 0.0
    for piece in _TOKEN.findall(text):
        w = sum(char_width(ch, size) for ch in piece)
        if used + w > width and used > 0:
            count, used = count + 1, 0.0
        used += w
    return count


def card_height(card_html: str) -> int:
    """The px height of a card (templates/embed.html.j2, rendered) in a 320 px iframe."""
    height: float = CHROME + SLACK
    for cls, inner in _BLOCK.findall(card_html):
        if cls not in BLOCKS:
            continue
        size, line, margin = BLOCKS[cls]
        text = html.unescape(_TAG.sub("", inner)).strip()
        height += lines(text, size) * line + margin
    return math.ceil(height)
