"""Archived source captures (`sources/captures/*.txt`) as the site publishes them.

A capture is the raw text of a web page: the official text, and around it the page's
furniture (menus, login links, share buttons, other news). The site publishes, for each
capture, the lines from the first to the last one that our data quotes (a source's title
counts as quoted), numbered as in the file, and leaves the rest out: what lies outside that
span is the page around the document, not the document (the archived file in the repository
keeps everything). Quotes are found the way the verbatim check compares them (data/verbatim.py: NFKC,
quotation marks and dashes unified, whitespace removed), among the same official texts; a traditional-character capture is converted
with OpenCC t2s first, as its quotes in the data were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.data import verbatim

LABEL_ROOM = 8  # characters a line may start with before the quote (a label such as 第十一件 or 29.)
MAX_OCCURRENCES = 50  # a short quote (a lead unit) can occur all over a page: look at this many


@dataclass
class Capture:
    """One archived file: its lines as stored, and a normalised copy to find quotes in."""

    archive: str  # the path the data gives: sources/captures/001_bf6b56c9ad327146.txt
    lines: list  # the file's lines, as stored (traditional characters stay traditional)
    traditional: bool
    _text: str = ""  # normalised (and converted) lines, joined
    _starts: tuple = ()  # where in _text each line starts

    def __post_init__(self):
        searchable = self.lines
        if self.traditional:
            from opencc import OpenCC

            convert = OpenCC("t2s").convert
            searchable = [convert(line) for line in self.lines]
        parts, starts, at = [], [], 0
        for line in searchable:
            starts.append(at)
            part = verbatim.normalise(line)
            parts.append(part)
            at += len(part)
        self._text, self._starts = "".join(parts), tuple(starts)

    def _line_at(self, offset: int) -> int:
        """The 1-based line that holds normalised character `offset`."""
        low, high = 0, len(self._starts) - 1
        while low < high:  # the last line starting at or before offset (empty lines share a start)
            mid = (low + high + 1) // 2
            if self._starts[mid] <= offset:
                low = mid
            else:
                high = mid - 1
        return low + 1

    def find(self, text: str | None) -> tuple[int, int] | None:
        """(first, last) line of the quote in the capture, 1-based; None when it is not there.
        Of several occurrences, the one that begins a line (after a short label) and fills
        most of it wins: a sub-item's own heading (`1.实现城镇新增就业35万人`) rather than its
        mention inside the parent's line."""
        wanted = verbatim.normalise(text or "")
        if not wanted:
            return None
        best, best_key = None, None
        at = self._text.find(wanted)
        for _ in range(MAX_OCCURRENCES):
            if at == -1:
                break
            first, last = self._line_at(at), self._line_at(at + len(wanted) - 1)
            start = self._starts[first - 1]
            end = self._starts[last] if last < len(self._starts) else len(self._text)
            key = (at - start > LABEL_ROOM, (end - start) - len(wanted), at)
            if best_key is None or key < best_key:
                best, best_key = (first, last), key
            at = self._text.find(wanted, at + 1)
        return best

    def line_of(self, *texts: str | None) -> int | None:
        """The line where the first of `texts` that the capture holds begins."""
        for text in texts:
            found = self.find(text)
            if found:
                return found[0]
        return None


def load(root: str | Path, archive: str, traditional: bool) -> Capture | None:
    """The capture at `archive` (relative to the repository root); None when it is missing."""
    path = Path(root) / archive
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return Capture(archive, raw.splitlines(), traditional)


@dataclass
class Published:
    """The part of a capture the site publishes: lines `first`…`last`, and which are quoted."""

    first: int
    last: int
    quoted: frozenset  # numbers of the lines our data quotes

    def before(self) -> int:
        """Lines left out before the span."""
        return self.first - 1


def published_span(capture: Capture, texts, signatures=()) -> Published | None:
    """From the first to the last line that any of `texts` (the data's quotes) occupies; None
    when none of them is in the capture (the page then shows the whole file). Short texts (a
    lead unit, a status word such as 已完成) occur all over a page and say nothing about where
    the document is: they mark lines as quoted but do not stretch the span by themselves.
    A document's closing line (落款: the issuer's name, e.g. 宜昌市人民政府办公室 2024年4月3日印发)
    a few lines after the last quote belongs to it: `signatures` are the names to look for."""
    quoted: set = set()
    span: set = set()
    for text in texts:
        found = capture.find(text)
        if found:
            lines = range(found[0], found[1] + 1)
            quoted.update(lines)
            if len(verbatim.normalise(text)) >= MIN_SPAN_QUOTE:
                span.update(lines)
    span = span or quoted
    if not span:
        return None
    last = max(span)
    names = [verbatim.normalise(n) for n in signatures if n and len(verbatim.normalise(n)) >= MIN_SPAN_QUOTE]
    for n in range(last + 1, min(last + SIGNATURE_ROOM, len(capture.lines)) + 1):
        if any(name in verbatim.normalise(capture.lines[n - 1]) for name in names):
            last = n
            break
    return Published(min(span), last, frozenset(quoted))


MIN_SPAN_QUOTE = 6  # normalised characters a quote needs to decide where the document is
SIGNATURE_ROOM = 4  # lines after the last quote where a document's closing line may stand
