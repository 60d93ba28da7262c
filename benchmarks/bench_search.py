"""Search benchmark (issue #14): does the site's search box find what readers type?

    make bench-search                              # 300, 3,000 and 30,000 items
    make bench-search SIZES=300 VERBOSE=1
    python -m benchmarks.bench_search --sizes 300 --verbose

For each size N:

1. Synthetic data (benchmarks/synthetic.py, the same as `make bench`) is built with
   `mkdocs build --strict`: build time, the search index's own time (the build's log line
   "search: … indexed N pages … in X s") and the peak memory of the build process tree (the
   sum of the resident sizes of the process and its children, sampled twice a second).
2. Queries are sampled from the data with a fixed seed (`QUERY_MIX`): jieba words, compound
   words (two adjacent jieba words), 2–8-character phrases cut anywhere in a text, two words of
   one item, "<city> <word>", "<year> <word>", and traditional-character variants (OpenCC
   s2t) whose ground truth is the simplified query's. Every second query of a kind matches at
   most 5 % of the item pages (the lists' boilerplate would otherwise make most queries match
   most pages, where any result is right). Nobody picks them.
3. Ground truth is computed from the raw YAML, not from the engine's code: an item page is
   relevant when its own text (`page_text`) contains every term after `normalise`; a term
   that names a city or a year narrows to that city or year instead.
4. Every query is typed into the built site's search page in headless Chromium, served on
   127.0.0.1: recall over the engine's full ranked list (`window.mlSearch.all`); precision of
   the first ten results (P@10: an item page is right when the ground truth has it, another
   page when its visible main text contains every term; "page text": every result judged by
   its visible main text, the issue's target); the time from the last input event to the
   results shown (measured in the page); the bytes the page downloaded from the first
   keystroke until the network was quiet (the first query apart: it loads what the engine
   needs once), and those the search page loaded before any query.

A Markdown table goes to stdout, every query with its figures to .bench/search-<N>.json.
Failing queries are listed with the pages they missed; --verbose prints every query's ground
truth. A measurement, not a test: nothing fails on poor figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html.parser
import json
import logging
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from benchmarks import synthetic
from benchmarks.bench import log, run_build
from benchmarks.harness import CHROMIUM, CHROMIUM_ARGS, serve_folder
from generator.core import urls
from generator.data.reading import load_yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (300, 3000, 30000)
OUT_DIR = ROOT / ".bench"
SEED = 14  # the issue's number; change it only to check that the figures do not hang on one sample
QUERY_MIX = {"word": 16, "compound": 12, "phrase": 12, "two_terms": 10, "city": 8, "year": 8, "traditional": 10}
YEAR_RANGE = (1990, 2100)  # the format's years: a term like 2024 or 2024年 in it is a year filter
TOP = 10
RECALL_ALL_UP_TO = 3000  # item pages; above, recall comes from mlSearch.pages() (recall_mode)
QUERY_TIMEOUT_MS = 30_000
MISSING_KEPT = 200  # missing pages kept per query in the JSON (all are counted)
SPECIFIC_SHARE = 0.05  # every second query of a kind matches at most this share of item pages

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_INDEX_LINE = re.compile(r"search: indexed (\d+) pages in ([0-9.]+) s")  # generator/site/plugin.py's log line


# --- the data: item pages and their text -----------------------------------------------------


def normalise(text: str) -> str:
    """How text is compared: NFKC, lower case, no whitespace (the issue's definition)."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


@dataclass(frozen=True)
class City:
    slug: str
    name: str  # 青岛市
    short_name: str  # 青岛

    def names(self) -> set[str]:
        """The ways a reader names it: 青岛市, 青岛 (and the name without 市)."""
        return {normalise(n) for n in (self.name, self.short_name, self.name.removesuffix("市")) if n}


@dataclass(frozen=True)
class ItemPage:
    url: str  # urls.item(): qingdao/2024/6-3/
    city: str
    year: int
    text: str  # page_text(), normalised
    fields: tuple[str, ...]  # the item's own texts, as written: what queries are sampled from


def page_text(item: dict, city_name: str, year: int) -> str:
    """An item page's text for the ground truth: its title, pledge, goal, explanation, targets,
    lead units and progress texts, its city's name and `<year>年`, normalised."""
    return normalise("".join(own_texts(item)) + city_name + f"{year}年")


def own_texts(item: dict) -> list[str]:
    """The texts an item page shows of its own (not its sub-items')."""
    texts = [item.get(k) for k in ("title", "text", "goal", "explanation")]
    texts += [t.get("text") for t in item.get("targets") or []]
    texts += list(item.get("lead") or [])
    texts += [p.get("text") for p in item.get("progress") or []]
    return [t for t in texts if isinstance(t, str) and t]


def _walk(items: Iterable[dict]) -> Iterable[dict]:
    for item in items:
        yield item
        yield from _walk(item.get("subitems") or [])


def _mapping(path: Path) -> dict:
    data = load_yaml(path.read_text(encoding="utf-8")).data
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: not a YAML mapping (run `make validate`)")
    return data


def load_pages(root: Path) -> tuple[list[ItemPage], dict[str, City]]:
    """Every item page (items and sub-items) and every city, from data/ read with the
    project's YAML reader (not through the model or the search engine's code)."""
    cities: dict[str, City] = {}
    pages: list[ItemPage] = []
    for city_file in sorted((Path(root) / "data").glob("*/city.yml")):
        c = _mapping(city_file)
        city = City(str(c["slug"]), str(c["name"]), str(c.get("short_name") or ""))
        cities[city.slug] = city
        for year_file in sorted(city_file.parent.glob("[0-9][0-9][0-9][0-9].yml")):
            data = _mapping(year_file)
            year = int(data["year"])
            for item in _walk(data.get("items") or []):
                pages.append(ItemPage(urls.item(city.slug, year, str(item["id"])), city.slug, year, page_text(item, city.name, year), tuple(own_texts(item))))
    return pages, cities


# --- ground truth ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """A query cut at whitespace: the city and year terms narrow, the others must be contained."""

    words: tuple[str, ...]
    cities: tuple[str, ...] = ()  # slugs
    years: tuple[int, ...] = ()


def parse_terms(query: str, cities: dict[str, City]) -> Terms:
    """Split a (simplified) query into terms; a term naming a city or a year is a filter."""
    by_name = {n: slug for slug, c in cities.items() for n in c.names()}
    words, slugs, years = [], [], []
    for raw in query.split():
        term = normalise(raw)
        year = re.fullmatch(r"(\d{4})年?", term)
        if term in by_name:
            slugs.append(by_name[term])
        elif year and YEAR_RANGE[0] <= int(year.group(1)) <= YEAR_RANGE[1]:
            years.append(int(year.group(1)))
        elif term:
            words.append(term)
    return Terms(tuple(words), tuple(slugs), tuple(years))


def relevant(terms: Terms, pages: Iterable[ItemPage]) -> frozenset[str]:
    """URLs of the item pages that contain every word, in every named city and year."""
    return frozenset(
        p.url
        for p in pages
        if all(p.city == c for c in terms.cities) and all(p.year == y for y in terms.years) and all(w in p.text for w in terms.words)
    )


def contains_all(query: str, text: str) -> bool:
    """Does a page's (normalised) text contain every term of the query? (non-item pages)"""
    return all(normalise(t) in text for t in query.split())


# --- queries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    text: str  # what is typed
    truth: str  # the simplified query the ground truth is computed for (= text, except traditional)
    kind: str  # a key of QUERY_MIX
    origin: str  # the item page it was sampled from
    specific: bool = False  # drawn among queries that match few pages (SPECIFIC_SHARE)


class _Cutter:
    """jieba's own dictionary (not the site's user dictionary): everyday word boundaries."""

    def __init__(self) -> None:
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.setLogLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        self.cache: dict[str, list[str]] = {}

    def cut(self, text: str) -> list[str]:
        if text not in self.cache:
            self.cache[text] = [w for w in self.tokenizer.lcut(text, HMM=False) if w.strip()]
        return self.cache[text]


def is_cjk(text: str) -> bool:
    return bool(_CJK.fullmatch(text))


def words(tokens: Sequence[str]) -> list[str]:
    """Words of 2–8 Chinese characters."""
    return [w for w in tokens if is_cjk(w) and 2 <= len(w) <= 8]


def compounds(tokens: Sequence[str]) -> list[str]:
    """Two adjacent words of 2+ characters joined, 4–8 characters (加装 + 电梯 → 加装电梯)."""
    return [a + b for a, b in zip(tokens, tokens[1:], strict=False) if is_cjk(a) and is_cjk(b) and len(a) >= 2 and len(b) >= 2 and len(a + b) <= 8]


def phrase(text: str, rng: random.Random) -> str | None:
    """2–8 consecutive Chinese characters cut anywhere in the text (word boundaries or not)."""
    runs = [r for r in _CJK.findall(text) if len(r) >= 2]
    if not runs:
        return None
    run = rng.choice(runs)
    length = rng.randint(2, min(8, len(run)))
    start = rng.randint(0, len(run) - length)
    return run[start : start + length]


def sample_queries(pages: Sequence[ItemPage], cities: dict[str, City], seed: int = SEED, mix: dict[str, int] | None = None) -> list[Query]:
    """Queries drawn from the item pages' own texts with a seeded generator: the same data
    and seed give the same queries. Each query is contained in the page it came from. Every
    second query of a kind is specific (few pages match: SPECIFIC_SHARE), or the boilerplate
    every list repeats would make most queries match most pages, where any result is right."""
    from opencc import OpenCC

    mix = dict(QUERY_MIX if mix is None else mix)
    rng = random.Random(seed)
    cutter = _Cutter()
    s2t = OpenCC("s2t")
    pages = sorted(pages, key=lambda p: p.url)
    out: list[Query] = []
    seen: set[str] = set()

    def word_of(page: ItemPage) -> str | None:
        found = words(cutter.cut(rng.choice(page.fields)))
        return rng.choice(found) if found else None

    def draw(kind: str, page: ItemPage) -> str | None:
        city = cities[page.city]
        if kind == "word":
            return word_of(page)
        if kind == "compound":
            found = compounds(cutter.cut(rng.choice(page.fields)))
            return rng.choice(found) if found else None
        if kind == "phrase":
            return phrase(rng.choice(page.fields), rng)
        if kind == "two_terms":
            pool = sorted({w for f in page.fields for w in words(cutter.cut(f))})
            if len(pool) < 2:
                return None
            a, b = rng.sample(pool, 2)
            return None if a in b or b in a else f"{a} {b}"
        if kind == "city":
            w = word_of(page)
            return w and f"{rng.choice([city.name, city.short_name or city.name])} {w}"
        if kind == "year":
            w = word_of(page)
            return w and f"{rng.choice([str(page.year), f'{page.year}年'])} {w}"
        raise ValueError(kind)

    limit = max(1, int(SPECIFIC_SHARE * len(pages)))
    for kind, count in mix.items():
        made = attempts = 0
        while made < count and attempts < count * 200:
            attempts += 1
            specific = made % 2 == 1
            page = rng.choice(pages)
            if kind == "traditional":
                truth = draw(rng.choice(["word", "compound", "phrase"]), page)
                text = s2t.convert(truth) if truth else None
                if text == truth:  # nothing to convert: not a traditional query
                    continue
            else:
                truth = draw(kind, page)
                text = truth
            if not truth or not text or text in seen:
                continue
            if specific and len(relevant(parse_terms(truth, cities), pages)) > limit:
                continue
            seen.add(text)
            out.append(Query(text, truth, kind, page.url, specific))
            made += 1
    return out


# --- figures ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One query as the browser saw it."""

    query: Query
    relevant: frozenset[str]
    found: list[str] = field(default_factory=list)  # the engine's full ranked list (site paths)
    top: list[str] = field(default_factory=list)  # the first TOP results shown
    top_ok: list[bool] = field(default_factory=list)  # relevant item page, or another page containing every term
    top_text_ok: list[bool] = field(default_factory=list)  # the page's visible main text contains every term
    total: int | None = None  # the count the page says it found
    latency_ms: float | None = None
    bytes: int | None = None
    error: str | None = None

    @property
    def hits(self) -> int:
        return len(self.relevant & set(self.found))

    @property
    def recall(self) -> float | None:
        return self.hits / len(self.relevant) if self.relevant else None

    @property
    def missing(self) -> list[str]:
        return sorted(self.relevant - set(self.found))


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0–100): a value that was measured, not interpolated."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def share(flags: Iterable[bool]) -> float | None:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else None


def summarise(outcomes: Sequence[Outcome]) -> dict:
    """Recall (micro: all relevant pages pooled; macro: mean over queries), precision of the
    first ten (pooled over all shown results), latency and bytes."""
    judged = [o for o in outcomes if o.relevant]
    latencies = [o.latency_ms for o in outcomes if o.latency_ms is not None]
    sizes = [o.bytes for o in outcomes if o.bytes is not None]
    recalls = [o.recall for o in judged if o.recall is not None]
    return {
        "queries": len(outcomes),
        "errors": sum(1 for o in outcomes if o.error),
        "relevant": sum(len(o.relevant) for o in judged),
        "recall_micro": sum(o.hits for o in judged) / sum(len(o.relevant) for o in judged) if judged else None,
        "recall_macro": statistics.fmean(recalls) if recalls else None,
        "queries_full_recall": sum(1 for r in recalls if r == 1.0),
        "precision_at_10": share(ok for o in outcomes for ok in o.top_ok),
        "precision_at_10_text": share(ok for o in outcomes for ok in o.top_text_ok),
        "latency_median_ms": statistics.median(latencies) if latencies else None,
        "latency_p95_ms": percentile(latencies, 95),
        "latency_max_ms": max(latencies) if latencies else None,
        "bytes_first": sizes[0] if sizes else None,
        "bytes_median": statistics.median(sizes[1:]) if len(sizes) > 1 else None,
        "bytes_max": max(sizes) if sizes else None,
    }


def site_path(href: str, page_url: str, base: str) -> str:
    """A result link as a site path like urls.item() gives (qingdao/2024/6/): absolute or
    relative, with or without index.html, a query or a fragment."""
    path = urlsplit(urljoin(page_url, href)).path
    prefix = urlsplit(base).path
    path = path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    if path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path


class _MainText(html.parser.HTMLParser):
    """The visible text of a page's <article> (no script, style or hidden elements)."""

    SKIP = {"script", "style", "template", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside <article>
        self.skip = 0  # inside something not shown
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if tag == "article":
            self.depth += 1
        if self.skip or tag in self.SKIP or any(k == "hidden" for k, _ in attrs):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.skip:
            self.skip -= 1
        if tag == "article" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def main_text(page_html: str) -> str:
    """A page's visible main text, normalised (what a reader sees in the result)."""
    parser = _MainText()
    parser.feed(page_html)
    return normalise("".join(parser.parts))


# --- the build -----------------------------------------------------------------------------------


@dataclass
class Build:
    build_s: float | None = None
    index_s: float | None = None  # the indexer's own time, from its log line
    indexed: int | None = None
    peak_tree_mb: float | None = None  # the most the process tree held at once (sampled)
    peak_parts_mb: dict = field(default_factory=dict)  # process name → its own peak (VmHWM)


def build_site(root: Path, site_dir: Path) -> Build:
    """`mkdocs build --strict`, as `make site` runs it, on the data under root."""
    seconds, text, sampler, max_rss = run_build(root, site_dir, site_dir.parent / f"{site_dir.name}-build.log")
    out = Build(build_s=seconds, peak_parts_mb=sampler.peaks, peak_tree_mb=max(sampler.tree_peak, max_rss))
    found = _INDEX_LINE.search(text)
    if found:
        out.indexed, out.index_s = int(found.group(1)), float(found.group(2))
    return out


# --- the browser -----------------------------------------------------------------------------------

# Before typing: a promise that resolves with performance.now() when the results for the query
# are shown, by the search page's contract (theme_overrides/assets/search.js: data-state, data-query).
_WATCH = """q => {
  const done = () => {
    const r = document.querySelector('#ml-search-results');
    return !!r && r.dataset.state === 'done' && r.dataset.query === q;
  };
  window.__bench.done = new Promise(resolve => {
    const check = () => { if (done()) { observer.disconnect(); resolve(performance.now()); } };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  });
}"""
_AWAIT = f"""() => Promise.race([window.__bench.done, new Promise(r => setTimeout(() => r(null), {QUERY_TIMEOUT_MS}))])
  .then(t => t === null ? null : {{done: t, input: window.__bench.lastInput}})"""
_INIT = "window.__bench = {lastInput: 0}; document.addEventListener('input', () => { window.__bench.lastInput = performance.now(); }, true);"
_ML_TOP = f"() => Array.from(document.querySelectorAll('#ml-search-results li.ml-result a.ml-result__link')).slice(0, {TOP}).map(a => a.getAttribute('href'))"
_ML_TOTAL = "() => { const r = document.querySelector('#ml-search-results'); return r ? parseInt(r.dataset.total, 10) : null; }"
_ML_ALL = "q => window.mlSearch.all(q)"
_ML_PAGES = "q => window.mlSearch.pages(q)"
_INPUT = "#ml-search-input"


class Driver:
    """The search page in two browser contexts (each with its own cache): one where queries
    are typed and measured as a reader would see them, one that asks the engine for every
    result (recall) — fetching all of them must not warm the cache of the first."""

    def __init__(self, browser, base: str, typing: str, doc_url: Callable[[int], str] | None = None):
        self.base, self.typing = base, typing
        self.doc_url = doc_url  # recall from mlSearch.pages(): page number → site path
        self.url = urljoin(base, urls.search())
        self.contexts = [browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN") for _ in range(2)]
        self.page, self.recall_page = (c.new_page() for c in self.contexts)
        self.page.add_init_script(_INIT)
        self.recording: list | None = []
        self.finished: set = set()  # Request objects (kept, so that no id is reused)
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", lambda req: self.finished.add(req))
        self.page.on("requestfailed", lambda req: self.finished.add(req))
        self.page.goto(self.url, wait_until="load")
        self.box = self.page.locator(_INPUT)
        try:
            self.box.wait_for(state="visible", timeout=30_000)
        except Exception:
            raise SystemExit(f"no search box {_INPUT} on {self.url}: was the site built by this code?") from None
        loaded, self.recording = self.recording or [], None
        self._quiet(loaded)
        self.load_bytes = sum(self._body_size(r) for r in loaded if r in self.finished)  # the page, before any query
        self.recall_page.goto(self.url, wait_until="load")

    def _on_request(self, req) -> None:
        if self.recording is not None:
            self.recording.append(req)

    def _quiet(self, requests: list | None = None, limit_s: float = 10.0) -> None:
        """Wait until the requests have finished and nothing new started for 200 ms."""
        deadline = time.monotonic() + limit_s
        seen, calm_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            pending = [r for r in (requests or []) if r not in self.finished]
            count = len(requests or [])
            if count != seen:
                seen, calm_since = count, time.monotonic()
            if not pending and time.monotonic() - calm_since >= 0.2:
                return
            self.page.wait_for_timeout(25)

    def _type(self, text: str) -> None:
        if self.typing == "keys":
            self.box.press_sequentially(text)
        else:
            self.box.fill(text)  # one input event: what an input method's commit sends

    def run(self, query: Query, relevant_urls: frozenset[str]) -> Outcome:
        out = Outcome(query, relevant_urls)
        self.box.fill("")
        self._quiet()
        self.page.evaluate(_WATCH, query.text)
        self.recording = []
        self._type(query.text)
        timing = self.page.evaluate(_AWAIT)
        recorded = self.recording
        self._quiet(recorded)
        self.recording = None
        out.bytes = sum(self._body_size(r) for r in recorded if r in self.finished)
        if timing is None:
            out.error = f"no results shown within {QUERY_TIMEOUT_MS / 1000:.0f} s"
            return out
        out.latency_ms = timing["done"] - timing["input"]
        try:
            top = self.page.evaluate(_ML_TOP)
            out.total = self.page.evaluate(_ML_TOTAL)
            if self.doc_url:
                found = [self.doc_url(n) for n in self.recall_page.evaluate(_ML_PAGES, query.text)]
            else:
                found = self.recall_page.evaluate(_ML_ALL, query.text)
        except Exception as exc:  # a broken engine is a finding, not a crash of the benchmark
            out.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            return out
        out.found = [site_path(h, self.base, self.base) for h in found]  # site-relative, or absolute
        out.top = [site_path(h, self.url, self.base) for h in top]
        return out

    @staticmethod
    def _body_size(req) -> int:
        try:
            return max(0, int(req.sizes()["responseBodySize"]))  # -n for a 404 without a body
        except Exception:  # no body (a redirect, a failed request)
            return 0

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def judge_top(outcomes: list[Outcome], base: str, item_urls: set[str]) -> None:
    """Mark each shown result: correct when it is a relevant item page or another page whose
    main text contains every term (top_ok), and when its main text contains every term (top_text_ok)."""
    texts: dict[str, str] = {}

    def text_of(path: str) -> str:
        if path not in texts:
            try:
                with urllib.request.urlopen(urljoin(base, path), timeout=30) as resp:
                    texts[path] = main_text(resp.read().decode("utf-8", errors="replace"))
            except OSError:
                texts[path] = ""
        return texts[path]

    for o in outcomes:
        o.top_text_ok = [contains_all(o.query.truth, text_of(p)) for p in o.top]
        o.top_ok = top_ok(o.top, o.top_text_ok, o.relevant, item_urls)


def top_ok(top: Sequence[str], text_ok: Sequence[bool], relevant_urls: frozenset[str], item_urls: set[str]) -> list[bool]:
    """An item page is right when the ground truth has it; another page (a list, a topic)
    when its main text contains every term."""
    return [p in relevant_urls if p in item_urls else ok for p, ok in zip(top, text_ok, strict=True)]


def measure(
    site_dir: Path, queries: list[Query], truth: dict[str, frozenset[str]], typing: str, item_urls: set[str], browser=None, recall: str = "all"
) -> tuple[list[Outcome], int]:
    """Every query in the built site's search page, one after the other in one tab; also
    the bytes the search page itself loaded before the first keystroke. Launches Chromium
    unless given a Playwright browser. recall="pages": recall from mlSearch.pages()."""
    doc_url = doc_urls(site_dir) if recall == "pages" else None
    with serve_folder(site_dir) as base:
        if browser is not None:
            outcomes, load_bytes = _measure_in(browser, base, queries, truth, typing, doc_url)
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                outcomes, load_bytes = _measure_in(launched, base, queries, truth, typing, doc_url)
                launched.close()
        judge_top(outcomes, base, item_urls)
    return outcomes, load_bytes


def doc_urls(site_dir: Path) -> Callable[[int], str]:
    """Page number → site path, read from the index files the build wrote (d/<n>.json: "u")."""
    cache: dict[int, str] = {}

    def url(n: int) -> str:
        if n not in cache:
            cache[n] = json.loads((site_dir / urls.search_doc(n)).read_bytes())["u"]
        return cache[n]

    return url


def _measure_in(browser, base: str, queries: list[Query], truth: dict[str, frozenset[str]], typing: str, doc_url=None) -> tuple[list[Outcome], int]:
    driver = Driver(browser, base, typing, doc_url)
    outcomes = []
    try:
        for k, q in enumerate(queries, 1):
            o = driver.run(q, truth[q.text])
            outcomes.append(o)
            recall = "–" if o.recall is None else f"{o.recall:.0%}"
            log(f"  [{k}/{len(queries)}] {q.text!r} ({q.kind}): {o.hits}/{len(o.relevant)} found, {len(o.found)} results, "
                f"{num(o.latency_ms)} ms, {o.bytes or 0:,} B, recall {recall}{' — ' + o.error if o.error else ''}")
    finally:
        driver.close()
    return outcomes, driver.load_bytes


# --- the report -------------------------------------------------------------------------------------


def pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1%}"


def num(x: float | None, spec: str = ",.0f") -> str:
    return "–" if x is None else format(x, spec)


def kb(x: float | None) -> str:
    return "–" if x is None else f"{x / 1024:,.1f}"


def table(rows: list[dict]) -> str:
    head = ("| items | queries | recall (micro / macro) | P@10 | P@10 page text | latency median / p95 ms "
            "| KB page load | KB first query | KB per query (median / max) | index build s | build s | peak memory MB |")
    lines = [head, "|" + "|".join(["---:"] * (head.count("|") - 1)) + "|"]
    for r in rows:
        s, b = r["summary"], r["build"]
        lines.append(
            f"| {r['items']:,} | {s['queries']} | {pct(s['recall_micro'])} / {pct(s['recall_macro'])} | {pct(s['precision_at_10'])} "
            f"| {pct(s['precision_at_10_text'])} | {num(s['latency_median_ms'])} / {num(s['latency_p95_ms'])} | {kb(s.get('bytes_page_load'))} | {kb(s['bytes_first'])} "
            f"| {kb(s['bytes_median'])} / {kb(s['bytes_max'])} | {num(b['index_s'], '.1f')} | {num(b['build_s'], '.1f')} | {num(b['peak_tree_mb'])} |"
        )
    return "\n".join(lines)


def kinds_table(outcomes: list[Outcome]) -> str:
    lines = ["| kind | queries | recall (micro / macro) | P@10 | median ms |", "|---|---:|---:|---:|---:|"]
    for kind in QUERY_MIX:
        s = summarise([o for o in outcomes if o.query.kind == kind])
        if s["queries"]:
            lines.append(f"| {kind} | {s['queries']} | {pct(s['recall_micro'])} / {pct(s['recall_macro'])} | {pct(s['precision_at_10'])} | {num(s['latency_median_ms'])} |")
    return "\n".join(lines)


def failures(outcomes: list[Outcome], shown: int = 10) -> list[str]:
    """One paragraph per query that missed pages, put a wrong page in the first ten, or broke."""
    out = []
    for o in outcomes:
        lines = []
        if o.error:
            lines.append(f"  error: {o.error}")
        if o.missing:
            more = f" (+{len(o.missing) - shown} more)" if len(o.missing) > shown else ""
            lines.append(f"  missing {len(o.missing)}/{len(o.relevant)}: " + " ".join(o.missing[:shown]) + more)
        wrong = [p for p, ok in zip(o.top, o.top_ok, strict=False) if not ok]
        if wrong:
            lines.append(f"  wrong in the first {TOP}: " + " ".join(wrong))
        if lines:
            out.append(f"- {o.query.text!r} ({o.query.kind}, from {o.query.origin})\n" + "\n".join(lines))
    return out


def verbose(outcomes: list[Outcome]) -> str:
    """Every query with its ground truth and what the engine did with it."""
    out = []
    for o in outcomes:
        q = o.query
        out.append(f"{q.text!r} ({q.kind}; truth for {q.truth!r}; from {q.origin}): {len(o.relevant)} relevant: " + " ".join(sorted(o.relevant)))
        out.append(f"    found {o.hits}/{len(o.relevant)} of {len(o.found)} results; {num(o.latency_ms)} ms; {o.bytes or 0:,} B")
        out.append("    first ten: " + " ".join(f"{p}{'' if ok else ' ✗'}" for p, ok in zip(o.top, o.top_ok, strict=False)))
    return "\n".join(out)


def record(o: Outcome) -> dict:
    missing = o.missing
    return {
        **asdict(o.query), "relevant": len(o.relevant), "found": len(o.found), "hits": o.hits, "recall": o.recall, "total": o.total,
        "missing": missing[:MISSING_KEPT], "missing_count": len(missing), "top": [{"url": p, "ok": ok, "text_ok": t} for p, ok, t in zip(o.top, o.top_ok, o.top_text_ok, strict=False)],
        "latency_ms": o.latency_ms, "bytes": o.bytes, "error": o.error,
    }


def out_path(n: int) -> Path:
    """.bench/search-<N>.json (a file of ours on disk, not a page of the site)"""
    return (OUT_DIR / f"search-{n}").with_suffix(".json")


def git_commit() -> str | None:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or None


def recall_mode(setting: str, n: int) -> str:
    """all: mlSearch.all(), every result checked (it fetches every candidate's texts);
    pages: mlSearch.pages(), the candidates before the check, which drops only pages that do
    not contain the query — so the same recall — without fetching every candidate."""
    if setting == "auto":
        return "all" if n <= RECALL_ALL_UP_TO else "pages"
    return setting


def run(n: int, seed: int, typing: str, keep: Path | None, show_all: bool, recall: str = "auto") -> dict:
    work = keep / str(n) if keep else Path(tempfile.mkdtemp(prefix=f"minsheng-search-{n}-"))
    root, site = work / "root", work / "site"
    try:
        shutil.rmtree(site, ignore_errors=True)
        log(f"[{n}] writing synthetic data into {root}")
        synthetic.write_dataset(root, n)
        log(f"[{n}] building the site")
        build = build_site(root, site)
        log(f"[{n}] built in {num(build.build_s, '.1f')} s; index {num(build.index_s, '.1f')} s; peak memory {num(build.peak_tree_mb)} MB")
        pages, cities = load_pages(root)
        queries = sample_queries(pages, cities, seed)
        truth = {q.text: relevant(parse_terms(q.truth, cities), pages) for q in queries}
        log(f"[{n}] {len(queries)} queries (seed {seed}), {len(pages)} item pages; typing them into {urls.search()}")
        recall = recall_mode(recall, n)
        outcomes, load_bytes = measure(site, queries, truth, typing, {p.url for p in pages}, recall=recall)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    summary = summarise(outcomes)
    summary["bytes_page_load"] = load_bytes
    result = {
        "items": n, "seed": seed, "typing": typing, "recall_via": recall, "item_pages": len(pages), "commit": git_commit(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "cores": os.cpu_count(),
        "build": asdict(build), "summary": summary, "queries": [record(o) for o in outcomes],
    }
    OUT_DIR.mkdir(exist_ok=True)
    path = out_path(n)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"[{n}] written {path}")
    print(f"\n### {n:,} items\n\n{kinds_table(outcomes)}")
    failed = failures(outcomes)
    print(f"\n{len(failed)} of {len(outcomes)} queries missed a page, showed a wrong one or failed" + (":\n" + "\n".join(failed) if failed else "."))
    if show_all:
        print("\nEvery query and its ground truth:\n" + verbose(outcomes))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="item counts, comma-separated (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=SEED, help="query sample seed (default: %(default)s)")
    parser.add_argument("--typing", default="fill", choices=("fill", "keys"), help="fill: one input event per query (an input method's commit); keys: one per character")
    parser.add_argument("--recall", default="auto", choices=("auto", "all", "pages"), help=f"where recall is read: mlSearch.all() or mlSearch.pages() (auto: all up to {RECALL_ALL_UP_TO:,} items)")
    parser.add_argument("--keep", type=Path, default=None, help="write the data and sites under this folder and keep them")
    parser.add_argument("--verbose", action="store_true", help="print every query with its ground truth")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium fonts-noto-cjk)")
    sizes = [int(s.replace("_", "")) for s in re.split(r"[,\s]+", args.sizes.strip()) if s]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    log(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    rows = [run(n, args.seed, args.typing, args.keep, args.verbose, args.recall) for n in sizes]
    print("\n" + table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
