"""What changed between reports (the changes page): each report beside each item's previous
entry, and the items to look at — behind, below pace or stale."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core import model
from generator.core.model import walk_items
from generator.derive.facts import Freshness, freshness
from generator.derive.status import ASSESSED, FINISHED, OFFICIAL, PACE_TOLERANCE, STATUS_ORDER, SUMMARY, judge, latest, reports_by_id, sorted_progress


@dataclass
class Snapshot:
    """One progress entry, reduced to what the changes page compares and shows."""

    report: model.Report
    status: str
    status_text: str | None
    percent: float | None
    pace: float | None  # 序时进度 at the report's as_of
    basis: str = OFFICIAL  # who said the status (Judgement.basis)
    reason: str | None = None  # ours, for an assessed status

    @property
    def assessed(self) -> bool:
        return self.basis in (ASSESSED, SUMMARY)

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
        return self.before is not None and self.after is not None and not same_percent(self.before.percent, self.after.percent)

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
    fresh: Freshness | None = None  # stale items: how old their newest information is at the build date

    @property
    def days_since(self) -> int | None:
        """Days from the newest official information (or the list's publication) to the build date."""
        return self.fresh.days if self.fresh else None


def same_percent(a: float | None, b: float | None) -> bool:
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
    j = judge(item, entry, pl, parent)
    return Snapshot(report, j.status, entry.status_text, j.percent, j.pace, j.basis, j.reason)


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


def stale(pl: model.PledgeList, on: dt.date) -> list:
    """Tracked items whose status is stale at the build date `on` (see `freshness`), in source
    order, never-reported ones included. `on` is passed in, never read from the clock, so two
    builds of the same data (and SOURCE_DATE_EPOCH) are identical."""
    found = []
    for item, parent in tracked_items(pl.items):
        fresh = freshness(item, pl, parent, latest(item, pl, parent), on)
        if fresh.stale:
            found.append(Flagged(item, parent, _last_snapshot(item, pl, parent), fresh))
    return found



# How a report's own count wording (Report.counts keys) corresponds to our scale: the first
# entry whose words the wording contains wins (未完成 before 完成, 超额完成 before 完成).
