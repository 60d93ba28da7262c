"""Printing an item page, the Atom feeds of the real build, and per-entry permalinks.

- Print: with print media, the site chrome (header, tabs, sidebars, search, footer, prev/next)
  is hidden, the item's permanent URL is printed, and an A4 PDF of a typical item has 1–3
  pages.
- Atom: every feed in the built site parses with feedparser, validates against RFC 4287's
  RELAX NG schema (tests/fixtures/atom.rng) plus the RFC's two Schematron rules, and every
  link points at a file (and anchor) that exists in the build.
- Permalinks: every progress entry has an anchor and a visible link to it; following the
  link targets the entry and scrolls it into view below the sticky header.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import lxml.html
import pytest
from lxml import etree

from conftest import FIXTURES, ROOT, all_items

ATOM_NS = "http://www.w3.org/2005/Atom"
A = {"a": ATOM_NS}
# mkdocs.yml: `site_url: https://…/`, or `site_url: !ENV [SITE_URL, "https://…/"]` (the default when SITE_URL is unset)
_DEFAULT_SITE_URL = re.search(r"^site_url:.*?[\"']?(https?://[^\s\"'\]]+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
SITE_URL = (os.environ.get("SITE_URL") or _DEFAULT_SITE_URL).rstrip("/") + "/"


def norm(text) -> str:
    return " ".join(str(text).split())


def url_of(city, year, item) -> str:
    return f"{city}/{year}/{item.id}/"


@pytest.fixture(scope="module")
def typical_items(ds):
    """Three kinds of item page: with targets and progress, with sub-items, and a plain one."""
    items = list(all_items(ds))

    def first(wanted):
        return next(((c, y, i) for c, y, i in items if wanted(i)), None)

    picks = [first(lambda i: i.targets and i.progress), first(lambda i: i.subitems), first(lambda i: not i.subitems and not i.progress)]
    assert picks[0], "no item with targets and progress in the data"
    return [p for p in picks if p]


# --- print -------------------------------------------------------------------------------

CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer", ".md-top", ".ml-prevnext", ".ml-edit", ".ml-copy", ".ml-anchor"]


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.browser
def test_item_page_prints_on_a4_with_its_url(browser, site_server, typical_items, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.emulate_media(media="print")
        counts = {}
        for city, year, item in typical_items:
            url = url_of(city, year, item)
            pg.goto(site_server + url)
            pg.wait_for_load_state("load")
            shown = [sel for sel in CHROME if any(el.is_visible() for el in pg.locator(sel).all())]
            assert not shown, f"{url}: printed with {shown}"
            h1 = pg.locator("article h1")
            assert h1.is_visible() and norm(h1.inner_text()) == norm(item.title or item.text)
            assert norm(pg.locator(".ml-pledge blockquote").inner_text()) == norm(item.text) if item.title else True
            permalink = pg.locator(".ml-permalink")
            assert permalink.is_visible(), f"{url}: the permanent URL is not printed"
            assert norm(permalink.inner_text()) == SITE_URL + url
            if item.progress:
                assert pg.locator(".ml-timeline").is_visible()
            pdf = pg.pdf(format="A4", print_background=True)
            (tmp_path / (url.replace("/", "_") + ".pdf")).write_bytes(pdf)
            assert pdf.startswith(b"%PDF")
            counts[url] = pdf_pages(pdf)
        assert all(1 <= n <= 3 for n in counts.values()), f"A4 pages per item (PDFs in {tmp_path}): {counts}"
        # The same page on screen still has its chrome: the print rules are print-only.
        pg.emulate_media(media="screen")
        assert pg.locator(".md-header").is_visible()
    finally:
        context.close()


# --- Atom feeds --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def atom_schema():
    return etree.RelaxNG(etree.parse(str(FIXTURES / "atom.rng")))


@pytest.fixture(scope="module")
def built_feeds(built_site) -> dict:
    paths = sorted((built_site / "feeds").glob("*.atom"))
    assert paths, "no feeds in the build"
    return {p.relative_to(built_site).as_posix(): p.read_bytes() for p in paths}


def test_the_schema_rejects_broken_feeds(atom_schema):
    """The vendored schema is live: it refuses what RFC 4287 refuses."""
    ok = b"""<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:x,2024:f</id><title>t</title>
      <updated>2024-01-01T00:00:00+08:00</updated><author><name>a</name></author>
      <entry><id>tag:x,2024:e</id><title>e</title><updated>2024-01-01T00:00:00+08:00</updated>
      <link rel="alternate" href="https://example.org/"/></entry></feed>"""
    assert atom_schema.validate(etree.fromstring(ok)), atom_schema.error_log
    for broken in (
        ok.replace(b"<id>tag:x,2024:f</id>", b""),  # feed without id
        ok.replace(b"<title>e</title>", b""),  # entry without title
        ok.replace(b"2024-01-01T00:00:00+08:00</updated><author>", b"2024-01-01</updated><author>"),  # not a date-time
        ok.replace(b'href="https://example.org/"', b'title="x"'),  # link without href
    ):
        assert not atom_schema.validate(etree.fromstring(broken)), broken


def test_every_feed_parses_and_validates(built_feeds, atom_schema):
    assert "feeds/all.atom" in built_feeds
    for rel, data in built_feeds.items():
        parsed = feedparser.parse(data)
        assert not parsed.bozo, f"{rel}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10", f"{rel}: {parsed.version}"
        doc = etree.fromstring(data)
        assert atom_schema.validate(doc), f"{rel}: {atom_schema.error_log}"
        entries = doc.findall("a:entry", A)
        assert len(parsed.entries) == len(entries)
        # RFC 4287's Schematron rules (not expressible in RELAX NG).
        if not doc.findall("a:author", A):
            assert all(e.findall("a:author", A) for e in entries), f"{rel}: an entry without author in a feed without author"
        for e in entries:
            assert e.xpath("a:link[@rel='alternate' or not(@rel)] | a:content", namespaces=A), f"{rel}: entry without alternate link or content"
        # What readers need: feed id/title/updated/author, entry id/title/updated.
        assert parsed.feed.get("id") and parsed.feed.get("title") and parsed.feed.get("updated")
        assert parsed.feed.get("author") or all(x.get("author") for x in parsed.entries)
        for x in parsed.entries:
            assert x.get("id") and x.get("title") and x.get("updated"), f"{rel}: {x.get('id')}"


def _resolve(site: Path, href: str) -> Path | None:
    path = unquote(urlsplit(href).path).lstrip("/")
    target = site / path
    if path == "" or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


@functools.cache
def _ids(path: Path) -> frozenset:
    return frozenset(lxml.html.fromstring(path.read_bytes()).xpath("//@id"))


def test_feed_links_are_absolute_and_exist_in_the_build(built_site, built_feeds):
    checked = 0
    missing = []
    for rel, data in built_feeds.items():
        doc = etree.fromstring(data)
        self_links = doc.xpath("a:link[@rel='self']/@href", namespaces=A)
        assert self_links == [SITE_URL + rel], f"{rel}: self link {self_links}"
        hrefs = doc.xpath("//a:link/@href", namespaces=A)
        for e in doc.findall("a:entry", A):  # links inside the entries' HTML
            content = e.findtext("a:content", namespaces=A) or ""
            hrefs += lxml.html.fragment_fromstring(content, create_parent="div").xpath("//a/@href") if content else []
        for href in hrefs:
            assert href.startswith(SITE_URL), f"{rel}: {href} is not an absolute link to the site"
            checked += 1
            target = _resolve(built_site, href[len(SITE_URL) - 1:])
            if target is None:
                missing.append(f"{rel}: {href}")
            elif urlsplit(href).fragment and unquote(urlsplit(href).fragment) not in _ids(target):
                missing.append(f"{rel}: {href} (no such anchor)")
    assert checked > 10
    assert not missing, "\n".join(missing[:20])


# --- per-entry permalinks -------------------------------------------------------------------


def test_every_progress_entry_has_a_visible_permalink_to_itself(ds, built_site):
    problems = []
    n = 0
    for city, year, item in all_items(ds):
        if not item.progress:
            continue
        tree = lxml.html.fromstring((built_site / url_of(city, year, item) / "index.html").read_bytes())
        entries = tree.xpath("//li[contains(@class,'ml-timeline__entry')]")
        if len(entries) != len(item.progress):
            problems.append(f"{url_of(city, year, item)}: {len(entries)} timeline entries for {len(item.progress)} progress entries")
        for li in entries:
            n += 1
            anchor = li.get("id")
            links = li.xpath(".//a[contains(@class,'ml-anchor')]")
            if not anchor or [a.get("href") for a in links] != [f"#{anchor}"]:
                problems.append(f"{url_of(city, year, item)}: entry {anchor!r} has links {[a.get('href') for a in links]}")
            elif not (links[0].get("aria-label") or "").strip():
                problems.append(f"{url_of(city, year, item)}#{anchor}: the permalink has no accessible name")
    assert n > 0
    assert not problems, "\n".join(problems[:20])


@pytest.mark.browser
def test_following_an_entry_permalink_targets_and_shows_the_entry(browser, site_server, ds):
    city, year, item = max(
        ((c, y, i) for c, y, i in all_items(ds) if i.progress),
        key=lambda t: (len(t[2].progress), bool(t[2].targets), bool(t[2].explanation), -len(t[2].text)),
    )
    context = browser.new_context(viewport={"width": 1280, "height": 700}, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.goto(site_server + url_of(city, year, item))
        entry = pg.locator("li.ml-timeline__entry").last
        anchor = entry.get_attribute("id")
        link = entry.locator("a.ml-anchor")
        assert link.is_visible(), "the permalink is not visible on screen"
        pg.evaluate("window.scrollTo(0, 0)")
        link.click()
        pg.wait_for_function("h => location.hash === h", arg=f"#{anchor}")
        assert pg.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == anchor
        box = entry.bounding_box()
        header = pg.locator(".md-header").bounding_box()
        assert box is not None and header is not None
        assert box["y"] >= header["y"] + header["height"] - 1, f"the entry is hidden under the sticky header: {box} vs {header}"
        assert box["y"] < pg.viewport_size["height"], "the entry was not scrolled into view"
        # A fresh visit to the shared URL lands on the same entry.
        pg.goto(site_server + url_of(city, year, item) + f"#{anchor}")
        box = entry.bounding_box()
        header = pg.locator(".md-header").bounding_box()
        assert header["y"] + header["height"] - 1 <= box["y"] < pg.viewport_size["height"]
    finally:
        context.close()
