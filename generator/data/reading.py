"""Read YAML the way a maintainer means it, remember where every value came from, and keep
what was read in a content cache.

There is one reader: PyYAML (its C parser, libyaml, when available) builds the node tree,
and we convert the nodes ourselves with strict rules, collecting positions so that every
later error can say `file:line:col`. PyYAML alone is unsafe for hand-edited data: it
silently keeps the last of two duplicate keys, reads `no` as false, `010` as 8 and
`2024-01-31` as a date object, and expands alias bombs.

Decisions (documented in content/about/format.md):
- duplicate keys, anchors/aliases, merge keys (`<<`), custom tags: errors;
- plain `yes/no/on/off/y/n`: error (ambiguous between YAML 1.1 and 1.2) — write
  true/false or quote the text;
- numbers with leading zeros (`08`), octal/hex/binary/sexagesimal forms, `.inf`/`.nan`:
  errors — quote them if they are text;
- bare dates stay text exactly as written (date fields parse them, text fields keep them);
- `1.65` is a number: a text field that receives a number is an error asking for quotes,
  so nothing is silently rewritten (1.50 would otherwise become 1.5).

Limits against broken or hostile files (tests/test_hardening.py): UTF-16, invisible control
characters (escapes such as "\\0" or "\\x1b"), numbers too large for a float (1e400), more
than MAX_PARSE_DEPTH levels of nesting or MAX_VALUES values: errors, never a crash.

The cache (`ListCache`): a year file that read and validated without a problem is stored
under a hash of its name, its bytes and the code and library versions that read it, with
the line of every item; the next load of the same bytes skips reading and validating
(`make validate` again, `make serve` after each edit, `make test`). Anything else is read
again, so every message still comes from the strict reader.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from generator.core import model
from generator.core.model import HTML_TAG, walk_items
from generator.core.problems import INVISIBLE, Code, Severity, visible

try:  # libyaml is ~10x faster; the pure-Python parser gives the same nodes.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_DEFAULT_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}


class _Loader(_BaseLoader):
    """PyYAML's loader without tag resolution: `_scalar` types every plain scalar by its own
    rules, so the implicit resolvers (regular expressions run on every scalar, a fifth of the
    reading time) would be wasted. Explicit tags (`!x`) are not resolved anyway and still
    reach `_convert`, which refuses them."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

PLACEHOLDER = "待填写"  # what `generator new` and `draft` write where a person must decide: never published
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
# libyaml's composer recurses in C: some 30 000 nested `[` overflow the stack and kill the
# process (no RecursionError). Anything deeper than this is refused before composing.
MAX_PARSE_DEPTH = 1000
# Every value costs ~1 kB while composing and converting: a 2 MB file of 200 000 short keys
# took 500 MB and 30 s. The largest real list has ~5 000 values.
MAX_VALUES = 100_000

FieldPath = tuple  # a path into the data: ("items", 3, "targets", 0, "value")


@dataclass
class YamlProblem(Exception):
    """A problem found while reading YAML, before any schema check."""

    line: int
    col: int
    path: FieldPath
    message: str
    code: Code = Code.YAML_SYNTAX
    severity: Severity = Severity.ERROR


@dataclass
class Loaded:
    """The plain data plus where each value (and each mapping key) was written."""

    data: object
    positions: dict = field(default_factory=dict)  # path -> (line, col), 1-based
    key_positions: dict = field(default_factory=dict)  # path ending in a key -> (line, col)
    problems: list = field(default_factory=list)  # YamlProblem, collected (not raised)
    number_texts: dict = field(default_factory=dict)  # path -> a plain decimal number as written ("1.10")


_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_CONTROL = INVISIBLE


def _invisible(value: str, what: str) -> str | None:
    """The problem with an invisible control or direction character in `value`, if any."""
    bad = _CONTROL.search(value)
    if bad is None:
        return None
    kind = "a direction override character" if "\u202a" <= bad.group() <= "\u2069" else "the invisible control character"
    return f"{what} contains {kind} U+{ord(bad.group()):04X} (an escape such as \\u202e or \\x1b in quotes, or pasted from another program); remove it"


_AMBIGUOUS_BOOL = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?$")
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+(\.[0-9]*)?$")
_OTHER_NUMBER = re.compile(
    r"^[-+]?(0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[0-9]+(_[0-9]+)+(\.[0-9_]*)?|\.(inf|Inf|INF|nan|NaN|NAN))$"
)
_KNOWN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}


def _pos(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def decode_utf8(raw: bytes) -> str:
    """Decode strictly; raise YamlProblem pointing at the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows Notepad's "Unicode"
        raise YamlProblem(1, 1, (), "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8", Code.ENCODING)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            line, col, (), "the file is not valid UTF-8 (byte 0x%02x); save it as UTF-8 (GB2312/GBK files must be converted)" % raw[exc.start], Code.ENCODING
        ) from None


def load_yaml(text: str) -> Loaded:
    """Parse text into plain Python data with positions; problems are collected, not raised.

    Raises YamlProblem only when the text cannot be parsed at all.
    """
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, (), f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it (one file per city and year)", Code.FILE_TOO_LARGE)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise YamlProblem(line, 1, (), "the file contains a NUL byte: it looks like a binary file, not YAML text", Code.ENCODING)
    if may_exceed_limits(text):
        _refuse_huge_structures(text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        hint = _quote_hint(text, line) or "Check indentation and quotes on this line or the one above"
        raise YamlProblem(line, col, (), f"YAML syntax error: {what}. {hint}") from None
    except yaml.YAMLError as exc:  # e.g. more than one document, reader errors
        raise YamlProblem(1, 1, (), f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlProblem(1, 1, (), f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)", Code.YAML_TOO_BIG) from None
    loaded = Loaded(data=None)
    if root is None:
        return loaded
    loaded.data = _convert(root, (), loaded, set(), 0)
    _point_at_aliases(text, loaded.problems)
    return loaded


_ALIAS_MESSAGE = "YAML anchors and aliases (&name / *name) are not allowed; write the value out"


def _point_at_aliases(text: str, problems: list, most: int = 50) -> None:
    """An alias shares its anchor's node, so the composer places it at the anchor: move each
    alias problem to the `*name` it is about (the k-th problem for an anchor → its k-th alias).
    The first `most` of them: a file of thousands of aliases gets its first ones pointed out."""
    lines = text.splitlines()
    aliases: dict[str, list[int]] = {}  # anchor name → offsets of its aliases after the anchor
    used: dict[str, int] = {}
    for p in [p for p in problems if p.message == _ALIAS_MESSAGE][:most]:
        anchor = re.match(r"&([^\s,\[\]{}]+)", lines[p.line - 1][p.col - 1 :]) if 0 < p.line <= len(lines) else None
        if anchor is None:
            continue
        name = anchor.group(1)
        if name not in aliases:
            start = sum(len(line) + 1 for line in lines[: p.line - 1]) + p.col - 1
            aliases[name] = [start + m.start() for m in re.finditer(r"\*" + re.escape(name) + r"(?![^\s,\]}])", text[start:])]
        k = used[name] = used.get(name, 0) + 1
        if len(aliases[name]) >= k:
            at = aliases[name][k - 1]
            anchor_line, p.line = p.line, text.count("\n", 0, at) + 1
            p.col = at - (text.rfind("\n", 0, at) + 1) + 1
            p.message = f"the alias *{name} repeats the value anchored as &{name} on line {anchor_line}; {_ALIAS_MESSAGE}"


def may_exceed_limits(text: str) -> bool:
    """Could this text hold more than MAX_VALUES values or MAX_PARSE_DEPTH levels? A cheap
    upper bound, so the exact count on libyaml's event stream (`_refuse_huge_structures`,
    a third of the reading time) runs only for the rare file that might. Every value ends
    at a line break, `,` or `:`, or starts with `-`, `?`, `[` or `{` (an empty value comes
    after one of them): twice their number bounds the values. A level of nesting needs a
    `[` or `{`, or one more column of indentation and `- ? :` at the start of a line."""
    structural = sum(map(text.count, ("\n", ",", ":", "-", "?", "[", "{")))
    if 2 * structural + 2 > MAX_VALUES:
        return True
    flow = text.count("[") + text.count("{")
    room = MAX_PARSE_DEPTH - 2 - flow
    return room <= 0 or re.search(r"(?m)^[ \t?:-]{%d,}" % room, text) is not None


_KEY_AND_TEXT = re.compile(r"^(\s*(?:- )?[A-Za-z_][\w-]*:[ \t]+)(.*?)\s*$")


def _quote_hint(text: str, line: int) -> str | None:
    """For the commonest syntax error in hand-written text, a colon (`具体包括:`), a `#` or a
    quotation mark inside a plain text value: the line as it should be, the text quoted."""
    lines = text.splitlines()
    found = _KEY_AND_TEXT.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if not found or not found.group(2) or found.group(2)[0] in "|>[{&*!":
        return None
    value = found.group(2)
    if not (":" in value or "#" in value or value[0] in "\"'" or "\"" in value):
        return None
    if value[0] in "\"'" and value[-1] == value[0] and len(value) > 1:
        return None  # already quoted: the problem is elsewhere
    fixed = found.group(1) + json.dumps(value, ensure_ascii=False)
    return f"The text on line {line} holds a colon, # or quotation mark, which YAML reads as syntax: put the whole text in double quotes, like this:\n    {fixed.strip()}"


def _refuse_huge_structures(text: str) -> None:
    """Count nesting and values on libyaml's event stream (iterative, no recursion, little
    memory) before composing."""
    depth = values = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                values += 1
                if values > MAX_VALUES:
                    mark = event.start_mark
                    assert mark is not None  # libyaml marks every event
                    raise YamlProblem(mark.line + 1, mark.column + 1, (), f"the file holds more than {MAX_VALUES:,} keys and values; one city's list for one year never needs that many", Code.YAML_TOO_BIG)
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_PARSE_DEPTH:
                    mark = event.start_mark
                    assert mark is not None
                    raise YamlProblem(mark.line + 1, mark.column + 1, (), f"the YAML is nested more than {MAX_PARSE_DEPTH} levels deep; the data format never needs more than a few", Code.YAML_TOO_BIG)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # reported with its position by yaml.compose


def _convert(node, path: FieldPath, out: Loaded, seen: set, depth: int):
    out.positions[path] = _pos(node)
    if depth > MAX_DEPTH:
        out.problems.append(YamlProblem(*_pos(node), path, f"nested more than {MAX_DEPTH} levels deep; the data format never needs that", Code.YAML_TOO_BIG))
        return None
    if node.tag not in _KNOWN_TAGS:
        out.problems.append(YamlProblem(*_pos(node), path, f"custom YAML tag {node.tag!r} is not allowed; remove it", Code.YAML_FEATURE))
        return None
    if id(node) in seen:  # aliases share node objects: a second visit means an alias
        out.problems.append(YamlProblem(*_pos(node), path, _ALIAS_MESSAGE, Code.YAML_FEATURE))
        return None
    seen.add(id(node))  # scalars too: an aliased long text would otherwise be copied into every page
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path, out)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, path + (i,), out, seen, depth + 1) for i, child in enumerate(node.value)]
    result: dict = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or (key_node.value == "<<" and isinstance(key_node, yaml.ScalarNode) and not key_node.style):
            out.problems.append(YamlProblem(*_pos(key_node), path, "merge keys (<<) are not allowed; write the fields out", Code.YAML_FEATURE))
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            out.problems.append(YamlProblem(*_pos(key_node), path, "a mapping key must be a plain word", Code.YAML_FEATURE))
            continue
        k = key_node.value
        bad = _invisible(k, f"the key `{visible(k)}`")
        if bad:
            out.problems.append(YamlProblem(*_pos(key_node), path, bad, Code.CONTROL_CHARACTER))
            continue
        if k in result:
            first = out.key_positions[path + (k,)]
            out.problems.append(
                YamlProblem(
                    *_pos(key_node),
                    path + (k,),
                    f"duplicate key `{k}` (first written on line {first[0]}); YAML would silently keep only the last one. Merge the two or remove one",
                    Code.DUPLICATE_KEY,
                )
            )
            continue
        out.key_positions[path + (k,)] = _pos(key_node)
        result[k] = _convert(value_node, path + (k,), out, seen, depth + 1)
    return result


def refused_number(value: str) -> bool:
    """A plain scalar YAML 1.1 and 1.2 read as different numbers (08, 0x1F, 1_000, 1:30)."""
    return bool(_LEADING_ZERO.match(value) or _OTHER_NUMBER.match(value))


def _scalar(node, path: FieldPath, out: Loaded):
    value = node.value
    bad = _invisible(value, "the text")
    if bad:
        out.problems.append(YamlProblem(*_pos(node), path, bad, Code.CONTROL_CHARACTER))
        value = _CONTROL.sub("", value)
    if PLACEHOLDER in value:  # `generator new` and `draft` leave it where only a person can fill in
        out.problems.append(
            YamlProblem(*_pos(node), path, f"still holds the placeholder “{PLACEHOLDER}”: write what the source says, or leave the field out if it is optional", Code.PLACEHOLDER)
        )
    if "<" in value and HTML_TAG.search(value):  # any text field: pages show it as text, never run it
        out.problems.append(
            YamlProblem(
                *_pos(node),
                path,
                "looks like HTML; text is always shown as plain text (the tag will be visible, not run). Remove it unless the source really contains it",
                Code.LOOKS_LIKE_HTML,
                Severity.WARNING,
            )
        )
    if node.style:  # None (pure-Python parser) or '' (libyaml) for plain scalars
        return value  # quoted or block scalar: always text, exactly as written
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _AMBIGUOUS_BOOL.match(value):
        out.problems.append(
            YamlProblem(*_pos(node), path, f"`{value}` is ambiguous: old YAML reads it as true/false. Write true or false, or \"{value}\" in quotes for the text", Code.AMBIGUOUS_VALUE)
        )
        return value
    if _INT.match(value):
        return int(value)
    if refused_number(value):
        out.problems.append(
            YamlProblem(
                *_pos(node), path, f"`{value}` is ambiguous: YAML may read it as a different number (octal, base 60 …). Quote it (\"{value}\") if it is text or an id, or write a plain number", Code.AMBIGUOUS_VALUE
            )
        )
        return value
    if _FLOAT.match(value):
        out.number_texts[path] = value
        number = float(value)
        if number in (float("inf"), float("-inf")):  # 1e400: JSON downloads would say Infinity
            out.problems.append(YamlProblem(*_pos(node), path, f"`{value}` is too large to be a number; check the value (in base units: 2万 → 20000)", Code.NUMBER_TOO_LARGE))
            return None  # reported once, here: the schema refuses infinite numbers too
        return number
    return value


# --- files --------------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """The bytes of one data file; YamlProblem when it cannot be read or is too large (checked
    before it is read into memory)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise YamlProblem(1, 1, (), f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it (one file per city and year)", Code.FILE_TOO_LARGE)
        return path.read_bytes()
    except OSError as exc:
        raise YamlProblem(1, 1, (), f"cannot read the file: {exc.strerror}", Code.FILE_UNREADABLE) from None


def parse(raw: bytes) -> Loaded:
    """Decode and read one file strictly, for a file whose top level must be a mapping.
    Raises YamlProblem when there is nothing usable; other problems are in `.problems`."""
    loaded = load_yaml(decode_utf8(raw))
    if loaded.data is None and not loaded.problems:
        raise YamlProblem(1, 1, (), "the file is empty", Code.FILE_EMPTY)
    if loaded.data is not None and not isinstance(loaded.data, dict):
        raise YamlProblem(1, 1, (), "the file must be a mapping of fields (`name: value` lines) at the top level", Code.FILE_NOT_MAPPING)
    return loaded


def item_lines(pl: model.PledgeList, key_positions: dict[FieldPath, tuple[int, int]]) -> dict[str | tuple[str, str], int]:
    """Lines the pages link to: item id → line of its `id:` key, ("report", id) → line of the
    report's `id:` key, ("field", "items") → line of `items:`."""
    lines: dict[str | tuple[str, str], int] = {("field", "items"): key_positions.get(("items",), (1, 1))[0]}
    for item, path, _ in walk_items(pl.items):
        lines[item.id] = key_positions.get(path + ("id",), (1, 1))[0]
    for i, r in enumerate(pl.reports):
        lines[("report", r.id)] = key_positions.get(("reports", i, "id"), (1, 1))[0]
    return lines


# --- the content cache ------------------------------------------------------------------------


@functools.cache  # the code a process runs does not change while it runs
def _code_version() -> str:
    """What decides how a file reads: the generator's source, Python, pydantic and PyYAML."""
    h = hashlib.blake2b(digest_size=12)
    package = Path(__file__).parent.parent
    for source in sorted(package.rglob("*.py")):
        h.update(source.relative_to(package).as_posix().encode() + source.read_bytes())
    h.update(sys.version.encode())
    for dist in ("pydantic", "pydantic_core", "PyYAML"):
        h.update(f"{dist}={metadata.version(dist)}".encode())
    return h.hexdigest()


class ListCache:
    """Validated year files by content, in `folder` (`.cache/ledger/` in the repository,
    ignored by git): per file `<key>` holds what validation needs (the list's links and item
    lines), `<key>.list` the list itself, read only when asked for. Every load unpickles its
    own objects, so nothing one load changes leaks into the next, except with `memo`: a
    preview (`mkdocs serve`) passes the same dict to each of its loads, and an unchanged file's
    entry and list are the objects the previous load read (nothing after validation changes
    the data; unpickling every list again was a sixth of an edit at 10,000 items).

    The folder holds the entries of one code version; folders of other versions are removed
    when a new one is made, and entries no load used are removed by `prune`."""

    def __init__(self, folder: Path, memo: dict | None = None):
        self.version = _code_version()
        self.folder = folder / self.version
        self.used: set = set()
        self._made = False
        self.memo = memo  # file name in the folder → what it was read as, by an earlier load

    def key(self, rel: str, raw: bytes) -> str:
        return hashlib.blake2b(self.version.encode() + rel.encode() + b"\0" + raw, digest_size=20).hexdigest()

    def get(self, key: str):
        self.used.add(key)
        try:
            return self._read(key)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError):
            return None  # not there, or unreadable: the file is read again

    def loader(self, key: str):
        """A function that reads the list of entry `key` back (for ListFile.data)."""
        return functools.partial(self._read, f"{key}.list")

    def _read(self, name: str):
        if self.memo is not None and name in self.memo:
            return self.memo[name]
        with open(self.folder / name, "rb") as f:
            value = pickle.load(f)
        if self.memo is not None:
            self.memo[name] = value
        return value

    def put(self, key: str, entry, the_list) -> None:
        self.used.add(key)
        if self.memo is not None:
            self.memo[key], self.memo[f"{key}.list"] = entry, the_list
        try:
            self._make_folder()
            for name, value in ((f"{key}.list", the_list), (key, entry)):  # the list first: an entry never lacks it
                fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.folder / name)
        except OSError:
            pass  # a read-only checkout works, only without the cache

    def _make_folder(self) -> None:
        if self._made:
            return
        if not self.folder.is_dir():
            for old in self.folder.parent.glob("*"):  # entries of other code versions
                if old.is_dir() and len(old.name) == len(self.version):
                    shutil.rmtree(old, ignore_errors=True)
            self.folder.mkdir(parents=True, exist_ok=True)
        self._made = True

    def prune(self) -> None:
        """Forget the entries the last load did not use (edited files' earlier contents)."""
        def unused(name: str) -> bool:  # an entry `<key>` or its list `<key>.list`
            return name.removesuffix(".list") not in self.used

        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if unused(entry.name) and not entry.name.startswith(".tmp-"):
                    entry.unlink(missing_ok=True)
        if self.memo is not None:
            for name in [n for n in self.memo if unused(n)]:
                del self.memo[name]
        self.used = set()
