"""Dates and pace: an item's deadline (its own, its parent's, the list's) and whether we
inferred it, the expected pace (序时进度) on a day, and the build date every age is
measured against (never the clock)."""

from __future__ import annotations

import datetime as dt

from generator.core import model


def item_deadline(item: model.Item, pl: model.PledgeList, parent: model.Item | None = None) -> dt.date | None:
    return item.deadline or (parent.deadline if parent else None) or pl.deadline or pl.period.end


def list_source(pl: model.PledgeList) -> model.Source:
    """The source the list itself comes from (validation guarantees it exists)."""
    return next((s for s in pl.sources if s.id == pl.source), pl.sources[0])


def expected_pace(start: dt.date, deadline: dt.date | None, as_of: dt.date) -> float | None:
    """序时进度: the share of the time from start to deadline that has passed at as_of."""
    if deadline is None or deadline <= start:
        return None
    share = (as_of - start).days / (deadline - start).days * 100
    return round(max(0.0, min(100.0, share)), 1)


STALE_AFTER_DAYS = 200
"""A status whose newest official information is older than this at the build date is stale:
half-yearly reports come about 183 days apart, plus a few weeks until they are published."""


def cn_date(value: dt.date | None) -> str:
    """2024-06-30 → 2024年6月30日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def newest_data_date(lists) -> dt.date:
    """The date of the newest official document in the data (sources' dates, reports' and
    lists' publication dates): the footer's 收录的最新官方文件, and what a build without
    SOURCE_DATE_EPOCH takes for its date. Not `retrieved`: that is when we copied a page, and
    a copy taken today of a 2024 notice is no newer official news."""
    dates = [dt.date(1970, 1, 1)]
    for pl in lists:
        dates += [s.date for s in pl.sources]
        dates += [r.published for r in pl.reports] + ([pl.published] if pl.published else [])
    return max(dates)


def epoch_date(source_date_epoch: str | None) -> dt.date | None:
    """The UTC date of SOURCE_DATE_EPOCH (seconds since 1970), or None when unset or not a number."""
    if source_date_epoch and source_date_epoch.strip().lstrip("-").isdigit():
        return dt.datetime.fromtimestamp(int(source_date_epoch.strip()), tz=dt.UTC).date()
    return None


def build_date(lists, source_date_epoch: str | None = None) -> dt.date:
    """The date a build measures ages against: SOURCE_DATE_EPOCH's date when set — `make site`
    sets it from the last commit — but never earlier than the newest date in the data, which
    stands in when it is not set. Never the clock: the same data and commit always give the
    same pages. An earlier date (a commit older than the data it builds, a mistyped epoch)
    would show a site dated before its own newest report, with nothing overdue or stale."""
    newest = newest_data_date(lists)
    given = epoch_date(source_date_epoch)
    return max(given, newest) if given else newest


def list_date(pl: model.PledgeList) -> dt.date:
    """When the list was published; without `published`, the date of the list's source."""
    return pl.published or list_source(pl).date


def deadline_inferred(item: model.Item, pl: model.PledgeList, parent: model.Item | None = None) -> str | None:
    """The reason, when the item's deadline is one of the list's inferred facts (it comes from
    the list's `deadline` or `period` and `inferred` names that field); None when stated."""
    if item.deadline or (parent is not None and parent.deadline):
        return None
    return list_deadline_inferred(pl)


def list_deadline_inferred(pl: model.PledgeList) -> str | None:
    """Why the list's own deadline (its `deadline`, else the end of its period) is ours, or None."""
    if pl.deadline is not None:
        return pl.inferred.get("deadline")
    return pl.inferred.get("period") or pl.inferred.get("deadline")
