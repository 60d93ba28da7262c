"""Site search: a static index of overlapping characters, cut the same way here at build time
and in the reader's browser (theme_overrides/assets/search.js), so what a reader types is
found wherever a page contains it.

Why (content/about/dependencies.md has the measurements): a word segmenter at build time
(jieba for Material's lunr, Pagefind's own) and a different cut in the browser miss compound
words and match single characters. Here every page is indexed by each character and each
pair of adjacent characters (CJK bigrams, as Lucene's CJKBigramFilter does); a query term
is looked up by its pairs (one character: by itself), so a page that contains the term
always has all of them. The browser then checks the whole term in the page's own text
before it shows the page, so pairs that occur apart never make a result.

Files, under `search/data/` in the built site:
- `meta.json`: cities, lists (the ranges of item numbers each list owns: filters by city
  and year cost nothing), one status letter per item page, topics (for zero-result
  suggestions), the maintainers' synonyms (search/synonyms.yml), a traditional →
  simplified character map (OpenCC) and the number of shards;
- `g/<n>.json`: shard n of the index, {gram: postings}; a gram goes to shard
  `fnv1a(gram) % shards`; postings are the sorted numbers `4 × page + where`, where = 2 when
  the gram is in the page's title, 1 in its pledge, 0 elsewhere (ranking reads it), delta-coded
  as base-64 VLQ (as in source maps);
- `d/<n>.json`: page n's own texts, link, city, year, status and as-of date (what a result
  shows, and what the phrase check reads);
- `manifest.json`: every file above with its size and SHA-256, written last; `verify`
  reads the files back against it and runs one query, so a truncated index fails the build.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import unicodedata
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from generator import derive
from generator.core import urls
from generator.core.kept import Kept, reuse
from generator.core.model import walk_items
from generator.site import wording

SEP = "\x1f"  # between the texts of one page: no pair spans two texts
SHARD_BYTES = 24_000  # aim for shards about this size (a query fetches one per pair)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
STATUS_LETTERS = {s: chr(ord("a") + i) for i, s in enumerate(derive.STATUS_ORDER)}


def normalise(text: str) -> str:
    """What index and query both compare: NFKC (full-width letters and digits, compatibility
    forms), lower case, no whitespace. search.js `norm` does the same."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def grams(texts: list[str]) -> set[str]:
    """Every character and every pair of adjacent characters of the texts."""
    out: set[str] = set()
    for text in texts:
        t = normalise(text)
        out.update(t)
        out.update(map(operator.add, t, t[1:]))
    return out


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over the code points (search.js `shardOf` is the same function)."""
    h = 0x811C9DC5
    for ch in text:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def _vlq_one(d: int) -> str:
    out = []
    while True:
        digit, d = d & 31, d >> 5
        out.append(B64[digit | (32 if d else 0)])
        if not d:
            return "".join(out)


_VLQ = [_vlq_one(d) for d in range(1 << 15)]  # every delta of up to three characters, ready


def vlq(numbers: list[int], start: int = 0) -> str:
    """Sorted non-negative integers as base-64 VLQ deltas (5 bits a character, low first), the
    first from `start`."""
    table, size = _VLQ, len(_VLQ)
    return "".join(table[d] if d < size else _vlq_one(d) for d in map(operator.sub, numbers, [start, *numbers[:-1]]))


def unvlq(text: str) -> list[int]:
    numbers, value, shift, last = [], 0, 0, 0
    for ch in text:
        digit = B64.index(ch)
        value |= (digit & 31) << shift
        shift += 5
        if not digit & 32:
            last += value
            numbers.append(last)
            value = shift = 0
    return numbers


@dataclass
class Doc:
    """One searchable page: what it is indexed by and what a result shows."""

    url: str
    kind: str  # item, list, city, topic
    title: str
    primary: list[str]  # title and pledge: a match here ranks first (in the title, before the pledge)
    other: list[str] = field(default_factory=list)  # explanation, targets, lead units, progress …
    city: str = ""  # city name
    year: int = 0
    label: str = ""
    status: str = ""  # items: derive.STATUS_ORDER
    as_of: str = ""
    stale: bool = False

    def fragment(self) -> dict:
        out: dict[str, object] = {"u": self.url, "k": self.kind, "t": self.title, "f": self.primary + self.other}
        extra = {"c": self.city, "y": self.year, "l": self.label, "s": self.status, "a": self.as_of, "x": self.stale}
        out.update({k: v for k, v in extra.items() if v})
        return out


def item_doc(item, pl, parent, city, build_date, topics) -> Doc:
    facts = derive.item_facts(item, pl, parent, build_date)
    lt, fresh = facts.latest, facts.fresh
    title = item.title or wording.short(item.text, 30)
    primary = [t for t in (item.title, item.text) if t]
    other = [t for t in (item.goal, item.explanation) if t]
    other += [t.text for t in item.targets]
    other += facts.lead
    for entry in item.progress:
        other += [t for t in (entry.status_text, entry.text) if t]
        other += [m.text for m in entry.measures if m.text]
    other += [topics[t].name for t in item.topics if t in topics]  # the page names its topics too
    return Doc(
        url=urls.item(pl.city, pl.year, item.id),
        kind="item",
        title=title,
        primary=primary,
        other=other,
        city=city.name,
        year=pl.year,
        label=wording.item_label(item, parent),
        status=lt.status,
        as_of=lt.report.as_of.isoformat() if lt.report else "",
        stale=fresh.stale,
    )


def page_docs(ds) -> list[Doc]:
    """The list, city and topic pages, indexed after every item."""
    docs = []
    for (slug, year), lf in sorted(ds.lists.items()):
        pl, city = lf.data, ds.cities[slug]
        title = f"{city.name}{year}年{pl.kind}"
        docs.append(Doc(urls.city_year(slug, year), "list", title, [title, pl.title], [pl.summary] if pl.summary else [], city.name, year))
    for slug, city in sorted(ds.cities.items()):
        docs.append(Doc(urls.city(slug), "city", city.name, [city.name, city.short_name], [city.province], city.name))
    for topic in ds.topics.values():
        docs.append(Doc(urls.topic(topic.id), "topic", topic.name, [topic.name], [topic.description or "", *topic.keywords]))
    return docs


def postings(docs: list[Doc]) -> dict[str, tuple[int, str, int]]:
    """{gram: (first posting, the VLQ deltas after it, last posting)} of `docs` numbered from 0.

    The deltas inside one run of documents stay the same wherever the run is placed, so each
    list's part of the index is made once (and kept by a preview) and joined to the others by
    encoding only each gram's first delta again (build)."""
    found: dict[str, list[int]] = defaultdict(list)
    for n, doc in enumerate(docs):  # the hot loop of the build: ~10 million appends at 30,000 items
        first = grams(doc.primary)
        every = first | grams(doc.other)
        title = grams([doc.title]) & every
        for where, part in ((2, title), (1, first - title), (0, every - first - title)):
            value = 4 * n + where
            for g in part:
                found[g].append(value)
    return {g: (p[0], vlq(p[1:], p[0]), p[-1]) for g, p in found.items()}


def _list_part(pl, city, build_date, topics) -> tuple[list[bytes], str, dict]:
    """What a preview keeps of a list's items: their documents as written, their status
    letters, and their part of the index."""
    docs = [item_doc(item, pl, parent, city, build_date, topics) for item, _, parent in walk_items(pl.items)]
    return [_json(d.fragment()) for d in docs], "".join(STATUS_LETTERS[d.status] for d in docs), postings(docs)


def traditional_map(chars: set[str]) -> str:
    """Pairs 'traditional simplified' for every traditional character whose simplified form
    occurs in the site's text (OpenCC's table; a reader typing 停車 finds 停车)."""
    import opencc  # opencc-python-reimplemented: already used by the draft tool

    folder = Path(opencc.__file__).parent / "dictionary"
    convert = opencc.OpenCC("t2s").convert
    pairs = {}
    for name in ("TSCharacters.txt", "TWVariantsRev.txt", "HKVariantsRev.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            trad = line.split("\t", 1)[0]
            if len(trad) == 1:
                simp = convert(trad)
                if simp != trad and simp in chars:
                    pairs[trad] = simp
    return "".join(t + s for t, s in sorted(pairs.items()))


def build(ds, build_date, stamps: dict | None = None, kept: Kept | None = None) -> dict[str, bytes]:
    """The index files, {path under the site: bytes}; manifest.json last. Pages are numbered
    items first, grouped by list (a list owns a range of numbers), then list, city and topic
    pages. A preview passes each list's stamp and what it `kept` (core.kept): an unchanged
    list keeps its items' documents and its part of the index."""
    item_files: list[bytes] = []  # each item's document as written
    lists, parts, status = [], [], []
    for (slug, year), lf in sorted(ds.lists.items()):
        made = functools.partial(_list_part, lf.data, ds.cities[slug], build_date, ds.topics)
        written, letters, part = reuse(kept, (slug, year), stamps[(slug, year)] if stamps else None, made)
        lists.append([slug, year, len(item_files), len(item_files) + len(written)])
        parts.append((4 * len(item_files), part))
        item_files += written
        status.append(letters)
    if kept is not None:
        kept.forget_unused()
    n_items = len(item_files)
    pages = page_docs(ds)
    parts.append((4 * n_items, postings(pages)))
    runs: dict[str, list[str]] = defaultdict(list)
    last: dict[str, int] = {}
    for base, part in parts:  # each gram's runs in page order: only their first delta is new
        for g, (head, rest, tail) in part.items():
            runs[g] += (_vlq_one(base + head - last.get(g, 0)), rest)
            last[g] = base + tail
    encoded = {g: "".join(r) for g, r in runs.items()}
    chars = {g for g in encoded if len(g) == 1}
    total = sum(len(g) * 3 + len(p) + 6 for g, p in encoded.items())
    shards = 1
    while total / shards > SHARD_BYTES:
        shards *= 2
    split: list[dict[str, str]] = [{} for _ in range(shards)]
    for g in sorted(encoded):
        split[fnv1a(g) % shards][g] = encoded[g]

    files: dict[str, bytes] = {}
    for i, shard in enumerate(split):
        files[urls.search_shard(i)] = _json(shard)
    for n, data in enumerate(item_files):
        files[urls.search_doc(n)] = data
    for n, doc in enumerate(pages, n_items):
        files[urls.search_doc(n)] = _json(doc.fragment())
    meta = {
        "shards": shards,
        "items": n_items,
        "docs": n_items + len(pages),
        "pages": [[d.kind, d.city, d.year, d.title] for d in pages],  # list, city and topic pages, after the items
        "lists": [[ds.cities[slug].name, year, first, end] for slug, year, first, end in lists],
        "cities": sorted([c.name, c.short_name] for c in ds.cities.values()),
        "status": "".join(status),
        "statuses": [[STATUS_LETTERS[s], s, derive.STATUS_LABELS[s], derive.STATUS_SYMBOLS[s]] for s in derive.STATUS_ORDER],
        "topics": [[t.name, urls.topic(t.id), [*t.keywords]] for t in ds.topics.values()],
        "synonyms": ds.synonyms,
        "t2s": traditional_map(chars),
    }
    version = hashlib.sha256(b"".join(files[k] for k in sorted(files)) + _json(meta)).hexdigest()[:12]
    meta["v"] = version  # search.js adds ?v= to every fetch: a new build is never read from an old cache
    files[urls.search_meta()] = _json(meta)
    manifest = {path: [len(data), hashlib.sha256(data).hexdigest()] for path, data in sorted(files.items())}
    files[urls.search_manifest()] = _json(manifest)
    return files


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


class IndexBroken(Exception):
    """A written index file is missing, cut short or different from what was built."""


def verify(site_dir: Path, written: Collection[str] | None = None) -> int:
    """Read the index back from the built site against its manifest, then look up the first
    item's title the way search.js does; returns the number of files checked. `written`: only
    these files were written by this build (a preview leaves unchanged ones alone, and checked
    them when it wrote them); None: all of them."""
    site = Path(site_dir)
    try:
        manifest = json.loads((site / urls.search_manifest()).read_bytes())
    except (OSError, ValueError) as exc:
        raise IndexBroken(f"{urls.search_manifest()} unreadable: {exc}") from None
    if written is not None:
        manifest = {rel: entry for rel, entry in manifest.items() if rel in written}
    for rel, (size, digest) in manifest.items():
        path = site / rel
        data = path.read_bytes() if path.is_file() else None
        if data is None:
            raise IndexBroken(f"{rel} is missing")
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            raise IndexBroken(f"{rel}: {len(data)} bytes written, {size} expected (or different content)")
    meta = json.loads((site / urls.search_meta()).read_bytes())
    if meta["docs"]:
        doc = json.loads((site / urls.search_doc(0)).read_bytes())
        term = normalise(doc["t"])[:4]
        for g in [term[i : i + 2] for i in range(len(term) - 1)] or [term]:
            shard = json.loads((site / urls.search_shard(fnv1a(g) % meta["shards"])).read_bytes())
            if 0 not in {n >> 2 for n in unvlq(shard.get(g, ""))}:
                raise IndexBroken(f"looking up {g!r} (from the first page's title) does not find that page")
    return len(manifest)
