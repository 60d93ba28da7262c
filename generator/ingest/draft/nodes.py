"""The draft while it is made: items and sub-items (`Node`), categories (`SectionDraft`),
the whole (`Draft`), and the documented id rule (content/about/contribute.md): the source's
own numbers when they are unique, else 1, 2, 3 … in source order; a sub-item is
`<item>-<its own number>`, also when the source numbers sub-items straight through the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from generator.ingest.draft.lines import take_lead


@dataclass
class Node:
    """An item or sub-item while drafting."""

    line: int
    label: Optional[str]
    number: Optional[int]
    text: str = ""
    section: Optional[str] = None
    goal: Optional[str] = None
    explanation: list = field(default_factory=list)
    lead: list = field(default_factory=list)
    deadline: Optional[dt.date] = None
    children: list = field(default_factory=list)
    id: str = ""
    targets: list = field(default_factory=list)  # dicts, with "_note" for a comment
    investment: Optional[dict] = None  # {text, value}: the planned investment (content.draft_investment)
    notes: list = field(default_factory=list)  # comment lines for the maintainer
    topics: list = field(default_factory=list)  # (topic id, [keywords]) suggestions
    split: bool = False  # a sub-item split from its parent's ；-list
    title: str = ""  # a suggested short title (ours), written as a comment
    deadline_words: Optional[str] = None  # the words of the text that give `deadline` (预计2024年5月完工)
    incomplete: bool = False  # the source stops in the middle of it (decisions.cut_off)


@dataclass
class SectionDraft:
    id: str
    label: str
    title: str
    level: int
    parent: Optional[str] = None
    number: int = 0
    line: int = 0
    numbered: bool = True


@dataclass
class Draft:
    items: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    intro: list = field(default_factory=list)  # (line, text) before the list
    unplaced: list = field(default_factory=list)  # (line, text) the structure has no place for
    notes: list = field(default_factory=list)  # comment lines for the top of the file
    unused_columns: list = field(default_factory=list)
    renumbered: bool = False
    table_in_text: bool = False  # a table found inside a text (its lines before are listed if unused)


def text_and_lead(text: str, lead: list, notes: Optional[list] = None) -> tuple:
    body, units, others = take_lead(text)
    if notes is not None:
        notes.extend(f"TODO: the source also names {other}; `lead` holds only the leading units" for other in others)
    return body, lead + units


def number_items(draft: Draft, numbered: bool = True) -> None:
    """Ids by the documented rule: the source's numbers while they are unique, else 1, 2, 3 …"""
    numbers = [n.number for n in draft.items]
    unique = numbered and all(numbers) and len(set(numbers)) == len(numbers) and numbers == sorted(numbers)
    draft.renumbered = numbered and not unique
    for position, node in enumerate(draft.items, 1):
        node.id = str(node.number if unique else position)
        number_children(node)


def number_children(node: Node) -> None:
    numbers = [c.number for c in node.children]
    unique = all(numbers) and len(set(numbers)) == len(numbers)
    for position, child in enumerate(node.children, 1):
        child.id = f"{node.id}-{child.number if unique else position}"
        number_children(child)


def walk_nodes(nodes):
    for n in nodes:
        yield n
        yield from walk_nodes(n.children)
