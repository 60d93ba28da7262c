"""Turn the validated Dataset into Markdown pages (in memory), one module per kind of page:

- `__init__.py`: `Site` (the lookups pages share, `pages()` and `list_pages()`, rendering), `Page`, the search page
- `markup.py`: the Jinja environment and its filters, the escaping of text for Markdown and front matter
- `rows.py`: the named rows templates receive
- `table.py`: the progress table: rows, section groups, filters, sorts, the deadline note
- `lists.py`: a list's pages: the list page, what changed, item pages, removed items, embed cards
- `embed.py`: how tall an embed card is, for the iframe snippet on its item page
- `cities.py`: city pages, the cities index, the home page, the order of provinces and cities (the nav)
- `topics.py`: the topics index and topic pages, targets compared across lists
- `sources.py`: the sources index, a page per archived source, the data page with the downloads
- `corrections.py`: the corrections log, from the git history of data/

Every page is rendered from a Jinja2 template in `generator/site/templates/` (markup.py says
how text is escaped). Templates present; they compute nothing. Figures come from derive, lookups
are done in these modules and handed over as the named rows of rows.py, and every link is `link(urls.…)`
(generator/core/urls.py builds every URL; `link` makes it relative to the page). A page
builder is a function of the `Site`: `lists.item_page(site, lf, …)`; `Site.pages()` calls them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

import jinja2

from generator import derive
from generator.core import model, parallel, urls
from generator.core.kept import Kept
from generator.core.model import walk_items
from generator.data.dataset import Dataset, ListFile
from generator.site import captures, shards
from generator.site.feeds import SITE_NAME
from generator.site.pages import cities, corrections, lists, sources, topics
from generator.site.pages.cities import nav_entries
from generator.site.pages.lists import related_key
from generator.site.pages.markup import environment
from generator.site.pages.rows import Citing

__all__ = ["Page", "Site", "nav_entries", "search_page"]  # what the plugin and the benchmarks use


@dataclass
class Page:
    src: str  # path of the Markdown file relative to docs_dir, e.g. qingdao/2024/6-3.md (urls.*_src)
    content: str  # the Markdown; when the plugin has the HTML made here (Site.to_html), its front matter only
    html: str | None = None  # the body as HTML, made by Site.to_html; None: the builder converts `content`
    toc: list | None = None  # the headings (Python-Markdown's toc_tokens) that go with `html`
    made: bool = True  # False: a page another shard makes (shards.py); only its address is here
    file: bool = False  # True: `content` is a finished HTML file at `src` (the embed cards), written as it is
    set_aside: tuple[str, int, int] | None = None  # where `html` waits on disk instead (Site.html_folder): file, offset, length

    @property
    def url(self) -> str:
        return self.src.removesuffix("index.html") if self.file else urls.from_src(self.src)

    def body(self) -> str | None:
        """The HTML, from memory or from the file it was set aside in."""
        if self.set_aside is None:
            return self.html
        path, start, length = self.set_aside
        with open(path, "rb") as f:
            f.seek(start)
            return f.read(length).decode("utf-8")


class Site:
    """Builds all pages; holds lookups that several templates need."""

    def __init__(self, ds: Dataset, edit_base: str | None = None, site_url: str = "", workers: int = 0, build_date: dt.date | None = None, downloads: MutableMapping | None = None):
        self.ds = ds
        self.downloads = downloads  # {path: bytes} of the downloads (downloads.export_files), for the data page
        self.workers = workers  # processes for the list pages (0: one per core, at most 4; parallel.py)
        self.env = environment()
        self.html_folder: str | None = None  # set: the list pages' HTML waits on disk here, not in memory (set_aside)
        self.edit_base = edit_base
        self.site_url = site_url
        pledge_lists = [lf.data for _, lf in self.by_city_year()]
        self.newest = derive.newest_data_date(pledge_lists)  # the newest date in the data
        # what ages are measured against: the plugin passes derive.build_date (SOURCE_DATE_EPOCH)
        self.build_date = build_date or self.newest
        self.captures = self._load_captures()
        # The plugin's Markdown converter (text → front matter, HTML, toc tokens): pages are
        # converted where they are made, in the workers, instead of one by one in MkDocs
        self.to_html: Callable[[str], tuple[str, str, list]] | None = None
        self.stamps: dict | None = None  # a preview's list stamps and kept pages (stage.py); None: make every page
        self.kept: Kept | None = None
        self._templates: dict[str, jinja2.Template] = {}
        self.converted: dict | None = None  # a preview's src → (digest of its Markdown, Page) of the previous build
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

    def related_lists(self, key: tuple) -> set:
        """The other lists whose items one list's pages name: its items' `related`, and the
        items whose `related` names one of its items."""
        out = {related_key(ref)[:2] for item, _, _ in walk_items(self.ds.lists[key].data.items) for ref in item.related}
        out |= {(c, y) for (city, year, _), backs in self.related_back.items() if (city, year) == key for c, y, _ in backs}
        return out - {key}

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

    def pages(self, shard=None) -> list[Page]:
        """Every page, in one fixed order. `shard` (shards.parse): None makes them all; "site"
        the site-wide ones; (k, n) those of the cities of part k (shards.assign). A page left
        to another shard is a placeholder (`made=False`) with its address only."""
        site_wide = shard is None or shard == "site"
        parts = shards.assign(dict.fromkeys(self.ds.cities, 0) | self._items_per_city(), shard[1]) if isinstance(shard, tuple) else {}

        def ours(slug: str) -> bool:
            return shard is None or (isinstance(shard, tuple) and parts[slug] == shard[0])

        out = []
        out += self._part(site_wide, [urls.home_src()], lambda: [cities.home(self)])
        out += self._part(site_wide, [urls.cities_src()], lambda: [cities.cities_index(self)])
        out += self._part(site_wide, [urls.topics_src()], lambda: [topics.topics_index(self)])
        for slug in sorted(self.ds.cities):
            lists_of = [key for key in self.ds.lists if key[0] == slug]
            out += self._part(ours(slug), [urls.city_src(slug)], lambda slug=slug, lists_of=lists_of: self.reuse(("city", slug), lists_of, lambda: [cities.city_page(self, slug)]))
        keys = [key for key, _ in self.by_city_year()]
        mine = [key for key in keys if ours(key[0])]
        if self.kept is not None:  # a preview: unchanged lists keep their pages
            made = {key: self.reuse(("list", key), [key], lambda key=key: self.list_pages(key)) for key in mine}
        else:
            n_items = sum(len(self.ds.lists[key].data.items) for key in mine)
            made = dict(zip(mine, parallel.ordered_map(self.list_pages, mine, n_items, self.workers), strict=True))
        for key in keys:
            out += made[key] if key in made else [Page(src, "", made=False) for src in self.list_srcs(key)]
        for topic_id in self.ds.topics:
            in_topic = sorted({(lf.data.city, lf.data.year) for lf, _, _ in self.topic_items.get(topic_id, [])})
            out += self._part(site_wide, [urls.topic_src(topic_id)], lambda topic_id=topic_id, in_topic=in_topic: self.reuse(("topic", topic_id), in_topic, lambda: [topics.topic_page(self, topic_id)]))
        out += self._part(site_wide, [urls.data_page_src()], lambda: [sources.data_page(self)])
        out += self._part(site_wide, [urls.corrections_src()], lambda: [corrections.corrections_page(self)])
        citing = self.citing()
        out += self._part(site_wide, [urls.sources_index_src()], lambda: [sources.sources_index(self, citing)])
        for archive in sorted(citing):
            out += self._part(site_wide, [urls.source_src(urls.capture_stem(archive))], lambda archive=archive: [sources.source_page(self, archive, citing[archive])])
        out += self._part(site_wide, [urls.search_src()], lambda: [self.page(urls.search_src(), search_page())])
        if self.kept is not None:
            self.kept.forget_unused()
        return out

    def _part(self, ours: bool, srcs: list[str], make) -> list[Page]:
        return make() if ours else [Page(src, "", made=False) for src in srcs]

    def _items_per_city(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for (slug, _), lf in self.ds.lists.items():
            out[slug] = out.get(slug, 0) + sum(1 for _ in walk_items(lf.data.items))
        return out

    def list_srcs(self, key: tuple) -> list[str]:
        """The addresses of list_pages(key) that a builder renders (not the embed files), in
        its order, without making them."""
        pl = self.ds.lists[key].data
        return (
            [urls.city_year_src(pl.city, pl.year), urls.changes_src(pl.city, pl.year)]
            + [urls.item_src(pl.city, pl.year, old_id) for old_id in pl.removed_ids]
            + [urls.item_src(pl.city, pl.year, item.id) for item, _, _ in walk_items(pl.items)]
        )

    def reuse(self, key: tuple, made_from: list, make):
        """In a preview, what `make` made (pages, or a part of one) for lists whose stamps
        (stage.list_stamps) are unchanged since the previous build is taken from then;
        otherwise (and in every full build) it is made now."""
        if self.kept is None or self.stamps is None:
            return make()
        return self.kept.get(key, tuple(self.stamps[k] for k in made_from), make)

    def list_pages(self, key: tuple) -> list[Page]:
        """The pages of one city-year list: its index, changes, items and removed items."""
        lf = self.ds.lists[key]
        out = [lists.city_year_page(self, lf), lists.changes_page(self, lf)]
        out.extend(lists.removed_page(self, lf, old_id) for old_id in lf.data.removed_ids)
        flat = list(walk_items(lf.data.items))
        for i, (item, _, parent) in enumerate(flat):
            prev_item = flat[i - 1] if i > 0 else None
            next_item = flat[i + 1] if i + 1 < len(flat) else None
            card = lists.embed_page(self, lf, item, parent)
            out.append(lists.item_page(self, lf, item, parent, prev_item and lists.neighbour(prev_item), next_item and lists.neighbour(next_item), card))
            out.append(card)
        return self._set_html_aside(key, out)

    def _set_html_aside(self, key: tuple, pages: list[Page]) -> list[Page]:
        """With `html_folder` (a full build): write the pages' HTML to one file per list and
        keep only where each is. The builder reads each page's back just before it writes the
        page, so the HTML of the whole site is never in memory at once (0.03 MB an item)."""
        if self.html_folder is None:
            return pages
        path = os.path.join(self.html_folder, f"{key[0]}-{key[1]}.html")
        with open(path, "wb") as f:
            for page in pages:
                if page.html is not None:
                    data = page.html.encode("utf-8")
                    page.set_aside, page.html = (path, f.tell(), len(data)), None
                    f.write(data)
        return pages

    def render(self, template: str, src: str, **ctx) -> Page:
        return self.page(src, self._template(template).render(**(self._context(src) | ctx)))

    def macros(self, template: str, src: str):
        """The macros of `template` as the page at `src` would call them (its `link`): to render
        a part of a page on its own, and keep it (topic pages keep each list's table group)."""
        return self._template(template).make_module(self._context(src))

    def _context(self, src: str) -> dict:
        """What every page's template sees: `link` from the page's own address, and the dates."""
        url = urls.from_src(src)
        return {"link": lambda to: urls.relative(url, to), "build_date": self.build_date, "newest": self.newest}

    def render_file(self, template: str, src: str, **ctx) -> Page:
        """A finished HTML file (Page.file) from a template: no Markdown, no builder's theme."""
        url = src.removesuffix("index.html")
        ctx["link"] = lambda to: urls.relative(url, to)
        ctx["site_name"] = SITE_NAME
        return Page(src, self._template(template).render(**ctx), file=True)

    def page(self, src: str, text: str) -> Page:
        if self.to_html is None:
            return Page(src, text)
        digest = hashlib.blake2b(text.encode(), digest_size=16).digest() if self.converted is not None else b""
        if self.converted is not None:  # a preview: a page made again with the same Markdown keeps its HTML
            old = self.converted.get(src)
            if old is not None and old[0] == digest:
                return old[1]
        front, html, toc = self.to_html(text)
        page = Page(src, front, html, toc)
        if self.converted is not None:
            self.converted[src] = (digest, page)
        return page

    def _template(self, name: str) -> jinja2.Template:
        """Each template looked up once a build (the environment would check its file for every
        page); an edited template shows at the next build. Kept on the Site, not in a
        functools.cache, which would keep every Site of a `make serve` process alive."""
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]


def search_page() -> str:
    """The search page (theme_overrides/assets/search.js runs it on the index searchindex.py writes)."""
    here = urls.search()
    template = environment().get_template("search.md.j2")
    return template.render(
        index=urls.relative(here, urls.search_data()),
        script=urls.relative(here, urls.search_script()),
        root=urls.relative(here, urls.home()),
        home=urls.relative(here, urls.home()),
        topics=urls.relative(here, urls.topics()),
    )
