"""Turn the validated Dataset into Markdown pages (in memory).

Every page is rendered from a Jinja2 template in `generator/site/templates/`. Templates are
autoescaped: data text can never become HTML, and `_one_line` (the environment's finalize)
keeps its line breaks from starting Markdown lines. Text that lands in Markdown syntax
(headings, front matter) goes through `md_text` / `yaml_str` below — the only other escaping
path. tests/test_hardening.py renders tests/fixtures/hostile through all of it.

Templates present; they compute nothing. Figures come from derive.py, lookups are done
here and handed over as the named rows below, and every link is `link(urls.…)`
(generator/core/urls.py builds every URL; `link` makes it relative to the page).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass

import jinja2

from generator import derive
from generator.core import model, parallel, urls
from generator.core.model import walk_items
from generator.data import schema, verbatim
from generator.data.dataset import Dataset, ListFile
from generator.exports import downloads, tables
from generator.site import captures, wording
from generator.site.pages import cities, lists, topics
from generator.site.pages.cities import nav_entries
from generator.site.pages.markup import environment
from generator.site.pages.rows import (
    Citing,
    ColumnExample,
    Download,
    ListDownloads,
    SourceLine,
)

__all__ = ["Page", "Site", "nav_entries", "search_page"]  # what the plugin and the benchmarks use


@dataclass
class Page:
    src: str  # path of the Markdown file relative to docs_dir, e.g. qingdao/2024/6-3.md (urls.*_src)
    content: str

    @property
    def url(self) -> str:
        return urls.from_src(self.src)


class Site:
    """Builds all pages; holds lookups that several templates need."""

    def __init__(self, ds: Dataset, edit_base: str | None = None, site_url: str = "", workers: int = 0, build_date: dt.date | None = None, downloads: dict | None = None):
        self.ds = ds
        self.downloads = downloads  # {path: bytes} of the downloads (downloads.export_files), for the data page
        self.workers = workers  # processes for the list pages (0: one per core, at most 4; parallel.py)
        self.env = environment()
        self.edit_base = edit_base
        self.site_url = site_url
        pledge_lists = [lf.data for _, lf in self.by_city_year()]
        self.newest = derive.newest_data_date(pledge_lists)  # the newest date in the data
        # what ages are measured against: the plugin passes derive.build_date (SOURCE_DATE_EPOCH)
        self.build_date = build_date or self.newest
        self.captures = self._load_captures()
        self.topic_items: dict = {t: [] for t in ds.topics}
        self.related_back: dict = {}  # (city, year, id) → the items whose `related` names it
        for (slug, year), lf in self.by_city_year():
            for item, _, parent in walk_items(lf.data.items):
                for t in item.topics:
                    self.topic_items.setdefault(t, []).append((lf, item, parent))
                for ref in item.related:
                    self.related_back.setdefault(lists.related_key(ref), []).append((slug, year, item.id))

    # --- archived sources ------------------------------------------------------------

    def _load_captures(self) -> dict:
        """archive path → captures.Capture, for every archived source whose file exists."""
        found: dict = {}
        stems: dict = {}
        for _, lf in self.by_city_year():
            for s in lf.data.sources:
                if not s.archive or s.archive in found:
                    continue
                stem = urls.capture_stem(s.archive)
                if stems.get(stem, s.archive) != s.archive or stem == "index":
                    raise ValueError(f"{s.archive}: archived files need distinct names (not `index`) to get a page each; rename it (see {stems.get(stem)})")
                capture = captures.load(self.ds.root, s.archive, s.script == model.Script.traditional_converted)
                if capture is not None:
                    found[s.archive], stems[stem] = capture, s.archive
        return found

    def archived(self, source: model.Source | None, *texts: str | None) -> str | None:
        """URL of the archived copy of `source`, at the line where the first of `texts` that it
        holds begins (the page itself when none is there); None without an archived copy."""
        capture = self.captures.get(source.archive) if source and source.archive else None
        if capture is None:
            return None
        return urls.source_line(urls.capture_stem(capture.archive), capture.line_of(*texts))

    def citing(self) -> dict:
        """archive path → the lists (Citing) whose sources point at it, in city and year order."""
        out: dict = {}
        for (slug, year), lf in self.by_city_year():
            pl = lf.data
            for s in pl.sources:
                if s.archive in self.captures:
                    uses = (["事项清单"] if s.id == pl.source else []) + [f"进展报告（截至{derive.cn_date(r.as_of)}）" for r in pl.reports if r.source == s.id]
                    out.setdefault(s.archive, []).append(Citing(slug, self.city_name(slug), year, pl, s, uses))
        return out

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
        out = [cities.home(self), cities.cities_index(self), topics.topics_index(self)]
        for slug in sorted(self.ds.cities):
            out.append(cities.city_page(self, slug))
        keys = [key for key, _ in self.by_city_year()]
        n_items = sum(len(self.ds.lists[key].data.items) for key in keys)
        for list_pages in parallel.ordered_map(self.list_pages, keys, n_items, self.workers):
            out.extend(list_pages)
        for topic_id in self.ds.topics:
            out.append(topics.topic_page(self, topic_id))
        out.append(self.data_page())
        citing = self.citing()
        out.append(self.sources_index(citing))
        for archive in sorted(citing):
            out.append(self.source_page(archive, citing[archive]))
        return out

    def list_pages(self, key: tuple) -> list[Page]:
        """The pages of one city-year list: its index, changes, items and removed items."""
        lf = self.ds.lists[key]
        out = [lists.city_year_page(self, lf), lists.changes_page(self, lf)]
        out.extend(lists.removed_page(self, lf, old_id) for old_id in lf.data.removed_ids)
        flat = list(walk_items(lf.data.items))
        for i, (item, _, parent) in enumerate(flat):
            prev_item = flat[i - 1] if i > 0 else None
            next_item = flat[i + 1] if i + 1 < len(flat) else None
            out.append(lists.item_page(self, lf, item, parent, prev_item and lists.neighbour(prev_item), next_item and lists.neighbour(next_item)))
        return out

    def render(self, template: str, src: str, **ctx) -> Page:
        url = urls.from_src(src)
        ctx["link"] = lambda to: urls.relative(url, to)
        ctx.setdefault("build_date", self.build_date)
        ctx.setdefault("newest", self.newest)
        return Page(src, self._template(template).render(**ctx))

    @functools.cache  # noqa: B019 - one Site per build: template edits still show at the next build
    def _template(self, name: str) -> jinja2.Template:
        return self.env.get_template(name)

    def data_page(self) -> Page:
        """The downloads, each with its size, and a plain guide to the CSV columns."""
        files = self.downloads if self.downloads is not None else downloads.summary_files(self.ds, self.site_url, self.build_date)

        def download(url: str) -> Download:
            return Download(url, len(files[url]))

        lists = []
        for (slug, year), lf in self.by_city_year():
            n = sum(1 for _ in walk_items(lf.data.items))
            csv_file, json_file = download(urls.list_csv(slug, year)), download(urls.list_json(slug, year))
            lists.append(ListDownloads(self.city_name(slug), lf.data, n, csv_file, json_file, wording.count_phrase(lf.data)))
        csvs = [files[urls.list_csv(slug, year)] for (slug, year), _ in self.by_city_year()]
        return self.render(
            "data.md.j2",
            urls.data_page_src(),
            lists=lists,
            package_zip=download(urls.package_zip()),
            database=download(urls.database()),
            all_json=download(urls.all_json()),
            descriptor=download(urls.package_descriptor()),
            columns=column_examples(csvs),
            tables=tables.TABLES,
            query=tables.BEHIND_BY_CITY,
            schemas=list(schema.SCHEMAS),
        )

    def sources_index(self, citing: dict) -> Page:
        rows = [(urls.capture_stem(a), self.captures[a], citing[a]) for a in sorted(citing)]
        return self.render("sources_index.md.j2", urls.sources_index_src(), rows=rows)

    def source_page(self, archive: str, citing: list) -> Page:
        """One archived source: what it is, who cites it, and its text from the first to the
        last line our data quotes (see generator/site/captures.py), each line with its own anchor."""
        capture = self.captures[archive]
        texts = [t for c in citing for t in verbatim.cited_texts(c.pl)]
        span = captures.published_span(capture, texts, [c.source.publisher for c in citing])
        first, last = (span.first, span.last) if span else (1, len(capture.lines))
        quoted = span.quoted if span else frozenset()
        lines = [SourceLine(n, capture.lines[n - 1], n in quoted) for n in range(first, last + 1)]
        return self.render(
            "source.md.j2",
            urls.source_src(urls.capture_stem(archive)),
            archive=archive,
            main=citing[0].source,
            citing=citing,
            lines=lines,
            first=first,
            last=last,
            total=len(capture.lines),
            traditional=capture.traditional,
            repository_url=urls.edit(self.edit_base, archive),
        )


def search_page() -> str:
    """The search page (theme_overrides/assets/search.js runs it on the index searchindex.py writes)."""
    here = urls.search()
    return (
        environment()
        .get_template("search.md.j2")
        .render(
            index=urls.relative(here, urls.search_data()),
            root=urls.relative(here, urls.home()),
            home=urls.relative(here, urls.home()),
            topics=urls.relative(here, urls.topics()),
        )
    )


def column_examples(csvs: list[bytes]) -> list[ColumnExample]:
    """Each CSV column with its value in one real row: the row with the most filled-in
    cells of all the lists' CSVs (the first of them on a tie), so the examples go together."""
    best: list = []
    for data in csvs:
        for row in list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[1:]:
            if sum(1 for v in row if v) > sum(1 for v in best if v):
                best = row
    best = best or [""] * len(downloads.CSV_COLUMNS)
    return [ColumnExample(name, wording.short(value, 40)) for name, value in zip(downloads.CSV_COLUMNS, best, strict=True)]
