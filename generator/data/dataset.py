"""Load everything under data/ into one validated `Dataset`, with every problem at once.

Three layers, each adding `Problem`s with file:line:col and a code:
1. reading (`reading`): encoding, YAML syntax, duplicate keys, ambiguous scalars, limits;
2. the schema (`model`, in words by `messages`): types, required and unknown fields, formats;
3. checks across entries and files (`checks`): ids, references, dates, targets, percents.
All three run on every file in one pass, so a maintainer sees every problem in one run.
Nothing is published unless there are no errors (warnings are allowed).

Year files that read and validated cleanly before are taken from the content cache
(`reading.ListCache`): same bytes, same result, without reading them again.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import gc
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from generator.core import model
from generator.core.model import walk_items
from generator.core.problems import Code, Problem, Severity, format_path
from generator.data.checks import Links, check_file, check_links, check_url_space, links_of
from generator.data.messages import Reporter, validate
from generator.data.reading import ListCache, Loaded, YamlProblem, item_lines, parse, read_bytes

__all__ = ["Dataset", "ListFile", "load_dataset", "problems_in", "walk_items"]

YEAR_FILE = re.compile(r"[0-9]{4}\.yml")
CACHE_FOLDER = Path(".cache") / "ledger"  # under the repository root; .gitignore lists .cache/


ListKey = tuple[str, int]  # (city slug, year): one year file, one list


class ListFile:
    """One validated year file and what the pages need to point back into it. A list taken
    from the cache is read back only when something asks for `data`: validation needs only
    its `links`, so a warm `make validate` reads no list at all."""

    def __init__(self, path: str, data: model.PledgeList | None, lines: dict, links: Links | None = None, load=None):
        self.path = path  # relative to the repository root, with forward slashes
        self.lines = lines  # item id → line of its `id:` key; ("report", id) → line; ("field", "items") → line
        self._data, self._load = data, load
        self.links = links if links is not None else links_of(data)  # type: ignore[arg-type]

    @property
    def data(self) -> model.PledgeList:
        if self._data is None:
            with _cyclic_gc_paused(freeze=False):
                self._data = self._load()
            self._load = None  # (it holds the file's bytes)
        return self._data


@dataclass
class Dataset:
    """Everything in data/, validated."""

    root: str
    topics: dict[str, model.Topic] = field(default_factory=dict)  # by id
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # a word readers type -> the words the lists use (data/synonyms.yml)
    cities: dict[str, model.City] = field(default_factory=dict)  # by slug
    city_files: dict[str, str] = field(default_factory=dict)  # slug -> path of its city.yml
    folders: set[str] = field(default_factory=set)  # slug of every city folder, valid city.yml or not
    lists: dict[ListKey, ListFile] = field(default_factory=dict)
    year_files: dict[ListKey, str] = field(default_factory=dict)  # path of every year file, valid or not
    problems: list[Problem] = field(default_factory=list)

    def item_ids(self, key: ListKey) -> frozenset[str]:
        """The ids of every item and sub-item of a list (empty for an unknown list)."""
        lf = self.lists.get(key)
        return lf.links.ids if lf else frozenset()

    def lists_with_errors(self) -> set[ListKey]:
        """(slug, year) of the year files that exist but have errors."""
        failing = {p.file for p in self.errors}
        return {key for key, rel in self.year_files.items() if rel in failing}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]


def load_dataset(
    root: str | os.PathLike = ".",
    only: list | None = None,
    today: dt.date | None = None,
    overrides: dict | None = None,
    cache: bool = True,
    freeze: bool = True,
    read_lists: bool = True,
    memo: dict | None = None,
) -> Dataset:
    """Load and check everything under `<root>/data`.

    `only`: report only the problems of these files or folders (everything is still loaded,
    so that references resolve). `overrides`: {path relative to root: text or bytes} read
    instead of the file on disk (or as a new file): the importer checks an edit before it
    writes it. `cache`: use and fill the content cache (`<root>/.cache/ledger/`).
    `freeze`: the data lives as long as the process (see `_cyclic_gc_paused`); pass False
    where data is loaded again and again (`mkdocs serve`). `read_lists=False`: lists taken
    from the cache are read back only when asked for (`make validate` needs none of them).
    `memo`: a dict a preview passes to every load, to share unchanged files' lists (ListCache)."""
    root = Path(root)
    list_cache = ListCache(root / CACHE_FOLDER, memo) if cache else None
    with _cyclic_gc_paused(freeze=freeze):
        ds = _Loader(root, today or dt.date.today(), _normalise(root, overrides), list_cache).load()
        if read_lists:  # here, while the cycle collector is paused
            for lf in ds.lists.values():
                lf.data  # noqa: B018
    if list_cache is not None and not overrides:
        list_cache.prune()
    if only:
        ds.problems = problems_in(ds.problems, root, only)
    return ds


def _normalise(root: Path, overrides: dict | None) -> dict[str, bytes]:
    """The overrides (path → text or bytes) keyed by their path relative to the root."""
    out = {}
    for key, content in (overrides or {}).items():
        path = Path(key)
        rel = path.resolve().relative_to(root.resolve()) if path.is_absolute() else path
        out[rel.as_posix()] = content.encode("utf-8") if isinstance(content, str) else content
    return out


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


# A link could bring in a file from outside the repository, or show one list under two names.
_SYMLINK = "symbolic links are not allowed in data/: put the file itself here"


class _Loader:
    """One load: reads the files in a fixed order, then runs the checks across files."""

    def __init__(self, root: Path, today: dt.date, overrides: dict, cache: ListCache | None):
        self.root, self.today, self.overrides, self.cache = root, today, overrides, cache
        self.ds = Dataset(root=str(root))
        self.reporters: dict = {}  # data file → Reporter, for checks across files

    def problem(self, rel: str, code: Code, message: str) -> None:
        self.ds.problems.append(Problem(rel, 1, 1, "", code, message))

    def load(self) -> Dataset:
        data_dir = self.root / "data"
        if not data_dir.is_dir():
            self.problem("data", Code.NO_DATA_FOLDER, "no data/ folder found; run this from the repository root")
            return self.ds
        self.load_topics()
        self.load_synonyms()
        checks: list = []
        for slug, rel in self.city_folders(data_dir):
            checks.extend(self.load_list(slug, rel) for rel in self.year_files(slug, rel))
        for rep, lf, left_out in filter(None, checks):
            self.check(left_out, check_links, lf.links, rep, self.ds, lambda lf=lf: lf.data)
        check_url_space(self.ds, self.reporters)
        return self.ds

    def check(self, left_out: set, checks, *args) -> None:
        """Run checks; a reference to an entry left out for its own errors is not a new problem."""
        start = len(self.ds.problems)
        checks(*args)
        if left_out:
            self.ds.problems[start:] = [p for p in self.ds.problems[start:] if not _refers_to(p, left_out)]

    # --- reading -----------------------------------------------------------------------

    def raw(self, rel: str) -> bytes:
        if rel in self.overrides:
            return self.overrides[rel]
        if (self.root / rel).is_symlink():
            raise YamlProblem(1, 1, (), _SYMLINK, Code.FILE_UNEXPECTED)
        return read_bytes(self.root / rel)

    def exists(self, rel: str) -> bool:
        return rel in self.overrides or (self.root / rel).exists()

    def read(self, rel: str) -> Loaded | None:
        """The file read strictly; None (and the problem reported) when nothing is usable."""
        try:
            loaded = parse(self.raw(rel))
        except YamlProblem as exc:
            self.ds.problems.append(Problem(rel, exc.line, exc.col, format_path(exc.path), exc.code, exc.message))
            return None
        for p in loaded.problems:
            self.ds.problems.append(Problem(rel, p.line, p.col, format_path(p.path), p.code, p.message, p.severity))
        return loaded if loaded.data is not None else None

    def list_loader(self, key: str, raw: bytes):
        """Reads a cached list back; if its cache file went missing or is damaged since (another
        process pruned it), reads the bytes it was made from again, strictly."""
        from_cache = self.cache.loader(key) if self.cache else None

        def load() -> model.PledgeList:
            try:
                if from_cache is not None:
                    return from_cache()
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError):
                pass
            return model.PledgeList.model_validate(parse(raw).data)

        return load

    def positions(self, rel: str):
        """For a file taken from the cache: its positions, read only if a check needs them."""
        return lambda: self.read_quietly(rel)

    def read_quietly(self, rel: str) -> Loaded:
        try:
            return parse(self.raw(rel))
        except YamlProblem:  # changed on disk since: point at the top of the file
            return Loaded(data=None)

    # --- files -------------------------------------------------------------------------

    def load_topics(self) -> None:
        rel = "data/topics.yml"
        if not self.exists(rel):
            self.problem(rel, Code.FILE_MISSING, "missing: the topic vocabulary file data/topics.yml")
            return
        loaded = self.read(rel)
        if loaded is None:
            return
        rep = self.reporters[rel] = Reporter(rel, loaded, self.ds.problems)
        parsed = validate(loaded, model.TopicsFile, rep)
        for i, topic in enumerate(parsed.topics if parsed else []):
            if topic.id in self.ds.topics:
                rep.add(("topics", i, "id"), Code.DUPLICATE_ID, f"duplicate topic id `{topic.id}`")
            self.ds.topics[topic.id] = topic

    def load_synonyms(self) -> None:
        """data/synonyms.yml, when there is one: each word once, never its own synonym."""
        rel = "data/synonyms.yml"
        if not self.exists(rel):
            return
        loaded = self.read(rel)
        if loaded is None:
            return
        rep = self.reporters[rel] = Reporter(rel, loaded, self.ds.problems)
        parsed = validate(loaded, model.SynonymsFile, rep)
        for i, entry in enumerate(parsed.synonyms if parsed else []):
            for j, word in enumerate(entry.words):
                if word in self.ds.synonyms:
                    rep.add(("synonyms", i, "words", j), Code.DUPLICATE_ID, f"`{word}` is listed twice: give each word once, with all its meanings")
                elif word in entry.means:
                    rep.add(("synonyms", i, "words", j), Code.INVALID_VALUE, f"`{word}` is among its own meanings: leave it out of `means`")
                else:
                    self.ds.synonyms[word] = list(entry.means)

    def city_folders(self, data_dir: Path):
        """(slug, relative folder) of every city folder, each with its city.yml loaded."""
        for city_dir in sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            slug = city_dir.name
            if city_dir.is_symlink():
                self.problem(f"data/{slug}", Code.FILE_UNEXPECTED, _SYMLINK)
                continue
            self.ds.folders.add(slug)
            rel = f"data/{slug}/city.yml"
            if not self.exists(rel):
                self.problem(rel, Code.FILE_MISSING, "missing: every city folder needs a city.yml (copy one from another city and edit it)")
            else:
                self.load_city(slug, rel)
            yield slug, f"data/{slug}"

    def load_city(self, slug: str, rel: str) -> None:
        loaded = self.read(rel)
        if loaded is None:
            return
        rep = self.reporters[rel] = Reporter(rel, loaded, self.ds.problems)
        city = validate(loaded, model.City, rep)
        if city is not None:
            if city.slug != slug:
                rep.add(("slug",), Code.NAME_MISMATCH, f"slug `{city.slug}` does not match the folder name `{slug}`; rename one of them")
            self.ds.cities[slug] = city
            self.ds.city_files[slug] = rel

    def year_files(self, slug: str, folder: str) -> list[str]:
        names = {p.name for p in (self.root / folder).iterdir()}
        names |= {rel.rsplit("/", 1)[1] for rel in self.overrides if rel.startswith(folder + "/")}
        out = []
        for name in sorted(names):
            if name == "city.yml" or name.startswith("."):
                continue
            rel = f"{folder}/{name}"
            if YEAR_FILE.fullmatch(name):
                out.append(rel)
            else:
                self.problem(rel, Code.FILE_UNEXPECTED, "unexpected file: year files are named <year>.yml (e.g. 2024.yml), next to city.yml")
        return out

    def load_list(self, slug: str, rel: str):
        """Read, validate and register one year file; (reporter, list, ids left out) for the
        checks across entries and files, or None when it could not be read. A file with schema
        errors is still checked, with the entries that have errors left out (`_salvage`): one
        run shows every problem."""
        year = int(rel[-8:-4])
        self.ds.year_files[(slug, year)] = rel
        try:
            raw = self.raw(rel)
        except YamlProblem as exc:
            self.ds.problems.append(Problem(rel, exc.line, exc.col, "", exc.code, exc.message))
            return None
        key = self.cache.key(rel, raw) if self.cache else ""
        hit = self.cache.get(key) if self.cache else None
        if hit is not None and self.cache:
            links, lines = hit
            lf = self.ds.lists[(slug, year)] = ListFile(rel, None, lines, links, self.list_loader(key, raw))
            return Reporter(rel, self.positions(rel), self.ds.problems), lf, set()
        else:
            before = len(self.ds.problems)
            loaded = self.read(rel)
            if loaded is None:
                return None
            rep = Reporter(rel, loaded, self.ds.problems)
            pl = validate(loaded, model.PledgeList, rep)
            if pl is None:
                pl, where, left_out = _salvage(loaded.data)
                if pl is None:
                    return None
                lf = self.ds.lists[(slug, year)] = ListFile(rel, pl, {})  # never published: it has errors
                relocating = _Relocating(rep, where)
                self.check(left_out, check_file, pl, relocating, self.today)
                return relocating, lf, left_out
            if pl.city != slug:
                rep.add(("city",), Code.NAME_MISMATCH, f"city `{pl.city}` does not match the folder `{slug}`")
            if pl.year != year:
                rep.add(("year",), Code.NAME_MISMATCH, f"year {pl.year} does not match the file name {year}.yml")
            lines = item_lines(pl, loaded.key_positions)
            check_file(pl, rep, self.today)
            lf = self.ds.lists[(slug, year)] = ListFile(rel, pl, lines)
            if self.cache and len(self.ds.problems) == before:  # only files without any problem of their own
                self.cache.put(key, (lf.links, lines), pl)
        return rep, lf, set()


def _salvage(data, attempts: int = 10):
    """(PledgeList, where, ids left out) built from a file's data without the list entries
    (items, targets, reports …) that have schema errors, or (None, …) when even that fails (an
    error outside every list entry, such as a missing `title`). Never published: it lets the
    checks across entries run on everything else. `where` maps the path of each entry that
    stayed to its path in the file, for the Reporter (an entry's index changes when an entry
    before it is left out)."""
    data = copy.deepcopy(data)
    original = {id(entry): path for path, entry in _entries(data, ())}
    left_out: set = set()
    for _ in range(attempts):
        try:
            pl = model.PledgeList.model_validate(data)
        except ValidationError as exc:
            locations = {tuple(p for p in e["loc"] if isinstance(p, (int, str)) and not str(p).startswith(("function-", "list[", "dict["))) for e in exc.errors()}
            removed = [_leave_out(data, loc, left_out) for loc in sorted(locations, key=_removal_order)]  # all of them, then retry
            if not any(removed):
                return None, {}, left_out
            continue
        return pl, {path: original[id(entry)] for path, entry in _entries(data, ())}, left_out
    return None, {}, left_out


def _entries(node, path: tuple):
    """(path, dict) of every mapping inside a list, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _entries(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict):
                yield path + (i,), value
            yield from _entries(value, path + (i,))


def _removal_order(loc: tuple):
    """Later and deeper entries first, so removing one never shifts the index of another."""
    return [(-p if isinstance(p, int) else 0) for p in loc], -len(loc)


def _leave_out(data, loc: tuple, left_out: set) -> bool:
    """Remove the innermost mapping in a list on `loc` (an item, a target, a report …);
    False when there is none or it is gone already."""
    holder, parent, index = data, None, None
    for part in loc:
        try:
            child = holder[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(holder, list) and isinstance(child, dict):
            parent, index = holder, part
        holder = child
    if parent is None or index is None:
        return False
    entry = parent.pop(index)
    if isinstance(entry.get("id"), str):
        left_out.add(entry["id"])
    return True


class _Relocating(Reporter):
    """A Reporter for a salvaged list: paths into the list are translated to the file's."""

    def __init__(self, rep: Reporter, where: dict):
        super().__init__(rep.rel, rep.loaded, rep.sink)
        self.where_in_file = where

    def add(self, path: tuple, *args, **kwargs) -> None:
        for cut in range(len(path), 0, -1):
            if path[:cut] in self.where_in_file:
                path = self.where_in_file[path[:cut]] + path[cut:]
                break
        super().add(path, *args, **kwargs)


_UNKNOWN = re.compile(r"^(unknown \w+|related item) `([^`]*)`")


def _refers_to(p: Problem, ids: set) -> bool:
    found = _UNKNOWN.match(p.message) if p.code == Code.UNKNOWN_REFERENCE else None
    return found is not None and found.group(2).rsplit("/", 1)[-1] in ids


def problems_in(problems: list[Problem], root: str | os.PathLike, only: list) -> list[Problem]:
    """The problems that concern the given files or folders."""
    wanted = {os.path.normpath(str(Path(p).resolve())) for p in only}
    return [p for p in problems if _matches(Path(root), p.file, wanted)]


def _matches(root: Path, rel: str, wanted: set) -> bool:
    full = os.path.normpath(str((root / rel).resolve()))
    return any(full == w or full.startswith(w + os.sep) for w in wanted)
