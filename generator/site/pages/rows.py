"""What templates receive: named rows instead of tuples.

The page modules (lists, table, cities, topics, sources) fill these in; templates only
read them.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from generator import derive
from generator.core import model


class Group(NamedTuple):
    """A section of the list page with the items directly in it."""

    level: int  # heading level of its section chain
    section: model.Section | None  # None: items before the first section
    items: list  # model.Item directly in the section, in source order


class TargetRow(NamedTuple):
    """A target beside what the newest progress entry reports on it."""

    target: model.Target
    measure: model.Measure | None
    percent: float | None


class MeasureRow(NamedTuple):
    measure: model.Measure
    percent: float | None  # reported, or value / target
    stage: bool = False  # the percent is one stage of the work, not the item's completion


class TimelineEntry(NamedTuple):
    """One progress entry of an item, with its report, the report's source and our figures."""

    entry: model.Progress
    report: model.Report
    source: model.Source | None
    percent: float | None
    measures: list  # MeasureRow
    judgement: derive.Judgement
    archived: str | None  # URL of the archived source, at the line that holds the entry's text


class SourceRef(NamedTuple):
    """A document as an item or list page cites it: once, with what it is cited for."""

    source: model.Source
    uses: list  # what the page takes from it: 事项清单, a report's title
    archived: str | None  # URL of our archived copy (at the quoted line), None without one
    absolute: str | None = None  # the same as a full URL (for citations)


class Verdict(NamedTuple):
    """The people's verdict on an item: its votes in the list's 票决, or its 测评 result."""

    kind: str  # "vote" or "satisfaction"
    event: model.Vote | model.Assessment  # the list's record: who, when, source
    numbers: model.Votes | model.Satisfaction  # the item's own
    source: model.Source | None
    archived: str | None  # URL of our archived copy of the source, None without one


class RelatedItem(NamedTuple):
    city: str
    city_name: str
    year: int
    item: model.Item
    label: str = ""  # its plain label: 第六件 · 第2项 (wording.item_label)


class TopicCount(NamedTuple):
    topic: model.Topic
    n_items: int  # pledges, each once (topic_pledges)
    n_cities: int = 0


class TableRow(NamedTuple):
    """An item as a progress table shows it (list page, an item's sub-items, topic pages)."""

    city: str
    year: int
    item: model.Item
    parent: model.Item | None
    latest: derive.Latest
    fresh: derive.Freshness
    number: str  # 序号 as the source numbers it: 第六件, 4, 三
    targets: list  # the targets in plain words (wording.plain_target)
    lead: list  # its lead units, else its parent's
    deadline: dt.date | None
    deadline_inferred: str | None  # the reason, when the deadline is ours (本站推定)
    rank: int  # the status's place in STATUS_ORDER: what "sort by status" sorts by
    lead_keys: str = ""  # the filter keys of its lead units, space-separated (Filters.leads)
    children: tuple = ()  # TableRow of its sub-items shown under it
    rollup: derive.Rollup | None = None  # its sub-items counted (derive.rollup); None without sub-items
    investment: derive.Investment | None = None  # its money (derive.investment); None when nothing states any


class TableGroup(NamedTuple):
    """Rows under one heading row of a progress table: a section of the list, or a list on a topic page."""

    level: int  # 2 for a top-level section or a list, 3 and more for nested sections
    heading: str | None  # None: rows before the first section
    href: str | None  # where the heading links (a topic page's list), else None
    rows: list  # TableRow


class FilterOption(NamedTuple):
    value: str
    label: str
    n: int  # rows it keeps


class Filters(NamedTuple):
    """What a progress table can be filtered by: options present in it, with how many rows each keeps."""

    statuses: list  # FilterOption
    topics: list
    leads: list
    sorts: tuple = ()  # (value, label) of the sorts that change the order (table_sorts), 按序号 aside


class DeadlineNote(NamedTuple):
    """The deadline we inferred for a whole list, said once above its table (not on every row)."""

    date: dt.date
    reason: str
    every_row: bool  # no row has a deadline of its own


class TopicList(NamedTuple):
    """One list's pledges on a topic page."""

    city: str
    city_name: str
    pl: model.PledgeList
    group: TableGroup


class TargetComparison(NamedTuple):
    """A metric that lists of several cities or years share on a topic page, with each list's target in words."""

    metric: str
    unit: str | None
    lists: list  # (city name, year, words)


class YearCard(NamedTuple):
    """One list on its city's page (and on the cities index)."""

    pl: model.PledgeList
    counts: dict  # status → leaf items
    total: int
    stale: int  # leaf items whose status is stale at the build date
    size: str = ""  # the list's size in its own unit: 15件（细分为48项） (wording.count_phrase)
    latest_report: dt.date | None = None  # as-of date of its newest progress report
    basis: str = ""  # what its status counts count (wording.count_basis)


class Continued(NamedTuple):
    """A pledge of one year that the data links (`related`) to a pledge of a later year."""

    older: model.Item
    newer: model.Item


class SharedTopic(NamedTuple):
    """A topic with items in two years of one city: grouped by us, not a claim of continuity."""

    topic: model.Topic
    older: list  # model.Item
    newer: list  # model.Item


class YearPair(NamedTuple):
    """Two consecutive lists of one city, compared on its page."""

    older: YearCard
    newer: YearCard
    continued: list  # Continued
    shared: list  # SharedTopic


class CityEntry(NamedTuple):
    """A city on the cities index: its lists, newest first, and its newest report date."""

    city: model.City
    lists: list  # YearCard
    latest_report: dt.date | None


class ProvinceGroup(NamedTuple):
    """A province (or a 直辖市, which is its own province) on the cities index."""

    name: str
    municipality: bool
    cities: list  # CityEntry


class CityCard(NamedTuple):
    """One city on the home page, with its newest list."""

    city: model.City
    newest: model.PledgeList
    counts: dict  # status → leaf items of the newest list
    total: int
    n_lists: int
    stale: int  # leaf items of the newest list whose status is stale at the build date
    size: str = ""  # the newest list's size in its own unit (wording.count_phrase)
    basis: str = ""  # what its status counts count (wording.count_basis)
    region: str = ""  # where it is: 山东省, 山东省 · 烟台市代管, 直辖市
    latest_report: dt.date | None = None  # as-of date of the newest list's newest report: what its counts show


class OfficialSummary(NamedTuple):
    """A report that states totals or a summary, beside our counts of the same report."""

    reconciliation: derive.Reconciliation
    archived: str | None  # URL of the report's archived source, at its summary


class SourceLine(NamedTuple):
    n: int  # line number in the archived file
    text: str
    quoted: bool  # our data quotes (part of) this line


class Citing(NamedTuple):
    """A list that cites an archived source, and what for."""

    city: str
    city_name: str
    year: int
    pl: model.PledgeList
    source: model.Source
    uses: list  # 事项清单, report titles


class Download(NamedTuple):
    """A file on the data page: where it is and how big."""

    url: str  # site-relative (urls.*)
    size: int | None  # bytes; None in a preview, which makes only each list's own files (stage.py)


class ListDownloads(NamedTuple):
    """One list's row on the data page."""

    city_name: str
    pl: model.PledgeList
    n_items: int  # items and sub-items: the CSV's rows
    csv: Download
    json: Download
    size: str = ""  # the list in its own unit, each pledge once: 15件（细分为36项） (wording.count_phrase)


class ColumnExample(NamedTuple):
    name: str
    example: str  # the value in one real row of a list's CSV ("" when it is empty there)


class RecentReport(NamedTuple):
    city: str
    city_name: str
    year: int
    report: model.Report


class Neighbour(NamedTuple):
    """The item before or after on an item page: where it is and its plain label (第六件 · 第2项)."""

    item: model.Item
    label: str


class EmbedFigure(NamedTuple):
    """What the embeddable card sets side by side: a target and the latest figure reported on it."""

    target: str  # the target in plain words (wording.plain_target)
    latest: str  # the latest reported value (derive.format_measure); empty without one
