"""Checks over a loaded year file that the schema alone cannot make: references between
entries (sources, reports, sections, topics, related items), ids, dates, targets, and
reported percents that contradict value / target. Every problem is added through the file's
`Reporter`, so it points at the line where the value was written.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from generator import derive
from generator.core import model, urls
from generator.core.model import walk_items
from generator.core.problems import Code, Severity, format_path
from generator.data import verbatim
from generator.data.messages import Reporter, unknown
from generator.data.reading import FieldPath

WARNING = Severity.WARNING
# A measure above this share of its target is far more often a unit slip (万 left out of the
# target) than a real result; the site still shows it, with a warning to the maintainer.
PLAUSIBLE_PERCENT = 300


def check_file(pl: model.PledgeList, rep: Reporter, today: dt.date) -> None:
    """The checks that need nothing but the list itself: a file that passes them (and reads
    cleanly) goes into the content cache, and they are not run again while its bytes stay
    the same. (Dates in the future can only become past.)"""
    if pl.period.end < pl.period.start:
        rep.add(("period", "end"), Code.DATE_IMPLAUSIBLE, "the period ends before it starts")
    if pl.published and not (dt.date(pl.year - 1, 1, 1) <= pl.published <= dt.date(pl.year, 12, 31)):
        rep.add(("published",), Code.DATE_IMPLAUSIBLE, f"published {pl.published} is not in or just before {pl.year}; the file is named after the year of publication")
    for name in pl.inferred:
        if getattr(pl, name) is None:
            rep.add(("inferred", name), Code.FIELD_MISSING, f"`{name}` is marked as inferred but has no value; give it one, or remove it from `inferred`")
    sources = _unique(pl.sources, "sources", rep)
    reports = _unique(pl.reports, "reports", rep)
    sections = _unique(pl.sections, "sections", rep)
    _check_sources_and_reports(pl, rep, today, sources)
    _check_sections(pl, rep, sections)
    walked = list(walk_items(pl.items))
    all_ids = _check_items(pl, walked, rep, sections, reports)
    _check_verdicts(pl, walked, rep, sources, today)
    _check_redirects(pl, walked, all_ids, rep)
    _check_assessed_statuses(pl, walked, rep)


@dataclass(frozen=True)
class Links:
    """What a list refers to outside itself and what others may refer to in it: all the
    checks across files need. Kept in the cache beside the list, so that a warm load runs
    them without reading the list back."""

    city: str
    year: int
    archives: tuple  # (index in sources, path) of every archived source
    topics: tuple  # (path of the reference, topic id)
    related: tuple  # (path of the reference, <city>/<year>/<id>, the referring item's id)
    ids: frozenset  # every item and sub-item id
    accounted: frozenset  # ids, ids redirected from and ids removed: what keeps a published URL


def links_of(pl: model.PledgeList) -> Links:
    walked = list(walk_items(pl.items))
    ids = frozenset(item.id for item, _, _ in walked)
    return Links(
        pl.city,
        pl.year,
        tuple((i, s.archive) for i, s in enumerate(pl.sources) if s.archive),
        tuple((path + ("topics", j), t) for item, path, _ in walked for j, t in enumerate(item.topics)),
        tuple((path + ("related", j), ref, item.id) for item, path, _ in walked for j, ref in enumerate(item.related)),
        ids,
        ids | {old for item, _, _ in walked for old in item.redirect_from} | set(pl.removed_ids),
    )


def check_links(links: Links, rep: Reporter, ds, the_list) -> None:
    """The checks that look beyond the file, run on every load: its city, its topics, the
    items it relates to, its archived sources and its text against them. `ds` is the
    Dataset; `the_list()` gives the list itself, needed only for the verbatim check."""
    if links.city not in ds.cities and links.city not in ds.folders:  # (a folder with a broken city.yml has its own errors)
        rep.add(("city",), Code.UNKNOWN_REFERENCE, f"no city `{links.city}`: add data/{links.city}/city.yml")
    usable = set()  # archives that exist inside sources/: the verbatim check reads only these
    for i, archive in links.archives:
        problem = _archive_problem(ds.root, archive)
        if problem:
            rep.add(("sources", i, "archive"), Code.UNKNOWN_REFERENCE, problem)
        else:
            usable.add(archive)
    for path, t in links.topics:
        if t not in ds.topics:
            rep.add(path, Code.UNKNOWN_REFERENCE, unknown("topic", t, ds.topics) + "; topics are defined in data/topics.yml")
    for path, ref, own_id in links.related:
        city, year, rid = ref.split("/")
        if rid not in ds.item_ids((city, int(year))):
            rep.add(path, Code.UNKNOWN_REFERENCE, f"related item `{ref}` does not exist (form: <city>/<year>/<id>)")
        elif city == links.city and int(year) == links.year and rid == own_id:
            rep.add(path, Code.UNKNOWN_REFERENCE, "an item cannot be related to itself")
    if usable:
        pl = the_list()
        check_verbatim(pl, list(walk_items(pl.items)), rep, ds.root, usable)


def _unique(entries, name: str, rep: Reporter) -> dict[str, int]:
    """id → index of the first entry with it; a repeated id is an error."""
    seen: dict = {}
    for i, e in enumerate(entries):
        if e.id in seen:
            rep.add((name, i, "id"), Code.DUPLICATE_ID, f"duplicate id `{e.id}` (also at {name}[{seen[e.id]}])")
        seen.setdefault(e.id, i)
    return seen


def _check_sections(pl, rep: Reporter, sections: dict) -> None:
    """Parents exist, and following them never comes back to where it started (a cycle
    would drop its sections and their items from the list page)."""
    parents = {s.id: s.parent for s in pl.sections}
    for i, s in enumerate(pl.sections):
        if s.parent is None:
            continue
        if s.parent not in sections:
            rep.add(("sections", i, "parent"), Code.UNKNOWN_REFERENCE, unknown("section", s.parent, sections))
            continue
        chain, current = [s.id], s.parent
        while current is not None and current not in chain and current in parents:
            chain.append(current)
            current = parents[current]
        if current == s.id:
            shown = " → ".join(chain + [s.id])
            rep.add(("sections", i, "parent"), Code.SECTION_CYCLE, f"the sections' parents form a cycle: {shown}; the outermost section has no `parent`")


def _archive_problem(root: str, archive: str) -> str | None:
    """Archived copies live under sources/ in the repository, and nowhere else."""
    sources_dir = (Path(root) / "sources").resolve()
    full = (Path(root) / archive).resolve()
    if not full.is_relative_to(sources_dir):
        return f"`{archive}` is not inside sources/: archived copies are stored under sources/ (e.g. sources/captures/…)"
    if not full.is_file():
        return f"no file {archive} in the repository"
    return None


def _check_sources_and_reports(pl, rep: Reporter, today: dt.date, sources: dict) -> None:
    if pl.source not in sources:
        rep.add(("source",), Code.UNKNOWN_REFERENCE, unknown("source", pl.source, sources))
    for i, s in enumerate(pl.sources):
        if s.date > today:
            rep.add(("sources", i, "date"), Code.DATE_IMPLAUSIBLE, f"date {s.date} is in the future")
    latest_plausible = pl.period.end + dt.timedelta(days=730)
    for i, r in enumerate(pl.reports):
        if r.source not in sources:
            rep.add(("reports", i, "source"), Code.UNKNOWN_REFERENCE, unknown("source", r.source, sources))
        if r.as_of < pl.period.start or r.as_of > latest_plausible:
            rep.add(("reports", i, "as_of"), Code.DATE_IMPLAUSIBLE, f"as_of {r.as_of} is outside the plausible range {pl.period.start} … {latest_plausible} for this list")
        if r.published < r.as_of:
            rep.add(("reports", i, "published"), Code.DATE_IMPLAUSIBLE, f"published {r.published} is before the as_of date {r.as_of}")
        if r.published > today:
            rep.add(("reports", i, "published"), Code.DATE_IMPLAUSIBLE, f"published {r.published} is in the future")
        if pl.published and r.published < pl.published:
            rep.add(("reports", i, "published"), Code.DATE_IMPLAUSIBLE, f"published {r.published}, before the list it reports on ({pl.published}); check both dates")


def _check_items(pl, walked: list, rep: Reporter, sections: dict, reports: dict) -> dict[str, FieldPath]:
    """Checks of every item and sub-item; returns id → path of each."""
    all_ids: dict = {}
    report_dates = {r.id: r.as_of for r in pl.reports}
    for item, path, parent in walked:
        if item.id in all_ids:
            rep.add(path + ("id",), Code.DUPLICATE_ID, f"duplicate item id `{item.id}`; ids are the source's numbers and must be unique in the file")
        all_ids.setdefault(item.id, path)
        if parent is not None and not item.id.startswith(parent.id + "-"):
            rep.add(path + ("id",), Code.BAD_ITEM_ID, f"sub-item id `{item.id}` must start with its parent's id: `{parent.id}-<n>`")
        if parent is None and "-" in item.id:
            rep.add(path + ("id",), Code.BAD_ITEM_ID, f"top-level id `{item.id}` contains `-`; put it under `subitems` of item `{item.id.split('-')[0]}`")
        if item.section is not None and item.section not in sections:
            rep.add(path + ("section",), Code.UNKNOWN_REFERENCE, unknown("section", item.section, sections))
        _check_targets(item, path, rep)
        _check_progress(item, path, rep, reports, report_dates)
        if item.investment:
            _check_money(item.investment, path + ("investment",), rep)
    return all_ids


def _check_money(money: model.Money, path: tuple, rep: Reporter) -> None:
    """An investment is a figure its own text states, in 元 (万元 and 亿元 count in 元)."""
    _check_figures(money.text, {"value": money.value}, "元", money.value_differs, path, rep)


def _check_verdicts(pl, walked: list, rep: Reporter, sources: dict, today: dt.date) -> None:
    """The people's verdict: an item's votes or 测评 result belong to the list's `vote` or
    `satisfaction` (which says who, when and where it is published), and their numbers are
    ones such a record can hold."""
    for name, event in (("vote", pl.vote), ("satisfaction", pl.satisfaction)):
        if event is not None and event.source not in sources:
            rep.add((name, "source"), Code.UNKNOWN_REFERENCE, unknown("source", event.source, sources))
        if event is not None and event.date > today:
            rep.add((name, "date"), Code.DATE_IMPLAUSIBLE, f"{event.date} is in the future")
    if pl.vote:
        for j, c in enumerate(pl.vote.not_chosen):
            if c.votes:
                _check_votes(c.votes, pl.vote, ("vote", "not_chosen", j, "votes"), rep)
        if pl.vote.candidates is not None and pl.vote.candidates < len(pl.vote.not_chosen):
            rep.add(("vote", "candidates"), Code.INVALID_VALUE, f"{pl.vote.candidates} candidates, but {len(pl.vote.not_chosen)} are listed as not chosen")
    for item, path, _ in walked:
        if item.vote is not None:
            if pl.vote is None:
                rep.add(path + ("vote",), Code.FIELD_MISSING, "this item has votes but the list has no `vote`: add it at the top of the file (body, date, source of the 票决)")
            else:
                _check_votes(item.vote, pl.vote, path + ("vote",), rep)
        if item.satisfaction is not None:
            if pl.satisfaction is None:
                rep.add(path + ("satisfaction",), Code.FIELD_MISSING, "this item has a 测评 result but the list has no `satisfaction`: add it at the top of the file (by, date, source, scale)")
            else:
                _check_satisfaction(item.satisfaction, pl.satisfaction, path + ("satisfaction",), rep)


def _check_votes(votes: model.Votes, vote: model.Vote, path: tuple, rep: Reporter) -> None:
    cast = votes.in_favour + (votes.against or 0) + (votes.abstaining or 0)
    if vote.voters is not None and cast > vote.voters:
        rep.add(path, Code.INVALID_VALUE, f"{cast} votes in all, more than the {vote.voters} voters of the list's `vote`; check the numbers")


_RESULTS = ("satisfied", "basically_satisfied", "dissatisfied")


def _check_satisfaction(result: model.Satisfaction, assessment: model.Assessment, path: tuple, rep: Reporter) -> None:
    given = {name: getattr(result, name) for name in _RESULTS if getattr(result, name) is not None}
    if not given and result.rate is None:
        rep.add(path, Code.FIELD_MISSING, "no result: give satisfied / basically_satisfied / dissatisfied, or rate")
        return
    if assessment.scale == "count":
        for name, n in given.items():
            if not float(n).is_integer():
                rep.add(path + (name,), Code.INVALID_VALUE, f"{_n(n)} is not a whole number, but the list's `satisfaction` counts people (scale: count); write the count, or use scale: percent")
        if assessment.respondents is not None and sum(given.values()) > assessment.respondents:
            rep.add(path, Code.INVALID_VALUE, f"{_n(sum(given.values()))} answers in all, more than the {assessment.respondents} respondents of the list's `satisfaction`")
    else:
        for name, share in given.items():
            if share > 100:
                rep.add(path + (name,), Code.INVALID_VALUE, f"{_n(share)} is more than 100, but the list's `satisfaction` gives shares (scale: percent)")
        if len(given) == len(_RESULTS) and abs(sum(given.values()) - 100) > 1:
            rep.add(path, Code.INVALID_VALUE, f"the three shares add up to {_n(sum(given.values()))}%, not 100%; check them against the source", WARNING)


# How a source qualifies a quantity, right before the number or right after it (and its unit):
# 约519万平方米, 不少于3万人, 2万个以上, 30余万份, 控制在5%以内.
_BEFORE = {"约": model.Comparator.about, "不少于": model.Comparator.at_least, "不低于": model.Comparator.at_least,
           "超过": model.Comparator.at_least, "不超过": model.Comparator.at_most, "控制在": model.Comparator.at_most}
_AFTER = {"以上": model.Comparator.at_least, "余": model.Comparator.at_least, "以下": model.Comparator.at_most, "以内": model.Comparator.at_most}
_QUANTITY = re.compile(r"(不少于|不低于|不超过|超过|控制在|约)?(\d+(?:\.\d+)?)(余)?([万亿])?")
_UNIT_THEN_WORD = re.compile(r"[^\d\s，,；;。、的（）()]{0,4}?(以上|以下|以内)")  # 个以上, %以内 (not 的二级以上)
_MULTIPLIER = {None: 1, "万": 10_000, "亿": 100_000_000}
_ANY_WORD = re.compile("|".join([*_BEFORE, *_AFTER]))  # most texts have none: they skip the rest


def stated_comparator(text: str, value: float):
    """(words, comparator) that the text puts next to the quantity equal to `value` (in base
    units), or None when no such quantity is qualified. Words elsewhere in the text, such as
    the 以上 of 65岁以上老年人, qualify something else."""
    for m in _QUANTITY.finditer(text):
        before, number, yu, multiplier = m.groups()
        follows = _UNIT_THEN_WORD.match(text, m.end())
        after = follows.group(1) if follows else None
        if not _same_figure(float(number) * _MULTIPLIER[multiplier], value):
            continue
        word = before or yu or after
        if word:
            return word, _BEFORE.get(word) or _AFTER[word]
    return None


def _check_comparator(text: str | None, value, comparator, path: tuple, rep: Reporter) -> None:
    stated = stated_comparator(text, value) if text and value is not None and _ANY_WORD.search(text) else None
    if stated and comparator != stated[1] and comparator != model.Comparator.range:
        given = f"`{comparator.value}`" if comparator else "no comparator"
        rep.add(path, Code.COMPARATOR_MISMATCH, f"the text says “{stated[0]}” for {value:,.10g} but has {given}; write comparator: {stated[1].value}", WARNING)


def _same_figure(stated: float, value: float) -> bool:
    """A figure of the text (in base units) and a value in the data are the same number."""
    return abs(stated - value) <= 1e-9 * max(1.0, abs(value))


def stated_figures(text: str) -> list[float]:
    """Every figure a text states, in base units: 新增托位1.65万个，改造小区200个 → [16500, 200]."""
    return [float(m.group(2)) * _MULTIPLIER[m.group(4)] for m in _QUANTITY.finditer(text)]


# Words a text counts with that a unit may be written as: 5000名 → unit 人.
UNIT_WORDS = {"人": ("人", "名"), "名": ("名", "人")}


def unit_stated(text: str, unit: str) -> bool:
    """Whether the text counts in `unit`: the unit itself, its first part (元/人/月 for 二孩500元,
    元/小时 for 每小时15元), or a word that means it (名 for 人)."""
    first = unit.split("/", 1)[0]
    return any(word in text for word in (unit, *UNIT_WORDS.get(first, (first,))))


def _check_figures(text: str | None, values: dict, unit: str | None, differs: str | None, path: tuple, rep: Reporter) -> None:
    """The numbers of a target or a measure (`values`: field → value) are figures its own text
    states, and its unit one the text counts in: a typo of 1000 for 100 is caught. A text with
    no figure, or numbers we explain in `value_differs`, are not compared."""
    if not text or differs:
        return
    figures = stated_figures(text)
    if not figures:
        return
    quoted = text if len(text) <= 40 else text[:39] + "…"
    for name, value in values.items():
        if value is not None and not any(_same_figure(f, value) for f in figures):
            stated = "、".join(_n(f) for f in figures[:6]) + ("…" if len(figures) > 6 else "")
            rep.add(
                path + (name,),
                Code.VALUE_MISMATCH,
                f"{_n(value)} is not a figure the text states (“{quoted}” says {stated}, in base units); write the text's figure, "
                "or, if the value must differ, say why in value_differs",
            )
    if unit and values["value"] is not None and not unit_stated(text, unit):
        rep.add(path + ("unit",), Code.UNIT_MISMATCH, f"the text (“{quoted}”) does not count in {unit}; write the unit it states, or, if it must differ, say why in value_differs")


def _check_targets(item, path: tuple, rep: Reporter) -> None:
    # (paths are built only for a problem: this runs 100,000 times at 30,000 items)
    for j, t in enumerate(item.targets):
        _check_comparator(t.text, t.value, t.comparator, path + ("targets", j, "comparator"), rep)
        _check_figures(t.text, {"value": t.value, "value_max": t.value_max}, t.unit, t.value_differs, path + ("targets", j), rep)
        if t.qualitative and t.value is not None:
            rep.add(path + ("targets", j, "qualitative"), Code.TARGET_INCOMPLETE, "a qualitative target has no value; remove `value` or set qualitative: false")
        if not t.qualitative and t.value is None:
            rep.add(path + ("targets", j), Code.TARGET_INCOMPLETE, "give the target a `value` (a number in base units) or mark it `qualitative: true`")
        if t.comparator == model.Comparator.range and t.value_max is None:
            rep.add(path + ("targets", j, "value_max"), Code.TARGET_INCOMPLETE, "a `range` target needs value_max (the upper end)")
        if t.value_max is not None and t.value is not None and t.value_max < t.value:
            rep.add(path + ("targets", j, "value_max"), Code.TARGET_INCOMPLETE, "value_max is smaller than value")


def _check_progress(item, path: tuple, rep: Reporter, reports: dict, report_dates: dict) -> None:
    seen_reports: dict = {}
    last_date = None
    targets_by_metric = {t.metric: t.value for t in item.targets if t.value}
    for j, pr in enumerate(item.progress):
        if pr.report not in reports:
            rep.add(path + ("progress", j, "report"), Code.UNKNOWN_REFERENCE, unknown("report", pr.report, reports))
            continue
        if pr.report in seen_reports:
            rep.add(path + ("progress", j, "report"), Code.PROGRESS_ORDER, f"this item already has an entry for report `{pr.report}` (progress[{seen_reports[pr.report]}]); merge them")
        seen_reports.setdefault(pr.report, j)
        date = report_dates[pr.report]
        if last_date and date < last_date:
            rep.add(path + ("progress", j, "report"), Code.PROGRESS_ORDER, "progress entries must be in date order, oldest first", WARNING)
        last_date = date
        for k, m in enumerate(pr.measures):
            _check_comparator(m.text, m.value, m.comparator, path + ("progress", j, "measures", k, "comparator"), rep)
            _check_figures(m.text, {"value": m.value}, m.unit, m.value_differs, path + ("progress", j, "measures", k), rep)
        if pr.investment:
            _check_money(pr.investment, path + ("progress", j, "investment"), rep)
        if targets_by_metric:
            for k, m in enumerate(pr.measures):
                target = targets_by_metric.get(m.metric)
                if target is None or m.value is None:
                    continue
                computed = m.value / target * 100  # (inline: 130,000 measures at 30,000 items)
                if m.percent is not None and abs(computed - m.percent) > max(1.0, 0.02 * m.percent):
                    rep.add(path + ("progress", j, "measures", k, "percent"), Code.PERCENT_MISMATCH, _percent_message(m, target), WARNING)
                elif not computed <= PLAUSIBLE_PERCENT:  # also inf
                    rep.add(
                        path + ("progress", j, "measures", k, "value"),
                        Code.PERCENT_IMPLAUSIBLE,
                        f"value {_n(m.value)} is {_share(computed)} of the target {_n(target)}; is a unit missing (1.6万 is 16000, not 1.6)?",
                        WARNING,
                    )


def _check_assessed_statuses(pl, walked: list, rep: Reporter) -> None:
    """Where the report has no status words for an item, the site shows its own assessment
    (derive.assess, the rule on the methodology page); a `status` in the data that says
    otherwise would be shown nowhere and mislead whoever reads the file."""
    as_of = {r.id: r.as_of for r in pl.reports}
    for item, path, parent in walked:
        for j, entry in enumerate(item.progress):
            if entry.status_text or entry.report not in as_of:
                continue
            deadline = derive.item_deadline(item, pl, parent)
            pace = derive.expected_pace(pl.period.start, deadline, as_of[entry.report])
            percent = derive.entry_percent(item, entry)
            assessed, reason = derive.assess(percent, pace, as_of[entry.report], deadline, entry.status.value)
            if assessed != entry.status.value:
                rep.add(
                    path + ("progress", j, "status"),
                    Code.STATUS_DISAGREES,
                    f"`{entry.status.value}` but the site's rule gives `{assessed}` ({reason}); without the city's status words "
                    "the rule decides: write status: " + assessed,
                    WARNING,
                )


def _check_redirects(pl, walked: list, all_ids: dict, rep: Reporter) -> None:
    for item, path, _ in walked:
        for j, old in enumerate(item.redirect_from):
            if old in all_ids:
                rep.add(path + ("redirect_from", j), Code.REDIRECT_CONFLICT, f"old id `{old}` is still used by another item; a redirect would hide it")
    redirected: dict = {}  # old id → where it is redirected
    for item, path, _ in walked:
        for j, old in enumerate(item.redirect_from):
            if old in redirected:
                rep.add(path + ("redirect_from", j), Code.REDIRECT_CONFLICT, f"old id `{old}` is already redirected by {format_path(redirected[old])}; an old id can lead to one item only")
            redirected.setdefault(old, path)
    for j, old in enumerate(pl.removed_ids):
        if old in all_ids:
            rep.add(("removed_ids", j), Code.REDIRECT_CONFLICT, f"`{old}` is listed as removed but still exists")
        elif old in redirected:
            rep.add(
                ("removed_ids", j),
                Code.REDIRECT_CONFLICT,
                f"`{old}` is listed as removed and also redirected by {format_path(redirected[old])}.redirect_from; "
                "keep only one (redirect if the item lives on under a new id)",
            )


def _share(percent: float) -> str:
    return f"{percent:,.0f}%" if math.isfinite(percent) else "immeasurably more than 100%"


def _percent_message(m: model.Measure, target: float) -> str:
    assert m.value is not None
    computed = m.value / target * 100
    return f"reported {_n(m.percent)}% but value/target = {_n(m.value)}/{_n(target)} = {computed:,.1f}%; check the value, the target, or the unit (万 → ×10000)"


def _n(value) -> str:
    """A number as a person writes it in a message: 1,091,546.8, never 1.09155e+06."""
    return derive.format_number(value)


def check_url_space(ds, reporters: dict) -> None:
    """The URL space is one namespace: a city slug, a topic id or an old slug in
    `redirect_from` must not take a name the site uses for itself (`urls.RESERVED`), and a
    redirect must not point at its own city, hide a city that exists, or be claimed twice.
    `reporters`: data file → Reporter."""
    topics_rep = reporters.get("data/topics.yml")
    for i, topic_id in enumerate(ds.topics):
        if topic_id in urls.RESERVED_TOPIC_IDS and topics_rep:
            topics_rep.add(("topics", i, "id"), Code.RESERVED_NAME, f"topic id `{topic_id}` is the address of the topics index (/{urls.topic(topic_id)}); choose another id")
    claimed: dict = {}  # old slug → the city that redirects it
    for slug, city in sorted(ds.cities.items()):
        rep = reporters.get(ds.city_files[slug])
        if rep is None:
            continue
        if slug in urls.RESERVED:
            rep.add(("slug",), Code.RESERVED_NAME, f"`{slug}` is a name the site uses for its own pages (/{urls.city(slug)}…); choose another slug (reserved: {', '.join(sorted(urls.RESERVED))})")
        for j, old in enumerate(city.redirect_from):
            where = ("redirect_from", j)
            if old == slug:
                rep.add(where, Code.REDIRECT_CONFLICT, f"`{old}` is this city's own slug: its pages would redirect to themselves; remove it")
            elif old in ds.folders:
                rep.add(where, Code.REDIRECT_CONFLICT, f"`{old}` is a city of its own (data/{old}/): the redirect would send its pages to {slug}; remove it")
            elif old in urls.RESERVED:
                rep.add(where, Code.RESERVED_NAME, f"`{old}` is a name the site uses for its own pages (/{urls.city(old)}); a redirect would replace them")
            elif old in claimed:
                rep.add(where, Code.REDIRECT_CONFLICT, f"`{old}` is already redirected to {claimed[old]}; an old slug can lead to one city only")
            else:
                claimed[old] = slug


# --- verbatim: official text must be in the archived source ----------------------------------


@functools.lru_cache(maxsize=64)
def archived_text(path: str, traditional: bool, stamp: tuple) -> str:
    """An archived source, normalised; a traditional-character capture converted as the data
    was (OpenCC t2s). `stamp` (size, mtime) makes an edited file read again."""
    raw = Path(path).read_text(encoding="utf-8", errors="replace")
    if traditional:
        from opencc import OpenCC

        raw = OpenCC("t2s").convert(raw)
    return verbatim.normalise(raw)


def _divergence(wanted: str, archives: list) -> str:
    """Where the text stops matching the source: the longest beginning of it that a source
    holds (beginnings are found by halving, as a longer one contains the shorter)."""
    low, high = 0, len(wanted)  # wanted[:low] is in a source, wanted[:high + 1] is not
    while low < high:
        mid = (low + high + 1) // 2
        if any(wanted[:mid] in archive for archive in archives):
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return f"「{wanted[:20]}…」 is not there at all"
    before = wanted[max(0, low - 12) : low]
    archive = next(a for a in archives if wanted[:low] in a)
    at = archive.find(wanted[:low]) + low
    return f"after 「…{before}」 the source goes on 「{archive[at:at + 12]}…」 where the data has 「{wanted[low:low + 12]}…」"


def check_verbatim(pl: model.PledgeList, walked: list, rep: Reporter, root: str, usable: set) -> None:
    """Every official text of a list whose sources are archived must occur in one of those
    archives (`usable`: the ones check_links found inside sources/; see `verbatim.normalise` for what
    may differ): a changed number or word is an error. Lists without an archived source are
    not checked (the format page says so)."""
    archives, names = [], []
    for s in pl.sources:
        if s.archive and s.archive in usable:
            full = Path(root) / s.archive
            stat = full.stat()
            archives.append(archived_text(str(full), s.script == model.Script.traditional_converted, (stat.st_size, stat.st_mtime_ns)))
            names.append(s.archive)
    if not archives:
        return
    for path, text in verbatim.official_texts(pl, walked):
        wanted = verbatim.normalise(text)
        if wanted and not any(wanted in archive for archive in archives):
            rep.add(
                path,
                Code.NOT_VERBATIM,
                f"not in the archived source ({', '.join(names)}) as written: {_divergence(wanted, archives)}; compare it with the "
                "source word for word (only whitespace, full/half-width forms and the kind of quotation marks may differ)",
            )
