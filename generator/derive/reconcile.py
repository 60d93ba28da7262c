"""The city's own counts beside ours (top of a list page): a report's totals matched to our
statuses through its wording; a difference is shown, never smoothed over."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.core import model
from generator.derive.changes import reports_in_order, tracked_items
from generator.derive.status import STATUS_ORDER, judge

COUNT_WORDING = (
    (("未完成", "缓慢", "滞后", "落后", "未达"), "behind"),
    (("未启动", "未开工"), "not_started"),
    (("超额", "超前", "提前"), "ahead"),
    (("已完成", "已实现", "完成", "实现"), "done"),
    (("按计划", "序时", "有序推进", "正常推进", "推进"), "on_track"),
    (("调整",), "adjusted"),
    (("取消", "终止"), "cancelled"),
)


def count_status(wording: str) -> str | None:
    """Our status for a report's count wording (`进展较为缓慢` → behind); None when no rule fits."""
    for words, status in COUNT_WORDING:
        if any(w in wording for w in words):
            return status
    return None


@dataclass
class CountRow:
    """One line of the reconciliation: the report's count beside ours for the same status."""

    wording: str | None  # the report's own words; None: a status of ours the report gives no count for
    official: int | None  # the count the report states
    status: str | None  # our status the wording corresponds to (None: none does)
    ours: int  # items of this report we show with that status

    @property
    def difference(self) -> int | None:
        return None if self.official is None or self.status is None else self.ours - self.official


@dataclass
class Reconciliation:
    """A report's own totals and summary beside our counts of the same report's entries."""

    report: model.Report
    source: model.Source | None
    rows: list  # CountRow: the report's counts in its order, then our statuses it has no count for
    mentioned: int  # items (leaves, and parents with their own entry) the report has an entry for
    bases: dict = field(default_factory=dict)  # basis (OFFICIAL, ASSESSED) → entries

    @property
    def official_total(self) -> int:
        return sum(r.official for r in self.rows if r.official is not None)

    @property
    def disagrees(self) -> bool:
        return any(r.difference for r in self.rows)


def reconcile(pl: model.PledgeList, report: model.Report) -> Reconciliation:
    """Our counts of one report's entries (as the site shows them) beside the counts the report
    states, matched through COUNT_WORDING: the difference is shown, never smoothed over."""
    ours: dict = {}
    bases: dict = {}
    for item, parent in tracked_items(pl.items):
        for entry in item.progress:
            if entry.report == report.id:
                j = judge(item, entry, pl, parent)
                ours[j.status] = ours.get(j.status, 0) + 1
                bases[j.basis] = bases.get(j.basis, 0) + 1
    rows = []
    matched = set()
    for wording, n in report.counts.items():
        status = count_status(wording)
        rows.append(CountRow(wording, n, status, ours.get(status, 0) if status else 0))
        if status:
            matched.add(status)
    for status in STATUS_ORDER:
        if ours.get(status) and status not in matched:
            rows.append(CountRow(None, None, status, ours[status]))
    source = next((s for s in pl.sources if s.id == report.source), None)
    return Reconciliation(report, source, rows, sum(ours.values()), bases)


def summarised_reports(pl: model.PledgeList) -> list:
    """Reports that state totals or a summary, newest first."""
    return [r for r in reversed(reports_in_order(pl)) if r.counts or r.summary]
