"""An item's status: the newest progress, its percent and the pace line, and who said it —
the city's own words (官方表述) or our assessment by the rule on the methodology page.
Also the status labels and symbols, and numbers as the timeline states them."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from generator.core import model
from generator.core.model import walk_items
from generator.derive.dates import cn_date, expected_pace, item_deadline

STATUS_LABELS = {
    "done": "已完成",
    "ahead": "超前",
    "on_track": "按计划推进",
    "behind": "滞后",
    "not_started": "未启动",
    "adjusted": "已调整",
    "cancelled": "已取消",
    "unknown": "情况不明",
    "none": "暂无进展报告",
}
# Symbols make status readable without colour (and in print).
STATUS_SYMBOLS = {
    "done": "✔",
    "ahead": "▲",
    "on_track": "●",
    "behind": "▼",
    "not_started": "○",
    "adjusted": "◆",
    "cancelled": "✕",
    "unknown": "?",
    "none": "–",
}
STATUS_ORDER = ["done", "ahead", "on_track", "behind", "not_started", "adjusted", "cancelled", "unknown", "none"]
# When a parent's status must summarise its sub-items, the least favourable wins.
_SEVERITY = {s: i for i, s in enumerate(["done", "ahead", "on_track", "adjusted", "unknown", "none", "not_started", "behind", "cancelled"])}

# How a target or a measure shows its comparator before the number (a range shows `2–3`).
COMPARATOR_SYMBOLS = {"at_least": "≥", "at_most": "≤", "exactly": "", "about": "约", "range": ""}
COMPARATOR_LABELS = {"at_least": "以上", "at_most": "不超过", "exactly": "正好", "about": "约", "range": "范围"}  # a comparator in words
CITY_LEVEL_LABELS = {
    "municipality": "直辖市",
    "sub_provincial": "副省级市",
    "prefecture": "地级市",
    "county_level": "县级市",
    "county": "县",
    "district": "区",
}
# What a source's citation adds about its script (model.Script); simplified text needs no note.
SCRIPT_NOTES = {"traditional_converted": "原文为繁体，已转为简体"}


@dataclass
class Latest:
    """The newest progress of an item, with the figures shown in lists and bars."""

    status: str  # a Status value, or "none" when no report mentions the item
    status_text: str | None
    percent: float | None  # reported (or computed) percent of target, see entry_percent
    pace: float | None  # expected percent at the report's as_of date; None when finished (shown_pace)
    report: model.Report | None
    entry: model.Progress | None
    basis: str = "none"  # who said it: see Judgement.basis
    reason: str | None = None  # ours, one line: why we assessed or summarised the status
    note: str | None = None  # ours: a deadline passed without 已完成, or the city's status and the pace line disagree
    rule: str | None = None  # anchor of the rule on the methodology page
    lowest_of: int | None = None  # the percent is the lowest of this many figures (_overall): a page says which one it is

    @property
    def official(self) -> bool:
        return self.basis == OFFICIAL

    @property
    def assessed(self) -> bool:
        """The status is ours (assessed or summarised), not the city's words."""
        return self.basis in (ASSESSED, SUMMARY)


def reports_by_id(pl: model.PledgeList) -> dict:
    return {r.id: r for r in pl.reports}


def sorted_progress(item: model.Item, reports: dict) -> list:
    """Progress entries oldest first, by the report's as_of date."""
    return sorted(item.progress, key=lambda p: (reports[p.report].as_of, reports[p.report].published))


def item_lead(item: model.Item, parent: model.Item | None = None) -> list[str]:
    """The lead units of an item; a sub-item without its own has its parent's."""
    return item.lead or (parent.lead if parent else [])


def section_chain(pl: model.PledgeList, section_id: str | None) -> list:
    """The sections from the top down to `section_id`, as the source nests them."""
    by_id = {s.id: s for s in pl.sections}
    chain: list = []
    while section_id and section_id in by_id and len(chain) < 10:
        chain.insert(0, by_id[section_id])
        section_id = by_id[section_id].parent
    return chain


def item_sections(item: model.Item, pl: model.PledgeList, parent: model.Item | None = None) -> list:
    """An item's section chain; a sub-item without its own section is in its parent's."""
    return section_chain(pl, item.section or (parent.section if parent else None))


def target_measure(target: model.Target, entry: model.Progress | None) -> model.Measure | None:
    """The measure of a progress entry that reports on a target (same metric; the last wins)."""
    found = None
    for m in entry.measures if entry else ():
        if m.metric == target.metric:
            found = m
    return found


def measure_percent(item: model.Item, m: model.Measure) -> float | None:
    """The reported percent, else value / target where the metric matches a target."""
    if m.percent is not None:
        return m.percent
    for t in item.targets:
        if t.metric == m.metric and t.value and m.value is not None:
            percent = m.value / t.value * 100
            return round(percent, 1) if math.isfinite(percent) else None  # 1e10 of 1e-300: no figure (the validator warns)
    return None


def _overall(item: model.Item, entry: model.Progress) -> tuple[float | None, int | None]:
    """(the entry's overall percent, how many figures it is the lowest of when more than one):
    the reported percent, else the lowest of its measures' (stage measures left out: they say
    how far one step is, not the item)."""
    if entry.percent is not None:
        return entry.percent, None
    found = [p for p in (measure_percent(item, m) for m in entry.measures if not m.stage) if p is not None]
    return (min(found) if found else None), (len(found) if len(found) > 1 else None)


def entry_percent(item: model.Item, entry: model.Progress) -> float | None:
    """Overall percent of one entry: the reported one, else the lowest of its measures."""
    return _overall(item, entry)[0]


def latest(item: model.Item, pl: model.PledgeList, parent: model.Item | None = None) -> Latest:
    reports = reports_by_id(pl)
    entries = sorted_progress(item, reports)
    if not entries:
        if item.subitems:
            return _summarise_children(item, pl)
        return Latest("none", None, None, None, None, None)
    entry = entries[-1]
    report = reports[entry.report]
    j = judge(item, entry, pl, parent)
    return Latest(j.status, entry.status_text, j.percent, j.pace, report, entry, j.basis, j.reason, j.note, j.rule, j.lowest_of)


def _summarise_children(item: model.Item, pl: model.PledgeList) -> Latest:
    kids = [latest(child, pl, item) for child in item.subitems]
    reported = [(k.report, k) for k in kids if k.report is not None]
    if not reported:
        return Latest("none", None, None, None, None, None)
    worst = max(kids, key=lambda k: _SEVERITY[k.status])
    report, newest = max(reported, key=lambda rk: rk[0].as_of)
    reason = f"本站按{len(kids)}个子项中最不利的状态概括"
    return Latest(worst.status, None, None, shown_pace(worst.status, newest.pace), report, None, SUMMARY, reason, None, RULE_SUBITEMS)


PACE_TOLERANCE = 10.0
"""Percentage points an item may trail 序时进度 before it is flagged: work is rarely spread
evenly over the year, so a small gap is not news (see the methodology page)."""

FINISHED = ("done", "cancelled")  # never flagged: there is nothing left to fall behind on


def shown_pace(status: str, pace: float | None) -> float | None:
    """The pace line an item carries (bar, summary, changes, downloads): 序时进度 says how far an
    unfinished item should be by now, so a finished one (done, cancelled) has none — shown
    alone beside 已完成 it read like a second, lower completion figure."""
    return None if status in FINISHED else pace

OFFICIAL = "official"  # the report's own status words for the item (status_text): the city's status
ASSESSED = "assessed"  # no status words: the status is ours, by the rule in `assess`
SUMMARY = "summary"  # a parent without its own progress: ours, the least favourable of its sub-items
BASIS_LABELS = {OFFICIAL: "官方表述", ASSESSED: "本站判断", SUMMARY: "本站概括"}
RULE_ASSESSMENT = "assessment"  # anchors of content/about/methodology.md
RULE_SUBITEMS = "subitems"
_PERCENT_RULED = ("done", "ahead", "on_track", "behind")  # what a percent can decide; the rest come from wording


@dataclass(frozen=True)
class Judgement:
    """The status of one progress entry as the site shows it, and who said it.

    One rule decides the badge and the bar together (`assess`): where the report has no
    status words for the item, the status is ours and follows from the same percent and the
    same pace line the bar draws, so the two can never contradict each other."""

    status: str
    basis: str  # OFFICIAL, ASSESSED or SUMMARY
    percent: float | None  # the bar (entry_percent)
    pace: float | None  # the bar's pace line (expected_pace at the report's as_of; shown_pace)
    reason: str | None = None  # ours, one line: why this status (ASSESSED, SUMMARY)
    note: str | None = None  # ours: a deadline passed without 已完成, or an official status the pace line seems to contradict
    rule: str | None = None  # methodology anchor of the rule that decided it
    lowest_of: int | None = None  # the percent is the lowest of this many figures (_overall): a page says which one it is


def _pct(value: float) -> str:
    return f"{value:g}%"


def assess(percent: float | None, pace: float | None, as_of: dt.date, deadline: dt.date | None, recorded: str) -> tuple[str, str]:
    """Our status for an entry without the city's status words, and the one-line reason.

    1. percent ≥ 100: 已完成 when the report is dated at or after the deadline, else 超前
       (the figures reach the target, but the work is not due yet and the report does not
       say it is finished);
    2. percent below the pace line by more than PACE_TOLERANCE points: 滞后;
    3. any other percent: 按计划推进;
    4. no percent (or no pace line to compare a percent below 100 with): the maintainers'
       reading of the report's words (`recorded`, the data's `status`).
    Statuses no number can decide (未启动, 已调整, 已取消, 情况不明) are always read from the words."""
    if percent is not None and recorded in _PERCENT_RULED:
        if percent >= 100:
            if deadline is not None and as_of >= deadline:
                return "done", f"期限已到，报告的数字达到目标的{_pct(percent)}"
            return "ahead", f"报告的数字已达到目标的{_pct(percent)}，但期限未到，报告也没有说已完成"
        if pace is not None:
            gap = round(pace - percent, 1)
            if gap > PACE_TOLERANCE:
                return "behind", f"完成比例{_pct(percent)}，比序时进度{_pct(pace)}低{gap:g}个百分点，超过{PACE_TOLERANCE:g}个百分点"
            if gap > 0:
                return "on_track", f"完成比例{_pct(percent)}，比序时进度{_pct(pace)}低{gap:g}个百分点，未超过{PACE_TOLERANCE:g}个百分点"
            return "on_track", f"完成比例{_pct(percent)}，不低于序时进度{_pct(pace)}"
    if recorded in _PERCENT_RULED and percent is not None:
        return recorded, "报告没有逐项状态，也没有可比的序时进度，本站据报告文字判断"
    return recorded, "报告没有逐项状态和完成比例，本站据报告文字判断"


def _official_note(status: str, words: str, percent: float | None, pace: float | None) -> str | None:
    """Where the city's own status and the bar's pace line seem to disagree, say so: the
    city's words stand (the pace line only spreads the work evenly over the time)."""
    if percent is None or pace is None or status not in ("done", "ahead", "on_track", "behind"):
        return None
    gap = round(pace - percent, 1)
    if status != "behind" and gap > PACE_TOLERANCE:
        return f"官方称“{words}”，但完成比例{_pct(percent)}比序时进度{_pct(pace)}低{gap:g}个百分点；以官方表述为准，数字照录"
    if status == "behind" and percent >= pace:
        return f"官方称“{words}”，完成比例{_pct(percent)}却不低于序时进度{_pct(pace)}：序时进度只按时间平均计算，以官方表述为准"
    return None


UNFINISHED = ("on_track", "behind", "not_started", "unknown")  # still to be done; 超前 may mean 超额完成, 已调整 a new deadline


def _deadline_note(status: str, as_of: dt.date, deadline: dt.date | None, words: str | None) -> str | None:
    """A report dated after the item's deadline that still calls it unfinished: say that the
    deadline has passed, beside whoever's status it is. The pace line alone (序时进度 100%)
    did not say so."""
    if deadline is None or as_of <= deadline or status not in UNFINISHED:
        return None
    passed = f"报告截至{cn_date(as_of)}，已过完成期限{cn_date(deadline)}，报告没有说已完成"
    return f"官方称“{words}”，但{passed}；以官方表述为准" if words else passed


def judge(item: model.Item, entry: model.Progress, pl: model.PledgeList, parent: model.Item | None = None) -> Judgement:
    """The status of one progress entry, with its figures and who said it."""
    report = reports_by_id(pl)[entry.report]
    deadline = item_deadline(item, pl, parent)
    pace = expected_pace(pl.period.start, deadline, report.as_of)
    percent, lowest = _overall(item, entry)
    if entry.status_text:
        status = entry.status.value
        note = _deadline_note(status, report.as_of, deadline, entry.status_text) or _official_note(status, entry.status_text, percent, pace)
        return Judgement(status, OFFICIAL, percent, shown_pace(status, pace), None, note, RULE_ASSESSMENT if note else None, lowest)
    status, reason = assess(percent, pace, report.as_of, deadline, entry.status.value)
    return Judgement(status, ASSESSED, percent, shown_pace(status, pace), reason, _deadline_note(status, report.as_of, deadline, None), RULE_ASSESSMENT, lowest)



def leaves(items):
    """(item, parent) of every item without sub-items: what status summaries count."""
    return [(item, parent) for item, _, parent in walk_items(items) if not item.subitems]


def status_counts(pl: model.PledgeList) -> dict:
    """Leaf items per status, in display order, zeros left out."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for item, parent in leaves(pl.items):
        counts[latest(item, pl, parent).status] += 1
    return {s: n for s, n in counts.items() if n}


def format_number(value: float | None) -> str:
    """20000.0 → 20,000; 1.5 → 1.5 (values are stored in base units)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_measure(m: model.Measure) -> str:
    """A reported value as the timeline shows it: `约2,000个`; empty without a value."""
    if m.value is None:
        return ""
    prefix = COMPARATOR_SYMBOLS[m.comparator.value] if m.comparator else ""
    return f"{prefix}{format_number(m.value)}{m.unit or ''}"
