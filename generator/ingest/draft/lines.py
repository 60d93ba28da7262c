"""What one line of an official text says by its form: its numbering (第一件/第1项, 一、,
（一）, （1）, 1., 1、, ①, a number alone), its lead units (（牵头单位：…）), the completion
dates it states (2024年12月底). Text and tables are read with the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from generator.core import model
from generator.ingest.quantities import cn_number

# --- numbering ------------------------------------------------------------------------------

_CN = "零〇一二两三四五六七八九十百"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"


# (form, pattern): group 1 is the label as written, group 2 the number. The separator after
# the label (a space, ：, 、) is not part of the label.
MARKERS = (
    ("第件", re.compile(rf"^(第([{_CN}]+|\d{{1,3}})件)[\s:：、，,．.]*")),
    ("第项", re.compile(rf"^(第([{_CN}]+|\d{{1,3}})项)[\s:：、，,．.]*")),
    ("第条", re.compile(rf"^(第([{_CN}]+|\d{{1,3}})条)[\s:：、，,．.]*")),
    ("一、", re.compile(rf"^(([{_CN}]{{1,4}})[、．])\s*")),
    ("（一）", re.compile(rf"^([（(]([{_CN}]{{1,4}})[）)])[\s、．.]*")),
    ("（1）", re.compile(r"^([（(](\d{1,3})[）)])[\s、．.]*")),
    ("1.", re.compile(r"^((\d{1,3})[.．])(?!\d)\s*")),
    ("1、", re.compile(r"^((\d{1,3})、)\s*")),
    ("①", re.compile(rf"^(([{_CIRCLED}]))\s*")),
    ("01", re.compile(r"^((\d{1,3}))$")),
)


@dataclass
class Line:
    no: int
    text: str
    form: Optional[str] = None
    number: int = 0
    label: Optional[str] = None
    rest: str = ""


def classify(no: int, text: str) -> Line:
    for form, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            number = _CIRCLED.index(m.group(2)) + 1 if form == "①" else cn_number(m.group(2))
            return Line(no, text, form, number, m.group(1), text[m.end() :].strip())
    return Line(no, text, rest=text)


SENTENCE_PUNCT = re.compile(r"[。；;，,：:！？!?]")


def heading_like(text: str) -> bool:
    """A category heading: short, no sentence punctuation, no lead units."""
    return 0 < len(text) <= 30 and not SENTENCE_PUNCT.search(text) and not _LEAD_OPEN.search(text)


def ends_sentence(text: str) -> bool:
    return bool(re.search(r"[。；;！？!?][”’」』）)]?$", text))


def in_sequence(numbers: list) -> bool:
    """Each number follows the one before, or the numbering starts again at 1 (the first may
    be any: a list published in parts goes on from 116)."""
    if len(numbers) < 2:
        return False
    good = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if a < b <= a + 3 or b == 1)  # (a number or two may be missing)
    return good >= 0.8 * (len(numbers) - 1)


# --- lead units -----------------------------------------------------------------------------

_LEAD_OPEN = re.compile(r"[（(〔【\[]\s*(?:牵头|责任|主责)(?:单位|部门|处室)?[^:：（(）)]{0,8}[:：]")
LEAD_LINE = re.compile(r"^(?:牵头|责任|主责)(?:单位|部门)[^:：]{0,8}[:：]\s*(.+)$")
_CLOSE = {"（": "）", "(": ")", "〔": "〕", "【": "】", "[": "]"}


def split_units(text: str) -> list:
    """市教育局、市自然资源和规划局 → two; 文旅局 各镇街 → two; 市农业农村局(市乡村振兴局) → one."""
    units, depth, current = [], 0, ""
    for ch in text:
        if ch in "（(〔【[":
            depth += 1
        elif ch in "）)〕】]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;/ \u3000\t":
            units.append(current)
            current = ""
        else:
            current += ch
    units.append(current)
    return [u.strip().rstrip("。.") for u in units if u.strip().rstrip("。.")]


def take_lead(text: str) -> tuple:
    """(text without its lead bracket, [units], [other roles]) for `…。（牵头单位：市卫健委）`.
    With both (牵头单位：A；责任单位：B、C) the 牵头 units lead; the others are returned as
    written (责任单位：B、C), for a comment."""
    for m in _LEAD_OPEN.finditer(text):
        opener = text[m.start()]
        depth, i = 1, m.end()
        while i < len(text) and depth:
            if text[i] in _CLOSE:
                depth += 1
            elif text[i] in _CLOSE.values():
                depth -= 1
            i += 1
        if depth == 0 and text[i - 1] == _CLOSE[opener] and re.fullmatch(r"[\s。.；;]*", text[i:]):
            inside = text[m.start() + 1 : i - 1]
            parts = [p.strip() for p in re.split(r"[；;，,](?=[^；;，,：:]{1,12}[:：])", inside) if p.strip()]
            roles = [(re.match(r"[^:：]*", p).group(), p) for p in parts]  # type: ignore[union-attr]
            units_roles = [(role, p) for role, p in roles if not re.search("领导|负责人|联系人", role)]  # (牵头领导：a person)
            leading = [p for role, p in units_roles if "牵头" in role] or [p for _, p in units_roles[:1]]
            others = [p for _, p in roles if p not in leading]
            units = [u for p in leading for u in split_units(re.split(r"[:：]", p, maxsplit=1)[1])]
            return text[: m.start()].strip(), units, others
    return text, [], []


# --- dates ---------------------------------------------------------------------------------


_DATE_TEXT = re.compile(r"(\d{4})年(?:(\d{1,2})月)?(?:(\d{1,2})日)?(底|末)?")


def deadline_of(text: str) -> Optional[dt.date]:
    """2024年12月底 → 2024-12-31, 2024年6月30日 → 2024-06-30, 2024年底 → 2024-12-31."""
    m = _DATE_TEXT.search(text or "")
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2) or 12)
    if not 1 <= month <= 12 or not model.FIRST_YEAR <= year <= model.LAST_YEAR:
        return None
    if m.group(3):
        try:
            return dt.date(year, month, int(m.group(3)))
        except ValueError:
            return None
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# 预计2024年5月完工, 2024年上半年建成, 2024年12月底前完成: when the text says the item is done.
_DONE_BY = re.compile(
    r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?(?:底|末)?|(上半年|下半年|年底|底|末))前?[^，,。；;\d]{0,4}?"
    r"(?:完工|完成|建成|竣工|投用|投入使用|落地|交付|开通|上线)"
)


def deadline_in_text(texts: list, year: int) -> tuple:
    """(date, words) of the first completion date in the list's year that the item's texts
    state (预计2024年5月完工 → 2024-05-31; 上半年 → 06-30; 年底 → 12-31), else (None, None)."""
    for text in texts:
        for m in _DONE_BY.finditer(text or ""):
            if int(m.group(1)) != year:
                continue
            half = m.group(4)
            month = int(m.group(2)) if m.group(2) else (6 if half == "上半年" else 12)
            if not 1 <= month <= 12:
                continue
            if m.group(3):
                try:
                    return dt.date(year, month, int(m.group(3))), m.group(0)
                except ValueError:
                    continue
            return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1), m.group(0)
    return None, None
