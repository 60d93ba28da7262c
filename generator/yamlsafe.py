"""Read YAML the way a maintainer means it, and remember where every value came from.

PyYAML alone is unsafe for hand-edited data: it silently keeps the last of two duplicate
keys, reads `no` as false, `010` as 8 and `2024-01-31` as a date object, and expands
alias bombs. We use its (C, when available) parser to build the node tree, then convert
the nodes ourselves with strict YAML 1.2-like rules, collecting positions so that every
later error can say `file:line:col`.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

try:  # libyaml is ~10x faster; the pure-Python parser gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
# libyaml's composer recurses in C: some 30 000 nested `[` overflow the stack and kill the
# process (no RecursionError). Anything deeper than this is refused before composing.
MAX_PARSE_DEPTH = 1000
# Every value costs ~1 kB while composing and converting: a 2 MB file of 200 000 short keys
# took 500 MB and 30 s. The largest real list has ~5 000 values.
MAX_VALUES = 100_000

Path = tuple  # a path into the data: ("items", 3, "targets", 0, "value")


@dataclass
class YamlProblem(Exception):
    """A problem found while reading YAML, before any schema check."""

    line: int
    col: int
    path: Path
    message: str


@dataclass
class Loaded:
    """The plain data plus where each value (and each mapping key) was written."""

    data: object
    positions: dict = field(default_factory=dict)  # path -> (line, col), 1-based
    key_positions: dict = field(default_factory=dict)  # path ending in a key -> (line, col)
    problems: list = field(default_factory=list)  # YamlProblem, collected (not raised)


_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# Invisible control characters (only reachable through escapes like "\0" or "\x1b" in double
# quotes: YAML refuses them raw). They corrupt pages and feeds and are never in a source text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
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
        raise YamlProblem(1, 1, (), "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            line, col, (), "the file is not valid UTF-8 (byte 0x%02x); save it as UTF-8 (GB2312/GBK files must be converted)" % raw[exc.start]
        ) from None


def load_yaml(text: str) -> Loaded:
    """Parse text into plain Python data with positions; problems are collected, not raised.

    Raises YamlProblem only when the text cannot be parsed at all.
    """
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, (), f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it (one file per city and year)")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise YamlProblem(line, 1, (), "the file contains a NUL byte: it looks like a binary file, not YAML text")
    _refuse_huge_structures(text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        raise YamlProblem(line, col, (), f"YAML syntax error: {what}. Check indentation and quotes on this line or the one above") from None
    except yaml.YAMLError as exc:  # e.g. more than one document, reader errors
        raise YamlProblem(1, 1, (), f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlProblem(1, 1, (), f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)") from None
    loaded = Loaded(data=None)
    if root is None:
        return loaded
    loaded.data = _convert(root, (), loaded, set(), 0)
    return loaded


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
                    raise YamlProblem(mark.line + 1, mark.column + 1, (), f"the file holds more than {MAX_VALUES:,} keys and values; one city's list for one year never needs that many")
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_PARSE_DEPTH:
                    mark = event.start_mark
                    raise YamlProblem(mark.line + 1, mark.column + 1, (), f"the YAML is nested more than {MAX_PARSE_DEPTH} levels deep; the data format never needs more than a few")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # reported with its position by yaml.compose


def _convert(node, path: Path, out: Loaded, seen: set, depth: int):
    out.positions[path] = _pos(node)
    if depth > MAX_DEPTH:
        out.problems.append(YamlProblem(*_pos(node), path, f"nested more than {MAX_DEPTH} levels deep; the data format never needs that"))
        return None
    if node.tag not in _KNOWN_TAGS:
        out.problems.append(YamlProblem(*_pos(node), path, f"custom YAML tag {node.tag!r} is not allowed; remove it"))
        return None
    if id(node) in seen:  # aliases share node objects: a second visit means an alias
        out.problems.append(YamlProblem(*_pos(node), path, "YAML anchors and aliases (&name / *name) are not allowed; write the value out"))
        return None
    seen.add(id(node))  # scalars too: an aliased long text would otherwise be copied into every page
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path, out)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, path + (i,), out, seen, depth + 1) for i, child in enumerate(node.value)]
    result: dict = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            out.problems.append(YamlProblem(*_pos(key_node), path, "merge keys (<<) are not allowed; write the fields out"))
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            out.problems.append(YamlProblem(*_pos(key_node), path, "a mapping key must be a plain word"))
            continue
        k = key_node.value
        if k in result:
            first = out.key_positions[path + (k,)]
            out.problems.append(
                YamlProblem(
                    *_pos(key_node),
                    path + (k,),
                    f"duplicate key `{k}` (first written on line {first[0]}); YAML would silently keep only the last one. Merge the two or remove one",
                )
            )
            continue
        out.key_positions[path + (k,)] = _pos(key_node)
        result[k] = _convert(value_node, path + (k,), out, seen, depth + 1)
    return result


def refused_number(value: str) -> bool:
    """A plain scalar YAML 1.1 and 1.2 read as different numbers (08, 0x1F, 1_000, 1:30)."""
    return bool(_LEADING_ZERO.match(value) or _OTHER_NUMBER.match(value))


def _scalar(node, path: Path, out: Loaded):
    value = node.value
    bad = _CONTROL.search(value)
    if bad:
        out.problems.append(
            YamlProblem(*_pos(node), path, f"contains the invisible control character U+{ord(bad.group()):04X} (an escape such as \\0 or \\x1b in quotes); remove it")
        )
        value = _CONTROL.sub("", value)
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
            YamlProblem(*_pos(node), path, f"`{value}` is ambiguous: old YAML reads it as true/false. Write true or false, or \"{value}\" in quotes for the text")
        )
        return value
    if _INT.match(value):
        return int(value)
    if refused_number(value):
        out.problems.append(
            YamlProblem(
                *_pos(node), path, f"`{value}` is ambiguous: YAML may read it as a different number (octal, base 60 …). Quote it (\"{value}\") if it is text or an id, or write a plain number"
            )
        )
        return value
    if _FLOAT.match(value):
        number = float(value)
        if number in (float("inf"), float("-inf")):  # 1e400: JSON downloads would say Infinity
            out.problems.append(YamlProblem(*_pos(node), path, f"`{value}` is too large to be a number; check the value (in base units: 2万 → 20000)"))
            return None  # reported once, here: the schema refuses infinite numbers too
        return number
    return value
