"""How old a status is (Freshness), and one fact sheet per item (ItemFacts) that every
page, download and the search index read, so none says something else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core import model
from generator.derive.dates import STALE_AFTER_DAYS, cn_date, deadline_inferred, item_deadline, list_date
from generator.derive.money import Investment, investment
from generator.derive.rollup import Rollup, rollup
from generator.derive.status import FINISHED, Latest, item_lead, item_sections, latest, leaves


@dataclass(frozen=True)
class Freshness:
    """How old the official information behind a status is, at the build date."""

    as_of: dt.date | None  # as-of date of the newest official information; None: none yet
    since: dt.date  # what the age counts from: as_of, else the list's publication
    deadline: dt.date | None
    deadline_inferred: bool
    build_date: dt.date
    why: str | None  # "deadline" or "age" when stale (the deadline is named first), else None
    final_report: str  # what a reader waits for: 年终报告, or 期满报告 for a multi-year list

    @property
    def stale(self) -> bool:
        return self.why is not None

    @property
    def days(self) -> int:
        """Days from `since` to the build date."""
        return (self.build_date - self.since).days

    @property
    def label(self) -> str:
        """One line for readers: 最新官方信息截至2024年6月30日；完成期限2024年12月31日已过，尚未见年终报告."""
        deadline = cn_date(self.deadline) + ("（本站推定）" if self.deadline_inferred else "")
        if self.as_of is None:
            if self.why == "deadline":
                return f"尚未见任何官方进展信息；完成期限{deadline}已过"
            if self.why == "age":
                return f"清单发布于{cn_date(self.since)}，{self.days}天来尚未见任何官方进展信息"
            return "尚未见官方进展信息"
        head = f"最新官方信息截至{cn_date(self.as_of)}"
        if self.why == "deadline":
            return f"{head}；完成期限{deadline}已过，尚未见{self.final_report}"
        if self.why == "age":
            return f"{head}；此后{self.days}天未见新的官方信息"
        return head


def freshness(item: model.Item, pl: model.PledgeList, parent: model.Item | None, lt: Latest, on: dt.date) -> Freshness:
    """Whether an item's status is stale at the build date `on`.

    Stale: the newest official information is dated before the item's deadline and the
    deadline has passed at `on`, or it is older than STALE_AFTER_DAYS at `on`. An item no
    report mentions counts from the list's publication. A status the report gives as 已完成
    or 已取消 is never stale: there is nothing left to report."""
    deadline = item_deadline(item, pl, parent)
    as_of = lt.report.as_of if lt.report else None
    since = as_of or list_date(pl)
    why = None
    if lt.status not in FINISHED:
        if deadline is not None and since < deadline < on:
            why = "deadline"
        elif (on - since).days > STALE_AFTER_DAYS:
            why = "age"
    final = "年终报告" if deadline is None or deadline.year == pl.period.start.year else "期满后的报告"
    return Freshness(as_of, since, deadline, deadline_inferred(item, pl, parent) is not None, on, why, final)


@dataclass(frozen=True)
class ItemFacts:
    """What every view of an item states about it, worked out once: the item page, a progress
    table's row, the CSV and JSON downloads, the items table and the search index all read
    these, so none of them can say something else (a sub-item's lead units, say)."""

    latest: Latest
    fresh: Freshness  # how old the latest official information is at the build date
    deadline: dt.date | None  # the item's, else its parent's, else the list's
    deadline_inferred: str | None  # why, when the deadline is one we inferred (本站推定); None when stated
    lead: list[str]  # the item's lead units; a sub-item without its own has its parent's
    sections: list  # the source's sections the item is in, from the top down
    rollup: Rollup | None = None  # its sub-items counted by status; None without sub-items
    investment: Investment | None = None  # planned and completed investment; None when nothing states any

    @property
    def section_path(self) -> str:
        """The section chain as the source writes it: `一、幼有善育 › （一）托育`; empty outside any."""
        return " › ".join(f"{s.label}{s.title}" for s in self.sections)


def item_facts(item: model.Item, pl: model.PledgeList, parent: model.Item | None, on: dt.date) -> ItemFacts:
    """The facts of one item, its freshness judged at the build date `on`."""
    lt = latest(item, pl, parent)
    return ItemFacts(
        lt,
        freshness(item, pl, parent, lt, on),
        item_deadline(item, pl, parent),
        deadline_inferred(item, pl, parent),
        item_lead(item, parent),
        item_sections(item, pl, parent),
        rollup(item, pl),
        investment(item, pl),
    )


def stale_count(pl: model.PledgeList, on: dt.date) -> int:
    """Leaf items with a report whose status is stale at `on`: the 其中信息已过时 line that list,
    city and home pages put under the status counts. An item no report mentions is left out:
    the counts already show it as 暂无进展报告, and counting it again as stale read like a
    second problem (淄博 2022: 暂无进展报告 113 and 信息已过时 113, the same 113 items)."""
    found = 0
    for item, parent in leaves(pl.items):
        lt = latest(item, pl, parent)
        if lt.status != "none" and freshness(item, pl, parent, lt, on).stale:
            found += 1
    return found
