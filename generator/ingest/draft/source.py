"""Reading the source: plain text, a saved HTML page, a PDF, a Word file or a table file, as
lines of simplified text, and the text to archive.

A page's main text is found by trafilatura, a PDF's and a .docx's by pdfplumber and
python-docx (documents.py); the standard library's html.parser below reads a page only when
trafilatura finds no main text in it. Traditional characters are converted with OpenCC t2s for
the draft while the archive keeps the original.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from generator.core.problems import Code, Problem
from generator.ingest import Refused
from generator.ingest.textinput import decode


@dataclass
class SourceText:
    lines: list  # (line number in `archived`, text) — simplified characters
    archived: str  # the text to archive (original characters), one line per line number
    kind: str  # "html", "text" or "table"
    traditional: bool = False
    encoding: str = "utf-8"
    table_rows: Optional[list] = None  # for CSV/TSV files: rows of cells
    label: str = ""  # the file as the maintainer named it, for messages
    url: Optional[str] = None  # the address the file says it was saved from
    retrieved: Optional[object] = None  # the day the file says it was saved (a date)
    extractor: str = ""  # what found the text in a page, PDF or Word file


_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "nav", "header", "footer", "aside", "form", "button", "select", "head", "title"}
_FURNITURE = re.compile(r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|footer|header|sidebar|share|comments?|copyright|toolbar|login|related|recommend)($|[\s_-])", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article", "blockquote", "pre", "dd", "dt", "dl", "hr", "tbody", "thead"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class _TextOfPage(html.parser.HTMLParser):
    """The visible text of a page, one block per line; table rows as `cell | cell`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list = []
        self.skip_depth = 0
        self.stack: list = []
        self.cells: Optional[list] = None
        self.cell: Optional[list] = None

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br" and not self.skip_depth:
                self._text("\n")
            return
        names = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        skipping = tag in _SKIP_TAGS or bool(_FURNITURE.search(names))
        self.stack.append((tag, skipping))
        if skipping:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "tr":
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cell = []
        elif tag in _BLOCK_TAGS:
            self._text("\n")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        while self.stack:
            open_tag, skipping = self.stack.pop()
            if skipping:
                self.skip_depth -= 1
            if open_tag == tag:
                break
        if self.skip_depth:
            return
        if tag in ("td", "th") and self.cell is not None and self.cells is not None:
            joined = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", "".join(self.cell))  # 城市用气<br>提升工程
            self.cells.append(re.sub(r"\s+", " ", joined).strip())
            self.cell = None
        elif tag == "tr" and self.cells is not None:
            if any(self.cells):
                self.out.append("\n" + " | ".join(self.cells) + "\n")
            self.cells = None
        elif tag in _BLOCK_TAGS:
            self._text("\n")

    def handle_data(self, data):
        if not self.skip_depth:
            self._text(data)

    def _text(self, text):
        if self.cell is not None:
            self.cell.append(text)
        elif self.cells is None:
            self.out.append(text)

    def text(self) -> str:
        lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(self.out).split("\n")]
        return "\n".join(line for line in lines if line)


def html_to_text(page: str) -> str:
    parser = _TextOfPage()
    parser.feed(page)
    parser.close()
    return parser.text()


def looks_traditional(text: str) -> bool:
    """More than 1 % of the Chinese characters change under OpenCC t2s (simplified text
    changes by a handful of characters at most)."""
    from opencc import OpenCC

    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han[:20000])
    converted = OpenCC("t2s").convert(sample)
    changed = sum(1 for a, b in zip(sample, converted, strict=False) if a != b)
    return changed > 0.01 * len(sample)


# What a volunteer pastes can be anything a page gave; a city's list is a few thousand
# characters and at most a few hundred items (the longest in data/: about 17,000 characters,
# 113 items). Above these the drafter refuses at once, rather than work for minutes on a
# year file the validator would refuse anyway. README and the contribute page say so.
MAX_SOURCE_BYTES = 20 * 1024 * 1024  # a saved page with its scripts and styles
MAX_SOURCE_CHARS = 100_000  # the text, once the page around it is stripped
MAX_ITEMS = 600  # items and sub-items found in it


def too_large(path: Path | str, what: str) -> Refused:
    message = (
        f"{what}; the drafter reads at most {MAX_SOURCE_CHARS:,} characters and {MAX_ITEMS} items (a city's list is a few thousand "
        "characters and at most a few hundred items): save only the list itself in the file and try again"
    )
    return Refused([Problem(str(path), 1, 0, "", Code.FILE_TOO_LARGE, message)])


DOCUMENT_SUFFIXES = (".pdf", ".docx")


def read_source(path: Path, charset: Optional[str] = None) -> SourceText:
    """The file's lines and the text to archive; `charset` is what a server declared for a
    downloaded file (fetch.py), read before the page's own declaration."""
    from generator.ingest.draft import documents

    suffix = path.suffix.lower()
    is_html = suffix in (".html", ".htm", ".xhtml")
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise too_large(path, f"the file is {size / 1024 / 1024:.0f} MB")
    if suffix in (".doc", ".wps"):
        raise Refused([Problem(str(path), 0, 0, "", Code.BAD_FORMAT, "an old Word (.doc) or WPS file: open it and save it as .docx (or PDF), then draft from that")])
    document = None
    encoding = "utf-8"
    if suffix in DOCUMENT_SUFFIXES:
        if size == 0:
            raise Refused([Problem(str(path), 1, 0, "", Code.FILE_EMPTY, "the file is empty")])
        document = documents.pdf_document(path) if suffix == ".pdf" else documents.docx_document(path)
        text = document.text
    else:
        raw = path.read_bytes()
        text, encoding = decode(raw, str(path), html=is_html or raw.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")), charset=charset)
        if not is_html and re.match(r"\s*(<!--.*?-->\s*)*(<!doctype html|<html)", text[:2000], re.I | re.S):
            is_html = True
        if is_html:
            document = documents.html_document(text, html_to_text)
            text = document.text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_SOURCE_CHARS:
        raise too_large(path, f"the text is {len(text):,} characters long")
    traditional = looks_traditional(text)
    shown = text
    if traditional:
        from opencc import OpenCC

        shown = OpenCC("t2s").convert(text)
    lines = [(i + 1, line.strip(" \t\u3000\xa0")) for i, line in enumerate(shown.split("\n"))]
    lines = [(no, line) for no, line in lines if line]
    kind = document.kind if document is not None else "text"
    rows = None
    if suffix in (".csv", ".tsv", ".tab"):
        import csv
        import io

        delimiter = "\t" if suffix != ".csv" else ","
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(shown, newline=""), delimiter=delimiter)]
        kind = "table"
    source = SourceText(lines, text, kind, traditional, encoding, rows, str(path))
    if document is not None:
        source.url, source.retrieved, source.extractor = document.url, document.retrieved, document.extractor
    return source
