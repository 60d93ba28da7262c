"""Verbatim text: which words of a list are the city's own, and how our copy is compared with
the archived source.

One rule for both places that compare: the verbatim check (data/checks.py: every official
text must be in the archived capture) and the capture pages (site/captures.py: the lines our
data quotes). If they disagreed, a page could mark as quoted a line the check never
compared, or miss one it did.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from generator.core import model
from generator.core.model import walk_items
from generator.data.reading import FieldPath

_QUOTES_AND_DASHES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """What may differ between our copy and the source: whitespace, full/half-width forms
    (NFKC) and the kind of quotation marks and dashes. Nothing else: a changed number or
    word is a different text."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_QUOTES_AND_DASHES))


def official_texts(pl: model.PledgeList, walked: Iterable | None = None) -> Iterator[tuple[FieldPath, str]]:
    """(path, text) of every official text of a list, one paragraph at a time: what the
    archived sources must contain. `walked`: the list's `walk_items`, when the caller has it."""
    yield from _paragraphs(("summary",), pl.summary)
    for i, s in enumerate(pl.sections):
        yield ("sections", i, "title"), s.title
    for i, a in enumerate(pl.alternatives):
        yield ("alternatives", i), a
    for i, r in enumerate(pl.reports):
        yield from _paragraphs(("reports", i, "summary"), r.summary)
    for i, c in enumerate(pl.vote.not_chosen if pl.vote else ()):
        yield ("vote", "not_chosen", i, "text"), c.text
    for item, path, _ in walk_items(pl.items) if walked is None else walked:
        yield path + ("text",), item.text
        yield from _paragraphs(path + ("explanation",), item.explanation)
        yield from _paragraphs(path + ("goal",), item.goal)
        for j, unit in enumerate(item.lead):
            yield path + ("lead", j), unit
        for j, t in enumerate(item.targets):
            yield path + ("targets", j, "text"), t.text
        if item.investment:
            yield path + ("investment", "text"), item.investment.text
        for j, pr in enumerate(item.progress):
            yield from _paragraphs(path + ("progress", j, "text"), pr.text)
            if pr.status_text:
                yield path + ("progress", j, "status_text"), pr.status_text
            for k, m in enumerate(pr.measures):
                if m.text:
                    yield path + ("progress", j, "measures", k, "text"), m.text
            if pr.investment:
                yield path + ("progress", j, "investment", "text"), pr.investment.text


def cited_texts(pl: model.PledgeList) -> Iterator[str]:
    """The official texts, and the sources' own titles and document numbers (a capture holds
    them too: they show where the document begins)."""
    for s in pl.sources:
        yield s.title
        if s.document_number:
            yield s.document_number
    for _, text in official_texts(pl):
        yield text


def _paragraphs(path: FieldPath, text: str | None) -> Iterator[tuple[FieldPath, str]]:
    for para in (text or "").split("\n"):
        if para.strip():
            yield path, para
