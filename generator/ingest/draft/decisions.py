"""What a person must still decide in a draft, counted the same way for the summary printed at
the end of `draft`, the review page (review.py) and the benchmark (benchmarks/bench_draft.py):

- a title: an item with no suggested title, or one the rule had to cut (longer than 20
  characters) or that is the whole text again; a suggestion that is the first clause as it
  stands is only to be accepted (remove the # in front), not decided;
- topics: an item with no suggested topic, or whose topics come only from the rest of its
  text or its explanation (the first clause names none);
- a metric: a target whose words several figures share, or that names no more than its text;
- a target: one taken from an explanation (keep it only if it is part of the pledge);
- an incomplete item: the source stops in the middle of it (cut_off below);
- the list's facts: every 待填写 the year file holds (title, issuer, the city's names …).

Also here: the mark on the last item of a source that stops in the middle of it. Such an item
gets a `note` holding 待填写, which stops the site from being built until a person has
completed it from the whole document: it is never published silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.ingest.draft.nodes import Draft, Node, walk_nodes

_ENDS = re.compile(r"[。；;！？!?…”’」』）)】\]]$|^[^，,、：:（(]{1,30}$")  # a sentence's end, or a short name (a table cell)
_OPEN = {"（": "）", "(": ")", "“": "”", "《": "》", "【": "】", "〔": "〕", "「": "」"}


def _unbalanced(text: str) -> bool:
    return any(text.count(a) > text.count(b) for a, b in _OPEN.items())


def cut_off(draft: Draft, lines: list) -> None:
    """Mark the last item incomplete when the source stops in the middle of it: its last line is
    the source's last line, and it ends inside brackets or quotation marks, or without the
    closing punctuation (or lead units) that most items of the list end with."""
    nodes = list(walk_nodes(draft.items))
    if not nodes or not lines:
        return
    last = max(nodes, key=lambda n: n.line)
    last_line = lines[-1][0]
    pieces = [last.text, last.goal or "", *last.explanation]
    tail = next((p for p in reversed(pieces) if p), "")
    if not tail or not (last.line == last_line or tail in lines[-1][1]):
        return
    others = [n for n in nodes if n is not last and not n.split]
    ended = sum(1 for n in others if _ENDS.search(_judged(n)))
    led = sum(1 for n in others if n.lead)
    usual_end = len(others) >= 3 and ended >= 0.75 * len(others)
    usual_lead = len(others) >= 3 and led >= 0.75 * len(others)
    if _unbalanced(tail) or (usual_end and not _ENDS.search(tail)) or (usual_lead and not last.lead and not _ENDS.search(tail)):
        last.incomplete = True
        shown = tail[-15:]
        last.notes.append(f"TODO: the source stops in the middle of this item (its last words: «…{shown}»): complete it from the whole document, then delete the note")
        draft.notes.append(f"the source stops in the middle of item {last.id} («…{shown}»): it is marked incomplete (its `note` holds 待填写, so the site is not built until it is completed)")


def _judged(node: Node) -> str:
    return next((p for p in reversed([node.text, node.goal or "", *node.explanation]) if p), "")


@dataclass
class Decisions:
    """Counts of what is left for a person, by kind, and the items each concerns."""

    titles: list = field(default_factory=list)  # item ids
    topics: list = field(default_factory=list)
    metrics: list = field(default_factory=list)  # (item id, target index)
    targets: list = field(default_factory=list)
    incomplete: list = field(default_factory=list)
    facts: int = 0  # 待填写 placeholders of the list's own facts
    accept: int = 0  # suggestions to accept as they are (titles and topics)

    KINDS = ("titles", "metrics", "topics", "targets", "incomplete", "facts")

    def count(self, kind: str) -> int:
        value = getattr(self, kind)
        return value if isinstance(value, int) else len(value)

    @property
    def total(self) -> int:
        return sum(self.count(k) for k in self.KINDS)

    def sentence(self) -> str:
        """12 decisions left: 5 titles, 4 metrics, 3 topics (and 40 suggestions to accept)."""
        names = {"titles": ("title", "titles"), "metrics": ("metric", "metrics"), "topics": ("topic", "topics"), "targets": ("target from an explanation", "targets from explanations"),
                 "incomplete": ("incomplete item", "incomplete items"), "facts": ("fact of the list", "facts of the list")}
        parts = [f"{self.count(k)} {names[k][self.count(k) != 1]}" for k in self.KINDS if self.count(k)]
        head = f"{self.total} decision{'s' if self.total != 1 else ''} left" + (": " + ", ".join(parts) if parts else "")
        if self.accept:
            head += f" (and {self.accept} suggested titles and topics to accept: remove the # in front)"
        return head


def unsure_title(node: Node) -> bool:
    from generator.ingest.draft.content import TITLE_MAX

    title = node.title or ""
    return not title or len(title) >= TITLE_MAX - 2 or title == node.text.rstrip("。.；;")


def unsure_topics(node: Node) -> bool:
    from generator.ingest.draft.content import keyword_hits, topic_places

    if not node.topics:
        return True
    first = topic_places(node)[0]
    named = {t for _, t, _ in keyword_hits(first, [(t, ks) for t, ks in node.topics])}
    return not named


def unsure_metric(target: dict) -> bool:
    return target.get("_note", "").startswith(("TODO: several figures", "TODO: metric:"))


def decisions_of(draft: Draft, placeholders: int = 0) -> Decisions:
    d = Decisions(facts=placeholders)
    for node in walk_nodes(draft.items):
        if unsure_title(node):
            d.titles.append(node.id)
        else:
            d.accept += 1
        if unsure_topics(node):
            d.topics.append(node.id)
        else:
            d.accept += 1
        for k, t in enumerate(node.targets):
            if unsure_metric(t):
                d.metrics.append((node.id, k))
            if t.get("_where") == "explanation":
                d.targets.append((node.id, k))
        if getattr(node, "incomplete", False):
            d.incomplete.append(node.id)
    return d
