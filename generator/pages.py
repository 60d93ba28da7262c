"""Turn the validated Dataset into Markdown pages (in memory).

Every page is rendered from a Jinja2 template in `generator/templates/`. Templates are
autoescaped: data text can never become HTML, and `_one_line` (the environment's finalize)
keeps its line breaks from starting Markdown lines. Text that lands in Markdown syntax
(headings, front matter) goes through `md_text` / `yaml_str` below — the only other escaping
path. tests/test_hardening.py renders tests/fixtures/hostile through all of it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import derive, model, parallel
from .validate import Dataset, ListFile, walk_items

TEMPLATES = Path(__file__).parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~^=:])")
_YAML_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Page:
    src: str  # path of the Markdown file relative to docs_dir, e.g. qingdao/2024/6-3.md
    content: str

    @property
    def url(self) -> str:
        return page_url(self.src)


def page_url(src: str) -> str:
    """`qingdao/2024/6-3.md` → `qingdao/2024/6-3/` (MkDocs directory URLs)."""
    stem = src[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(from_url: str, to_url: str) -> str:
    """A link from one page URL to another that works on any host and sub-path."""
    target_dir, _, fragment = to_url.partition("#")
    here, there = from_url.split("/")[:-1], [p for p in target_dir.split("/") if p]  # page URLs end in /
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    rel = "/".join([".."] * (len(here) - common) + there[common:]) or "."  # posixpath.relpath, 10× faster
    if rel == ".":
        rel = "./"
    elif target_dir.endswith("/") or target_dir == "":
        rel += "/"
    return rel + ("#" + fragment if fragment else "")


def md_text(text: str) -> Markup:
    """Escape text for use in Markdown (headings, link text): HTML and Markdown syntax."""
    flat = " ".join(str(text).split())
    # Python-Markdown honours a backslash only before its own escapable characters: the rest
    # (`= : ~ ^`) would print the backslash, so they become character references like <>&.
    return Markup(_MD_SPECIAL.sub(lambda m: "&#%d;" % ord(m.group(1)) if m.group(1) in "<>&=:~^" else "\\" + m.group(1), flat))


def yaml_str(text: str) -> Markup:
    """A front-matter value. MkDocs/Material templates insert `title` and `description`
    unescaped (in <title>, <meta content="…">, the header), so the value is HTML-escaped
    first; a JSON string is valid YAML, and characters YAML cannot hold raw become escapes
    (MkDocs would otherwise drop the whole front matter into the page as Markdown)."""
    value = json.dumps(str(escape(" ".join(str(text).split()))), ensure_ascii=False)
    return Markup(_YAML_UNPRINTABLE.sub(lambda m: "\\u%04x" % ord(m.group()), value))


def cn_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


@functools.lru_cache(maxsize=None)  # one per process: `mkdocs serve` rebuilds no longer recompile every template (auto_reload still sees edits)
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
        short=short,
        paragraphs=paragraphs,
        pct=lambda v: "" if v is None else f"{v:g}%",
    )
    env.globals.update(
        STATUS_LABELS=derive.STATUS_LABELS,
        STATUS_SYMBOLS=derive.STATUS_SYMBOLS,
        STATUS_ORDER=derive.STATUS_ORDER,
        measure_percent=derive.measure_percent,
        entry_percent=derive.entry_percent,
    )
    return env


class Site:
    """Builds all pages; holds lookups that several templates need."""

    def __init__(self, ds: Dataset, edit_base: str | None = None, site_url: str = ""):
        self.ds = ds
        self.env = _env()
        self.edit_base = (edit_base or "").rstrip("/")
        self.site_url = site_url
        self.topic_items = {t: [] for t in ds.topics}
        self.related_back: dict = {}
        for (slug, year), lf in self.by_city_year():
            for item, _, parent in walk_items(lf.data.items):
                for t in item.topics:
                    self.topic_items.setdefault(t, []).append((lf, item, parent))
                for ref in item.related:
                    self.related_back.setdefault(ref, []).append(f"{slug}/{year}/{item.id}")

    # --- lookups ---------------------------------------------------------------------

    def by_city_year(self):
        return sorted(self.ds.lists.items(), key=lambda kv: (kv[0][0], kv[0][1]))

    def years_of(self, slug: str) -> list[ListFile]:
        return [lf for (s, _), lf in sorted(self.ds.lists.items(), key=lambda kv: -kv[0][1]) if s == slug]

    def find(self, ref: str):
        city, year, rid = ref.split("/")
        lf = self.ds.lists.get((city, int(year)))
        if lf:
            for item, _, parent in walk_items(lf.data.items):
                if item.id == rid:
                    return lf, item, parent
        return None

    def edit_url(self, lf: ListFile, item_id: str | None = None) -> str | None:
        if not self.edit_base:
            return None
        line = lf.lines.get(item_id) if item_id else None
        return f"{self.edit_base}/{lf.path}" + (f"#L{line}" if line else "")

    def city_name(self, slug: str) -> str:
        city = self.ds.cities.get(slug)
        return city.short_name if city else slug

    # --- pages -----------------------------------------------------------------------

    def pages(self) -> list[Page]:
        out = [self.home(), self.topics_index()]
        for slug in sorted(self.ds.cities):
            out.append(self.city_page(slug))
        keys = [key for key, _ in self.by_city_year()]
        n_items = sum(len(self.ds.lists[key].data.items) for key in keys)
        for list_pages in parallel.ordered_map(self.list_pages, keys, n_items):
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
        url = page_url(src)
        ctx.update(
            site=self,
            page_url=url,
            link=lambda to: relative(url, to),
        )
        return Page(src, self._template(template).render(**ctx))

    @functools.lru_cache(maxsize=None)  # noqa: B019 - one Site per build: template edits still show at the next build
    def _template(self, name: str) -> jinja2.Template:
        return self.env.get_template(name)

    def item_page(self, lf: ListFile, item, parent, prev_item, next_item) -> Page:
        pl = lf.data
        reports = derive.reports_by_id(pl)
        entries = derive.sorted_progress(item, reports)
        sources = {s.id: s for s in pl.sources}
        ref = f"{pl.city}/{pl.year}/{item.id}"
        related = [self.find(r) for r in item.related] + [self.find(r) for r in self.related_back.get(ref, []) if r not in item.related]
        return self._render(
            "item.md.j2",
            f"{pl.city}/{pl.year}/{item.id}.md",
            lf=lf,
            pl=pl,
            city=self.ds.cities.get(pl.city),
            item=item,
            parent=parent,
            latest=derive.latest(item, pl, parent),
            children=[(c, derive.latest(c, pl, item)) for c in item.subitems],
            entries=[(e, reports[e.report], sources.get(reports[e.report].source)) for e in entries],
            section=self._section_chain(pl, item.section or (parent.section if parent else None)),
            deadline=derive.item_deadline(item, pl, parent),
            list_source=sources.get(pl.source),
            topics=[self.ds.topics[t] for t in item.topics if t in self.ds.topics],
            related=[r for r in related if r],
            prev_item=prev_item,
            next_item=next_item,
            edit_url=self.edit_url(lf, item.id),
        )

    def _section_chain(self, pl, section_id):
        by_id = {s.id: s for s in pl.sections}
        chain = []
        while section_id and section_id in by_id and len(chain) < 10:
            chain.insert(0, by_id[section_id])
            section_id = by_id[section_id].parent
        return chain

    def city_year_page(self, lf: ListFile) -> Page:
        pl = lf.data
        counts = derive.status_counts(pl)
        groups = self._grouped(pl)
        return self._render(
            "city_year.md.j2",
            f"{pl.city}/{pl.year}/index.md",
            lf=lf,
            pl=pl,
            city=self.ds.cities.get(pl.city),
            counts=counts,
            total=sum(counts.values()),
            groups=groups,
            latest=lambda item, parent=None: derive.latest(item, pl, parent),
            list_source=next((s for s in pl.sources if s.id == pl.source), None),
            edit_url=self.edit_url(lf),
        )

    def changes_page(self, lf: ListFile) -> Page:
        """What changed between consecutive reports: journalists check it after each report."""
        pl = lf.data
        return self._render(
            "changes.md.j2",
            f"{pl.city}/{pl.year}/changes.md",
            pl=pl,
            city=self.ds.cities.get(pl.city),
            reports=derive.changes(pl),
            behind=derive.behind_pace(pl),
            stale=derive.stale(pl),
            tolerance=derive.PACE_TOLERANCE,
            sources={s.id: s for s in pl.sources},
        )

    def removed_page(self, lf: ListFile, item_id: str) -> Page:
        """A removed item's URL keeps answering (permanent URLs), saying it was removed."""
        pl = lf.data
        return self._render(
            "removed.md.j2",
            f"{pl.city}/{pl.year}/{item_id}.md",
            lf=lf,
            pl=pl,
            city=self.ds.cities.get(pl.city),
            item_id=item_id,
            edit_url=self.edit_url(lf),
        )

    def _grouped(self, pl):
        """[(section chain heading level, section or None, items)] in source order."""
        children: dict = {}
        for s in pl.sections:
            children.setdefault(s.parent, []).append(s)
        items_in: dict = {}
        for item in pl.items:
            items_in.setdefault(item.section, []).append(item)
        out = []

        def visit(section, level):
            out.append((level, section, items_in.get(section.id, [])))
            for child in children.get(section.id, []):
                visit(child, level + 1)

        if items_in.get(None):
            out.append((2, None, items_in[None]))
        for top in children.get(None, []):
            visit(top, 2)
        return out

    def city_page(self, slug: str) -> Page:
        years = self.years_of(slug)
        return self._render(
            "city.md.j2",
            f"{slug}/index.md",
            city=self.ds.cities[slug],
            years=[(lf, derive.status_counts(lf.data)) for lf in years],
        )

    def latest_reports(self, limit: int = 10):
        found = []
        for (slug, year), lf in self.ds.lists.items():
            for r in lf.data.reports:
                found.append((r.published, r.as_of, slug, year, lf, r))
        found.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
        return found[:limit]

    def home(self) -> Page:
        cities = []
        for slug in sorted(self.ds.cities):
            years = self.years_of(slug)
            if years:
                cities.append((self.ds.cities[slug], years[0], derive.status_counts(years[0].data), len(years)))
        n_items = sum(len(list(walk_items(lf.data.items))) for lf in self.ds.lists.values())
        return self._render(
            "home.md.j2",
            "index.md",
            cities=cities,
            reports=self.latest_reports(),
            n_items=n_items,
            n_lists=len(self.ds.lists),
        )

    def topics_index(self) -> Page:
        return self._render(
            "topics_index.md.j2",
            "topics/index.md",
            topics=[(t, len(self.topic_items.get(t.id, []))) for t in self.ds.topics.values()],
        )

    def topic_page(self, topic_id: str) -> Page:
        rows = []
        for lf, item, parent in self.topic_items.get(topic_id, []):
            rows.append((lf, item, parent, derive.latest(item, lf.data, parent)))
        rows.sort(key=lambda r: (r[0].data.city, -r[0].data.year))
        return self._render("topic.md.j2", f"topics/{topic_id}.md", topic=self.ds.topics[topic_id], rows=rows)


def build_pages(ds: Dataset, edit_base: str | None = None, site_url: str = "") -> list[Page]:
    return Site(ds, edit_base, site_url).pages()


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
    """The navigation: cities grouped by province (item pages stay out of the nav: see
    DESIGN.md). With Material's navigation.prune, a page carries the province list and the
    cities of its own province only, so pages do not grow with the number of cities."""
    by_province: dict = {}
    for slug in sorted(ds.cities):
        city = ds.cities[slug]
        by_province.setdefault(city.province, []).append({str(escape(city.short_name)): f"{slug}/index.md"})  # Material prints nav titles unescaped
    return [{str(escape(p)): by_province[p]} for p in sorted(by_province, key=province_key)]
