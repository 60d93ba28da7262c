"""Figures we compute from the data (never typed by hand): latest status, percents, pace.

The rules here are the ones the methodology page (content/about/methodology.md) explains;
change both together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import model

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

COMPARATOR_LABELS = {"at_least": "≥", "at_most": "≤", "exactly": "", "about": "约", "range": ""}


@dataclass
class Latest:
    """The newest progress of an item, with the figures shown in lists and bars."""

    status: str  # a Status value, or "none" when no report mentions the item
    status_text: str | None
    percent: float | None  # reported (or computed) percent of target, see item_percent
    pace: float | None  # expected percent at the report's as_of date
    report: model.Report | None
    entry: model.Progress | None


def reports_by_id(pl: model.PledgeList) -> dict:
    return {r.id: r for r in pl.reports}


def sorted_progress(item: model.Item, reports: dict) -> list:
    """Progress entries oldest first, by the report's as_of date."""
    return sorted(item.progress, key=lambda p: (reports[p.report].as_of, reports[p.report].published))


def item_deadline(item: model.Item, pl: model.PledgeList, parent: model.Item | None = None) -> dt.date | None:
    return item.deadline or (parent.deadline if parent else None) or pl.deadline or pl.period.end


def measure_percent(item: model.Item, m: model.Measure) -> float | None:
    """The reported percent, else value / target where the metric matches a target."""
    if m.percent is not None:
        return m.percent
    for t in item.targets:
        if t.metric == m.metric and t.value and m.value is not None:
            return round(m.value / t.value * 100, 1)
    return None


def entry_percent(item: model.Item, entry: model.Progress) -> float | None:
    """Overall percent of one entry: the reported one, else the lowest of its measures."""
    if entry.percent is not None:
        return entry.percent
    found = [p for p in (measure_percent(item, m) for m in entry.measures) if p is not None]
    return min(found) if found else None


def expected_pace(start: dt.date, deadline: dt.date | None, as_of: dt.date) -> float | None:
    """序时进度: the share of the time from start to deadline that has passed at as_of."""
    if deadline is None or deadline <= start:
        return None
    share = (as_of - start).days / (deadline - start).days * 100
    return round(max(0.0, min(100.0, share)), 1)


def latest(item: model.Item, pl: model.PledgeList, parent: model.Item | None = None) -> Latest:
    reports = reports_by_id(pl)
    entries = sorted_progress(item, reports)
    if not entries:
        if item.subitems:
            return _summarise_children(item, pl)
        return Latest("none", None, None, None, None, None)
    entry = entries[-1]
    report = reports[entry.report]
    pace = expected_pace(pl.period.start, item_deadline(item, pl, parent), report.as_of)
    return Latest(entry.status.value, entry.status_text, entry_percent(item, entry), pace, report, entry)


def _summarise_children(item: model.Item, pl: model.PledgeList) -> Latest:
    kids = [latest(child, pl, item) for child in item.subitems]
    reported = [k for k in kids if k.report is not None]
    if not reported:
        return Latest("none", None, None, None, None, None)
    worst = max(kids, key=lambda k: _SEVERITY[k.status])
    newest = max(reported, key=lambda k: k.report.as_of)
    return Latest(worst.status, None, None, newest.pace, newest.report, None)


def leaves(items):
    """Items without sub-items: what status summaries count."""
    for item in items:
        if item.subitems:
            yield from leaves(item.subitems)
        else:
            yield item


def status_counts(pl: model.PledgeList) -> dict:
    """Leaf items per status, in display order, zeros left out."""
    parents = _parents(pl.items)
    counts = {s: 0 for s in STATUS_ORDER}
    for item in leaves(pl.items):
        counts[latest(item, pl, parents.get(item.id)).status] += 1
    return {s: n for s, n in counts.items() if n}


def _parents(items, parent=None, out=None):
    out = {} if out is None else out
    for item in items:
        if parent is not None:
            out[item.id] = parent
        _parents(item.subitems, item, out)
    return out


def format_number(value: float | None) -> str:
    """20000.0 → 20,000; 1.5 → 1.5 (values are stored in base units)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_target(t: model.Target) -> str:
    if t.qualitative or t.value is None:
        return "定性目标"
    unit = t.unit or ""
    if t.comparator == model.Comparator.range and t.value_max is not None:
        return f"{format_number(t.value)}–{format_number(t.value_max)}{unit}"
    prefix = COMPARATOR_LABELS.get(t.comparator.value if t.comparator else "exactly", "")
    return f"{prefix}{format_number(t.value)}{unit}"
