"""Items a report refers to by number, not by name: "第三件已完成", "第1、3、5项正在推进", "第7至9项",
"第六件第3项", and, where the report follows the list's own numbering, a paragraph opening with
an item's label ("（三）", "①", "12.").

Only 第N件 / 第N项 are references: a count (等11件, 6项), a percent, a period or a batch (第3季度,
第二批, 三年行动) never is. A number is the list's own: 第N件 is the top-level item `N`; 第N件第M项
its sub-item `N-M`; 第N项 is item `N`, except in a list that counts 件 (its labels are 第一件 …)
and has sub-items, where the 项 are the sub-items: the one whose id ends in N, if only one does.
A number that is no item, or could be several, is refused naming the words and what the list has;
`--alias 第31项=ID` (or `=` to leave it out) resolves it as an alias resolves a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from generator.ingest.textinput import squash

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = re.compile(r"[0-9]{1,3}|[零〇一二两三四五六七八九十]{1,3}")
_RANGE = re.compile(r"\s*(?:至|到|-|—|~)\s*第?")
_UNIT = re.compile(r"[件项](?!目)")  # 第二项目部 is no item
_SEP_AFTER_UNIT = re.compile(r"(?:、|以及|和|及|与)第?")  # 第2件、第6件; a comma after a unit ends the list
_SEP_BARE = re.compile(r"(?:、|，|,|以及|和|及|与)第?")  # 第1，3，5项
_JIAN_LABEL = re.compile(r"^第[〇零一二两三四五六七八九十百0-9]+件$")


def count_of(text: str) -> Optional[int]:
    """11, 十一, 两, 二十三 → the number (up to 99 in Chinese numerals); None for anything else."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "百" in text:
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (_CN.get(tens, 0) if tens else 1) * 10 + (_CN.get(ones, 0) if ones else 0)
        return value if all(c in _CN for c in tens + ones) and len(tens) <= 1 and len(ones) <= 1 else None
    return _CN.get(text) if len(text) == 1 else None


def same_length_nfkc(text: str) -> str:
    """NFKC character by character where that keeps one character (全角 ３ → 3, ～ → ~), so that
    positions in the result are positions in `text`."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


@dataclass
class Reference:
    """One number a report gives: 第N件, 第N项, 第N件第M项."""

    words: str  # the whole run as the report writes it (第1、3、5项)
    number: int
    unit: str  # 件 or 项
    sub: Optional[int] = None  # 第六件第3项 → 3

    @property
    def key(self) -> str:
        """The alias that resolves this one number: 第31项, 第6件第3项."""
        return f"第{self.number}{self.unit}" + (f"第{self.sub}项" if self.sub is not None else "")


@dataclass
class Run:
    start: int
    end: int
    references: list  # Reference


def _elements(t: str, pos: int) -> list:
    """The numbers of a run starting at `pos` (after its 第): [(numbers, unit written after
    them or '', end)], one a number or range (7至9)."""
    found: list = []
    while True:
        m = _NUM.match(t, pos)
        first = count_of(m.group()) if m else None
        if m is None or first is None:
            return found
        group, pos = [first], m.end()
        r = _RANGE.match(t, pos)
        n = _NUM.match(t, r.end()) if r else None
        last = count_of(n.group()) if n else None
        if n is not None and last is not None and first < last <= first + 99:
            group, pos = list(range(first, last + 1)), n.end()
        u = _UNIT.match(t, pos)
        unit = u.group() if u else ""
        pos = u.end() if u else pos
        found.append((group, unit, pos))
        sep = (_SEP_AFTER_UNIT if unit else _SEP_BARE).match(t, pos)
        if not sep or not _NUM.match(t, sep.end()):
            return found
        pos = sep.end()


def _run_at(t: str, start: int) -> Optional[Run]:
    """The references of the run that starts at 第 (t[start]), or None when it ends without a
    unit (第3季度, 第二批)."""
    elements = _elements(t, start + 1)
    while elements and not elements[-1][1]:  # 第1、第二批: the numbers after the last unit are no item's
        elements.pop()
    if not elements:
        return None
    end = elements[-1][2]
    refs: list = []
    unit = ""
    for group, written, _ in reversed(elements):
        unit = written or unit  # 第1、3、5项: the unit written last is every number's
        refs[:0] = [Reference("", n, unit) for n in group]
    if len(refs) == 1 and unit == "件" and t.startswith("第", end):  # 第六件第3、4项
        subs = _elements(t, end + 1)
        if subs and subs[-1][1] == "项" and all(u in ("", "项") for _, u, _ in subs):
            refs = [Reference("", refs[0].number, "件", s) for group, _, _ in subs for s in group]
            end = subs[-1][2]
    return Run(start, end, refs)


def find_runs(text: str) -> list:
    """Every run of item numbers in `text` (positions are in `text`)."""
    t = same_length_nfkc(text)
    runs: list = []
    pos = 0
    while True:
        start = t.find("第", pos)
        if start < 0:
            return runs
        run = _run_at(t, start)
        if run is None:
            pos = start + 1
            continue
        for r in run.references:
            r.words = text[run.start : run.end]
        runs.append(run)
        pos = run.end


# --- numbers → ids ---------------------------------------------------------------------------


def counts_jian(items: dict, parents: dict) -> bool:
    """Whether the list counts its items in 件 and its sub-items in 项 (青岛: 第一件 … with 1. 2. under each)."""
    tops = [it for i, it in items.items() if parents[i] is None]
    labelled = [str(it.get("label") or "").strip() for it in tops]
    return bool(tops) and all(_JIAN_LABEL.match(label) for label in labelled) and any(it.get("subitems") for it in tops)


def _range_text(ids: list) -> str:
    """1–30 for ids 1 … 30; else the ids (the first ten)."""
    numbers = sorted({int(i.rsplit("-", 1)[-1]) for i in ids if re.fullmatch(r"[0-9]+(-[0-9]+)*", i)})
    if not numbers:
        return "none"
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return f"{numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])
    shown = ", ".join(map(str, numbers[:10]))
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")


@dataclass
class Resolved:
    item_id: Optional[str]  # None: refused (message) or left out by an alias (skipped)
    message: str = ""
    skipped: bool = False
    by_alias: bool = False
    ambiguous: bool = False  # several items have that number


def resolve(ref: Reference, items: dict, parents: dict, aliases: dict) -> Resolved:
    """The item a number refers to, or why none is taken."""
    for key in (squash(ref.key), squash(ref.words)):
        if key in aliases:
            return Resolved(aliases[key] or None, skipped=not aliases[key], by_alias=True)
    tops = [i for i in items if parents[i] is None]
    fix = f"check the number, or say which item it is with --alias {ref.key}=ID (--alias {ref.key}= leaves it out)"
    if ref.sub is not None:
        item_id = f"{ref.number}-{ref.sub}"
        if item_id in items:
            return Resolved(item_id)
        parent = str(ref.number)
        if parent not in items:
            return Resolved(None, f"{ref.words!r}: {ref.key} is no item: the list has items {_range_text(tops)}; {fix}")
        subs = [i for i in items if parents[i] == parent]
        has = f"item `{parent}` has sub-items {', '.join(subs)}" if subs else f"item `{parent}` has no sub-items"
        return Resolved(None, f"{ref.words!r}: {ref.key} is no item: {has}; {fix}")
    if ref.unit == "项" and counts_jian(items, parents):
        subs = [i for i in items if parents[i] is not None and i.rsplit("-", 1)[-1] == str(ref.number)]
        if len(subs) == 1:
            return Resolved(subs[0])
        numbered = f"this list numbers its items 第一件 … 第{len(tops)}件, and {ref.key} is "
        if subs:
            return Resolved(None, f"{ref.words!r}: {numbered}any of {len(subs)} sub-items ({', '.join(subs)}): the 项 are numbered within each 件; {fix}", ambiguous=True)
        leaves = [i for i in items if parents[i] is not None]
        return Resolved(None, f"{ref.words!r}: {numbered}none of its sub-items (they are numbered {_range_text(leaves)}); {fix}")
    item_id = str(ref.number)
    if item_id in tops:
        return Resolved(item_id)
    return Resolved(None, f"{ref.words!r}: {ref.key} is no item: the list has items {_range_text(tops)}; {fix}")


# --- the list's own labels --------------------------------------------------------------------


_WIDE = str.maketrans("０１２３４５６７８９（）．", "0123456789().")


def label_key(label: str) -> str:
    """（三） (三) 三、 １２． → one form to compare: full-width digits and brackets made narrow,
    the trailing mark dropped; ① stays ① (it is not 1.)."""
    return re.sub(r"\s+", "", label).translate(_WIDE).rstrip("、.，,:：")


def labels_of(items: dict) -> dict:
    """Normalised label → id, for the labels only one item has (an item's own number in the list)."""
    seen: dict = {}
    for item_id, item in items.items():
        key = label_key(str(item.get("label") or ""))
        if key:
            seen.setdefault(key, []).append(item_id)
    return {k: ids[0] for k, ids in seen.items() if len(ids) == 1 and not k.startswith("第")}


_MARKER = re.compile(r"^\s*([(（][0-9０-９一二三四五六七八九十]{1,3}[)）]|[①-⑳]|(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})[.．、](?![0-9０-９]))")


def paragraph_marker(line: str) -> Optional[re.Match]:
    """A paragraph's opening number (（三）, ①, 12., 三、), if it has one."""
    return _MARKER.match(line)
