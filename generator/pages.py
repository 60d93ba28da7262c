"""Turn the validated Dataset into Markdown pages (in memory).

Every page is rendered from a Jinja2 template in `generator/templates/`. Templates are
autoescaped: data text can never become HTML, and `_one_line` (the environment's finalize)
keeps its line breaks from starting Markdown lines. Text that lands in Markdown syntax
(headings, front matter) goes through `md_text` / `yaml_str` below — the only other escaping
path. tests/test_hardening.py renders tests/fixtures/hostile through all of it.

Templates present; they compute nothing. Figures come from derive.py, lookups are done
here and handed over as the named rows below, and every link is `link(urls.…)`
(generator/urls.py builds every URL; `link` makes it relative to the page).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import jinja2
from markupsafe import Markup, escape

from . import derive, model, parallel, urls
from .dataset import Dataset, ListFile
from .model import walk_items

TEMPLATES = Path(__file__).parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~^=:])")
_YAML_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Page:
    src: str  # path of the Markdown file relative to docs_dir, e.g. qingdao/2024/6-3.md (urls.*_src)
    content: str

    @property
    def url(self) -> str:
        return urls.from_src(self.src)


# --- what templates receive: named rows instead of tuples ---------------------------------


class ItemRow(NamedTuple):
    """An item in a list of the same list's items (list page, an item's sub-items)."""

    item: model.Item
    latest: derive.Latest
    children: tuple = ()  # ItemRow of its sub-items, where the page shows them


class Group(NamedTuple):
    """A section of the list page with the items directly in it."""

    level: int  # heading level of its section chain
    section: model.Section | None  # None: items before the first section
    rows: list  # ItemRow


class TargetRow(NamedTuple):
    """A target beside what the newest progress entry reports on it."""

    target: model.Target
    measure: model.Measure | None
    percent: float | None


class MeasureRow(NamedTuple):
    measure: model.Measure
    percent: float | None  # reported, or value / target


class TimelineEntry(NamedTuple):
    """One progress entry of an item, with its report, the report's source and our figures."""

    entry: model.Progress
    report: model.Report
    source: model.Source | None
    percent: float | None
    measures: list  # MeasureRow


class RelatedItem(NamedTuple):
    city: str
    city_name: str
    year: int
    item: model.Item


class TopicRow(NamedTuple):
    city: str
    city_name: str
    year: int
    item: model.Item
    lead: list  # the item's lead units, else its parent's
    latest: derive.Latest


class TopicCount(NamedTuple):
    topic: model.Topic
    n_items: int


class YearCard(NamedTuple):
    """One list on its city's page."""

    pl: model.PledgeList
    counts: dict  # status → leaf items
    total: int


class CityCard(NamedTuple):
    """One city on the home page, with its newest list."""

    city: model.City
    newest: model.PledgeList
    counts: dict  # status → leaf items of the newest list
    total: int
    n_lists: int


class RecentReport(NamedTuple):
    city: str
    city_name: str
    year: int
    report: model.Report


def md_text(text: str) -> Markup:
    """Escape text for use in Markdown (headings, link text): HTML and Markdown syntax."""
    flat = " ".join(str(text).split())
    # Python-Markdown honours a backslash only before its own escapable characters: the rest
    # (`= : ~ ^`) would print the backslash, so they become character references like <>&.
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(1))};" if m.group(1) in "<>&=:~^" else "\\" + m.group(1), flat))


def yaml_str(text: str) -> Markup:
    """A front-matter value. MkDocs/Material templates insert `title` and `description`
    unescaped (in <title>, <meta content="…">, the header), so the value is HTML-escaped
    first; a JSON string is valid YAML, and characters YAML cannot hold raw become escapes
    (MkDocs would otherwise drop the whole front matter into the page as Markdown)."""
    value = json.dumps(str(escape(" ".join(str(text).split()))), ensure_ascii=False)
    return Markup(_YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", value))


def cn_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def _one_line(value):
    """Jinja `finalize`: text with line breaks, written into the Markdown source as is, would
    start Markdown lines of its own — and Python-Markdown reads ``` fences even inside HTML
    blocks, with attributes such as onclick=…. A line break becomes `&#10;`: the same
    character in the page, never a new Markdown line."""
    if type(value) is str and ("\n" in value or "\r" in value):  # not Markup (a str subclass): already safe
        return Markup(str(escape(value)).replace("\r", "&#13;").replace("\n", "&#10;"))
    return value


@functools.cache  # one per process: `mkdocs serve` rebuilds no longer recompile every template (auto_reload still sees edits)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        comment_start_string="{##",  # `{#id}` is Markdown's heading-anchor syntax, not a comment
        comment_end_string="##}",
        finalize=_one_line,
    )
    env.filters.update(
        md=md_text,
        yaml=yaml_str,
        cn_date=cn_date,
        num=derive.format_number,
        target=derive.format_target,
        measure=derive.format_measure,
        short=derive.short,
        paragraphs=paragraphs,
        pct=lambda v: "" if v is None else f"{v:g}%",
    )
    env.globals.update(
        urls=urls,
        STATUS_LABELS=derive.STATUS_LABELS,
        STATUS_SYMBOLS=derive.STATUS_SYMBOLS,
        CITY_LEVEL_LABELS=derive.CITY_LEVEL_LABELS,
        SCRIPT_NOTES=derive.SCRIPT_NOTES,
    )
    return env


def _ref(ref: str) -> tuple:
    """An item reference of the data (`related: [qingdao/2024/6]`) as (city, year, id)."""
    city, year, item_id = ref.split("/")
    return city, int(year), item_id


class Site:
    """Builds all pages; holds lookups that several templates need."""

    def __init__(self, ds: Dataset, edit_base: str | None = None, site_url: str = "", workers: int = 0):
        self.ds = ds
        self.workers = workers  # processes for the list pages (0: one per core, at most 4; parallel.py)
        self.env = _env()
        self.edit_base = edit_base
        self.site_url = site_url
        self.topic_items: dict = {t: [] for t in ds.topics}
        self.related_back: dict = {}  # (city, year, id) → the items whose `related` names it
        for (slug, year), lf in self.by_city_year():
            for item, _, parent in walk_items(lf.data.items):
                for t in item.topics:
                    self.topic_items.setdefault(t, []).append((lf, item, parent))
                for ref in item.related:
                    self.related_back.setdefault(_ref(ref), []).append((slug, year, item.id))

    # --- lookups ---------------------------------------------------------------------

    def by_city_year(self):
        return sorted(self.ds.lists.items(), key=lambda kv: (kv[0][0], kv[0][1]))

    def years_of(self, slug: str) -> list[ListFile]:
        return [lf for (s, _), lf in sorted(self.ds.lists.items(), key=lambda kv: -kv[0][1]) if s == slug]

    def find(self, key: tuple):
        """(list file, item, parent) of the item at (city, year, id), or None."""
        city, year, item_id = key
        lf = self.ds.lists.get((city, year))
        if lf:
            for item, _, parent in walk_items(lf.data.items):
                if item.id == item_id:
                    return lf, item, parent
        return None

    def edit_url(self, lf: ListFile, item_id: str | None = None) -> str | None:
        line = lf.lines.get(item_id) if item_id and self.edit_base else None
        return urls.edit(self.edit_base, lf.path, line)

    def city_name(self, slug: str) -> str:
        city = self.ds.cities.get(slug)
        return city.short_name if city else slug

    def city_full_name(self, slug: str) -> str:
        city = self.ds.cities.get(slug)
        return city.name if city else slug

    # --- pages -----------------------------------------------------------------------

    def pages(self) -> list[Page]:
        out = [self.home(), self.topics_index()]
        for slug in sorted(self.ds.cities):
            out.append(self.city_page(slug))
        keys = [key for key, _ in self.by_city_year()]
        n_items = sum(len(self.ds.lists[key].data.items) for key in keys)
        for list_pages in parallel.ordered_map(self.list_pages, keys, n_items, self.workers):
            out.extend(list_pages)
        for topic_id in self.ds.topics:
            out.append(self.topic_page(topic_id))
        return out

    def list_pages(self, key: tuple) -> list[Page]:
        """The pages of one city-year list: its index, changes, items and removed items."""
        lf = self.ds.lists[key]
        out = [self.city_year_page(lf), self.changes_page(lf)]
        out.extend(self.removed_page(lf, old_id) for old_id in lf.data.removed_ids)
        flat = list(walk_items(lf.data.items))
        for i, (item, _, parent) in enumerate(flat):
            prev_item = flat[i - 1][0] if i > 0 else None
            next_item = flat[i + 1][0] if i + 1 < len(flat) else None
            out.append(self.item_page(lf, item, parent, prev_item, next_item))
        return out

    def _render(self, template: str, src: str, **ctx) -> Page:
        url = urls.from_src(src)
        ctx["link"] = lambda to: urls.relative(url, to)
        return Page(src, self._template(template).render(**ctx))

    @functools.cache  # noqa: B019 - one Site per build: template edits still show at the next build
    def _template(self, name: str) -> jinja2.Template:
        return self.env.get_template(name)

    def _list_context(self, lf: ListFile) -> dict:
        """What every page of one list shows about it."""
        pl = lf.data
        return {"lf": lf, "pl": pl, "city_name": self.city_name(pl.city)}

    def item_page(self, lf: ListFile, item, parent, prev_item, next_item) -> Page:
        pl = lf.data
        reports = derive.reports_by_id(pl)
        sources = {s.id: s for s in pl.sources}
        timeline = []
        for e in derive.sorted_progress(item, reports):
            report = reports[e.report]
            measures = [MeasureRow(m, derive.measure_percent(item, m)) for m in e.measures]
            timeline.append(TimelineEntry(e, report, sources.get(report.source), derive.entry_percent(item, e), measures))
        latest = derive.latest(item, pl, parent)
        targets = []
        for t in item.targets:
            m = derive.target_measure(t, latest.entry)
            targets.append(TargetRow(t, m, derive.measure_percent(item, m) if m else None))
        list_source = derive.list_source(pl)
        own = [_ref(r) for r in item.related]
        back = [k for k in self.related_back.get((pl.city, pl.year, item.id), []) if k not in own]
        related = []
        for found in map(self.find, own + back):
            if found:
                rlf, ritem, _ = found
                related.append(RelatedItem(rlf.data.city, self.city_name(rlf.data.city), rlf.data.year, ritem))
        src = urls.item_src(pl.city, pl.year, item.id)
        return self._render(
            "item.md.j2",
            src,
            **self._list_context(lf),
            city_full_name=self.city_full_name(pl.city),
            item=item,
            parent=parent,
            latest=latest,
            children=[ItemRow(c, derive.latest(c, pl, item)) for c in item.subitems],
            targets=targets,
            timeline=timeline,
            report_sources=[t for t in timeline if t.source and t.source.id != pl.source],
            section=derive.item_sections(item, pl, parent),
            deadline=derive.item_deadline(item, pl, parent),
            list_source=list_source,
            as_of=latest.report.as_of if latest.report else list_source.date,  # what the citation is as of
            topics=[self.ds.topics[t] for t in item.topics if t in self.ds.topics],
            related=related,
            prev_item=prev_item,
            next_item=next_item,
            permalink=urls.absolute(self.site_url, urls.from_src(src)),
            edit_url=self.edit_url(lf, item.id),
        )

    def city_year_page(self, lf: ListFile) -> Page:
        pl = lf.data
        counts = derive.status_counts(pl)
        return self._render(
            "city_year.md.j2",
            urls.city_year_src(pl.city, pl.year),
            **self._list_context(lf),
            counts=counts,
            total=sum(counts.values()),
            groups=self._grouped(pl),
            list_source=derive.list_source(pl),
            edit_url=self.edit_url(lf),
        )

    def changes_page(self, lf: ListFile) -> Page:
        """What changed between consecutive reports: journalists check it after each report."""
        pl = lf.data
        return self._render(
            "changes.md.j2",
            urls.changes_src(pl.city, pl.year),
            **self._list_context(lf),
            reports=derive.changes(pl),
            behind=derive.behind_pace(pl),
            stale=derive.stale(pl),
            tolerance=derive.PACE_TOLERANCE,
        )

    def removed_page(self, lf: ListFile, item_id: str) -> Page:
        """A removed item's URL keeps answering (permanent URLs), saying it was removed."""
        pl = lf.data
        return self._render(
            "removed.md.j2",
            urls.item_src(pl.city, pl.year, item_id),
            **self._list_context(lf),
            item_id=item_id,
            edit_url=self.edit_url(lf),
        )

    def _grouped(self, pl) -> list[Group]:
        """The list's sections in source order, each with its items and their sub-items."""
        children: dict = {}
        for s in pl.sections:
            children.setdefault(s.parent, []).append(s)
        items_in: dict = {}
        for item in pl.items:
            items_in.setdefault(item.section, []).append(item)

        def row(item):
            subs = tuple(ItemRow(c, derive.latest(c, pl, item)) for c in item.subitems)
            return ItemRow(item, derive.latest(item, pl), subs)

        out = []

        def visit(section, level):
            out.append(Group(level, section, [row(i) for i in items_in.get(section.id, [])]))
            for child in children.get(section.id, []):
                visit(child, level + 1)

        if items_in.get(None):
            out.append(Group(2, None, [row(i) for i in items_in[None]]))
        for top in children.get(None, []):
            visit(top, 2)
        return out

    def city_page(self, slug: str) -> Page:
        cards = []
        for lf in self.years_of(slug):
            counts = derive.status_counts(lf.data)
            cards.append(YearCard(lf.data, counts, sum(counts.values())))
        return self._render("city.md.j2", urls.city_src(slug), city=self.ds.cities[slug], years=cards)

    def latest_reports(self, limit: int = 10) -> list[RecentReport]:
        found = []
        for (slug, year), lf in self.ds.lists.items():
            for r in lf.data.reports:
                found.append((r.published, r.as_of, slug, year, r))
        found.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
        return [RecentReport(slug, self.city_name(slug), year, r) for _, _, slug, year, r in found[:limit]]

    def home(self) -> Page:
        cities = []
        for slug in sorted(self.ds.cities):
            years = self.years_of(slug)
            if years:
                counts = derive.status_counts(years[0].data)
                cities.append(CityCard(self.ds.cities[slug], years[0].data, counts, sum(counts.values()), len(years)))
        n_items = sum(len(list(walk_items(lf.data.items))) for lf in self.ds.lists.values())
        return self._render(
            "home.md.j2",
            urls.home_src(),
            cities=cities,
            reports=self.latest_reports(),
            n_items=n_items,
            n_lists=len(self.ds.lists),
        )

    def topics_index(self) -> Page:
        counts = [TopicCount(t, len(self.topic_items.get(t.id, []))) for t in self.ds.topics.values()]
        return self._render("topics_index.md.j2", urls.topics_src(), topics=counts)

    def topic_page(self, topic_id: str) -> Page:
        rows = []
        for lf, item, parent in self.topic_items.get(topic_id, []):
            pl = lf.data
            lead = derive.item_lead(item, parent)
            rows.append(TopicRow(pl.city, self.city_name(pl.city), pl.year, item, lead, derive.latest(item, pl, parent)))
        rows.sort(key=lambda r: (r.city, -r.year))
        return self._render("topic.md.j2", urls.topic_src(topic_id), topic=self.ds.topics[topic_id], rows=rows)


# Provinces in the order of their administrative division codes (GB/T 2260), as Chinese
# readers expect them; a province not listed here comes after them.
PROVINCE_ORDER = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
)


def province_key(province: str) -> tuple:
    rank = next((i for i, short in enumerate(PROVINCE_ORDER) if province.startswith(short)), len(PROVINCE_ORDER))
    return rank, province


def nav_entries(ds: Dataset) -> list:
    """The navigation: cities grouped by province. Item pages stay out of it: Material renders
    the nav into every page, so with them build time and site size would grow with the square
    of the number of items. With Material's navigation.prune, a page carries the province
    list and the cities of its own province only, so pages do not grow with the number of
    cities either."""
    by_province: dict = {}
    for slug in sorted(ds.cities):
        city = ds.cities[slug]
        by_province.setdefault(city.province, []).append({str(escape(city.short_name)): urls.city_src(slug)})  # Material prints nav titles unescaped
    return [{str(escape(p)): by_province[p]} for p in sorted(by_province, key=province_key)]
