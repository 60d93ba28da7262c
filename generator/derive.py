"""Figures we compute from the data (never typed by hand): latest status, percents, pace.

The rules here are the ones the methodology page (content/about/methodology.md) explains;
change both together.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from . import model
from .model import walk_items

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


def item_lead(item: model.Item, parent: model.Item | None = None) -> list[str]:
    """The lead units of an item; a sub-item without its own has its parent's."""
    return item.lead or (parent.lead if parent else [])


def list_source(pl: model.PledgeList) -> model.Source:
    """The source the list itself comes from (validation guarantees it exists)."""
    return next((s for s in pl.sources if s.id == pl.source), pl.sources[0])


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
    reported = [(k.report, k) for k in kids if k.report is not None]
    if not reported:
        return Latest("none", None, None, None, None, None)
    worst = max(kids, key=lambda k: _SEVERITY[k.status])
    report, newest = max(reported, key=lambda rk: rk[0].as_of)
    return Latest(worst.status, None, None, newest.pace, report, None)


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


def format_target(t: model.Target) -> str:
    if t.qualitative or t.value is None:
        return "定性目标"
    unit = t.unit or ""
    if t.comparator == model.Comparator.range and t.value_max is not None:
        return f"{format_number(t.value)}–{format_number(t.value_max)}{unit}"
    prefix = COMPARATOR_SYMBOLS.get(t.comparator.value if t.comparator else "exactly", "")
    return f"{prefix}{format_number(t.value)}{unit}"


def format_measure(m: model.Measure) -> str:
    """A reported value as the timeline shows it: `约2,000个`; empty without a value."""
    if m.value is None:
        return ""
    prefix = COMPARATOR_SYMBOLS[m.comparator.value] if m.comparator else ""
    return f"{prefix}{format_number(m.value)}{m.unit or ''}"


def short(text: str, limit: int = 40) -> str:
    """Text on one line, cut to `limit` characters with `…`."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- what changed between reports (the changes page) -----------------------------------

PACE_TOLERANCE = 10.0
"""Percentage points an item may trail 序时进度 before it is flagged: work is rarely spread
evenly over the year, so a small gap is not news (see the methodology page)."""

FINISHED = ("done", "cancelled")  # never flagged: there is nothing left to fall behind on


@dataclass
class Snapshot:
    """One progress entry, reduced to what the changes page compares and shows."""

    report: model.Report
    status: str
    status_text: str | None
    percent: float | None
    pace: float | None  # 序时进度 at the report's as_of

    @property
    def pace_gap(self) -> float | None:
        """Percentage points below pace (negative: ahead of it); None without both figures."""
        if self.percent is None or self.pace is None:
            return None
        return round(self.pace - self.percent, 1)

    @property
    def below_pace(self) -> bool:
        """More than PACE_TOLERANCE points below 序时进度; finished items never are."""
        return self.status not in FINISHED and self.pace_gap is not None and self.pace_gap > PACE_TOLERANCE

    @property
    def behind(self) -> bool:
        """Flagged as behind: normalised status `behind`, or below pace."""
        return self.status == "behind" or self.below_pace


@dataclass
class ItemChange:
    """One item as one report sees it, beside the item's previous entry."""

    item: model.Item
    parent: model.Item | None
    before: Snapshot | None  # the item's previous entry; None when this report is its first
    after: Snapshot | None  # its entry in this report; None when this report leaves it out

    @property
    def status_changed(self) -> bool:
        return self.before is not None and self.after is not None and self.before.status != self.after.status

    @property
    def percent_changed(self) -> bool:
        return self.before is not None and self.after is not None and not _same_percent(self.before.percent, self.after.percent)

    @property
    def percent_delta(self) -> float | None:
        """Percentage points gained since the previous entry; None unless both have a percent."""
        if not (self.before and self.after) or self.before.percent is None or self.after.percent is None:
            return None
        return round(self.after.percent - self.before.percent, 1)


@dataclass
class ReportChanges:
    """What one report changed, compared with each item's previous entry."""

    report: model.Report
    previous: model.Report | None  # the report before this one by as_of; None for the first
    changed: list  # ItemChange: normalised status or percent differs from the previous entry
    new: list  # ItemChange: first mentioned in this report
    missing: list  # ItemChange: mentioned in an earlier report, not in this one
    unchanged: list  # ItemChange: same status and percent as before
    counts: dict  # status → items this report mentions, in display order, zeros left out
    source: model.Source | None = None  # where the report was published

    @property
    def mentioned(self) -> int:
        return len(self.changed) + len(self.new) + len(self.unchanged)


@dataclass
class Flagged:
    """An item the changes page asks readers to look at, with its newest entry."""

    item: model.Item
    parent: model.Item | None
    last: Snapshot | None  # None: no report has mentioned the item
    days_since: int | None = None  # from `last` to the newest report's as_of (stale items)


def _same_percent(a: float | None, b: float | None) -> bool:
    """Percents compare at one decimal, as they are shown; None only equals None."""
    if a is None or b is None:
        return a is None and b is None
    return round(a, 1) == round(b, 1)


def tracked_items(items):
    """(item, parent) for what the changes page compares: leaves, and parents with their own
    progress (a parent without it is only a summary of its sub-items), in source order."""
    return [(item, parent) for item, _, parent in walk_items(items) if item.progress or not item.subitems]


def reports_in_order(pl: model.PledgeList) -> list:
    """Reports oldest first, by as_of (then published), as sorted_progress orders entries."""
    return sorted(pl.reports, key=lambda r: (r.as_of, r.published))


def snapshot(item: model.Item, entry: model.Progress, pl: model.PledgeList, parent: model.Item | None = None) -> Snapshot:
    report = reports_by_id(pl)[entry.report]
    pace = expected_pace(pl.period.start, item_deadline(item, pl, parent), report.as_of)
    return Snapshot(report, entry.status.value, entry.status_text, entry_percent(item, entry), pace)


def changes(pl: model.PledgeList) -> list:
    """For each report, oldest first: which items changed, appeared or dropped out."""
    ordered = reports_in_order(pl)
    rank = {r.id: i for i, r in enumerate(ordered)}
    sources = {s.id: s for s in pl.sources}
    out = [ReportChanges(r, ordered[i - 1] if i else None, [], [], [], [], {}, sources.get(r.source)) for i, r in enumerate(ordered)]
    for item, parent in tracked_items(pl.items):
        by_rank = {rank[e.report]: e for e in item.progress if e.report in rank}
        previous = None
        for i, rc in enumerate(out):
            entry = by_rank.get(i)
            now = snapshot(item, entry, pl, parent) if entry else None
            if now and previous is None:
                rc.new.append(ItemChange(item, parent, None, now))
            elif now:
                change = ItemChange(item, parent, previous, now)
                (rc.changed if change.status_changed or change.percent_changed else rc.unchanged).append(change)
            elif previous:
                rc.missing.append(ItemChange(item, parent, previous, None))
            if now:
                rc.counts[now.status] = rc.counts.get(now.status, 0) + 1
                previous = now
    for rc in out:
        rc.counts = {s: rc.counts[s] for s in STATUS_ORDER if rc.counts.get(s)}
    return out


def _last_snapshot(item: model.Item, pl: model.PledgeList, parent: model.Item | None) -> Snapshot | None:
    entries = sorted_progress(item, reports_by_id(pl))
    return snapshot(item, entries[-1], pl, parent) if entries else None


def behind_pace(pl: model.PledgeList) -> list:
    """Tracked items whose newest entry is behind (Snapshot.behind), in source order."""
    found = []
    for item, parent in tracked_items(pl.items):
        last = _last_snapshot(item, pl, parent)
        if last and last.behind:
            found.append(Flagged(item, parent, last))
    return found


def stale(pl: model.PledgeList) -> list:
    """Tracked items the newest report does not mention (never-reported ones included),
    unless their newest entry says done or cancelled. Dated against the newest report's
    as_of, never the build date, so two builds of the same data are identical."""
    if not pl.reports:
        return []
    newest = reports_in_order(pl)[-1]
    found = []
    for item, parent in tracked_items(pl.items):
        if any(e.report == newest.id for e in item.progress):
            continue
        last = _last_snapshot(item, pl, parent)
        if last and last.status in FINISHED:
            continue
        days = (newest.as_of - last.report.as_of).days if last else None
        found.append(Flagged(item, parent, last, days))
    return found
