"""Every URL of the site comes from generator/core/urls.py, and the scheme does not change.

The expected strings are written out by hand on purpose: they are the permanent URLs that
journalists cite, so a change to urls.py that moves one must fail here.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.core import urls
from generator.data import schema
from generator.data.dataset import walk_items
from generator.exports import downloads, tables
from generator.site import feeds, pages

GENERATOR = ROOT / "generator"


# --- the scheme --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, expected",
    [
        (urls.home(), ""),
        (urls.city("qingdao"), "qingdao/"),
        (urls.city_year("qingdao", 2024), "qingdao/2024/"),
        (urls.item("qingdao", 2024, "6-3"), "qingdao/2024/6-3/"),
        (urls.progress("qingdao", 2024, "6-3", "2024-h1"), "qingdao/2024/6-3/#progress-2024-h1"),
        (urls.progress_anchor("2024-h1"), "progress-2024-h1"),
        (urls.changes("qingdao", 2024), "qingdao/2024/changes/"),
        (urls.changes_report("qingdao", 2024, "h1"), "qingdao/2024/changes/#h1"),
        (urls.cities(), "cities/"),
        (urls.topics(), "topics/"),
        (urls.topic("tuoyu"), "topics/tuoyu/"),
        (urls.data_page(), "data/"),
        (urls.about_page(), "about/"),
        (urls.format_page("downloads"), "about/format/#downloads"),
        (urls.methodology(), "about/methodology/"),
        (urls.methodology("changes"), "about/methodology/#changes"),
        (urls.sources_index(), "sources/"),
        (urls.source("001_bf6b56c9ad327146"), "sources/001_bf6b56c9ad327146/"),
        (urls.source_line("001_bf6b56c9ad327146", 99), "sources/001_bf6b56c9ad327146/#L99"),
        (urls.source_line("001_bf6b56c9ad327146", None), "sources/001_bf6b56c9ad327146/"),
        (urls.source_line_anchor(99), "L99"),
        (urls.capture_stem("sources/captures/001_bf6b56c9ad327146.txt"), "001_bf6b56c9ad327146"),
    ],
)
def test_every_page_has_its_permanent_url(url, expected):
    assert url == expected


@pytest.mark.parametrize(
    "src, expected",
    [
        (urls.home_src(), "index.md"),
        (urls.city_src("qingdao"), "qingdao/index.md"),
        (urls.city_year_src("qingdao", 2024), "qingdao/2024/index.md"),
        (urls.item_src("qingdao", 2024, "6-3"), "qingdao/2024/6-3.md"),
        (urls.changes_src("qingdao", 2024), "qingdao/2024/changes.md"),
        (urls.topics_src(), "topics/index.md"),
        (urls.topic_src("tuoyu"), "topics/tuoyu.md"),
        (urls.sources_index_src(), "sources/index.md"),
        (urls.data_page_src(), "data.md"),
        (urls.source_src("001_bf6b56c9ad327146"), "sources/001_bf6b56c9ad327146.md"),
    ],
)
def test_every_generated_page_has_its_markdown_source(src, expected):
    assert src == expected


@pytest.mark.parametrize(
    "src, url",
    [
        (urls.home_src(), urls.home()),
        (urls.city_src("qingdao"), urls.city("qingdao")),
        (urls.city_year_src("qingdao", 2024), urls.city_year("qingdao", 2024)),
        (urls.item_src("qingdao", 2024, "6-3"), urls.item("qingdao", 2024, "6-3")),
        (urls.changes_src("qingdao", 2024), urls.changes("qingdao", 2024)),
        (urls.topics_src(), urls.topics()),
        (urls.topic_src("tuoyu"), urls.topic("tuoyu")),
        (urls.sources_index_src(), urls.sources_index()),
        (urls.source_src("001_bf6b56c9ad327146"), urls.source("001_bf6b56c9ad327146")),
    ],
)
def test_a_pages_source_becomes_its_url_the_way_mkdocs_makes_it(src, url):
    assert urls.from_src(src) == url


@pytest.mark.parametrize(
    "path, expected",
    [
        (urls.list_csv("qingdao", 2024), "data/qingdao/2024.csv"),
        (urls.list_json("qingdao", 2024), "data/qingdao/2024.json"),
        (urls.item_json("qingdao", 2024, "6-3"), "data/qingdao/2024/6-3.json"),
        (urls.all_json(), "data/all.json"),
        (urls.package_zip(), "data/minsheng-ledger.zip"),
        (urls.package_descriptor(), "data/all/datapackage.json"),
        (urls.package_file(urls.package_table_name("items")), "data/all/items.csv"),
        (urls.database(), "data/minsheng-ledger.sqlite"),
        (urls.record_key("qingdao", 2024), "qingdao/2024"),
        (urls.record_key("qingdao", 2024, "6-3"), "qingdao/2024/6-3"),
        (urls.schema("pledge-list.schema.json"), "data/schema/pledge-list.schema.json"),
        (urls.feed_all(), "feeds/all.atom"),
        (urls.feed_city("qingdao"), "feeds/qingdao.atom"),
        (urls.feed_list("qingdao", 2024), "feeds/qingdao/2024.atom"),
        (urls.feed_item("qingdao", 2024, "6-3"), "feeds/qingdao/2024/6-3.atom"),
    ],
)
def test_downloads_and_feeds_have_their_permanent_paths(path, expected):
    assert path == expected


def test_feed_entry_ids_are_tag_uris_that_never_change():
    assert urls.TAG_AUTHORITY == "minsheng-ledger.github.io,2024"
    assert urls.feed_id("all") == "tag:minsheng-ledger.github.io,2024:feeds/all"
    assert urls.feed_id("qingdao") == "tag:minsheng-ledger.github.io,2024:feeds/qingdao"
    assert urls.list_entry_id("qingdao", 2024) == "tag:minsheng-ledger.github.io,2024:qingdao/2024"
    assert urls.report_entry_id("qingdao", 2024, "h1") == "tag:minsheng-ledger.github.io,2024:qingdao/2024/report/h1"


def test_every_download_and_feed_the_build_writes_has_a_urls_function(ds):
    """downloads.py and feeds.py write no file whose path urls.py cannot give."""
    known = {urls.all_json(), urls.feed_all(), urls.package_zip(), urls.database(), urls.package_descriptor()}
    known |= {urls.package_file(urls.package_table_name(t.name)) for t in tables.TABLES}
    known |= {urls.schema(name) for name in schema.SCHEMAS}
    known |= {urls.feed_city(slug) for slug in ds.cities}
    for (city, year), lf in ds.lists.items():
        known |= {urls.list_csv(city, year), urls.list_json(city, year), urls.feed_list(city, year)}
        known |= {urls.item_json(city, year, item.id) for item, _, _ in walk_items(lf.data.items)}
        known |= {urls.feed_item(city, year, item.id) for item, _, _ in walk_items(lf.data.items)}
    assert set(downloads.export_files(ds, "https://example.org/")) | set(feeds.feed_files(ds, "https://example.org/")) == known


def test_every_generated_page_is_at_a_urls_source(ds):
    site = pages.Site(ds, site_url="https://example.org/")
    known = {urls.home_src(), urls.cities_src(), urls.topics_src(), urls.sources_index_src(), urls.data_page_src(), urls.search_src(), urls.corrections_src()}
    known |= {urls.city_src(slug) for slug in ds.cities}
    known |= {urls.topic_src(t) for t in ds.topics}
    for (city, year), lf in ds.lists.items():
        known |= {urls.source_src(urls.capture_stem(s.archive)) for s in lf.data.sources if s.archive}
        known |= {urls.city_year_src(city, year), urls.changes_src(city, year)}
        known |= {urls.item_src(city, year, item.id) for item, _, _ in walk_items(lf.data.items)}
        known |= {urls.item_embed_src(city, year, item.id) for item, _, _ in walk_items(lf.data.items)}
        known |= {urls.item_src(city, year, old) for old in lf.data.removed_ids}
    assert {p.src for p in site.pages()} == known


def test_the_sites_own_top_level_folders_are_reserved():
    """A city slug that took one of these would collide with the site's own pages or files."""
    own = {urls.cities(), urls.topics(), urls.data_page(), urls.feed_all(), urls.methodology(), urls.list_csv("x", 2024), urls.sources_index(), urls.source("x"), urls.database()}
    assert {u.split("/")[0] for u in own} <= urls.RESERVED
    assert {"search", "assets"} <= urls.RESERVED  # Material's search page and theme files
    # the Data Package's folder sits beside the cities' download folders (data/<city>/): a reserved name
    assert urls.package_descriptor().split("/")[1] in urls.RESERVED


def test_no_city_uses_a_reserved_name(ds):
    assert not set(ds.cities) & urls.RESERVED


# --- absolute and relative links ------------------------------------------------------------


@pytest.mark.parametrize(
    "site_url, expected",
    [
        ("https://example.org/", "https://example.org/qingdao/2024/6-3/"),
        ("https://example.org", "https://example.org/qingdao/2024/6-3/"),
        ("https://example.org/ledger", "https://example.org/ledger/qingdao/2024/6-3/"),
        ("https://example.org/ledger/", "https://example.org/ledger/qingdao/2024/6-3/"),
        ("", "/qingdao/2024/6-3/"),
        (None, "/qingdao/2024/6-3/"),
    ],
)
def test_an_absolute_url_joins_site_url_and_path_with_one_slash(site_url, expected):
    assert urls.absolute(site_url, urls.item("qingdao", 2024, "6-3")) == expected


def test_the_home_page_absolute_url_is_the_site_url():
    assert urls.absolute("https://example.org/ledger", urls.home()) == "https://example.org/ledger/"
    assert urls.base("") == "/"


@pytest.mark.parametrize(
    "src, to, expected",
    [
        ("qingdao/2024/6-3/", "qingdao/2024/", "../"),
        ("qingdao/2024/6-3/", "qingdao/2024/6-4/", "../6-4/"),
        ("", "qingdao/", "qingdao/"),
        ("qingdao/", "", "../"),
        ("topics/tuoyu/", "qingdao/2024/3-1/#progress-h1", "../../qingdao/2024/3-1/#progress-h1"),
        ("qingdao/2024/", "data/qingdao/2024.csv", "../../data/qingdao/2024.csv"),
        ("qingdao/2024/6-3/", "qingdao/2024/6-3/", "./"),
    ],
)
def test_relative_links(src, to, expected):
    assert urls.relative(src, to) == expected


segment = st.sampled_from(["qingdao", "2024", "6-3", "data", "a.csv", "topics"])


@settings(max_examples=500, deadline=None)
@given(st.lists(segment, max_size=4), st.lists(segment, max_size=4), st.booleans(), st.sampled_from(["", "#progress-h1"]))
def test_relative_links_agree_with_posixpath(here, there, file_target, fragment):
    """`relative` is a fast posixpath.relpath for page URLs (directories ending in /)."""
    from_url = "".join(p + "/" for p in here)
    target = "/".join(there) + ("" if file_target or not there else "/")
    expected = posixpath.relpath("/" + target, "/" + from_url)
    expected = "./" if expected == "." else expected + ("/" if target.endswith("/") or target == "" else "")
    assert urls.relative(from_url, target + fragment) == expected + fragment


def test_edit_links_point_at_the_data_file_and_its_line():
    base = "https://github.com/o/r/blob/main"
    assert urls.edit(base, "data/qingdao/2024.yml") == "https://github.com/o/r/blob/main/data/qingdao/2024.yml"
    assert urls.edit(base + "/", "data/qingdao/2024.yml", 79) == "https://github.com/o/r/blob/main/data/qingdao/2024.yml#L79"
    assert urls.edit(None, "data/qingdao/2024.yml", 79) is None and urls.edit("", "x") is None


# --- nothing else builds a URL ------------------------------------------------------------------

# Signs of a URL or page path put together by hand. Python: in f-strings and concatenation.
PY_SIGNS = [
    ("two path segments from placeholders", re.compile(r"\}/\{[^{}]*\}/")),
    ("a base and a path from placeholders", re.compile(r"\}\{[^{}]*\}/")),
    ("a page source or download from a placeholder", re.compile(r"\}(/[\w-]*)?\.(md|json|csv|atom)\b")),
    ("a site folder and a placeholder", re.compile(r"\b(topics|feeds)/\{")),
    ("a path segment or fragment added to a string", re.compile(r"\+\s*f?[\"'](#|[\w-]+/)")),
    ("a progress anchor", re.compile(r"progress-\{")),
]
# Templates: `~` with a path literal, link() of a literal, a literal href, the site_url.
J2_SIGNS = [
    ("`~` with a path literal", re.compile(r"[\"'][^\"'\n]*/[^\"'\n]*[\"']\s*~|~\s*[\"'][^\"'\n]*/")),
    ("link() of a literal", re.compile(r"\blink\(\s*[\"']")),
    ("a literal href", re.compile(r"href=\"(?!\{\{|#)")),
    ("a progress anchor", re.compile(r"progress-\{\{")),
    ("site_url in a template", re.compile(r"site_url")),
]
# Another site's URL written out (`https://www.example.gov.cn/…` in synthetic sources) is not ours:
# our own host is never written in code, it comes from site_url.
OTHER_SITES = re.compile(r"https?://[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/[^\"'\s]*")

def hand_built_urls(text: str, template: bool = False) -> list[str]:
    """`line: what` for every line of a Python module or a template that builds a URL by hand."""
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        line = OTHER_SITES.sub("", line)
        found += [f"{n}: {what}: {line.strip()}" for what, sign in (J2_SIGNS if template else PY_SIGNS) if sign.search(line)]
    return found


def _scanned() -> list[Path]:
    files = [p for folder in (GENERATOR, ROOT / "benchmarks") for p in sorted(folder.rglob("*.py")) + sorted(folder.rglob("*.j2"))]
    assert len(files) > 30, "the scan should see every module and template"
    # benchmarks/floor.py writes another site (the plain-Material floor), whose paths are its own
    return [p for p in files if p.name != "urls.py" and p.relative_to(ROOT).as_posix() != "benchmarks/floor.py"]


@pytest.mark.parametrize("path", _scanned(), ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_but_urls_py_builds_a_url(path: Path):
    assert hand_built_urls(path.read_text(encoding="utf-8"), template=path.suffix == ".j2") == []


@pytest.mark.parametrize(
    "line",
    [  # lines of the code before urls.py
        """<a href="{{ link(pl.city ~ '/' ~ pl.year ~ '/' ~ item.id ~ '/' ~ ('#progress-' ~ snap.report.id if snap else '')) }}">""",
        """<a href="{{ link('data/' ~ pl.city ~ '/' ~ pl.year ~ '.csv') }}" download>CSV</a>""",
        """<a href="{{ link(city.slug ~ '/') }}">{{ city.name }}</a>""",
        """<a href="{{ link('') }}">首页</a>""",
        """<a href="{{ link('about/methodology/#changes') }}">方法说明</a>""",
        """<li class="ml-timeline__entry" id="progress-{{ report.id }}">""",
        """<dd><code class="ml-permalink">{{ site.site_url }}{{ page_url }}</code></dd>""",
        """<a href="qingdao/2024/">青岛</a>""",
    ],
)
def test_the_check_finds_urls_built_by_hand_in_a_template(line):
    assert hand_built_urls(line, template=True)


@pytest.mark.parametrize(
    "line",
    [  # lines of the code before urls.py, and of published.py
        'return f"{base_url(site_url)}{city}/{year}/{item_id}/"',
        'return f"{base_url(site_url)}{city}/{year}/"',
        'out[f"{stem}/{item.id}.json"] = item_json(ds, lf, item, parent, site_url)',
        'f"{base}{slug}/",',
        'f"{pl.city}/{pl.year}/index.md",',
        'return self._render("topic.md.j2", f"topics/{topic_id}.md", topic=topic)',
        'href = item_url(site_url, pl.city, pl.year, item.id) + f"#progress-{report.id}"',
        'link=city_year_url(site_url, pl.city, pl.year) + f"changes/#{report.id}",',
        'out[f"{old}/index.md"] = f"{slug}/index.md"',
        'url = f"http://127.0.0.1:{port}/{city}/{year}/1/"',
    ],
)
def test_the_check_finds_urls_built_by_hand_in_python(line):
    assert hand_built_urls(line)


@pytest.mark.parametrize(
    "line",
    [  # not URLs of the site: repository paths, messages, other sites, URLs from urls.py
        'rel = f"data/{slug}/city.yml"',
        'return full.parents[2], f"data/{full.parent.name}/{full.name}"',
        'names = {rel for rel in overrides if rel.startswith(folder + "/")}',
        'for task in Path(f"/proc/{pid}/task").glob("*/children"):',
        'return server, f"http://127.0.0.1:{server.server_address[1]}/"',
        '"url": f"https://www.example.gov.cn/{slug}/{year}/fabu.html"',
        'raise PluginError(f"content/{page.src} would hide a generated page; rename it")',
        '"url": urls.absolute(site_url, urls.item(pl.city, pl.year, item.id)),',
    ],
)
def test_the_check_leaves_other_paths_alone(line):
    assert hand_built_urls(line) == []


def test_the_check_leaves_templates_that_use_urls_alone():
    text = (GENERATOR / "site" / "templates" / "item.md.j2").read_text(encoding="utf-8")
    assert "link(urls.item(" in text and hand_built_urls(text, template=True) == []
