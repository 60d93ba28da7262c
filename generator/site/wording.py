"""How the site says things in Chinese: labels as readers say them (第六件 · 第4项), a list's
size in its own unit (15件（细分为48项）), targets in the words of the lists (2万个以上), a
status with who said it and when, quotations and short cuts.

Wording, not rules: what a status is, how old it is and what changed are decided in
derive/, and the pages only phrase it here. May import core and derive.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator import derive
from generator.core import model


def format_target(t: model.Target) -> str:
    if t.qualitative or t.value is None:
        return "无具体数字"
    unit = t.unit or ""
    if t.comparator == model.Comparator.range and t.value_max is not None:
        return f"{derive.format_number(t.value)}–{derive.format_number(t.value_max)}{unit}"
    prefix = derive.COMPARATOR_SYMBOLS.get(t.comparator.value if t.comparator else "exactly", "")
    return f"{prefix}{derive.format_number(t.value)}{unit}"


def short(text: str, limit: int = 40) -> str:
    """Text on one line, cut to `limit` characters with `…`."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cite_quote(text: str, limit: int = 60) -> str:
    """A pledge shortened for a citation, without its closing punctuation: the citation puts
    its own 。 after the closing quotation mark (“…以上”。, not “…以上。”。)."""
    return short(text, limit).rstrip("。；;，,、：: ")


def in_quotes(text: str) -> str:
    """Official words in quotation marks without nesting “ inside “: text that holds “…” of its
    own goes in 「」, so its own marks stay as the city wrote them (verbatim text is never altered)."""
    return f"「{text}」" if "“" in text or "”" in text else f"“{text}”"


def status_phrase(lt: derive.Latest, fresh: derive.Freshness | None = None) -> str:
    """A status in words, with who said it and as of when: what a citation and a link preview
    carry. 滞后（官方表述“未完成二季度任务”，截至2024年6月30日，信息已过时）."""
    label = derive.STATUS_LABELS[lt.status]
    if lt.report is None:
        return label + (f"（{fresh.label}）" if fresh and fresh.stale else "")
    who = f"官方表述{in_quotes(short(lt.status_text, 16))}" if lt.official and lt.status_text else derive.BASIS_LABELS.get(lt.basis, "")
    stale = "，信息已过时" if fresh and fresh.stale else ""
    return f"{label}（{who}，截至{derive.cn_date(lt.report.as_of)}{stale}）"


_LABEL_UNIT = re.compile(r"^第[〇零一二三四五六七八九十百千两\d]+([件项条个])$")


def list_unit(pl: model.PledgeList) -> str:
    """The word a list counts its own items with: 件 when its items are 第一件, 第二件 … (青岛),
    else 项 — so a reader sees "15件", the number the city announced, not our leaf count."""
    units = {m.group(1) for m in (_LABEL_UNIT.match((i.label or "").strip()) for i in pl.items) if m}
    return units.pop() if len(units) == 1 else "项"


def count_phrase(pl: model.PledgeList) -> str:
    """The list's size as the city states it: `15件`; with its finer items when there are more
    of them, since status counts are made over those: `15件（细分为48项）`."""
    n_top, n_leaves = len(pl.items), len(derive.leaves(pl.items))
    phrase = f"{n_top}{list_unit(pl)}"
    return phrase if n_leaves == n_top else f"{phrase}（细分为{n_leaves}项）"


def latest_report_date(pl: model.PledgeList) -> dt.date | None:
    """The as-of date of the list's newest progress report, None without one."""
    return max((r.as_of for r in pl.reports), default=None)


def count_basis(pl: model.PledgeList) -> str:
    """What a status chart's counts count, in words: `共30项`, or `状态按细分的48项统计`
    when the list's own items have sub-items (the chart counts the finest level)."""
    n_top, n_leaves = len(pl.items), len(derive.leaves(pl.items))
    return f"共{n_top}{list_unit(pl)}" if n_leaves == n_top else f"状态按细分的{n_leaves}项统计"


_NUMERAL = "[0-9０-９一二三四五六七八九十百零〇]+"


_NUMBERED = re.compile(rf"^[（(]?({_NUMERAL})[)）.、．,，]?$")  # 4.  (三)  1、  （12）


_COUNTED = re.compile(rf"^第({_NUMERAL})([件项条])$")  # 第六件


_CIRCLED = {chr(0x2460 + i): str(i + 1) for i in range(20)}  # ① … ⑳


def plain_number(item: model.Item) -> str:
    """The source's own number of an item without its punctuation: `4.` → 4, `(三)` → 三,
    `①` → 1, `第六件` → 六; no label: the last part of the id (6-4 → 4); a label of another
    shape stays as it is."""
    label = (item.label or "").strip()
    if not label:
        return item.id.rsplit("-", 1)[-1]
    label = _CIRCLED.get(label, label)
    found = _COUNTED.match(label) or _NUMBERED.match(label)
    return found.group(1) if found else label


def own_label(item: model.Item) -> str:
    """An item's label as readers say it: `第六件` stays, `4.` and no label → 第4项; a label of
    another shape stays as the source writes it."""
    label = (item.label or "").strip()
    if _COUNTED.match(label):
        return label
    if not label or _NUMBERED.match(_CIRCLED.get(label, label)):
        return f"第{plain_number(item)}项"
    return label


def item_unit(item: model.Item) -> str:
    """What an item is counted as: 件 where the source numbers it 第…件, else 项."""
    found = _COUNTED.match(own_label(item))
    return "件" if found and found.group(2) == "件" else "项"


def item_label(item: model.Item, parent: model.Item | None = None) -> str:
    """The plain label of an item, its parent's first: `第六件 · 第4项` (never `4.（编号 6-4）`)."""
    return f"{own_label(parent)} · {own_label(item)}" if parent is not None else own_label(item)


@dataclass(frozen=True)
class Counting:
    """How a list counts its pledges, in its own unit: 青岛 `15件`, split into 36 项 for status."""

    top: int  # items at the top level: what the city's own total counts (15件, 30项, 113项)
    top_unit: str  # list_unit: 件 when the source numbers them 第一件…, else 项
    leaves: int  # items without sub-items: what our status counts count, each pledge once
    split: int  # top-level items that have sub-items

    @property
    def leaf_unit(self) -> str:
        """The unit of what status counts count: 件 only when no 件 is split into 项."""
        return self.top_unit if not self.split else "项"

    @property
    def total(self) -> str:
        """`共15件（细分为36项）` or `共30项` (the words count_phrase gives home and city pages)."""
        if self.leaves == self.top:
            return f"共{self.top}{self.top_unit}"
        return f"共{self.top}{self.top_unit}（细分为{self.leaves}项）"

    @property
    def basis(self) -> str:
        """What the status counts count, in words (beside a status chart): each pledge once."""
        if not self.split:
            return f"状态按这{self.leaves}{self.top_unit}统计"
        rest = self.top - self.split
        whole = f"，其余{rest}{self.top_unit}各算一项" if rest else ""
        return f"状态按{self.leaves}项统计：分项的{self.split}{self.top_unit}按其各项计{whole}，每项只计一次"


def common_deadline(pl: model.PledgeList) -> tuple[dt.date, str] | None:
    """(date, reason) of the deadline the list gives its items when we inferred it (本站推定):
    a list page says it once above its table instead of on every row. None when it is stated."""
    reason = derive.list_deadline_inferred(pl)
    return (pl.deadline or pl.period.end, reason) if reason else None


def counting(pl: model.PledgeList) -> Counting:
    """The list's own count (its top-level items, in 件 or 项) beside what statuses count (leaves)."""
    return Counting(len(pl.items), list_unit(pl), len(derive.leaves(pl.items)), sum(1 for i in pl.items if i.subitems))


def plain_amount(value: float) -> str:
    """A number as Chinese readers write it: 20000 → 2万, 16500 → 1.65万, 100000000 → 1亿,
    6000 → 6000, 29410 → 29410 (万 only where it stays short), 3.8 → 3.8."""
    for size, word in ((100_000_000, "亿"), (10_000, "万")):
        if abs(value) >= size and abs(round(value / size, 2) * size - value) < 1e-6:
            return f"{value / size:.2f}".rstrip("0").rstrip(".") + word
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def money(value: float | None) -> str:
    """An amount in 元 as readers write it: 1500万元, 1.2亿元 (plain_amount's rule)."""
    return "" if value is None else plain_amount(value) + "元"


def share_of_plan(m: derive.Investment) -> str:
    """完成投资 as a share of 计划投资, ours: `占计划投资的53.3%`; empty when either is missing."""
    if not m.planned or m.completed is None:
        return ""
    return f"占计划投资的{m.completed / m.planned * 100:.1f}%".replace(".0%", "%")


def votes_phrase(v: model.Votes) -> str:
    """A 票决 result: 赞成498票，反对5票，弃权7票 (what the record states)."""
    parts = [f"赞成{v.in_favour}票"]
    if v.against is not None:
        parts.append(f"反对{v.against}票")
    if v.abstaining is not None:
        parts.append(f"弃权{v.abstaining}票")
    return "，".join(parts)


SATISFACTION_LABELS = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}


def satisfaction_phrase(r: model.Satisfaction, scale: str) -> str:
    """A 测评 result in the list's scale: 满意412，基本满意30，不满意3；满意率98.7% (shares: 满意85.2%…)."""
    sign = "%" if scale == "percent" else ""
    parts = [f"{label}{derive.format_number(getattr(r, name))}{sign}" for name, label in SATISFACTION_LABELS.items() if getattr(r, name) is not None]
    text = "，".join(parts)
    if r.rate is not None:
        text += ("；" if text else "") + f"满意率{derive.format_number(r.rate)}%"
    return text


def plain_target(t: model.Target) -> str:
    """A target in words readers use: `新增停车泊位2万个以上`, `不超过…`, `约…`; a target without
    a number is its own wording (never `定性目标`)."""
    if t.qualitative or t.value is None:
        return t.text
    return f"{t.metric}{plain_quantity(t.value, t.unit, t.comparator, t.value_max)}"


def plain_quantity(value: float, unit: str | None, comparator: model.Comparator | None, value_max: float | None = None) -> str:
    """`2万个以上`, `不超过5%`, `约3000人`, `2至3个`, `600人`."""
    amount = plain_amount(value) + (unit or "")
    if comparator == model.Comparator.at_least:
        return amount + "以上"
    if comparator == model.Comparator.at_most:
        return "不超过" + amount
    if comparator == model.Comparator.about:
        return "约" + amount
    if comparator == model.Comparator.range and value_max is not None:
        return f"{plain_amount(value)}至{plain_amount(value_max)}{unit or ''}"
    return amount



ROLLUP_LABELS = {"none": "暂无进展报告"}  # a roll-up says "no report yet" for status none


def rollup_phrase(r: derive.Rollup) -> str:
    """A parent's sub-items counted, adding up: 3个分项中，已完成1项，滞后1项，暂无进展报告1项."""
    parts = [f"{ROLLUP_LABELS.get(s, derive.STATUS_LABELS[s])}{n}项" for s, n in r.by_status.items()]
    return f"{r.total}个分项中，" + "，".join(parts)


def rollup_short(r: derive.Rollup) -> str:
    """The same in a table cell: 已完成 1/4 · 推进中 1 · 滞后 1 · 未报告 1 (done always, the others
    when there are any; 推进中 is 超前 and 按计划推进, 其他 the statuses no figure decides)."""
    parts = [f"已完成 {r.done}/{r.total}"]
    if r.in_progress:
        parts.append(f"推进中 {r.in_progress}")
    if r.behind:
        parts.append(f"滞后 {r.behind}")
    if r.not_reported:
        parts.append(f"未报告 {r.not_reported}")
    rest = r.total - r.done - r.in_progress - r.behind - r.not_reported
    if rest:
        parts.append(f"其他 {rest}")
    return " · ".join(parts)


def correction_issue(page_url: str, heading: str) -> tuple[str, str]:
    """The title and body a reader's 报错/纠错 issue starts with: the item's URL, then a field,
    what is wrong and the reader's source to fill in."""
    body = (
        f"事项页面：{page_url}\n\n"
        "哪个字段（如 承诺原文、目标、进展、状态、牵头单位、来源）：\n\n"
        "哪里不对，应当是什么：\n\n"
        "您的依据（文件标题、发布机关和日期、网址）：\n"
    )
    return f"纠错：{heading}", body
