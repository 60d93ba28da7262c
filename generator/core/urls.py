"""Every URL the site has, and the Markdown source of every generated page.

The URL scheme is permanent: journalists cite `/<city>/<year>/<id>/`, feed readers keep the
entry ids, and published.py checks against git history that no published URL disappears.
Nothing else builds a URL or a page path: site/pages/, exports/, feeds.py, the templates
(as `urls`, with `link(urls.item(…))`), published.py and the MkDocs hooks call these
functions, and tests/test_urls.py fails on a URL put together by hand anywhere else.

- A URL here is site-relative, without a leading slash, in MkDocs' directory form:
  `qingdao/2024/6-3/`; the home page is ``. `absolute(site_url, url)` makes a full URL
  (downloads, feeds, permalinks), `relative(from_url, to_url)` a link between two pages.
- A page's source (`…_src`) is its Markdown path relative to docs_dir,
  `qingdao/2024/6-3.md`: what MkDocs (`File.generated`) and mkdocs-redirects take.
  `from_src` turns it into the URL.
- Top-level names of the site's own folders are `RESERVED`: a city slug must not take one.
"""

from __future__ import annotations

import re
from urllib.parse import quote

RESERVED = frozenset({"about", "all", "assets", "cities", "data", "feeds", "index", "search", "sources", "topics", "404"})
"""Names a city slug (or an old slug in `redirect_from`) must not take: the first path segments
the site uses for itself (content/about, theme and Material assets, the cities index, downloads, feeds, search,
topics, archived sources, the 404 page), `index`, and `all` (feeds/all.atom is the feed of
every city, feeds/<slug>.atom one city's). checks.check_url_space applies them;
tests/test_validate.py checks that every top-level name in content/ and the theme is here."""

RESERVED_TOPIC_IDS = frozenset({"index"})
"""topics/index.md is the topics index: no topic may be called `index`."""

TAG_AUTHORITY = "minsheng-ledger.github.io,2024"  # tag: URI authority (RFC 4151); never change it


# --- pages: URL and Markdown source ---------------------------------------------------------


def home() -> str:
    return ""


def home_src() -> str:
    return "index.md"


def cities() -> str:
    """`cities/`: every city by province (the 城市 tab opens it)."""
    return "cities/"


def cities_src() -> str:
    return "cities/index.md"


def city(slug: str) -> str:
    """`qingdao/`: the city's page with all its lists."""
    return f"{slug}/"


def city_src(slug: str) -> str:
    return f"{slug}/index.md"


def city_year(city: str, year: int) -> str:
    """`qingdao/2024/`: one published list (city and year of publication)."""
    return f"{city}/{year}/"


def city_year_src(city: str, year: int) -> str:
    return f"{city}/{year}/index.md"


def item(city: str, year: int, item_id: str) -> str:
    """`qingdao/2024/6-3/`: one item or sub-item (also the page left for a removed one)."""
    return f"{city}/{year}/{item_id}/"


def item_src(city: str, year: int, item_id: str) -> str:
    return f"{city}/{year}/{item_id}.md"


def item_embed(city: str, year: int, item_id: str) -> str:
    """`qingdao/2024/6-3/embed/`: the item as a small card for other sites' iframes."""
    return f"{item(city, year, item_id)}embed/"


def item_embed_src(city: str, year: int, item_id: str) -> str:
    """The embed card is a finished HTML file, written as it is (not a page a builder renders)."""
    return f"{city}/{year}/{item_id}/embed/index.html"


def embed_stylesheet() -> str:
    return "assets/embed.css"


def favicon() -> str:
    """The site's icon, as Material links it from every page (its default `theme.favicon`): the
    files we write outside MkDocs link it too, or a browser asks for /favicon.ico."""
    return "assets/images/favicon.png"


def progress_anchor(report_id: str) -> str:
    """The id of one progress entry on an item page: `progress-h1`."""
    return f"progress-{report_id}"


def progress(city: str, year: int, item_id: str, report_id: str) -> str:
    """`qingdao/2024/6-3/#progress-h1`: one progress entry of an item."""
    return f"{item(city, year, item_id)}#{progress_anchor(report_id)}"


def changes(city: str, year: int) -> str:
    """`qingdao/2024/changes/`: what changed between the list's progress reports."""
    return f"{city}/{year}/changes/"


def changes_src(city: str, year: int) -> str:
    return f"{city}/{year}/changes.md"


def changes_report(city: str, year: int, report_id: str) -> str:
    """`qingdao/2024/changes/#h1`: what one report changed (its heading's id is the report id)."""
    return f"{changes(city, year)}#{report_id}"


def topics() -> str:
    return "topics/"


def topics_src() -> str:
    return "topics/index.md"


def topic(topic_id: str) -> str:
    """`topics/tuoyu/`: one topic across cities and years."""
    return f"topics/{topic_id}/"


def topic_src(topic_id: str) -> str:
    return f"topics/{topic_id}.md"


def sources_index() -> str:
    """`sources/`: every archived source the site publishes."""
    return "sources/"


def sources_index_src() -> str:
    return "sources/index.md"


def capture_stem(archive: str) -> str:
    """The name of an archived copy in URLs: `sources/captures/001_bf6b.txt` → `001_bf6b`
    (the file name without its folder and extension; captures are named so that it is unique)."""
    name = archive.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name


def source(stem: str) -> str:
    """`sources/001_bf6b/`: the page of one archived source (see capture_stem)."""
    return f"sources/{stem}/"


def source_src(stem: str) -> str:
    return f"sources/{stem}.md"


def source_line_anchor(line: int) -> str:
    """The id of one line of an archived source's page: `L12` (lines as numbered in the file)."""
    return f"L{line}"


def source_line(stem: str, line: int | None) -> str:
    """`sources/001_bf6b/#L12`: one line of an archived source; without a line, the page."""
    return source(stem) + (f"#{source_line_anchor(line)}" if line else "")


def search() -> str:
    """The search page (generator/site/searchindex.py, theme_overrides/assets/search.js)."""
    return "search/"


def search_script() -> str:
    """The search page's script (theme_overrides/assets/, copied to the site by the theme)."""
    return "assets/search.js"


def search_data() -> str:
    """The folder of the search index files (generator/site/searchindex.py)."""
    return "search/data/"


def search_meta() -> str:
    return search_data() + "meta.json"


def search_manifest() -> str:
    return search_data() + "manifest.json"


def search_shard(n: int) -> str:
    """Shard n of the index; search.js asks for `g/<n>.json` under search_data()."""
    return f"{search_data()}g/{n}.json"


def search_doc(n: int) -> str:
    """Page n's own texts as search shows them; search.js asks for `d/<n>.json`."""
    return f"{search_data()}d/{n}.json"


def search_src() -> str:
    return "search.md"


def data_page() -> str:
    """The downloads page: every file with its size, and what the columns mean."""
    return "data/"


def data_page_src() -> str:
    return "data.md"


def format_page(anchor: str = "") -> str:
    """The hand-written data format page (content/about/format.md), or one of its sections."""
    return "about/format/" + (f"#{anchor}" if anchor else "")


def about_page() -> str:
    """The hand-written about page (content/about/index.md)."""
    return "about/"


def corrections() -> str:
    """`about/corrections/`: the corrections log (what was changed in published items, from git)."""
    return "about/corrections/"


def corrections_src() -> str:
    return "about/corrections.md"


def methodology(anchor: str = "") -> str:
    """The hand-written methodology page (content/about/methodology.md), or one of its sections."""
    return "about/methodology/" + (f"#{anchor}" if anchor else "")


# --- downloads and feeds (files, not pages) -------------------------------------------------


def list_json(city: str, year: int) -> str:
    return f"data/{city}/{year}.json"


def list_csv(city: str, year: int) -> str:
    return f"data/{city}/{year}.csv"


def item_json(city: str, year: int, item_id: str) -> str:
    return f"data/{city}/{year}/{item_id}.json"


def all_json() -> str:
    return "data/all.json"


def package_file(name: str) -> str:
    """A file of the Data Package of the whole dataset: `data/all/items.csv`, `data/all/datapackage.json`
    (`all` is reserved, so no city's downloads can be in this folder)."""
    return f"data/all/{name}"


def package_table_name(table: str) -> str:
    """A table's file name inside the Data Package (and its zip): `items.csv`."""
    return f"{table}.csv"


def package_descriptor() -> str:
    return package_file("datapackage.json")


def package_zip() -> str:
    """The Data Package as one zip file: the whole dataset as CSV tables."""
    return "data/minsheng-ledger.zip"


def database() -> str:
    """The whole dataset as one SQLite database."""
    return "data/minsheng-ledger.sqlite"


def record_key(city: str, year: int, record_id: str | None = None) -> str:
    """The key of a row of the Data Package and SQLite tables, shaped like the site's paths:
    `qingdao/2024` for a list, `qingdao/2024/6-3` for one of its items (or `…/h1` for a
    report, a source)."""
    return f"{city}/{year}" + (f"/{record_id}" if record_id else "")


def schema(name: str) -> str:
    """A JSON Schema file of the data format: `data/schema/pledge-list.schema.json`."""
    return f"data/schema/{name}"


def feed_all() -> str:
    return "feeds/all.atom"


def feed_city(slug: str) -> str:
    return f"feeds/{slug}.atom"


def feed_list(city: str, year: int) -> str:
    """`feeds/qingdao/2024.atom`: one list (its publication, its reports, its status changes)."""
    return f"feeds/{city}/{year}.atom"


def feed_item(city: str, year: int, item_id: str) -> str:
    """`feeds/qingdao/2024/6-3.atom`: one item (a parent's feed has its sub-items' entries too)."""
    return f"feeds/{city}/{year}/{item_id}.atom"


def feeds_help() -> str:
    """Where the site says once what a feed is and that nothing is tracked (the data page)."""
    return data_page() + "#feeds"


# --- Atom ids: tag: URIs that depend only on the data, so they survive a move of the site ---


def tag(path: str) -> str:
    return f"tag:{TAG_AUTHORITY}:{path}"


def feed_id(name: str) -> str:
    """The id of feed `feeds/<name>.atom`."""
    return tag(f"feeds/{name}")


def feed_list_id(city: str, year: int) -> str:
    """The id of feed `feeds/<city>/<year>.atom`."""
    return feed_id(f"{city}/{year}")


def feed_item_id(city: str, year: int, item_id: str) -> str:
    """The id of feed `feeds/<city>/<year>/<id>.atom`."""
    return feed_id(f"{city}/{year}/{item_id}")


def list_entry_id(city: str, year: int) -> str:
    return tag(f"{city}/{year}")


def report_entry_id(city: str, year: int, report_id: str) -> str:
    return tag(f"{city}/{year}/report/{report_id}")


def item_entry_id(city: str, year: int, item_id: str) -> str:
    """The id of an item's publication entry (the first entry of its feed)."""
    return tag(f"{city}/{year}/{item_id}")


def progress_entry_id(city: str, year: int, item_id: str, report_id: str) -> str:
    """The id of one item's entry for one report (item feeds)."""
    return tag(f"{city}/{year}/{item_id}/report/{report_id}")


# --- forms of a URL ----------------------------------------------------------------------------


def from_src(src: str) -> str:
    """`qingdao/2024/6-3.md` → `qingdao/2024/6-3/`, `qingdao/index.md` → `qingdao/` (directory URLs)."""
    stem = src[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def base(site_url: str | None) -> str:
    """`https://example.org` → `https://example.org/`; no site_url gives `/` (root-relative)."""
    site_url = (site_url or "").strip()
    return site_url.rstrip("/") + "/" if site_url else "/"


def absolute(site_url: str | None, url: str) -> str:
    """`absolute("https://example.org/ledger", "qingdao/2024/")` → `https://example.org/ledger/qingdao/2024/`."""
    return base(site_url) + url


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


def edit(edit_base: str | None, path: str, line: int | None = None) -> str | None:
    """Where a maintainer edits a data file (a repository blob URL, line anchor optional);
    None without an edit_base."""
    if not edit_base:
        return None
    return f"{edit_base.rstrip('/')}/{path}" + (f"#L{line}" if line else "")


_GITHUB_BLOB = re.compile(r"^(https://github\.com/[\w.-]+/[\w.-]+)/blob/")


def repository(edit_base: str | None) -> str | None:
    """The GitHub repository an edit_base (`https://github.com/<owner>/<repo>/blob/<branch>`,
    as the plugin derives it from GITHUB_REPOSITORY or the `origin` remote) belongs to; None
    without one or for another host."""
    found = _GITHUB_BLOB.match(edit_base or "")
    return found.group(1) if found else None


def new_issue(edit_base: str | None, title: str, body: str) -> str | None:
    """A pre-filled new-issue form on the repository the site was built from; None without one."""
    repo = repository(edit_base)
    if repo is None:
        return None
    return f"{repo}/issues/new?title={quote(title, safe='')}&body={quote(body, safe='')}"
