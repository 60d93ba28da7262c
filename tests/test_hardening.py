"""Hardening: hostile text stays inert text, builds are reproducible and atomic, and the
validator survives malformed files with a clear error in bounded memory.

- Hostile input: tests/fixtures/hostile/data puts <script>, <img onerror>, javascript: links,
  Markdown, Jinja syntax and layout breakers in every text field that reaches a page. Built
  once (strict); every page is checked as HTML and in Chromium, and so are the downloads
  (CSV formula injection included) and the Atom feeds.
- Reproducible: the same data builds byte-identical sites, whatever PYTHONHASHSEED, with or
  without SOURCE_DATE_EPOCH (the hook then takes the newest date in the data).
- Atomic: `make site` on a copy of the repository keeps the previous site/ when the data or
  the build fails, and swaps the new one in when it succeeds.
- Fuzz: every file in tests/fixtures/fuzz (plus huge and deeply nested files made here) ends
  in errors naming the file, never in an exception or a crash, in bounded memory.
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import errno
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import lxml.html
import pytest

from conftest import FIXTURES, ROOT, build_site, serve_folder
from generator.data.dataset import load_dataset, walk_items

HOSTILE = FIXTURES / "hostile"
MINI = FIXTURES / "mini"
FUZZ = FIXTURES / "fuzz"
ATOM = "{http://www.w3.org/2005/Atom}"
# What a payload would leave behind if it became markup: anywhere, and on generated pages
# (whose templates make no admonition, rule or code block, and only tables of their own).
PAYLOAD_ELEMENTS = "img[src='x'], svg[onload], #injected-id, .injected-class"
GENERATED_ONLY = ".md-content .admonition, .md-content hr, .md-content pre, .md-content table:not([class*='ml-'])"
PAYLOAD_XPATH = "//img[@src='x'] | //svg[@onload] | //*[@id='injected-id'] | //*[contains(concat(' ', @class, ' '), ' injected-class ')]"
GENERATED_ONLY_XPATH = "//article//*[contains(concat(' ', @class, ' '), ' admonition ')] | //article//hr | //article//pre | //article//table[not(contains(@class, 'ml-'))]"


def norm(text) -> str:
    return " ".join(str(text).split())


def paragraphs(text) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


# --- the hostile fixture, built once ---------------------------------------------------


@pytest.fixture(scope="session")
def hostile_ds():
    ds = load_dataset(HOSTILE)
    assert ds.errors == [], "\n".join(map(str, ds.errors))
    return ds


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory, hostile_ds) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "site"
    result = build_site(out, data_root=HOSTILE)
    assert result.returncode == 0, f"strict build of the hostile fixture failed:\n{result.stdout}\n{result.stderr[-5000:]}"
    return out


@pytest.fixture(scope="session")
def hostile_server(hostile_site):
    with serve_folder(hostile_site) as base:
        yield base


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def generated(rel: str) -> bool:
    """Pages the generator made from the data (not the hand-written ones in content/)."""
    return rel == "index.html" or rel.startswith(("hostile/", "zhuru/", "topics/"))


def expected_texts(ds) -> dict:
    """Page → [(CSS selector, literal text that must be shown there)]."""
    pl = ds.lists[("hostile", 2024)].data
    city, city2 = ds.cities["hostile"], ds.cities["zhuru"]
    item = pl.items[0]
    sub = item.subitems[0]
    topic = ds.topics["eyi"]
    h1, ye = item.progress
    return {
        "hostile/2024/1/": [
            (".md-content h1", norm(item.title)),
            (".ml-pledge", norm(item.text)),
            (".ml-kicker", norm(city.name)),
            (".ml-kicker", norm(item.label)),
            (".ml-summary", norm("、".join(item.lead))),
            (".ml-summary", norm(ye.status_text)),
            (".ml-targets", norm(item.targets[0].text)),
            (".ml-targets", norm(item.targets[0].metric)),
            (".ml-timeline", norm(h1.status_text)),
            (".ml-timeline", norm(h1.note)),
            (".ml-timeline", norm(pl.reports[0].title)),
            (".ml-sources", norm(pl.sources[0].title)),
            (".ml-sources", norm(pl.sources[0].publisher)),
            (".ml-sources", norm(pl.sources[0].document_number)),
            (".md-content", norm(item.note)),
            (".ml-related", norm(pl.items[1].title)),
            (".ml-cite", norm(city.name)),
        ]
        + [("#explanation + .ml-verbatim", norm(p)) for p in paragraphs(item.explanation)]
        + [("#goal + .ml-verbatim", norm(p)) for p in paragraphs(item.goal)]
        + [(".ml-timeline", norm(p)) for p in paragraphs(h1.text)],
        "hostile/2024/1-1/": [(".md-content h1", norm(sub.title)), (".ml-pledge", norm(sub.text))],
        "hostile/2024/": [
            (".md-content h1", norm(pl.title)),
            (".md-content", norm(pl.sections[0].label + pl.sections[0].title)),
            (".md-content", norm(pl.sections[1].label + pl.sections[1].title)),
            ("#alternatives + p + ul", norm(pl.alternatives[0])),
            (".ml-facts", norm(pl.issuer)),
            (".ml-ptable", norm(item.title)),
            (".ml-note", norm(pl.note)),
        ]
        + [(".ml-verbatim", norm(p)) for p in paragraphs(pl.reports[0].summary)],
        "hostile/": [(".md-content h1", norm(city.name)), (".ml-facts", norm(city.province)), (".ml-facts", norm(city.parent)), (".ml-note", norm(city.note))],
        "zhuru/": [(".md-content h1", norm(city2.name))],
        "topics/eyi/": [(".md-content h1", norm(topic.name)), (".ml-lead", norm(topic.description))],
        "": [(".ml-cards", norm(city.name)), (".ml-reports", norm(pl.reports[1].title))],
    }


# --- hostile input: static HTML ----------------------------------------------------------


def test_hostile_fixture_puts_payloads_in_every_text_field(hostile_ds):
    """Guard for the fixture itself: every text field it fills carries the payload."""
    texts = []

    def collect(obj, path):
        if isinstance(obj, str):
            texts.append((path, obj))
        elif isinstance(obj, dict):
            for k, v in obj.items():
                collect(v, f"{path}.{k}")
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                collect(v, f"{path}[{i}]")

    collect({s: c.model_dump(mode="json") for s, c in hostile_ds.cities.items()}, "cities")
    collect({t: x.model_dump(mode="json") for t, x in hostile_ds.topics.items()}, "topics")
    collect({f"{c}/{y}": lf.data.model_dump(mode="json") for (c, y), lf in hostile_ds.lists.items()}, "lists")
    carrying = {re.sub(r"\[\d+\]", "[]", p.rsplit(".", 1)[-1]) for p, t in texts if "<script>" in t}
    text_fields = {
        "title", "text", "explanation", "goal", "note", "summary", "status_text", "publisher", "issuer", "kind",
        "label", "name", "short_name", "province", "parent", "description", "unit", "metric", "document_number",
        "obtained", "lead[]", "alternatives[]", "keywords[]", "value_differs",
    }
    assert text_fields <= carrying, f"text fields without a payload: {sorted(text_fields - carrying)}"


def test_hostile_build_has_no_markup_from_the_data(hostile_site):
    offenders = []
    pages = html_pages(hostile_site)
    assert len(pages) >= 15
    for rel in pages:
        raw = (hostile_site / rel).read_text(encoding="utf-8")
        tree = lxml.html.fromstring(raw)
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            for name, value in el.attrib.items():
                if name.lower().startswith("on"):
                    offenders.append(f"{rel}: <{el.tag} {name}=…>")
                if name.lower() in ("href", "src", "action", "formaction") and re.match(r"\s*(javascript|vbscript):", value, re.I):
                    offenders.append(f"{rel}: <{el.tag} {name}={value[:40]!r}>")
        for script in tree.xpath("//script[not(@type='application/ld+json')]"):  # the scripts a browser runs
            if re.search(r"pwned|alert\(", script.text or ""):
                offenders.append(f"{rel}: <script>{(script.text or '')[:40]}")
        for script in tree.xpath("//script[@type='application/ld+json']"):  # data (the data page's Dataset): JSON, no markup
            json.loads(script.text)
            if re.search(r"[<>&]", script.text):
                offenders.append(f"{rel}: markup characters in JSON-LD")
        if tree.xpath(PAYLOAD_XPATH) or (generated(rel) and tree.xpath(GENERATED_ONLY_XPATH)):
            offenders.append(f"{rel}: an element from a payload")
        if generated(rel) and len(tree.xpath("//article//h1")) != 1:
            offenders.append(f"{rel}: not exactly one main heading")
        if re.search(r"<script>(window|alert)|<img src=x|<svg onload|href=\"?javascript:", raw, re.I) or (generated(rel) and re.search(r"<pre|<code class=\"language-", raw)):
            offenders.append(f"{rel}: raw payload markup in the HTML source")
    assert not offenders, "\n".join(offenders[:30])


def test_hostile_page_titles_and_meta_are_the_literal_text(hostile_site, hostile_ds):
    """Material inserts title/description unescaped: they must arrive escaped, once."""
    pl = hostile_ds.lists[("hostile", 2024)].data
    item = pl.items[0]
    tree = lxml.html.fromstring((hostile_site / "hostile/2024/1/index.html").read_bytes())
    title = tree.findtext(".//title")
    assert title.startswith(norm(f"{hostile_ds.cities['hostile'].short_name} 2024 · 1 {item.title}")), title[:200]
    description = tree.xpath("//meta[@name='description']/@content")[0]
    assert norm(item.text)[:100] in description
    assert tree.xpath("//meta[@property='og:title']/@content")[0] == title.rsplit(" - ", 1)[0]
    nav = lxml.html.fromstring((hostile_site / "zhuru/index.html").read_bytes())  # the nav shows a page's own province
    names = [norm(a.text_content()) for a in nav.xpath("//*[contains(@class,'md-nav__link')]")]
    city = hostile_ds.cities["zhuru"]
    assert norm(city.short_name) in names, "the city name in the navigation is not shown literally"
    assert norm(city.province) in names, "the province name in the navigation is not shown literally"


# --- hostile input: in the browser -------------------------------------------------------

_DOM_CHECK = """(selector) => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = a.value.replace(/\\s+/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(`<${el.tagName} ${name}>`);
      if (/(^|:)(href|src|action|formaction)$/.test(name) && /^(javascript|vbscript):/.test(value)) bad.push(`<${el.tagName} ${name}=${value.slice(0, 40)}>`);
      if (el.tagName === 'A' && name === 'href' && value.startsWith('data:')) bad.push(`<a href=data:…>`);
    }
  }
  for (const s of document.scripts) if (s.type !== 'application/ld+json' && /pwned|alert\\(/.test(s.textContent)) bad.push('<script> ' + s.textContent.slice(0, 60));
  for (const el of document.querySelectorAll(selector)) bad.push('payload element ' + el.outerHTML.slice(0, 80));
  return bad;
}"""


@pytest.mark.browser
def test_hostile_pages_in_the_browser_are_inert_literal_text(browser, hostile_site, hostile_server, hostile_ds):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    dialogs, errors, problems = [], [], []
    context.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    expected = expected_texts(hostile_ds)
    item_pages = {f"{c}/{y}/{item.id}/" for (c, y), lf in hostile_ds.lists.items() for item, _, _ in walk_items(lf.data.items)}
    visited = 0
    try:
        for rel in html_pages(hostile_site):
            url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
            pg.goto(hostile_server + url)
            pg.wait_for_load_state("load")
            visited += 1
            if pg.evaluate("typeof window.__pwned") != "undefined":
                problems.append(f"{url}: window.__pwned was set")
            selector = PAYLOAD_ELEMENTS + (", " + GENERATED_ONLY if generated(rel) else "")
            problems += [f"{url}: {b}" for b in pg.evaluate(_DOM_CHECK, selector)]
            # The layout survived: one main heading, the page's own end, Material's footer.
            if pg.locator("article h1").count() != 1 or not pg.locator("article h1").first.is_visible():
                problems.append(f"{url}: not exactly one visible main heading")
            if url.endswith("/embed/"):  # the embeddable card has no Material chrome: its own foot instead
                if pg.locator(".ml-embed__foot").count() != 1:
                    problems.append(f"{url}: the card's foot is missing")
            elif pg.locator("footer.md-footer").count() != 1:
                problems.append(f"{url}: footer missing")
            if url in item_pages:
                for sel in (".ml-item-foot", "#sources", ".ml-cite", "nav.ml-prevnext"):
                    if pg.locator(sel).count() != 1:
                        problems.append(f"{url}: {sel} missing")
            for sel, text in expected.get(url, []):
                shown = norm(" ".join(pg.locator(sel).all_inner_texts()))
                if text not in shown:
                    problems.append(f"{url}: {sel} does not show {text[:60]!r}…")
        assert visited >= 15
    finally:
        context.close()
    assert not dialogs, f"a payload opened a dialog: {dialogs}"
    assert not errors, errors
    assert not problems, "\n".join(problems[:40])


@pytest.mark.browser
def test_hostile_pages_fit_a_phone_even_with_text_that_has_no_break(browser, hostile_site, hostile_server):
    """At 375 px no page is wider than the screen: long unbroken text (a 480-letter unit name)
    wraps instead of widening the page."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN", is_mobile=True)
    pg = context.new_page()
    too_wide = []
    try:
        for rel in html_pages(hostile_site):
            url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
            pg.goto(hostile_server + url)
            pg.wait_for_load_state("load")
            width = pg.evaluate("document.documentElement.scrollWidth")
            if width > 376:
                too_wide.append(f"{url}: {width} px")
    finally:
        context.close()
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.browser
def test_hostile_search_results_are_inert_literal_text(browser, hostile_server):
    """Search results show titles and text from the index: as text, never as HTML."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    dialogs = []
    context.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    try:
        pg = context.new_page()
        pg.goto(hostile_server + "search/")
        pg.locator("#ml-search-input").fill("原文")
        pg.wait_for_function("() => document.querySelector('#ml-search-results').dataset.query === '原文' && document.querySelector('#ml-search-results').dataset.state === 'done'")
        while pg.locator("#ml-search-more").is_visible():  # every result on the page: the payload may be in any
            pg.locator("#ml-search-more").click()
            pg.wait_for_function("() => document.querySelector('#ml-search-results').dataset.state === 'done'")
        results = norm(pg.locator("#ml-search-results").inner_text())
        assert "<script>window.__pwned=1</script>" in results, f"the payload is not shown as text: {results[:300]!r}"
        assert pg.evaluate("typeof window.__pwned") == "undefined"
        assert pg.evaluate(_DOM_CHECK, PAYLOAD_ELEMENTS) == []
    finally:
        context.close()
    assert not dialogs, f"a payload opened a dialog: {dialogs}"


# --- hostile input: downloads and feeds -------------------------------------------------


def test_hostile_csv_is_well_formed_and_neutralises_formulas(hostile_site, hostile_ds):
    pl = hostile_ds.lists[("hostile", 2024)].data
    data = (hostile_site / "data/hostile/2024.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    flat = [item for item, _, _ in walk_items(pl.items)]
    assert len(body) == len(flat) and all(len(r) == len(header) for r in body)
    rec = {r[header.index("id")]: dict(zip(header, r, strict=True)) for r in body}
    starts = ("=", "+", "-", "@", "\t", "\r")
    risky = [f"{i}.{k}={v[:20]!r}" for i, r in rec.items() for k, v in r.items() if v.startswith(starts)]
    assert not risky, f"cells a spreadsheet would run as formulas: {risky}"
    assert rec["1"]["text"] == flat[0].text, "hostile text must survive the CSV round trip literally"
    assert rec["2"]["text"] == "'" + pl.items[1].text
    assert rec["2"]["title"] == "'" + pl.items[1].title
    assert rec["2"]["label"] == "'@SUM(1+1)"
    assert rec["2"]["lead"] == "'+1+1 牵头、-2 协办"
    assert rec["2"]["latest_status_text"] == "'=1+2 原文状态"
    assert rec["3"]["title"] == "'-3"


def _strict_json(data: bytes):
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(data.decode("utf-8"), parse_constant=refuse)


def test_hostile_json_downloads_hold_the_text_literally(hostile_site, hostile_ds):
    pl = hostile_ds.lists[("hostile", 2024)].data
    whole = _strict_json((hostile_site / "data/hostile/2024.json").read_bytes())
    assert whole["list"]["title"] == pl.title and whole["list"]["items"][0]["explanation"] == pl.items[0].explanation
    assert whole["city"]["name"] == hostile_ds.cities["hostile"].name
    one = _strict_json((hostile_site / "data/hostile/2024/1.json").read_bytes())
    assert one["item"]["progress"][0]["text"] == pl.items[0].progress[0].text
    everything = _strict_json((hostile_site / "data/all.json").read_bytes())
    assert [t["name"] for t in everything["topics"]] == [t.name for t in hostile_ds.topics.values()]


def test_hostile_feeds_are_well_formed_and_inert(hostile_site, hostile_ds):
    pl = hostile_ds.lists[("hostile", 2024)].data
    feeds = sorted((hostile_site / "feeds").glob("*.atom"))
    assert [f.name for f in feeds] == ["all.atom", "hostile.atom", "zhuru.atom"]
    for path in feeds:
        data = path.read_bytes()
        root = ET.fromstring(data)  # well-formed XML
        parsed = feedparser.parse(data)
        assert not parsed.bozo, f"{path.name}: {parsed.get('bozo_exception')}"
        for entry in root.findall(f"{ATOM}entry"):
            content = entry.find(f"{ATOM}content")
            assert content.get("type") == "html"
            fragment = lxml.html.fragment_fromstring(content.text, create_parent="div")
            assert not fragment.xpath(".//script | .//img | .//svg | .//iframe"), f"{path.name}: markup from the data in an entry"
            for el in fragment.iter():
                assert not any(a.lower().startswith("on") for a in el.attrib), f"{path.name}: event handler in an entry"
                assert not re.match(r"\s*javascript:", el.get("href", ""), re.I)
    root = ET.fromstring((hostile_site / "feeds/hostile.atom").read_bytes())
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert any(norm(pl.reports[0].title) in t for t in titles), "report titles are shown literally"
    assert any(norm(pl.kind) in t for t in titles)
    contents = " ".join(lxml.html.fragment_fromstring(e.findtext(f"{ATOM}content"), create_parent="div").text_content() for e in root.findall(f"{ATOM}entry"))
    assert norm(pl.issuer) in norm(contents) and norm(paragraphs(pl.summary)[0]) in norm(contents)


# --- the validator refuses dangerous URLs and invisible characters ------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        'https://example.org/" onmouseover="alert(1)',
        "https://example.org/<script>",
        "ftp://example.org/x",
    ],
)
@pytest.mark.parametrize("where", ["source", "city"])
def test_validator_refuses_non_http_urls(tmp_path, url, where):
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    if where == "source":
        rel = "data/ceshi/2024.yml"
        path = root / rel
        text = path.read_text(encoding="utf-8")
        anchor = "  - id: list\n"
        assert anchor in text
        path.write_text(text.replace(anchor, anchor + f"    url: {json.dumps(url)}\n", 1), encoding="utf-8")
        field, line = "sources[0].url", text[: text.index(anchor)].count("\n") + 2
    else:
        rel = "data/ceshi/city.yml"
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8") + f"website: {json.dumps(url)}\n", encoding="utf-8")
        field, line = "website", path.read_text(encoding="utf-8").count("\n")
    ds = load_dataset(root, today=dt.date(2026, 1, 1))
    errors = [p for p in ds.errors if p.file == rel and p.path == field]
    assert errors, f"{url!r} was accepted ({[str(p) for p in ds.errors]})"
    assert errors[0].line == line
    assert "http://" in errors[0].message, errors[0].message


# --- reproducible builds -------------------------------------------------------------------


def _build(out: Path, root: Path, env: dict) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` with exactly these changes to the environment (None: unset)."""
    full = {k: v for k, v in os.environ.items() if k not in env or env[k] is not None}
    full.update({k: v for k, v in env.items() if v is not None}, MINSHENG_ROOT=str(root))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out), "-f", str(ROOT / "mkdocs.yml")],
        cwd=ROOT, env=full, capture_output=True, text=True, timeout=600,
    )


def _digests(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_builds_of_the_same_data_are_byte_identical(tmp_path):
    epoch = "1751241600"  # 2025-06-30, after every date in the data
    ds = load_dataset(MINI)
    pl = ds.lists[("ceshi", 2024)].data
    newest = max([s.date for s in pl.sources] + [r.published for r in pl.reports] + [pl.published])
    newest_epoch = str(int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp()))
    runs = {
        "a": {"SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "1"},
        "b": {"SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "2"},
        "c": {"SOURCE_DATE_EPOCH": None, "PYTHONHASHSEED": "3"},  # the plugin dates it from the data …
        "d": {"SOURCE_DATE_EPOCH": newest_epoch, "PYTHONHASHSEED": "4"},  # … as if this were set,
        "e": {"SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": "5"},  # … or set before it (2023-11-14)
    }
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = dict(zip(runs, pool.map(lambda k: _build(tmp_path / k, MINI, runs[k]), runs), strict=True))
    for k, r in results.items():
        assert r.returncode == 0, f"build {k} failed:\n{r.stderr[-3000:]}"
    a, b, c, d, e = (_digests(tmp_path / k) for k in runs)
    for needed in ("sitemap.xml", "sitemap.xml.gz", "search/data/meta.json", "search/data/g/0.json", "feeds/all.atom", "data/all.json", "data/ceshi/2024.csv", "ceshi/2024/1-1/index.html"):
        assert needed in a, needed
    assert sorted(a) == sorted(b), set(a) ^ set(b)
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, f"same SOURCE_DATE_EPOCH, different bytes (PYTHONHASHSEED 1 vs 2): {differ}"
    # Pages judge the age of every status at the build date, so a build without
    # SOURCE_DATE_EPOCH is the build at the newest date in the data, to the byte.
    assert c == d, [k for k in c if c[k] != d.get(k)]
    assert c == e, "a SOURCE_DATE_EPOCH before the newest document must not date the site before it"
    assert "SOURCE_DATE_EPOCH is 2023-11-14, before the newest official document" in results["e"].stderr
    assert sorted(c) == sorted(a)

    assert gzip.open(tmp_path / "a/sitemap.xml.gz").read() == (tmp_path / "a/sitemap.xml").read_bytes()
    day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(hour=0, minute=0, second=0)
    assert int.from_bytes((tmp_path / "a/sitemap.xml.gz").read_bytes()[4:8], "little") == int(day.timestamp())  # MkDocs keeps the day
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", (tmp_path / "c/sitemap.xml").read_text(encoding="utf-8")))
    assert lastmods == {newest.isoformat()}, f"without SOURCE_DATE_EPOCH the sitemap should be dated {newest}, not {lastmods}"
    gz_mtime = int.from_bytes((tmp_path / "c/sitemap.xml.gz").read_bytes()[4:8], "little")
    assert gz_mtime == int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


# --- atomic `make site` ---------------------------------------------------------------------


def _repo_copy(tmp_path: Path) -> Path:
    """The repository as `make site` sees it, with the small fixture as its data."""
    dest = tmp_path / "repo"
    skip = {".git", ".venv", "site", "site.new", "site.old", "tests", "data", ".pytest_cache", ".hypothesis", "node_modules"}
    shutil.copytree(ROOT, dest, ignore=lambda d, names: [n for n in names if (d == str(ROOT) and n in skip) or n == "__pycache__"])
    shutil.copytree(MINI / "data", dest / "data")
    return dest


def _make_site(repo: Path) -> subprocess.CompletedProcess:
    venv = Path(sys.prefix)  # the venv running these tests; `-o` keeps make from reinstalling it
    env = {k: v for k, v in os.environ.items() if k not in ("MINSHENG_ROOT", "SOURCE_DATE_EPOCH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(
        ["make", "-C", str(repo), "site", f"VENV={venv}", "-o", f"{venv}/.installed"],
        env=env, capture_output=True, text=True, timeout=600,
    )


def _snapshot(site: Path) -> dict:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_site_keeps_the_previous_site_when_data_or_build_fails(tmp_path):
    repo = _repo_copy(tmp_path)
    site = repo / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>previous site</p>", encoding="utf-8")
    (site / "MARKER").write_text("previous", encoding="utf-8")
    before = _snapshot(site)

    # 1. Invalid data: `make validate` stops it before anything is built.
    year_file = repo / "data/ceshi/2024.yml"
    good = year_file.read_text(encoding="utf-8")
    year_file.write_text(good.replace("kind: 民生实事\n", "kind: 民生实事\nkind: 重复\n", 1), encoding="utf-8")
    result = _make_site(repo)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "data/ceshi/2024.yml:" in log and "duplicate key" in log, log[-3000:]
    assert _snapshot(site) == before, "a data error changed site/"
    year_file.write_text(good, encoding="utf-8")

    # 2. Valid data, but the strict build fails (a hand-written page links to nowhere).
    broken = repo / "content/broken-link.md"
    broken.write_text("# 坏链接\n\n[不存在的页面](no-such-page.md)\n", encoding="utf-8")
    result = _make_site(repo)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "mkdocs build --strict" in log and "no-such-page.md" in log, log[-3000:]
    assert _snapshot(site) == before, "a failed build changed site/"
    broken.unlink()

    # 3. Success: the new site replaces the old one, and no temporary folder is left.
    result = _make_site(repo)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert not (site / "MARKER").exists()
    assert "民生实事台账" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "ceshi/2024/1-1/index.html").is_file()
    assert not (repo / "site.new").exists() and not (repo / "site.old").exists()
    built = _snapshot(site)

    # 4. Ctrl-C while the build runs: site/ stays as it was.
    venv = Path(sys.prefix)
    env = {k: v for k, v in os.environ.items() if k not in ("MINSHENG_ROOT", "SOURCE_DATE_EPOCH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    proc = subprocess.Popen(["make", "-C", str(repo), "site", f"VENV={venv}", "-o", f"{venv}/.installed"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while not (repo / "site.new").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the whole foreground group
    proc.wait(timeout=120)
    assert _snapshot(site) == built, "an interrupted build changed site/"

    # 5. A swap cut short between its two renames (site/ moved aside, the new one not in
    #    place): the next run puts the previous site back, even when its own build fails.
    site.rename(repo / "site.old")
    year_file.write_text(good.replace("kind: 民生实事\n", "kind: 民生实事\nkind: 重复\n", 1), encoding="utf-8")
    result = _make_site(repo)
    assert result.returncode != 0
    assert "put back the previous site" in result.stdout, result.stdout[-2000:]
    assert _snapshot(site) == built and not (repo / "site.old").exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None or shutil.which("flock") is None, reason="needs make and flock")
def test_two_make_site_at_once_leave_one_complete_site(tmp_path):
    """Two `make site` at once (here: both started while a third holder has the lock, so they
    surely overlap) wait, say so, then build one after the other: both succeed and site/ is
    one whole site, never missing, never a site nested inside another."""
    import fcntl

    repo = _repo_copy(tmp_path)
    venv = Path(sys.prefix)
    env = {k: v for k, v in os.environ.items() if k not in ("MINSHENG_ROOT", "SOURCE_DATE_EPOCH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    command = ["make", "-C", str(repo), "site", f"VENV={venv}", "-o", f"{venv}/.installed"]
    outputs = [tmp_path / f"make-{i}.log" for i in range(2)]
    with open(repo / ".site.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        runs = [subprocess.Popen(command, env=env, stdout=out.open("w"), stderr=subprocess.STDOUT, text=True) for out in outputs]
        deadline = time.monotonic() + 300  # both reach the lock (each validates the data first: slow on a busy machine)
        while not all("waiting for it to finish" in out.read_text() for out in outputs) and time.monotonic() < deadline:
            assert all(r.poll() is None for r in runs), "a build ended under the lock"
            time.sleep(0.2)
        assert all(r.poll() is None for r in runs) and not (repo / "site.new").exists(), "a build went ahead under the lock"
    for r in runs:
        r.wait(timeout=600)
    logs = [out.read_text() for out in outputs]
    assert [r.returncode for r in runs] == [0, 0], "\n".join(log[-2000:] for log in logs)
    assert all("waiting for it to finish" in log for log in logs)
    site = repo / "site"
    assert (site / "index.html").is_file() and (site / "ceshi/2024/1-1/index.html").is_file()
    assert not (repo / "site.new").exists() and not (repo / "site.old").exists()
    assert not (site / "site.new").exists() and not (site / "site").exists(), "a swap went into the other run's site/"
    together = set(_snapshot(site))
    assert _make_site(repo).returncode == 0
    assert set(_snapshot(site)) == together, "the site two runs left differs from one run's"


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only file system"), (errno.EACCES, "no permission to write there")],
)
def test_a_full_disk_or_a_read_only_folder_is_one_sentence_not_a_traceback(tmp_path, monkeypatch, capsys, code, words):
    """What `make site` runs (generator/site/build.py): MkDocs' own build, but a file-system
    fault while it writes is told in a sentence naming the file. (As root, as CI runs, no
    folder is read-only and no disk fills on demand: the fault is raised where MkDocs writes.)"""
    from mkdocs.commands import build as mkdocs_build

    from generator.site import build

    def fail(config, dirty=False):
        raise OSError(code, os.strerror(code), str(tmp_path / "site.new" / "index.html"))

    monkeypatch.setattr(mkdocs_build, "build", fail)
    monkeypatch.chdir(ROOT)
    assert build.main(["--strict", "--site-dir", str(tmp_path / "site.new")]) == 1
    err = capsys.readouterr().err
    assert f"Could not write the site: {build.FAULTS[code]} ({tmp_path / 'site.new' / 'index.html'})." in err
    assert words in err and "Traceback" not in err


def test_any_other_error_in_the_build_keeps_its_traceback(tmp_path, monkeypatch):
    from mkdocs.commands import build as mkdocs_build

    from generator.site import build

    def fail(config, dirty=False):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(mkdocs_build, "build", fail)
    monkeypatch.chdir(ROOT)
    with pytest.raises(OSError, match="Input/output"):
        build.main(["--site-dir", str(tmp_path / "out")])


# --- fuzzing the validator ------------------------------------------------------------------

# Corpus file → words the first error about it must contain.
FUZZ_EXPECTED = {
    "billion_laughs.yml": "aliases",
    "comments_only.yml": "empty",
    "control_escapes.yml": "control character U+001B",
    "crlf_bad_indent.yml": "YAML syntax error",
    "empty.yml": "empty",
    "gbk.yml": "not valid UTF-8",
    "huge_number.yml": "too large to be a number",
    "image.png.yml": "not valid UTF-8",
    "merge_key.yml": "merge keys",
    "nul_byte.yml": "NUL byte",
    "python_tag.yml": "custom YAML tag",
    "scalar_alias_bomb.yml": "aliases",
    "scalar_only.yml": "mapping of fields",
    "tab_indent.yml": "YAML syntax error",
    "top_level_list.yml": "mapping of fields",
    "truncated_flow.yml": "YAML syntax error",
    "truncated_quote.yml": "YAML syntax error",
    "truncated_utf8.yml": "not valid UTF-8",
    "two_documents.yml": "another document",
    "unbalanced_flow.yml": "YAML syntax error",
    "utf16_bom.yml": "UTF-16",
    "utf16_nobom.yml": "not valid UTF-8",
    # made by _generated_corpus:
    "deep_flow_100k.yml": "nested more than",
    "deep_block.yml": "nested more than",
    "string_20mb.yml": "larger than 8 MB",
    "string_6mb.yml": "at most 20000 characters",
    "many_keys.yml": "more than 100,000 keys and values",
    "many_keys_under_the_cap.yml": "unknown field",
    "long_line_no_newline.yml": "at most 20000 characters",
}
MAX_EXTRA_MEMORY_MB = 250  # over the interpreter with the generator imported

_RUNNER = r"""
import datetime as dt, json, resource, sys
from generator.data.dataset import load_dataset
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    ds = load_dataset(sys.argv[1], today=dt.date(2026, 1, 1))
    out = {"errors": [[p.file, p.line, p.col, p.message] for p in ds.errors]}
except BaseException as exc:  # the test fails on this: load_dataset must not raise
    out = {"exception": f"{type(exc).__name__}: {exc}"[:500]}
out["extra_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps(out))
"""


def _generated_corpus(folder: Path) -> None:
    """Big inputs are made here, not committed."""
    head = "city: ceshi\nyear: 2024\ntitle: 测试\nkind: 民生实事\n"
    (folder / "deep_flow_100k.yml").write_text(head + "items: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    (folder / "deep_block.yml").write_text(head + "items:\n" + "".join(" " * i + "- \n" for i in range(1, 2000)), encoding="utf-8")
    (folder / "string_20mb.yml").write_text(head + "summary: \"" + "长" * (7 * 1024 * 1024) + "\"\n", encoding="utf-8")
    (folder / "string_6mb.yml").write_text(head + "summary: \"" + "x" * (6 * 1024 * 1024) + "\"\n", encoding="utf-8")
    (folder / "many_keys.yml").write_text(head + "".join(f"k{i}: {i}\n" for i in range(200_000)), encoding="utf-8")
    (folder / "many_keys_under_the_cap.yml").write_text(head + "".join(f"k{i}: {i}\n" for i in range(20_000)), encoding="utf-8")
    (folder / "long_line_no_newline.yml").write_text(head + "summary: " + "字" * 2_000_000, encoding="utf-8")


@pytest.fixture(scope="module")
def fuzz_results(tmp_path_factory) -> dict:
    """Every corpus file as data/ceshi/2024.yml of a copy of the mini fixture, each loaded in
    its own process (a crash or a memory blow-up must not take the test run with it)."""
    work = tmp_path_factory.mktemp("fuzz")
    made = work / "generated"
    made.mkdir()
    _generated_corpus(made)
    corpus = sorted(FUZZ.iterdir()) + sorted(made.iterdir())

    def run(path: Path):
        root = work / path.name
        shutil.copytree(MINI, root)
        shutil.copyfile(path, root / "data/ceshi/2024.yml")
        proc = subprocess.run([sys.executable, "-c", _RUNNER, str(root)], cwd=ROOT, capture_output=True, text=True, timeout=120)
        shutil.rmtree(root)
        if proc.returncode != 0:
            return {"exception": f"exit {proc.returncode}: {proc.stderr[-1500:]}"}
        return json.loads(proc.stdout.strip().splitlines()[-1])

    with concurrent.futures.ThreadPoolExecutor(max(2, os.cpu_count() or 2)) as pool:
        return dict(zip((p.name for p in corpus), pool.map(run, corpus), strict=True))


def test_fuzz_corpus_is_complete(fuzz_results):
    assert sorted(fuzz_results) == sorted(FUZZ_EXPECTED), "every corpus file needs an expected message here (and vice versa)"


@pytest.mark.parametrize("name", sorted(FUZZ_EXPECTED))
def test_validator_survives_malformed_file(fuzz_results, name):
    result = fuzz_results[name]
    assert "exception" not in result, f"{name}: load_dataset crashed: {result['exception']}"
    errors = [e for e in result["errors"] if e[0] == "data/ceshi/2024.yml"]
    assert errors, f"{name}: no error reported for the file"
    assert all(line >= 1 and col >= 1 and msg for _, line, col, msg in errors)
    messages = " | ".join(e[3] for e in errors)
    assert FUZZ_EXPECTED[name] in messages, f"{name}: expected {FUZZ_EXPECTED[name]!r} in {messages[:400]}"
    assert result["extra_mb"] < MAX_EXTRA_MEMORY_MB, f"{name}: {result['extra_mb']:.0f} MB of memory"


@pytest.mark.slow
def test_a_hand_written_page_at_a_generated_address_stops_the_build_naming_both(tmp_path):
    repo = _repo_copy(tmp_path)
    (repo / "content/ceshi").mkdir()
    (repo / "content/ceshi/index.md").write_text("# 手写的页面\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MINSHENG_ROOT", "SOURCE_DATE_EPOCH")}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "content/ceshi/index.md and the page generated from data/ceshi/ have the same address /ceshi/" in result.stderr, result.stderr[-2000:]
