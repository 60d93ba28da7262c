"""The money: an item's planned investment (计划投资) and the newest completed investment
(完成投资) its reports state, and what a list's items add up to. One rule, here, for the
pages and the downloads: amounts add up only where every item states one, so a total never
silently leaves items out."""

from __future__ import annotations

from dataclasses import dataclass

from generator.core import model
from generator.derive.status import reports_by_id, sorted_progress


@dataclass(frozen=True)
class Investment:
    """What the data states about an item's money."""

    planned: float | None  # 元: the item's own 计划投资, else its sub-items' added up when every one states one
    planned_text: str | None  # the item's own wording; None when `planned` adds up sub-items
    completed: float | None  # 元: the newest progress entry's 完成投资
    completed_text: str | None
    completed_report: model.Report | None  # the report that states `completed`


@dataclass(frozen=True)
class ListInvestment:
    """A list's planned investment: how many of its items state one, and their total only
    when all do."""

    stated: int  # top-level items with a planned investment (their own, or every sub-item's)
    items: int  # top-level items
    total: float | None  # 元, only when stated == items

    @property
    def complete(self) -> bool:
        return self.total is not None


def planned_investment(item: model.Item) -> float | None:
    """An item's planned investment in 元: its own, else the sum of its sub-items' when every
    one of them states one; None otherwise."""
    if item.investment is not None:
        return item.investment.value
    if not item.subitems:
        return None
    total = 0.0
    for child in item.subitems:
        amount = planned_investment(child)
        if amount is None:
            return None
        total += amount
    return total


def investment(item: model.Item, pl: model.PledgeList) -> Investment | None:
    """The money of one item; None when neither the item nor its reports state any."""
    planned = planned_investment(item)
    if planned is None and not any(e.investment for e in item.progress):  # most items: no sorting (item_facts is a hot path)
        return None
    reports = reports_by_id(pl)
    entry = next((e for e in reversed(sorted_progress(item, reports)) if e.investment is not None), None)
    return Investment(
        planned,
        item.investment.text if item.investment else None,
        entry.investment.value if entry and entry.investment else None,
        entry.investment.text if entry and entry.investment else None,
        reports[entry.report] if entry else None,
    )


def list_investment(pl: model.PledgeList) -> ListInvestment | None:
    """The list's planned investment; None when no item states any (nothing to say)."""
    amounts = [planned_investment(item) for item in pl.items]
    stated = sum(a is not None for a in amounts)
    if not stated:
        return None
    return ListInvestment(stated, len(amounts), sum(a for a in amounts if a is not None) if stated == len(amounts) else None)

