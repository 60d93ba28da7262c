"""Sub-items add up: what a parent's sub-items report, counted (the parent's item page, its
row in a progress table, the downloads). One rule, here: each sub-item counts once, by the
status of its own newest entry (a sub-item with sub-items of its own by their summary, as
`latest` gives it); the counts add up to the number of sub-items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core import model
from generator.derive.status import STATUS_ORDER, latest

IN_PROGRESS = ("ahead", "on_track")  # moving, neither done nor behind


@dataclass(frozen=True)
class Rollup:
    """A parent's sub-items by their latest status."""

    total: int
    by_status: dict  # status → sub-items, in STATUS_ORDER, zeros left out ("none": no report yet)
    with_figure: int  # sub-items whose newest entry has a completion percent
    as_of: dt.date | None  # the newest as-of date among them; None when none is reported

    @property
    def done(self) -> int:
        return self.by_status.get("done", 0)

    @property
    def behind(self) -> int:
        return self.by_status.get("behind", 0)

    @property
    def not_reported(self) -> int:
        return self.by_status.get("none", 0)

    @property
    def in_progress(self) -> int:
        return sum(self.by_status.get(s, 0) for s in IN_PROGRESS)

    @property
    def reported(self) -> int:
        return self.total - self.not_reported


def rollup(item: model.Item, pl: model.PledgeList) -> Rollup | None:
    """The roll-up of an item's sub-items; None for an item without sub-items."""
    if not item.subitems:
        return None
    counts = dict.fromkeys(STATUS_ORDER, 0)
    with_figure = 0
    newest = None
    for child in item.subitems:
        lt = latest(child, pl, item)
        counts[lt.status] += 1
        with_figure += lt.percent is not None
        if lt.report is not None and (newest is None or lt.report.as_of > newest):
            newest = lt.report.as_of
    return Rollup(len(item.subitems), {s: n for s, n in counts.items() if n}, with_figure, newest)
