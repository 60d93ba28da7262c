"""What a maintainer hands the tools (a pasted list, a saved page, a city's table): bytes into
text by one encoding policy, and one way of comparing its headers, ids and words.

`draft` and `import-progress` read the same kinds of files, saved by the same programs (Excel,
WPS, a browser), so they read them alike: a table that one accepts, the other accepts too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from generator.core.problems import Code, Problem
from generator.ingest import Refused

# The column that numbers the items, in order of preference (序 alone: tables typed by hand).
ID_HEADERS = ("序号", "编号", "序")
# Every dash a table typed by hand puts between the numbers of a sub-item id (6－3, 6—3).
DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−－", "-"))
# GB2312 and GBK are subsets of GB18030: text declared as one of them is read as GB18030,
# which also has the few characters (and the euro sign) that Python's gbk codec refuses.
_GB = {"gb2312", "gbk", "cp936", "ms936", "windows-936", "x-gbk", "euc-cn", "x-euc-cn", "csgb2312", "gb18030"}
_CHARSET = re.compile(rb"""charset=["']?([A-Za-z0-9_-]+)""")


def decode(raw: bytes, label: str, html: bool = False, charset: Optional[str] = None) -> tuple[str, str]:
    """(text, encoding) of a file: UTF-16 with its BOM (Excel's "Unicode text"); UTF-8 with
    or without BOM (Excel's "CSV UTF-8"); the `charset` a server declared for a download, or
    for a page (`html`), the charset it declares; else GB18030, which reads GBK and GB2312 too (Excel and WPS on a Chinese Windows).
    Anything else is refused, naming the line of the first byte that is not UTF-8; so is a
    file with nothing in it, or one that is not text at all (a PDF, an image, a Word file)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _not_empty(raw.decode("utf-16"), label), "utf-16"
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        message = "the file is not text (it holds NUL bytes: a PDF, an image, a Word file, or UTF-16 without its byte-order mark?); copy the text out of it into a .txt file and try again"
        raise Refused([Problem(label, line, 0, "", Code.ENCODING, message)])
    text, encoding = _decoded(raw, label, html, charset)
    return _not_empty(text, label), encoding


def _not_empty(text: str, label: str) -> str:
    if not text.strip():
        raise Refused([Problem(label, 1, 0, "", Code.FILE_EMPTY, "the file is empty; save the list's text (or the table) in it and try again")])
    return text


def _decoded(raw: bytes, label: str, html: bool, charset: Optional[str]) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    declared = _charset_name(charset) if charset else _declared(raw) if html else None
    for name in ([declared] if declared else []) + ["gb18030"]:
        try:
            return raw.decode(name), name
        except (LookupError, UnicodeDecodeError):
            continue
    line = raw[:first_bad].count(b"\n") + 1
    message = f"the file is neither UTF-8 nor GB18030 text (byte 0x{raw[first_bad]:02x}); save it as UTF-8 (from Excel: \"CSV UTF-8\") and try again"
    raise Refused([Problem(label, line, 0, "", Code.ENCODING, message)])


def _declared(raw: bytes) -> Optional[str]:
    """The charset a page declares in its first 4 KB, lower case; GBK and GB2312 as gb18030."""
    m = _CHARSET.search(raw[:4096])
    return _charset_name(m.group(1).decode("ascii")) if m else None


def _charset_name(name: str) -> str:
    return "gb18030" if name.lower() in _GB else name.lower()


def squash(text: str) -> str:
    """Compare headers, ids and wordings the way a reader would: full-width = half-width, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def normalise_id(cell: str) -> str:
    """'２０' → '20', ' 6－3 ' → '6-3', '6.' → '6': how ids appear in tables typed by hand."""
    return re.sub(r"[.、]$", "", squash(cell).translate(DASHES))


def bigrams(text: str) -> set:
    """The pairs of neighbouring characters in each run of letters (Chinese and Latin): how much
    two texts share, without a dictionary (托位 and 新增托位 share 托位)."""
    words = re.sub(r"[^\u4e00-\u9fffA-Za-z]", " ", text)
    return {a + b for word in words.split() for a, b in zip(word, word[1:], strict=False)}
