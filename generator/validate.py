"""Load every data file, check it, and report every problem at once.

One pass, three layers, each adding `Problem`s with file:line:col:
1. YAML reading (`yamlsafe`): syntax, duplicate keys, ambiguous scalars, aliases, encoding;
2. the schema (`model`): types, required and unknown fields, formats;
3. cross-references and plausibility: ids, sections, sources, reports, topics, related
   items, dates, percents that contradict value/target.
Nothing is published unless there are no errors (warnings are allowed).

Ordinary year files take a fast path (`yamlfast`: YAML → JSON → `model_validate_json`,
converted ahead by forked workers when there is much data); any file with a problem, or
with a form the fast path does not take, is read by the strict reader, which knows where
every value was written. Item lines for the pages are found only when pages ask for them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import gc
import hashlib
import operator
import os
import re
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import model, parallel, yamlfast
from .yamlsafe import MAX_FILE_BYTES, Loaded, YamlProblem, decode_utf8, load_yaml

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    col: int
    path: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        field_path = f" {self.path}:" if self.path else ""
        tag = "" if self.severity == ERROR else " warning:"
        return f"{where}:{tag}{field_path} {self.message}"


@dataclass
class ListFile:
    """One validated year file and what the generator needs to point back into it."""

    path: str  # relative to the repository root, with forward slashes
    data: model.PledgeList
    source: Path  # the file itself, to find lines in
    _lines: dict | None = field(default=None, repr=False)

    @property
    def lines(self) -> dict:
        """Item id -> line of its `id:` key; ("report", id) -> line; ("field", "items") ->
        line of `items:`. Found when first asked for: only pages link to lines."""
        if self._lines is None:
            self._lines = _lines_in(self.source, self.data)
        return self._lines


@dataclass
class Dataset:
    """Everything in data/, validated."""

    root: str
    topics: dict = field(default_factory=dict)  # id -> model.Topic
    cities: dict = field(default_factory=dict)  # slug -> model.City
    city_files: dict = field(default_factory=dict)  # slug -> path
    lists: dict = field(default_factory=dict)  # (slug, year) -> ListFile
    problems: list = field(default_factory=list)
    _ids: dict = field(default_factory=dict, repr=False)  # (slug, year) -> item ids, filled on demand

    def item_ids(self, key: tuple) -> set:
        """The ids of every item and sub-item of a list (empty for an unknown list)."""
        if key not in self._ids:
            lf = self.lists.get(key)
            self._ids[key] = {item.id for item, _, _ in walk_items(lf.data.items)} if lf else set()
        return self._ids[key]

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list:
        return [p for p in self.problems if p.severity == WARNING]


def format_path(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Reporter:
    """Turns paths into positions for one file."""

    def __init__(self, rel: str, loaded: Loaded, sink: list):
        self.rel, self.loaded, self.sink = rel, loaded, sink

    def where(self, path: tuple, key: bool = False) -> tuple[int, int]:
        if key and path in self.loaded.key_positions:
            return self.loaded.key_positions[path]
        probe = tuple(path)
        while probe:
            if probe in self.loaded.positions:
                return self.loaded.positions[probe]
            probe = probe[:-1]
        return self.loaded.positions.get((), (1, 1))

    def add(self, path: tuple, message: str, severity: str = ERROR, key: bool = False) -> None:
        line, col = self.where(path, key)
        self.sink.append(Problem(self.rel, line, col, format_path(path), message, severity))


# --- pydantic errors in plain words ----------------------------------------------------


def _describe(value) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping (fields)"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty)"
    text = str(value)
    return f"the text {text[:40]!r}" + ("…" if len(text) > 40 else "")


def _model_at(root_model: type[BaseModel], path: tuple):
    """The pydantic model class that owns the last field of `path` (for hints)."""
    current = root_model
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        ann = info.annotation
        inner = _unwrap(ann)
        if inner is None:
            return None
        current = inner
    return current


def _unwrap(ann):
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()) or ():
        found = _unwrap(arg)
        if found is not None:
            return found
    return None


def _field_description(owner, name) -> str:
    if owner is None or not isinstance(name, str):
        return ""
    info = owner.model_fields.get(name)
    if info is None:
        return ""
    desc = info.description or ""
    if not desc:
        for meta in info.metadata:
            desc = getattr(meta, "description", None) or desc
    return desc


def _schema_problems(exc: ValidationError, root_model, rep: _Reporter) -> None:
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if isinstance(p, int) or not str(p).startswith(("function-", "str", "list[", "dict[")))
        kind, given = err["type"], err.get("input")
        owner = _model_at(root_model, loc)
        name = loc[-1] if loc else None
        hint = _field_description(owner, name)
        if kind == "missing":
            msg = f"required field `{name}` is missing" + (f" ({hint})" if hint else "")
            rep.add(loc, msg)
            continue
        if kind == "extra_forbidden":
            allowed = list(owner.model_fields) if owner else []
            close = difflib.get_close_matches(str(name), allowed, n=1)
            msg = f"unknown field `{name}`" + (f"; did you mean `{close[0]}`?" if close else "") + (f" Allowed here: {', '.join(allowed)}" if allowed else "")
            rep.add(loc, msg, key=True)
            continue
        if kind in ("string_type",):
            if isinstance(given, (int, float)) and not isinstance(given, bool):
                msg = f"expected text, found {_describe(given)}; put it in quotes (\"{given}\") so it is kept exactly as written"
            else:
                msg = f"expected text, found {_describe(given)}"
        elif kind == "string_pattern_mismatch":
            msg = f"{_describe(given)} is not in the expected form" + (f": {hint}" if hint else "")
            if isinstance(given, str) and re.match(r"^\s*[a-z]+:", given, re.I) and not given.startswith(("http:", "https:")):
                msg = f"only http:// and https:// addresses are allowed, found {given[:40]!r}"
            elif str(err.get("ctx", {}).get("pattern", "")).startswith("^https?://"):
                msg = f"{_describe(given)} is not a web address: write http://… or https://…, without spaces, quotes or < >"
        elif kind == "enum":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"{_describe(given)} is not allowed here; use one of {expected}"
        elif kind == "literal_error":
            msg = f"{_describe(given)} is not allowed here; use one of {err.get('ctx', {}).get('expected', '')}"
        elif kind in ("float_type", "int_type", "float_parsing", "int_parsing", "int_from_float"):
            msg = f"expected a number, found {_describe(given)}" + ("; write whole numbers in base units (2万 → 20000)" if isinstance(given, str) else "")
        elif kind == "bool_type":
            msg = f"expected true or false, found {_describe(given)}"
        elif kind in ("list_type",):
            msg = f"expected a list (lines starting with `- `), found {_describe(given)}"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            msg = f"expected a mapping of fields (`name: value` lines), found {_describe(given)}"
        elif kind == "value_error":
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
        elif kind in ("string_too_short", "too_short"):
            msg = "must not be empty" if kind == "string_too_short" else err["msg"]
        else:
            msg = err["msg"][:1].lower() + err["msg"][1:]
        if hint and kind not in ("string_pattern_mismatch", "value_error") and "expected" not in msg:
            msg += f" ({hint})"
        rep.add(loc, msg)


# --- reading files ----------------------------------------------------------------------


def _read(abs_path: Path, rel: str, sink: list):
    """Read and parse one file; returns Loaded or None when it cannot be parsed at all."""
    raw = _read_bytes(abs_path, rel, sink)
    return None if raw is None else _parse(raw, rel, sink)


def _read_bytes(abs_path: Path, rel: str, sink: list) -> bytes | None:
    try:
        if abs_path.stat().st_size > MAX_FILE_BYTES:  # refused before it is read into memory
            sink.append(Problem(rel, 1, 1, "", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it (one file per city and year)"))
            return None
        return abs_path.read_bytes()
    except OSError as exc:
        sink.append(Problem(rel, 1, 1, "", f"cannot read the file: {exc.strerror}"))
        return None


def _parse(raw: bytes, rel: str, sink: list):
    """Parse one file's bytes strictly; returns Loaded or None when it cannot be parsed at all."""
    try:
        loaded = load_yaml(decode_utf8(raw))
    except YamlProblem as exc:
        sink.append(Problem(rel, exc.line, exc.col, format_path(exc.path), exc.message))
        return None
    for p in loaded.problems:
        sink.append(Problem(rel, p.line, p.col, format_path(p.path), p.message))
    if loaded.data is None:
        sink.append(Problem(rel, 1, 1, "", "the file is empty"))
        return None
    if not isinstance(loaded.data, dict):
        sink.append(Problem(rel, 1, 1, "", "the file must be a mapping of fields (`name: value` lines) at the top level"))
        return None
    return loaded


def _validate(loaded: Loaded, root_model, rep: _Reporter):
    try:
        return root_model.model_validate(loaded.data)
    except ValidationError as exc:
        _schema_problems(exc, root_model, rep)
        return None


def load_dataset(root: str | os.PathLike = ".", only: list | None = None, today: dt.date | None = None, reuse: bool = False, freeze: bool = True) -> Dataset:
    """Load and check everything under `<root>/data`. `only` limits which year/city files
    are reported on (all files are still loaded so that references resolve). `reuse`: year
    files whose bytes did not change since an earlier `reuse` load in this process are not
    parsed again (`mkdocs serve` reloads the data on every edit); the cross-file checks
    still run on all of them. `freeze`: the data lives as long as the process (see
    `_cyclic_gc_paused`); pass False where data is loaded again and again (`mkdocs serve`)."""
    with _cyclic_gc_paused(freeze=freeze and not reuse):
        return _load_dataset(Path(root), only, today, reuse)


@contextlib.contextmanager
def _cyclic_gc_paused(freeze: bool):
    """Loading creates millions of long-lived objects and next to no reference cycles; Python's
    cycle collector would walk all of them again and again (half the load time at 30,000
    items). Plain reference counting still frees everything as usual. `freeze`: afterwards,
    move everything alive to the collector's permanent generation (`gc.freeze`), or its first
    run would still walk all of it (0.5 s at 30,000 items); not for repeated loads
    (`mkdocs serve`), where whatever was alive at that moment, such as the previous build's
    garbage, would never be collected."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _load_dataset(root: Path, only, today, reuse) -> Dataset:
    data_dir = root / "data"
    ds = Dataset(root=str(root))
    today = today or dt.date.today()
    if not data_dir.is_dir():
        ds.problems.append(Problem("data", 1, 1, "", "no data/ folder found; run this from the repository root"))
        return ds

    topics_path = data_dir / "topics.yml"
    rel_topics = "data/topics.yml"
    if topics_path.exists():
        loaded = _read(topics_path, rel_topics, ds.problems)
        if loaded is not None:
            rep = _Reporter(rel_topics, loaded, ds.problems)
            parsed = _validate(loaded, model.TopicsFile, rep)
            if parsed is not None:
                for i, topic in enumerate(parsed.topics):
                    if topic.id in ds.topics:
                        rep.add(("topics", i, "id"), f"duplicate topic id `{topic.id}`")
                    ds.topics[topic.id] = topic
    else:
        ds.problems.append(Problem(rel_topics, 1, 1, "", "missing: the topic vocabulary file data/topics.yml"))

    year_files: list = []
    for city_dir in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        slug = city_dir.name
        rel_city = f"data/{slug}/city.yml"
        city_path = city_dir / "city.yml"
        if not city_path.exists():
            ds.problems.append(Problem(rel_city, 1, 1, "", f"missing: every city folder needs a city.yml (copy one from another city and edit it)"))
        else:
            loaded = _read(city_path, rel_city, ds.problems)
            if loaded is not None:
                rep = _Reporter(rel_city, loaded, ds.problems)
                city = _validate(loaded, model.City, rep)
                if city is not None:
                    if city.slug != slug:
                        rep.add(("slug",), f"slug `{city.slug}` does not match the folder name `{slug}`; rename one of them")
                    ds.cities[slug] = city
                    ds.city_files[slug] = rel_city
        for path in sorted(city_dir.iterdir()):
            if path.name == "city.yml" or path.name.startswith("."):
                continue
            rel = f"data/{slug}/{path.name}"
            if path.suffix == ".yaml" or not re.fullmatch(r"[0-9]{4}\.yml", path.name):
                ds.problems.append(Problem(rel, 1, 1, "", "unexpected file: year files are named <year>.yml (e.g. 2024.yml), next to city.yml"))
                continue
            year_files.append((slug, path, rel))

    checks = []
    ahead = None if reuse else _convert_ahead([path for _, path, _ in year_files])
    for slug, path, rel in year_files:
        raw = digest = None  # the bytes are read here only when needed
        if ahead is not None:
            fast = next(ahead)
        else:
            raw = _read_bytes(path, rel, ds.problems)
            if raw is None:
                continue
            digest = hashlib.blake2b(raw, digest_size=16).digest() if reuse else None
            if digest is not None and _UNCHANGED.get(str(path), (None,))[0] == digest:
                lf = _UNCHANGED[str(path)][1]
                ds.lists[(slug, lf.data.year)] = lf
                checks.append((_LazyReporter(rel, path, ds.problems), lf.data))
                continue
            fast = yamlfast.read(raw)
        before = len(ds.problems)
        year = int(path.stem)
        parsed = _read_fast(fast, slug, year)
        lines = None  # found when pages ask for them
        if parsed is not None:  # positions are read only if a later check finds a problem
            rep = _LazyReporter(rel, path, ds.problems)
        else:
            raw = raw if raw is not None else _read_bytes(path, rel, ds.problems)
            loaded = None if raw is None else _parse(raw, rel, ds.problems)
            if loaded is None:
                continue
            rep = _Reporter(rel, loaded, ds.problems)
            parsed = _validate(loaded, model.PledgeList, rep)
            if parsed is None:
                continue
            if parsed.city != slug:
                rep.add(("city",), f"city `{parsed.city}` does not match the folder `{slug}`")
            if parsed.year != year:
                rep.add(("year",), f"year {parsed.year} does not match the file name {path.name}")
            lines = _lines(parsed, loaded.key_positions)
        lf = ds.lists[(slug, year)] = ListFile(rel, parsed, path, lines)
        checks.append((rep, parsed))
        if digest is not None and len(ds.problems) == before:  # only files that read and parse cleanly
            _UNCHANGED[str(path)] = (digest, lf)

    for rep, parsed in checks:
        _check_list(parsed, rep, ds, today)
    if only:
        ds.problems = problems_in(ds.problems, root, only)
    return ds


def problems_in(problems: list, root, only: list) -> list:
    """The problems that concern the given files or folders."""
    wanted = {os.path.normpath(str(Path(p).resolve())) for p in only}
    return [p for p in problems if _matches(Path(root), p.file, wanted)]


# `load_dataset(reuse=True)`: path → (content digest, ListFile) of year files that parsed
# without problems.
_UNCHANGED: dict = {}


class _LazyReporter(_Reporter):
    """A reporter for a reused file: positions are read only if a cross-file check finds a problem."""

    def __init__(self, rel: str, path: Path, sink: list):
        self.rel, self.path, self.sink, self._loaded = rel, path, sink, None

    @property
    def loaded(self) -> Loaded:
        if self._loaded is None:
            self._loaded = _read(self.path, self.rel, []) or Loaded(data=None)
        return self._loaded


def _matches(root: Path, rel: str, wanted: set) -> bool:
    full = os.path.normpath(str((root / rel).resolve()))
    return any(full == w or full.startswith(w + os.sep) for w in wanted)


# Above this many bytes of year files (~1,000 items), forked workers convert files to JSON
# (`yamlfast`) while this process validates the ones before.
AHEAD_FROM_BYTES = 2_000_000


def _convert_ahead(paths: list):
    """An iterator of `_convert(path)` for every path, computed ahead by forked workers, or
    None: then each file is converted here, when its turn comes."""
    try:
        total = sum(p.stat().st_size for p in paths)
    except OSError:
        return None
    return parallel.read_ahead(_convert, [str(p) for p in paths], total >= AHEAD_FROM_BYTES)


def _convert(path: str):
    """`yamlfast.read` of one year file, in a worker; None: it is read in full later (and any
    problem reading it is reported then)."""
    try:
        p = Path(path)
        return None if p.stat().st_size > MAX_FILE_BYTES else yamlfast.read(p.read_bytes())
    except OSError:
        return None


def _read_fast(fast, slug: str, year: int):
    """The list, when the file took the fast path (`yamlfast`) and has no problem the
    schema, the file name or a repeated key reveals; None: read it strictly."""
    if fast is None:
        return None
    try:
        parsed = model.PledgeList.model_validate_json(fast.json)
    except ValidationError:
        return None
    if parsed.city != slug or parsed.year != year or _nesting(parsed.items) > MAX_SUBITEM_NESTING:
        return None
    if _fields_given(parsed) != fast.keys:  # a key written twice: the JSON has both, the list one
        return None
    return parsed


def _fields_given(pl: model.PledgeList) -> int:
    """How many keys the file must have held to give this list: every field set from the
    input, every `counts` entry. (A model added to the schema must be counted here; the
    tests compare this with the keys of every data file.)"""
    items = [item for item, _, _ in walk_items(pl.items)]
    progress = list(chain.from_iterable(map(_PROGRESS, items)))
    models = chain(
        (pl, pl.period),
        pl.sources,
        pl.reports,
        pl.sections,
        items,
        chain.from_iterable(map(_TARGETS, items)),
        progress,
        chain.from_iterable(map(_MEASURES, progress)),
    )
    return sum(map(len, map(_FIELDS_SET, models))) + sum(len(r.counts) for r in pl.reports)


_FIELDS_SET = operator.attrgetter("__pydantic_fields_set__")  # what `model_fields_set` returns
_PROGRESS, _TARGETS, _MEASURES = operator.attrgetter("progress"), operator.attrgetter("targets"), operator.attrgetter("measures")


def _key_positions(found: tuple, pl: model.PledgeList) -> dict | None:
    """`yamlfast.id_keys` checked against the list: {("items",): (line, col), ("items", 0,
    "id"): (line, col), …}, as `yamlsafe.Loaded.key_positions` has them; None when they do
    not line up (flow style, quoted keys, `id:` lines inside block text, `id` written after
    `subitems`): then the strict reader gives them."""
    lists, written = found
    if "items" not in lists:
        return None
    expected = []
    for key in sorted(lists, key=lists.get):  # in the order the file has them
        if key == "items":
            expected += [(path + ("id",), item.id) for item, path, _ in walk_items(pl.items)]
        else:
            expected += [((key, i, "id"), entry.id) for i, entry in enumerate(getattr(pl, key))]
    if len(expected) != len(written):
        return None
    out = {("items",): (lists["items"], 1)}
    for (path, value), (line, col, text) in zip(expected, written):
        if text != value:
            return None
        out[path] = (line, col)
    return out


# Sub-items of sub-items … deeper than this take the strict reader, which limits nesting.
MAX_SUBITEM_NESTING = 8


def _nesting(items) -> int:
    deepest = 1 if items else 0
    for item in items:
        if item.subitems:
            deepest = max(deepest, 1 + _nesting(item.subitems))
    return deepest


def _lines_in(path: Path, pl: model.PledgeList) -> dict:
    """`ListFile.lines` of a file read the fast way: its `id:` lines found in the text
    (`yamlfast.id_keys`), or, when they do not line up, by the strict reader."""
    try:
        raw = path.read_bytes()
    except OSError:
        return _lines(pl, {})
    positions = _key_positions(yamlfast.id_keys(raw), pl)
    if positions is None:
        try:
            positions = load_yaml(decode_utf8(raw)).key_positions
        except YamlProblem:
            positions = {}
    return _lines(pl, positions)


def _lines(pl: model.PledgeList, key_positions: dict) -> dict:
    """Lines the pages link to: each item's and report's `id:` key and the `items:` key."""
    lines = {("field", "items"): key_positions.get(("items",), (1, 1))[0]}
    for item, path, _ in walk_items(pl.items):
        lines[item.id] = key_positions.get(path + ("id",), (1, 1))[0]
    for i, r in enumerate(pl.reports):
        lines[("report", r.id)] = key_positions.get(("reports", i, "id"), (1, 1))[0]
    return lines


# --- cross-reference and plausibility checks -----------------------------------------


def walk_items(items, path=("items",), parent=None):
    """Yield (item, path, parent) for every item and sub-item, depth first."""
    for i, item in enumerate(items):
        yield item, path + (i,), parent
        yield from walk_items(item.subitems, path + (i, "subitems"), item)


def _check_list(pl: model.PledgeList, rep: _Reporter, ds: Dataset, today: dt.date) -> None:
    if pl.city not in ds.cities:
        rep.add(("city",), f"no city `{pl.city}`: add data/{pl.city}/city.yml")
    if pl.period.end < pl.period.start:
        rep.add(("period", "end"), "the period ends before it starts")
    if pl.published and not (dt.date(pl.year - 1, 1, 1) <= pl.published <= dt.date(pl.year, 12, 31)):
        rep.add(("published",), f"published {pl.published} is not in or just before {pl.year}; the file is named after the year of publication")

    def unique(entries, name):
        seen = {}
        for i, e in enumerate(entries):
            if e.id in seen:
                rep.add((name, i, "id"), f"duplicate id `{e.id}` (also at {name}[{seen[e.id]}])")
            seen.setdefault(e.id, i)
        return seen

    sources = unique(pl.sources, "sources")
    reports = unique(pl.reports, "reports")
    sections = unique(pl.sections, "sections")
    if pl.source not in sources:
        rep.add(("source",), _unknown("source", pl.source, sources))
    for i, s in enumerate(pl.sources):
        if s.archive and not (Path(ds.root) / s.archive).is_file():
            rep.add(("sources", i, "archive"), f"no file {s.archive} in the repository")
        if s.date > today:
            rep.add(("sources", i, "date"), f"date {s.date} is in the future")
    for i, r in enumerate(pl.reports):
        if r.source not in sources:
            rep.add(("reports", i, "source"), _unknown("source", r.source, sources))
        if r.as_of < pl.period.start or r.as_of > pl.period.end + dt.timedelta(days=730):
            rep.add(("reports", i, "as_of"), f"as_of {r.as_of} is outside the plausible range {pl.period.start} … {pl.period.end + dt.timedelta(days=730)} for this list")
        if r.published < r.as_of:
            rep.add(("reports", i, "published"), f"published {r.published} is before the as_of date {r.as_of}")
        if r.published > today:
            rep.add(("reports", i, "published"), f"published {r.published} is in the future")
    for i, s in enumerate(pl.sections):
        if s.parent is not None:
            if s.parent not in sections:
                rep.add(("sections", i, "parent"), _unknown("section", s.parent, sections))
            elif s.parent == s.id:
                rep.add(("sections", i, "parent"), "a section cannot be its own parent")
    all_ids: dict = {}
    report_dates = {r.id: r.as_of for r in pl.reports}
    walked = list(walk_items(pl.items))
    for item, path, parent in walked:
        if item.id in all_ids:
            rep.add(path + ("id",), f"duplicate item id `{item.id}`; ids are the source's numbers and must be unique in the file")
        all_ids.setdefault(item.id, path)
        if parent is not None and not item.id.startswith(parent.id + "-"):
            rep.add(path + ("id",), f"sub-item id `{item.id}` must start with its parent's id: `{parent.id}-<n>`")
        if parent is None and "-" in item.id:
            rep.add(path + ("id",), f"top-level id `{item.id}` contains `-`; put it under `subitems` of item `{item.id.split('-')[0]}`")
        if item.section is not None and item.section not in sections:
            rep.add(path + ("section",), _unknown("section", item.section, sections))
        for j, t in enumerate(item.topics):
            if t not in ds.topics:
                rep.add(path + ("topics", j), _unknown("topic", t, ds.topics) + "; topics are defined in data/topics.yml")
        for j, t in enumerate(item.targets):  # (paths are built only for a problem: this runs 100,000 times)
            if t.qualitative and t.value is not None:
                rep.add(path + ("targets", j, "qualitative"), "a qualitative target has no value; remove `value` or set qualitative: false")
            if not t.qualitative and t.value is None:
                rep.add(path + ("targets", j), "give the target a `value` (a number in base units) or mark it `qualitative: true`")
            if t.comparator == model.Comparator.range and t.value_max is None:
                rep.add(path + ("targets", j, "value_max"), "a `range` target needs value_max (the upper end)")
            if t.value_max is not None and t.value is not None and t.value_max < t.value:
                rep.add(path + ("targets", j, "value_max"), "value_max is smaller than value")
        seen_reports: dict = {}
        last_date = None
        targets_by_metric = {t.metric: t.value for t in item.targets if t.value}
        for j, pr in enumerate(item.progress):
            if pr.text and "<" in pr.text:
                _check_html(pr.text, path + ("progress", j, "text"), rep)
            if pr.report not in reports:
                rep.add(path + ("progress", j, "report"), _unknown("report", pr.report, reports))
                continue
            if pr.report in seen_reports:
                rep.add(path + ("progress", j, "report"), f"this item already has an entry for report `{pr.report}` (progress[{seen_reports[pr.report]}]); merge them")
            seen_reports.setdefault(pr.report, j)
            date = report_dates[pr.report]
            if last_date and date < last_date:
                rep.add(path + ("progress", j, "report"), "progress entries must be in date order, oldest first", WARNING)
            last_date = date
            if targets_by_metric:
                for k, m in enumerate(pr.measures):
                    target = targets_by_metric.get(m.metric)
                    if target is not None and m.value is not None and m.percent is not None:
                        # does the reported percent contradict value / target? (inline: 130,000 measures)
                        if abs(m.value / target * 100 - m.percent) > max(1.0, 0.02 * m.percent):
                            rep.add(path + ("progress", j, "measures", k, "percent"), _percent_message(m, target), WARNING)
        for j, ref in enumerate(item.related):
            city, year, rid = ref.split("/")
            if rid not in ds.item_ids((city, int(year))):
                rep.add(path + ("related", j), f"related item `{ref}` does not exist (form: <city>/<year>/<id>)")
            elif city == pl.city and int(year) == pl.year and rid == item.id:
                rep.add(path + ("related", j), "an item cannot be related to itself")
        if "<" in f"{item.text}{item.explanation}{item.goal}{item.title}{item.note}":
            for name in ("text", "explanation", "goal", "title", "note"):
                _check_html(getattr(item, name), path + (name,), rep)
    for item, path, _ in walked:
        for j, old in enumerate(item.redirect_from):
            if old in all_ids:
                rep.add(path + ("redirect_from", j), f"old id `{old}` is still used by another item; a redirect would hide it")
    redirected = {old: path for item, path, _ in walked for old in item.redirect_from}
    for j, old in enumerate(pl.removed_ids):
        if old in all_ids:
            rep.add(("removed_ids", j), f"`{old}` is listed as removed but still exists")
        elif old in redirected:
            rep.add(("removed_ids", j), f"`{old}` is listed as removed and also redirected by {format_path(redirected[old])}.redirect_from; keep only one (redirect if the item lives on under a new id)")
    _check_html(pl.summary, ("summary",), rep)


def _unknown(kind: str, value: str, known) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    msg = f"unknown {kind} `{value}`"
    if close:
        msg += f"; did you mean `{close[0]}`?"
    elif known:
        listed = list(known)
        msg += f"; known: {', '.join(listed[:12])}" + (" …" if len(listed) > 12 else "")
    else:
        msg += f"; this file defines no {kind}s yet"
    return msg


def _check_html(text, path, rep: _Reporter) -> None:
    if text and model.HTML_TAG.search(text):
        rep.add(path, "looks like HTML; text is always shown as plain text (the tag will be visible, not run). Remove it unless the source really contains it", WARNING)


def _percent_message(m: model.Measure, target: float) -> str:
    computed = m.value / target * 100
    return f"reported {m.percent:g}% but value/target = {m.value:g}/{target:g} = {computed:.1f}%; check the value, the target, or the unit (万 → ×10000)"
