"""A name a report gives an item (新增城镇就业, 老旧小区改造方面, 事项名称 in a table) → the item's
id, by its short title and its text, never by a guess.

The tiers, tried in order; the first that finds anything decides:

1. an alias the maintainer gave (`--alias 加装电梯=9-1`; `--alias 加装电梯=` says the name is no
   item of this list);
2. the name is exactly an item's title or text;
3. the name is part of an item's title or text (3 characters or more), or an item's title
   (3 or more) is part of the name (全市城镇新增就业 holds 城镇新增就业);
4. keyword overlap: the name's pairs of neighbouring characters (bigrams) found in an item's
   title and text — at least 2 pairs and half the name's — and clearly more than any other;
   a figure in the name must be in the item's text too.

An item and its own sub-items are one thing named at two depths: the most specific one is
taken (老旧小区改造 → 9-1, not 9, whose text holds it too). Two items that are not one inside
the other are refused as ambiguous, naming both, and so is a name that matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from generator.core.problems import Code, Problem
from generator.ingest import Refused
from generator.ingest.textinput import bigrams, normalise_id, squash

SKIP = ""  # an alias to this id: the name is not an item of this list
MIN_PART = 3  # characters a name (or a title) needs to be found inside another text
MIN_SHARED = 2  # bigrams a name must share with an item (tier 4)
MIN_SHARE = 0.5  # of the name's bigrams
CLEARLY_MORE = 0.8  # the runner-up must have less than this share of the best's overlap


@dataclass
class Match:
    name: str
    item_id: Optional[str]  # None: ambiguous or unmatched (or skipped by an alias)
    candidates: list = field(default_factory=list)  # ids, when ambiguous
    how: str = ""  # alias, skipped, title, text, part, overlap, none

    @property
    def skipped(self) -> bool:
        return self.how == "skipped"


def parse_aliases(specs, items: dict) -> dict:
    """`--alias 新增城镇就业=1-1,加装电梯=` (repeatable) → {squashed name: id or SKIP}; an id
    that is no item is refused."""
    aliases, problems = {}, []
    for spec in specs or ():
        for pair in re.split(r"[,，]", spec):
            if not pair.strip():
                continue
            name, sep, item_id = pair.rpartition("=")
            item_id = normalise_id(item_id)
            if not sep or not name.strip():
                problems.append(Problem("", 0, 0, "", Code.BAD_FORMAT, f"--alias {pair!r}: write NAME=ID (新增城镇就业=1-1), or NAME= for a name that is no item of this list"))
            elif item_id and item_id not in items:
                problems.append(Problem("", 0, 0, "", Code.UNKNOWN_REFERENCE, f"--alias {pair!r}: no item `{item_id}` in the year file"))
            else:
                aliases[squash(name)] = item_id
    if problems:
        raise Refused(problems)
    return aliases


def _clean(text: str) -> str:
    return squash(text).rstrip("。；;，,")


def parents_of(items: dict) -> dict:
    """id → the id of the item it is a sub-item of (None at the top), from the ids' nesting in the file."""
    parents: dict = {}
    for item_id, item in items.items():
        for sub in item.get("subitems") or ():
            parents[str(sub.get("id"))] = item_id
        parents.setdefault(item_id, None)
    return parents


def _ancestors(item_id: str, parents: dict) -> set:
    found, up = set(), parents.get(item_id)
    while up is not None:
        found.add(up)
        up = parents.get(up)
    return found


def most_specific(candidates: list, parents: dict) -> list:
    """The candidates without those that hold another candidate as their sub-item."""
    above = set().union(*(_ancestors(c, parents) for c in candidates)) if candidates else set()
    return [c for c in candidates if c not in above]


def top_of(item_id: str, parents: dict) -> str:
    while parents.get(item_id) is not None:
        item_id = parents[item_id]
    return item_id


def _lifted(found: list, parents: dict, top: bool) -> list:
    """The candidates, each as its top-level item when `top` (a count in 件), without repeats."""
    if not top:
        return most_specific(found, parents)
    return list(dict.fromkeys(top_of(i, parents) for i in found))


def match_name(name: str, items: dict, aliases: dict, parents: Optional[dict] = None, top: bool = False) -> Match:
    """`top`: the name is of a whole item (the report counts it in 件), so a sub-item found is
    taken as the item it belongs to."""
    parents = parents if parents is not None else parents_of(items)
    key = _clean(name)
    if key in aliases:
        target = aliases[key]
        return Match(name, target or None, how="alias" if target else "skipped")
    titles = {i: _clean(str(it.get("title") or "")) for i, it in items.items()}
    texts = {i: _clean(str(it.get("text") or "")) for i, it in items.items()}
    figures = re.findall(r"[0-9]+(?:\.[0-9]+)?", key)  # 建设口袋公园20处 is not 建设口袋公园10处

    def figures_agree(i: str) -> bool:
        return all(f in texts[i] or f in titles[i] for f in figures)

    tiers = (
        ("title", [i for i in items if key and key == titles[i]]),
        ("text", [i for i in items if key and key == texts[i]]),
        ("part", [i for i in items if len(key) >= MIN_PART and (key in titles[i] or key in texts[i] or (len(titles[i]) >= MIN_PART and titles[i] in key and figures_agree(i)))]),
    )
    for how, found in tiers:
        found = _lifted(found, parents, top)
        if len(found) == 1:
            return _two_in_one(Match(name, found[0], how=how), items, parents, top) if how == "part" else Match(name, found[0], how=how)
        if found:
            return Match(name, None, found, how)
    mine = bigrams(key)
    # an item with sub-items by its title only: its text is theirs, and words from two of them are no match
    words = {i: bigrams(titles[i]) | (set() if items[i].get("subitems") else bigrams(texts[i])) for i in items}
    scores = {i: len(mine & words[i]) for i in items if figures_agree(i)}
    best = max(scores.values(), default=0)
    if not mine or best < MIN_SHARED or best < MIN_SHARE * len(mine):
        parts = _two_in_one(Match(name, None, how="none"), items, parents, top)  # 新增托位和口袋公园: two items, or none
        return parts if parts.candidates else Match(name, None, how="none")
    close = _lifted([i for i, s in scores.items() if s >= CLEARLY_MORE * best], parents, top)
    if len(close) == 1:
        return _two_in_one(Match(name, close[0], how="overlap"), items, parents, top)
    return Match(name, None, close, "overlap")


def _two_in_one(m: Match, items: dict, parents: dict, top: bool) -> Match:
    """A name joining two (新增停车泊位和充电桩, 农村幼儿园及供水管网改造) whose parts are two items
    is refused with both, though the whole may look like one."""
    parts = [p for p in re.split(r"[和及与、]", _clean(m.name)) if len(p) >= 2]
    if len(parts) < 2:
        return m
    found = [match_name(p, items, {}, parents, top) for p in parts]
    ids = _lifted(list(dict.fromkeys(f.item_id for f in found if f.item_id)), parents, top)
    if len(ids) >= 2:
        return Match(m.name, None, ids, "parts")
    return m


def describe_item(item_id: str, items: dict) -> str:
    """`9-1` 老旧小区改造 (改造城镇老旧小区400个以上): how a message names a candidate."""
    item = items[item_id]
    title, text = str(item.get("title") or ""), str(item.get("text") or "")
    short = text if len(text) <= 30 else text[:30] + "…"
    return f"`{item_id}` {title} ({short})" if title else f"`{item_id}` {short}"


def ambiguous_message(m: Match, items: dict, resolve: str) -> str:
    listed = "; ".join(describe_item(i, items) for i in m.candidates[:8])
    more = f" and {len(m.candidates) - 8} more" if len(m.candidates) > 8 else ""
    return f"{m.name!r} matches {len(m.candidates)} items: {listed}{more}. {resolve} (e.g. --alias {m.name}={m.candidates[0]})"


def unmatched_message(m: Match, items: dict, resolve: str) -> str:
    """No item: the nearest by shared bigrams, if any, are named."""
    key = _clean(m.name)
    mine = bigrams(key)
    scored = sorted(((len(mine & (bigrams(str(it.get("title") or "")) | bigrams(str(it.get("text") or "")))), i) for i, it in items.items()), key=lambda p: -p[0])
    near = [i for s, i in scored if s > 0][:3]
    hint = "; nearest: " + "; ".join(describe_item(i, items) for i in near) if near else ""
    return f"{m.name!r} matches no item's title or text{hint}. {resolve} (--alias {m.name}=ID, or --alias {m.name}= if it is no item of this list)"
