"""A QR code of an item's permanent URL, drawn at build time as inline SVG (no request
anywhere, prints with the page): readers pass an item on by scanning it, as in WeChat.

segno encodes; the SVG is written here, one path of horizontal runs, because segno's own
writer costs several milliseconds per code. The mask is fixed: choosing the best of
segno's eight masks scores each of them (about 4 ms per code, four times the encoding),
while any mask is valid and decodes (tests/test_qr.py decodes the code of every item
page with an independent reader). Error correction level M survives a crease or a smudge on a printout.

A code depends only on its URL, so each is kept on disk (`cache_in`, the content cache's folder:
`make site` then draws only the codes of new items; 1.2 ms each, 12 s of a 10,000-item build).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Optional

import segno
from markupsafe import Markup, escape

MASK = 0
QUIET_ZONE = 4  # modules of white around the code, as the standard asks: scanners need it
_DARK_RUN = re.compile(b"\x01+")
_VERSION = f"segno {segno.__version__}, mask {MASK}, level M, quiet {QUIET_ZONE}, v1"  # what a kept code was drawn with
_folder: Optional[Path] = None


def cache_in(folder: Optional[Path]) -> None:
    """Keep the codes drawn in `folder` and use those kept there (None: draw every code)."""
    global _folder
    _folder = folder


def modules(url: str) -> list[bytes]:
    """The code's dark (1) and light (0) modules, row by row, without the quiet zone."""
    return [bytes(row) for row in segno.make(url, error="m", mode="byte", micro=False, mask=MASK, boost_error=False).matrix]


def path(matrix: list[bytes]) -> str:
    """SVG path data: one `M x y h n` run per stretch of dark modules, shifted by the quiet zone,
    each run drawn as a one-module-high line through the middle of its row."""
    return "".join(
        f"M{run.start() + QUIET_ZONE} {y + QUIET_ZONE}.5h{run.end() - run.start()}" for y, row in enumerate(matrix) for run in _DARK_RUN.finditer(row)
    )


@functools.lru_cache(maxsize=65536)  # `mkdocs serve` renders the same pages again and again: their codes never change
def svg(url: str, label: str = "本页网址的二维码") -> Markup:
    """The QR code of `url` as an inline <svg> with an accessible name; sizes come from CSS."""
    size, drawn = _drawn(url)
    return Markup(
        f'<svg class="ml-qr__code" viewBox="0 0 {size} {size}" role="img" aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path stroke="#000" d="{drawn}"/></svg>'
    )


def _drawn(url: str) -> tuple[int, str]:
    """(the code's size with its quiet zone, its path data), from the folder if it is kept there."""
    file = _folder / hashlib.sha256(f"{_VERSION}\n{url}".encode()).hexdigest() if _folder else None
    if file and file.is_file():
        kept_size, _, kept = file.read_text(encoding="ascii").partition("\n")
        return int(kept_size), kept
    matrix = modules(url)
    size, drawn = len(matrix) + 2 * QUIET_ZONE, path(matrix)
    if file:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            partial = file.with_name(f"{file.name}.{os.getpid()}")  # workers never see a half-written code
            partial.write_text(f"{size}\n{drawn}", encoding="ascii")
            partial.replace(file)
        except OSError:
            pass  # a folder we cannot write in: the codes are drawn every time, as the data's cache (reading.ListCache) does
    return size, drawn
