"""The rules: figures we compute from the data (never typed by hand) — latest status,
percents, pace, who said a status, how old it is, what changed between reports, and the
city's own counts beside ours. How the pages phrase them is site/wording.py's job.

The rules here are the ones the methodology page (content/about/methodology.md) explains;
change both together. Nothing here reads the clock: ages are measured against a build date
the caller passes in (`build_date`: SOURCE_DATE_EPOCH, else the newest date in the data).

May import core only.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from generator.core import model
from generator.core.model import walk_items

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
    percent: float | None  # reported (or computed) percent of target, see entry_percent
    pace: float | None  # expected percent at the report's as_of date
    report: model.Report | None
    entry: model.Progress | None
    basis: str = "none"  # who said it: see Judgement.basis
    reason: str | None = None  # ours, one line: why we assessed or summarised the status
    note: str | None = None  # ours: where the city's status and the pace line disagree
    rule: str | None = None  # anchor of the rule on the methodology page

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
    """Overall percent of one entry: the reported one, else the lowest of its measures
    (stage measures left out: they say how far one step is, not the item)."""
    if entry.percent is not None:
        return entry.percent
    found = [p for p in (measure_percent(item, m) for m in entry.measures if not m.stage) if p is not None]
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
    j = judge(item, entry, pl, parent)
    return Latest(j.status, entry.status_text, j.percent, j.pace, report, entry, j.basis, j.reason, j.note, j.rule)


def _summarise_children(item: model.Item, pl: model.PledgeList) -> Latest:
    kids = [latest(child, pl, item) for child in item.subitems]
    reported = [(k.report, k) for k in kids if k.report is not None]
    if not reported:
        return Latest("none", None, None, None, None, None)
    worst = max(kids, key=lambda k: _SEVERITY[k.status])
    report, newest = max(reported, key=lambda rk: rk[0].as_of)
    reason = f"本站按{len(kids)}个子项中最不利的状态概括"
    return Latest(worst.status, None, None, newest.pace, report, None, SUMMARY, reason, None, RULE_SUBITEMS)


# --- who said it: the city's status, or ours -------------------------------------------------

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
    pace: float | None  # the bar's pace line (expected_pace at the report's as_of)
    reason: str | None = None  # ours, one line: why this status (ASSESSED, SUMMARY)
    note: str | None = None  # ours: an official status the pace line seems to contradict
    rule: str | None = None  # methodology anchor of the rule that decided it


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


def judge(item: model.Item, entry: model.Progress, pl: model.PledgeList, parent: model.Item | None = None) -> Judgement:
    """The status of one progress entry, with its figures and who said it."""
    report = reports_by_id(pl)[entry.report]
    deadline = item_deadline(item, pl, parent)
    pace = expected_pace(pl.period.start, deadline, report.as_of)
    percent = entry_percent(item, entry)
    if entry.status_text:
        note = _official_note(entry.status.value, entry.status_text, percent, pace)
        return Judgement(entry.status.value, OFFICIAL, percent, pace, None, note, RULE_ASSESSMENT if note else None)
    status, reason = assess(percent, pace, report.as_of, deadline, entry.status.value)
    return Judgement(status, ASSESSED, percent, pace, reason, None, RULE_ASSESSMENT)


# --- how old a status is -----------------------------------------------------------------------

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


def build_date(lists, source_date_epoch: str | None = None) -> dt.date:
    """The date a build measures ages against: SOURCE_DATE_EPOCH (seconds since 1970, its UTC
    date) when set — `make site` sets it from the last commit — else the newest date in the
    data. Never the clock: the same data and commit always give the same pages."""
    if source_date_epoch and source_date_epoch.strip().lstrip("-").isdigit():
        return dt.datetime.fromtimestamp(int(source_date_epoch.strip()), tz=dt.UTC).date()
    return newest_data_date(lists)


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
    )


def stale_count(pl: model.PledgeList, on: dt.date) -> int:
    """Leaf items whose status is stale at `on` (what list, city and home pages count)."""
    return sum(1 for item, parent in leaves(pl.items) if freshness(item, pl, parent, latest(item, pl, parent), on).stale)


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
    fresh: Freshness | None = None  # stale items: how old their newest information is at the build date

    @property
    def days_since(self) -> int | None:
        """Days from the newest official information (or the list's publication) to the build date."""
        return self.fresh.days if self.fresh else None


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


# --- the official summary beside our counts (top of a list page) -------------------------------

# How a report's own count wording (Report.counts keys) corresponds to our scale: the first
# entry whose words the wording contains wins (未完成 before 完成, 超额完成 before 完成).
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
