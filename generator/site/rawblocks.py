"""Generated pages' HTML blocks, set aside for Python-Markdown without parsing them again.

A generated page is mostly HTML the templates wrote, between a few Markdown headings. Python-
Markdown finds its raw HTML blocks by running html.parser over the whole page, which was a
third of a build's time (issue #21). The templates already separate their blocks by blank
lines, so this preprocessor stores each block in Markdown's own HTML stash (as its html_block
preprocessor would) and leaves only the headings and Markdown paragraphs to convert.

It stores a block only when it is sure Python-Markdown would have stored the same text: the
block starts with a block-level tag and closes every block-level tag it opens. At the first
block that does not (an element spanning blank lines), it stops and leaves the rest of the
page to Python-Markdown as usual. tests/test_rawblocks.py converts every generated page both
ways and requires the same HTML and table of contents.
"""

from __future__ import annotations

import re
from collections import Counter

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

_BLANK_LINES = re.compile(r"\n{2,}")
_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_CLOSE = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _StashBlocks(Preprocessor):
    def run(self, lines: list) -> list:
        chunks = _BLANK_LINES.split("\n".join(lines))
        out: list = []
        blocks: list = []  # blocks in a row, stored as one: Markdown then has one paragraph to skip, not many
        for k, chunk in enumerate(chunks):
            if chunk.startswith("<") and self._whole_block(chunk):
                blocks.append(chunk)
                continue
            self._store(blocks, out)
            if chunk.startswith("<"):
                out += chunks[k:]  # Python-Markdown's own html_block reads the rest
                break
            out.append(chunk)  # a heading or a Markdown paragraph
        self._store(blocks, out)
        return "\n\n".join(out).split("\n")

    def _store(self, blocks: list, out: list) -> None:
        if blocks:
            out.append(self.md.htmlStash.store("\n\n".join(blocks) + "\n"))
            blocks.clear()

    def _whole_block(self, chunk: str) -> bool:
        first = _OPEN.match(chunk)
        if not first or first.group(1).lower() in _VOID or not self.md.is_block_level(first.group(1).lower()):
            return False
        opened, closed = Counter(t.lower() for t in _OPEN.findall(chunk)), Counter(t.lower() for t in _CLOSE.findall(chunk))
        return all(opened[t] == closed[t] for t in opened.keys() | closed.keys() if t not in _VOID and self.md.is_block_level(t))


class GeneratedHtml(Extension):
    """Add to the extensions of the Markdown that converts generated pages (plugin.py)."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After normalize_whitespace (30), before html_block (20): the same text html_block would see.
        md.preprocessors.register(_StashBlocks(md), "generated_html", 25)
