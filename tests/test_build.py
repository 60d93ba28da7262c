"""The built site, from the real data: every page exists, every link works, nothing is
fetched from a third party, the navigation stays small, bad data stops the build, and the
search index holds Chinese words as whole tokens.

All tests share one `mkdocs build --strict` (the `built_site` session fixture).
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest

from conftest import ROOT, all_items, build_site, copy_data_root
from generator.data.dataset import walk_items

pytestmark = pytest.mark.slow

SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
SITE_HOST = urlsplit(SITE_URL).netloc
LOCAL = "http://site.invalid/"  # stands in for wherever the site is served


def norm(text: str) -> str:
    """HTML-unescaped, whitespace collapsed."""
    return " ".join(html.unescape(str(text)).split())


@pytest.fixture(scope="module")
def site(built_site):
    return _Site(built_site)


class _Site:
    """The built site's HTML files, parsed on demand and cached."""

    def __init__(self, root: Path):
        self.root = root
        self.html_files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))
        self.tree = functools.cache(self._tree)  # per site: the caches go with it
        self.ids = functools.cache(self._ids)

    def _tree(self, rel: str):
        return lxml.html.fromstring((self.root / rel).read_bytes())

    def _ids(self, rel: str) -> frozenset:
        return frozenset(self.tree(rel).xpath("//@id"))

    def resolve(self, rel_path: str) -> str | None:
        """A URL path (without leading slash) → the HTML/asset file that serves it, or None."""
        candidate = self.root / rel_path
        if rel_path == "" or rel_path.endswith("/"):
            candidate = candidate / "index.html"
        elif candidate.is_dir():
            candidate = candidate / "index.html"
        if candidate.is_file():
            return candidate.relative_to(self.root).as_posix()
        return None


def page_dir_url(rel: str) -> str:
    """`qingdao/2024/1/index.html` → `qingdao/2024/1/`; `404.html` → `` (served at /)."""
    return rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""


# --- the build and its pages -----------------------------------------------------------


def test_strict_build_passes(built_site):
    assert (built_site / "index.html").is_file()
    assert (built_site / "search" / "data" / "meta.json").is_file()


def test_every_item_has_a_page_with_its_short_title_as_h1_and_the_verbatim_pledge_under_it(ds, site):
    """The H1 is our short title (the pledge itself where there is none); the pledge follows it, verbatim."""
    missing, wrong = [], []
    n = 0
    for city, year, item in all_items(ds):
        n += 1
        rel = f"{city}/{year}/{item.id}/index.html"
        if not (site.root / rel).is_file():
            missing.append(rel)
            continue
        tree = site.tree(rel)
        h1s = tree.xpath("//article//h1 | //div[contains(@class,'md-content')]//h1")
        h1 = norm(h1s[0].text_content()) if h1s else ""
        if h1 != norm(item.title or item.text):
            wrong.append(f"{rel}: h1 {h1[:80]!r} ≠ {norm(item.title or item.text)[:80]!r}")
        if item.title:
            pledge = tree.xpath("//h1/following-sibling::*[1][contains(@class,'ml-pledge')]//blockquote")
            if not pledge or norm(pledge[0].text_content()) != norm(item.text):
                wrong.append(f"{rel}: the verbatim pledge does not follow the h1")
    assert n > 0
    assert not missing, f"{len(missing)} item pages missing, e.g. {missing[:5]}"
    assert not wrong, f"{len(wrong)} item pages without the short title as h1 and the pledge under it:\n" + "\n".join(wrong[:10])


def test_city_year_and_topic_pages_exist(ds, site):
    expected = [f"{slug}/index.html" for slug in ds.cities]
    expected += [f"{city}/{year}/index.html" for city, year in ds.lists]
    expected += [f"topics/{tid}/index.html" for tid in ds.topics]
    expected += ["index.html", "topics/index.html"]
    missing = [rel for rel in expected if not (site.root / rel).is_file()]
    assert not missing, missing


def test_city_year_pages_link_every_item(ds, site):
    for (city, year), lf in ds.lists.items():
        rel = f"{city}/{year}/index.html"
        links = set()
        for href in site.tree(rel).xpath("//article//a/@href"):
            target = site.resolve(urlsplit(urljoin(LOCAL + page_dir_url(rel), href)).path.lstrip("/"))
            links.add(target)
        unlinked = [item.id for item, _, _ in walk_items(lf.data.items) if f"{city}/{year}/{item.id}/index.html" not in links]
        assert not unlinked, f"{rel} does not link to items {unlinked[:10]}"


# --- links -----------------------------------------------------------------------------


def _links(tree):
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("href", "src"):
            value = el.get(attr)
            if value is not None:
                yield el, attr, value.strip()


def test_every_internal_link_and_fragment_resolves(site):
    broken, bad_fragments = [], []
    checked = fragments = 0
    for rel in site.html_files:
        base = LOCAL + page_dir_url(rel)
        for el, attr, value in _links(site.tree(rel)):
            if value == "" or value.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue
            if value.startswith("#"):
                # Same-page anchors: only the timeline's permanent anchors are checked.
                frag = unquote(value[1:])
                if frag.startswith("progress-"):
                    fragments += 1
                    if frag not in site.ids(rel):
                        bad_fragments.append(f"{rel}: {value}")
                continue
            url = urlsplit(urljoin(base, value))
            if url.scheme in ("http", "https") and url.netloc not in ("site.invalid", SITE_HOST):
                continue  # a link to another site (sources, the data repository)
            checked += 1
            target = site.resolve(unquote(url.path).lstrip("/"))
            if target is None:
                broken.append(f"{rel}: <{el.tag} {attr}={value!r}>")
                continue
            if url.fragment and target.endswith(".html"):
                fragments += 1
                if unquote(url.fragment) not in site.ids(target):
                    bad_fragments.append(f"{rel}: {value} (no id {url.fragment!r} in {target})")
    assert checked > 1000, f"only {checked} internal links found: is the site complete?"
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:20])
    assert not bad_fragments, f"{len(bad_fragments)} links to missing anchors:\n" + "\n".join(bad_fragments[:20])


def test_timeline_anchors_exist_for_every_progress_entry(ds, site):
    """Item pages carry `id="progress-<report>"` for each progress entry: those are cited."""
    missing = []
    n = 0
    for city, year, item in all_items(ds):
        rel = f"{city}/{year}/{item.id}/index.html"
        for entry in item.progress:
            n += 1
            if f"progress-{entry.report}" not in site.ids(rel):
                missing.append(f"{rel}#progress-{entry.report}")
    assert not missing, missing[:20]


# --- no third parties ------------------------------------------------------------------

_LOADING_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}
_CDN = re.compile(r"fonts\.googleapis|fonts\.gstatic|unpkg|jsdelivr|cdnjs")
# Material's own bundle carries two dormant loaders that fetch from unpkg.com only when
# (a) the browser lacks ResizeObserver (none of the browsers Material supports) or (b) a page
# contains a Mermaid diagram (checked below: none does). They are allowed here and nowhere else.
_MATERIAL_DORMANT = re.compile(r'"https://unpkg\.com/(?:resize-observer-polyfill|mermaid@[\d.]+/dist/mermaid\.min\.js)"')


def _third_party(value: str) -> bool:
    url = urlsplit(urljoin(LOCAL, value))
    return url.scheme not in ("http", "https", "") or url.netloc != "site.invalid"


def test_no_page_loads_anything_from_a_third_party_host(site):
    offenders = []
    for rel in site.html_files:
        tree = site.tree(rel)
        loads = [(el.tag, el.get("src")) for el in tree.xpath("//script[@src] | //img[@src] | //iframe[@src] | //source[@src] | //video[@src] | //audio[@src] | //embed[@src]")]
        loads += [(el.tag, el.get("data")) for el in tree.xpath("//object[@data]")]
        for el in tree.xpath("//link[@href]"):
            rels = set((el.get("rel") or "").lower().split())
            if rels & _LOADING_LINK_RELS:
                loads.append((f"link rel={el.get('rel')}", el.get("href")))
        for tag, value in loads:
            if not value.startswith("data:") and _third_party(value):
                offenders.append(f"{rel}: <{tag}> {value}")
        if tree.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' mermaid ')]"):
            offenders.append(f"{rel}: a Mermaid diagram would make Material load mermaid from unpkg.com")
    assert not offenders, "\n".join(offenders[:20])


def test_no_cdn_or_google_fonts_anywhere_in_the_built_files(site):
    offenders = []
    files = [p for p in site.root.rglob("*") if p.suffix in (".html", ".css", ".js", ".json", ".xml", ".svg")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(site.root).as_posix()
        if rel.startswith("assets/javascripts/bundle."):
            text = _MATERIAL_DORMANT.sub('""', text)
        for m in _CDN.finditer(text):
            offenders.append(f"{rel}: …{text[max(0, m.start() - 60):m.end() + 40]}…")
    assert not offenders, f"{len(offenders)} third-party references:\n" + "\n".join(offenders[:20])


# --- navigation size -------------------------------------------------------------------


def _primary_nav(site, rel: str) -> list[str]:
    nav = site.tree(rel).xpath("//nav[contains(@class,'md-nav--primary')]")[0]
    return [norm(el.text_content()) for el in nav.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' md-nav__link ')]")]


def test_navigation_groups_cities_by_province_and_carries_only_the_own_province(ds, site):
    """Every city is in the nav under its province; a page carries the province names and
    its own province's cities only (navigation.prune), so pages do not grow with the number
    of cities; item pages carry none."""
    provinces = {}
    for slug, city in ds.cities.items():
        provinces.setdefault(city.province, set()).add(slug)
    for slug, city in ds.cities.items():
        names = _primary_nav(site, f"{slug}/index.html")
        assert set(provinces) <= set(names), f"{slug}: provinces missing from the nav"
        own = {ds.cities[s].short_name for s in provinces[city.province]}
        assert own <= set(names), f"{slug}: cities of {city.province} missing from the nav: {own - set(names)}"
        others = {ds.cities[s].short_name for p, slugs in provinces.items() if p != city.province for s in slugs}
        assert not others & set(names), f"{slug}: the nav carries other provinces' cities"
    c, y, item = next(all_items(ds))
    names = _primary_nav(site, f"{c}/{y}/{item.id}/index.html")
    assert not {city.short_name for city in ds.cities.values()} & set(names)


def test_item_pages_are_not_in_the_navigation(ds, site):
    n_items = sum(1 for _ in all_items(ds))
    rel = "qingdao/2024/1/index.html" if (site.root / "qingdao/2024/1/index.html").is_file() else next(
        f"{c}/{y}/{i.id}/index.html" for c, y, i in all_items(ds)
    )
    tree = site.tree(rel)
    nav_links = tree.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' md-nav__link ')]")
    assert len(nav_links) < max(30, n_items // 5), f"{len(nav_links)} nav links for {n_items} items"
    item_pages = {f"{c}/{y}/{i.id}/index.html" for c, y, i in all_items(ds)}
    in_nav = []
    for el in nav_links:
        href = el.get("href")
        if href and not href.startswith("#"):
            target = site.resolve(urlsplit(urljoin(LOCAL + page_dir_url(rel), href)).path.lstrip("/"))
            if target in item_pages:
                in_nav.append(href)
    assert not in_nav, f"item pages in the navigation: {in_nav[:10]}"


# --- bad data stops the build ----------------------------------------------------------


def test_a_data_error_stops_the_build_and_leaves_old_output_alone(tmp_path):
    root = copy_data_root(tmp_path)
    year_file = sorted((root / "data").glob("*/[0-9][0-9][0-9][0-9].yml"))[0]
    lines = year_file.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("kind:"))
    lines.insert(at + 1, "kind: 重复的键\n")  # a duplicate top-level key on line at + 2
    year_file.write_text("".join(lines), encoding="utf-8")
    rel = year_file.relative_to(root).as_posix()

    out = tmp_path / "out"
    out.mkdir()
    (out / "MARKER").write_text("old output", encoding="utf-8")
    (out / "index.html").write_text("<p>old site</p>", encoding="utf-8")

    result = build_site(out, data_root=root)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert f"{rel}:{at + 2}:" in log, f"the error should name {rel}:{at + 2}:\n{log}"
    assert "duplicate key" in log
    assert sorted(p.name for p in out.iterdir()) == ["MARKER", "index.html"]
    assert (out / "MARKER").read_text(encoding="utf-8") == "old output"
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>old site</p>"


