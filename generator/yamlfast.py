"""A fast path for reading ordinary data files; `yamlsafe` stays the authority.

`yamlsafe` composes PyYAML nodes to keep the style and position of every value: strict,
but about 1 MB/s, a minute for 30,000 items. Almost every file in `data/` is ordinary
block YAML with quoted or plain text, so this module first turns it into JSON with
rapidyaml (a C++ YAML 1.2 parser, ~90 MB/s, no Python objects on the way), which
`validate` hands to the schema (`model_validate_json`) without positions. `to_json`
returns None, and the caller reads the file with `yamlsafe`, whenever the two readers could
disagree or a position is needed:

- the text holds a form `yamlsafe` reports or reads differently: a plain `no`/`on`/`y`…,
  `~`, `True`/`NULL`… (rapidyaml knows only `true`, `false`, `null`), `inf`/`nan` (which
  rapidyaml rewrites as ".inf"/".nan"), a number with a
  leading zero (`08`, `0e1`), `0x`, `_` or `:` in it, `.inf`/`.nan`, a tag `!`, an anchor
  `&`, an alias `*`, an explicit key `?`, an empty key (`: x`), a plain value starting
  with `@`, `` ` ``, `]` or `}` (rapidyaml takes them as text), a merge key `<<`, a
  directive `%`, a document marker `---`/`...`, a backslash escape, a tab, a control
  character, a lone carriage return, a YAML 1.1 line break (U+0085, U+2028, U+2029), a
  byte order mark, a non-character, bytes that are not UTF-8 (rapidyaml does not check,
  and drops comments with whatever is in them), a flow collection (`[…]`, `{…}`) other
  than a one-line list or mapping of simple words; structures rapidyaml reads where PyYAML
  reports a syntax error (a block scalar header with more than its indicators, text after
  a closing quote or bracket, a quoted key over two lines); a missing last line break; or
  `- -` chains, lines indented 40 columns or more, or more values than
  `yamlsafe.MAX_VALUES` (limits the strict reader enforces; nesting deeper than its 40
  levels at narrower indentation passes here, but the schema allows far less). One RE2
  pass (`_PREFILTER`) finds where any of these may be; only then the exact patterns look;
- rapidyaml refuses the text (syntax errors), or its JSON does not parse (`+1` is a YAML
  number but not a JSON one) or holds a number too large for a float (`1e400`, which the
  schema refuses);
- and, in `validate`, the schema or a later check finds a problem, or the file has a
  duplicate key: rapidyaml keeps both, so `validate` compares the number of keys in the
  JSON (`json_keys`) with the number of fields the schema received. Errors are always
  reported by the strict reader, with file:line:col.

Keys are text in both readers (`1: x` is the key "1"). The tests (tests/test_yamlfast.py)
read every data file, fixture and fuzz case, and generated scalars in every place a value
can stand, both ways and require the same data whenever this path accepts a file.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
from dataclasses import dataclass

import re2
import ryml

from .yamlsafe import MAX_VALUES, refused_number


# Plain words yamlsafe reads as true, false or null, or refuses (YAML 1.1 booleans), and
# rapidyaml as text
_WORDS = ("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "True", "TRUE", "False", "FALSE", "Null", "NULL", "~")
# Plain words rapidyaml rewrites, as values and as keys, also after a sign: ".inf", ".nan"
_REWRITTEN = ("inf", "infinity", "nan")


def _by_first_letter(words: tuple) -> dict:
    """{"y": ["", "es"], …}: the words as a first letter and what may follow it."""
    out: dict = {}
    for word in words:
        out.setdefault(word[0], []).append(word[1:])
    return out


def _suspect_pattern() -> re.Pattern:
    """Everything in the file that yamlsafe reads differently from rapidyaml or refuses
    (exactly; `_PREFILTER` runs first and finds a superset, fast).

    One pass over the UTF-8 bytes (faster than over the decoded text), as alternatives that
    each start with one literal byte: then `re` skips every other byte quickly (one that
    starts with a character class would make it try every position, three times slower).
    YAML's separators are all ASCII, so byte-wise boundaries are exact. (Numbers too large
    for a float, `1e400`, need no check here: the schema refuses infinite numbers, and
    `load` refuses them too.)"""
    value_start = r"[\s\[,{:]"  # what precedes a plain scalar: blank, flow indicator, `"key":`
    end = r"(?=[ \t]*(?:$|\#|[,\]}]))"  # … and what follows it
    branches = [
        # numbers with a leading zero (08, 0x1F, 0o17, 0b1, 0e1) or digit groups (1_000, 1:30);
        # where one may start, `_refused_number_at` checks the whole token
        r"0[0-9_xXoObBeE](?:(?<=[\s\[,{]0.)|(?<=[\s\[,{][-+]0.)|(?<=[\"']:0.)|(?<=[\"']:[-+]0.))",
        r"_(?:(?<=[0-9.]_)|(?=[0-9.]))",  # 1_000, _200, 1.5_ (numbers to some YAML 1.2 readers)
        r":(?:[0-9](?<=[0-9]:.)|(?<=[\s\[,{]:))",  # 1:30; an empty key (`: x`)
        # .inf .nan, any case (anywhere: rare); `...` starting a line (the end of a document)
        r"\.(?:(?:[iI][nN][fF]|[nN][aA][nN])(?![A-Za-z0-9])|(?<=\n\.)\.\.)",
        # `- - x` (nesting on one line); `---` starting a line (a new document)
        r"-(?:[ \t]+-(?:[ \t]|$)|(?<=\n-)--)",
        r"%(?<=\n%)",  # a directive
        r"<<",  # a merge key
    ]
    # a tag, an alias, an anchor (PyYAML refuses a repeated one), an explicit key (`? [a, b]`);
    # characters that cannot start a plain scalar (rapidyaml reads `a: @x` as the text "@x")
    for first in "!*&?@`":
        branches.append(rf"\{first}(?<={value_start}\{first})")
    for first in "]}":  # (after `[`, `{` or `,` they belong to a flow collection: checked there)
        branches.append(rf"\{first}(?<=[\s:]\{first})")
    for first, rests in _by_first_letter(_WORDS).items():
        branches.append(rf"{first}(?<={value_start}{first})(?:{'|'.join(rests)}){end}")
    key_end = r"(?=[ \t]*(?:$|\#|[,\]}:]))"  # (rewritten keys too)
    for first, rests in _by_first_letter(_REWRITTEN).items():
        branches.append(rf"{first}(?:(?<={value_start}{first})|(?<={value_start}[-+]{first}))(?:{'|'.join(rests)}){key_end}")
    return re.compile("|".join(branches).encode("ascii"), re.M)


_SUSPECT = _suspect_pattern()
_TOKEN_END = re.compile(rb"[\s,\[\]{}#]")
# The bytes that can add to the number of values: `:` `,` `?` (a key and its value), `-` `[` `{`.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b":,?-[{")
# Flow collections, where YAML 1.1 and 1.2 (and their parsers) differ most, are ordinary
# only as one-line lists or mappings of simple words or quoted strings: `[tuoyu, yanglao]`,
# `["1-1"]`, `{已完成: 6}`. Anything else (nesting, `:` or `#` in a word, line breaks) is
# read strictly.
_FLOW_WORD = rb"""(?:"[^"\n]*"|'(?:[^'\n]|'')*'|[^\s\[\]{},:#'"|>&*!?%@`-][^\[\]{},:#\n]*?)"""
_FLOW_PAIR = _FLOW_WORD + rb":[ \t]+" + _FLOW_WORD
_FLOW_OK = re.compile(
    rb"\[[ \t]*(?:W(?:[ \t]*,[ \t]*W)*[ \t]*)?\]".replace(b"W", _FLOW_WORD)
    + rb"|\{[ \t]*(?:P(?:[ \t]*,[ \t]*P)*[ \t]*)?\}".replace(b"P", _FLOW_PAIR)
)
# Bytes never in an ordinary file: backslash (escapes), tab (PyYAML and YAML 1.2 disagree on
# where it may stand), other C0 controls but line breaks, DEL. (A carriage return is a line
# break only before a line feed: `to_json` drops those and refuses the rest.)
_KEEP_ONLY_ODD_BYTES = bytes(b for b in range(256) if not (b == 0x5C or b == 0x7F or (b < 0x20 and b not in (0x0A, 0x0D))))
# Odd characters, in UTF-8: U+2028, U+2029 (line breaks in YAML 1.1 only), a byte order
# mark (PyYAML drops one at the start, rapidyaml keeps it), the non-characters U+FFFE and
# U+FFFF, C1 controls (U+0080–U+009F, among them the YAML 1.1 line break U+0085); and lines
# indented 40 columns or more (nesting the strict reader limits).
_ODD = re.compile(rb"\xe2\x80[\xa8\xa9]|\xef\xbb\xbf|\xef\xbf[\xbe\xbf]|\xc2[\x80-\x9f]|\n {40}")
# Structures rapidyaml reads where PyYAML reports a syntax error or reads otherwise: a block
# scalar header with anything but its indicators (`| -`, `|1p`; after `| # a-b` rapidyaml
# even takes the chomping from the comment), text after a closing quote or bracket (it reads
# `- "p" - q` as two entries), a quoted key spread over two lines.
_STRUCTURE = re.compile(
    rb"[|>](?<=[\s\[,{:][|>])(?!(?:[1-9][-+]?|[-+][1-9]?)?[ \t]*$)"
    rb"|[\"'\]}](?=[ \t]+[^ \t\n#:,\]}])"
    rb"|\n[^\"\n]*\"[ \t]*:(?:[ \t]|$)"
    rb"|\n[^'\n]*'[ \t]*:(?:[ \t]|$)",
    re.M,
)


def _prefilter():
    """Everything `_SUSPECT`, `_ODD` or `_STRUCTURE` can find, and more (bytes around a form are taken
    as part of it instead of looked at), as one RE2 automaton: one pass over 70 MB takes
    0.15 s where `re` takes 1 s. Almost every file has none of it; for the others the exact
    patterns decide. (RE2 has no lookaround, so it cannot replace them.)"""
    blank = r"[ \t\n\r\f\v]"  # Python's \s
    value_start = rf"(?:{blank}|[\[,{{:])"
    end = r"[ \t]*(?:$|#|[,\]}])"
    branches = [
        rf"(?:{blank}|[\[,{{]|[\"']:)[-+]?0[0-9_xXoObBeE]",
        r"[0-9.]_|_[0-9.]",
        rf"[0-9]:[0-9]|(?:{blank}|[\[,{{]):",
        r"\.(?:[iI][nN][fF]|[nN][aA][nN])(?:[^A-Za-z0-9]|\z)",
        r"-[ \t]+-(?:[ \t]|$)",
        r"\n(?:%|---|\.\.\.)",
        r"<<",
        rf"{value_start}[!*&?@`]",
        rf"(?:{blank}|:)[\]}}]",
        rf"{value_start}(?:{'|'.join(_WORDS)}){end}",
        rf"{value_start}[-+]?(?:{'|'.join(_REWRITTEN)})[ \t]*(?:$|#|[,\]}}:])",
        _ODD.pattern.decode("latin-1"),
        # block scalar headers with more than their indicators
        rf"{value_start}[|>](?:[^ \t\n1-9+-]|[1-9][^ \t\n+-]|[1-9][-+][^ \t\n]|[-+][^ \t\n1-9]|[-+][1-9][^ \t\n]|(?:[1-9][-+]?|[-+][1-9]?)?[ \t]+[^ \t\n])",
        r"[\"'\]}][ \t]+[^ \t\n#:,\]}]",
        r"\n[^\"\n]*\"[ \t]*:(?:[ \t]|$)",
        r"\n[^'\n]*'[ \t]*:(?:[ \t]|$)",
    ]
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1  # bytes, not UTF-8 characters
    return re2.compile(("(?m)" + "|".join(branches)).encode("latin-1"), options)


_PREFILTER = _prefilter()


def ordinary(raw: bytes) -> bool:
    """True when the file (its UTF-8 bytes) uses only forms both readers read alike."""
    if raw.translate(None, _KEEP_ONLY_ODD_BYTES) or not raw.endswith(b"\n"):
        return False  # (without a last line break, rapidyaml keeps one at the end of a block scalar)
    try:
        raw.decode("utf-8")  # rapidyaml does not check it, and drops comments, bad bytes and all
    except UnicodeDecodeError:
        return False
    if len(raw) > MAX_VALUES:  # every value needs a byte: only a larger file can hold more
        structure = raw.translate(None, _NOT_STRUCTURE)  # and one of these near it: an upper bound
        if len(structure) + structure.count(b":") + structure.count(b",") + structure.count(b"?") + 2 > MAX_VALUES:
            return False
    if not _simple_flow_collections(raw):
        return False
    padded = b"\n" + raw  # a value at the very start has a boundary before it too
    if _PREFILTER.search(padded) is None:
        return True
    if _ODD.search(padded) or _STRUCTURE.search(padded):
        return False
    for match in _SUSPECT.finditer(padded):
        if match.group() == b":" or match.group()[:1] not in (b"0", b"_", b":") or _refused_number_at(padded, match.start()):
            return False
    return True


def _simple_flow_collections(raw: bytes) -> bool:
    """Does every `[` and `{` start a one-line list or mapping of simple words? (bytes.find
    jumps from bracket to bracket ten times faster than a regular expression scans.)"""
    for bracket in (b"[", b"{"):
        at = raw.find(bracket)
        while at != -1:
            if _FLOW_OK.match(raw, at) is None:
                return False
            at = raw.find(bracket, at + 1)
    return True


def _refused_number_at(raw: bytes, at: int) -> bool:
    """Is the token around `at` a number yamlsafe refuses (08, 0x1F, 1_000, 1:30), one only
    a YAML 1.2 reader may take for a number (200_), or one with a leading zero that
    yamlsafe reads as a number and rapidyaml as text (0e0, 00e1)? A plain scalar has no
    blank and ends at a flow indicator or comment: if it is such a number, it is exactly
    this token."""
    start = at
    while start > 0 and not _TOKEN_END.match(raw, start - 1):
        start -= 1
    end = _TOKEN_END.search(raw, at)
    token = raw[start : end.start() if end else len(raw)]
    token = re.split(rb"[\"']:", token)[-1].decode("utf-8", "replace")  # "key":08
    return (
        refused_number(token)
        or ("_" in token and _YAML12_NUMBER.fullmatch(token.replace("_", "")) is not None)
        or (_ZERO_THEN_MORE.match(token) is not None and _YAML12_NUMBER.fullmatch(token) is not None)
    )


_ZERO_THEN_MORE = re.compile(r"[-+]?0[0-9eE]")

# A YAML 1.2 number; some readers also take one with underscores anywhere in it (_200, 1.5_).
_YAML12_NUMBER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))")


def to_json(raw: bytes) -> bytes | None:
    """The file as UTF-8 JSON, when it is ordinary and rapidyaml reads it; else None (then
    read it with `yamlsafe.load_yaml`). Duplicate keys are still in it: see `json_keys`."""
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n")
        if b"\r" in raw:  # a lone carriage return: a line break for PyYAML only
            return None
    if not ordinary(raw):
        return None
    try:
        with _quiet_stderr():  # rapidyaml prints each syntax error before raising it
            tree = ryml.parse_in_arena(raw)
        out = bytearray(2 * len(raw) + 4096)  # JSON is about as long as the YAML: one pass
        failed, size = ryml.emit_json_to_substr(tree, tree.root_id(), out)
        if failed:
            out = bytearray(size)
            failed, size = ryml.emit_json_to_substr(tree, tree.root_id(), out)
    except Exception:  # noqa: BLE001 - any refusal: the strict reader says what is wrong
        return None
    return bytes(out[:size]) if not failed and out[:1] == b"{" else None  # the top level must be a mapping


@contextlib.contextmanager
def _quiet_stderr():
    """Silence file descriptor 2 (where C++ code writes) for a moment."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def json_keys(js: bytes) -> int:
    """How many keys the JSON from `to_json` holds, duplicates included. A key is a string
    followed by `: `; inside a string every `"` is escaped as `\"` (and the gate lets no
    backslash of its own through), so `\": ` is text."""
    return js.count(b'": ') - js.count(b'\\": ')


def load(raw: bytes):
    """The data of an ordinary file without duplicate keys, or None: then read it with
    `yamlsafe.load_yaml`. (`validate` does not build this intermediate data.)"""
    js = to_json(raw)
    if js is None:
        return None
    try:
        return json.loads(js, object_pairs_hook=_unique_keys, parse_float=_finite)
    except ValueError:  # a duplicate or odd key, `1e400`, or a YAML number JSON does not know (`+1`)
        return None


def _unique_keys(pairs: list) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("duplicate key")
    if any(key != key.strip() for key in out):  # how rapidyaml reads some misindented keys
        raise ValueError("key with spaces around it")  # (in `validate`, the schema refuses them)
    return out


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("too large for a number")
    return number


@dataclass(frozen=True)
class Fast:
    """What `validate` needs from an ordinary file (small enough to come back from a worker)."""

    json: bytes  # the file as JSON (`to_json`)
    keys: int  # `json_keys(json)`


def read(raw: bytes) -> Fast | None:
    js = to_json(raw)
    return None if js is None else Fast(js, json_keys(js))


# --- lines for links into the file -----------------------------------------------------

_ID_KEY = re.compile(rb"id(?<![^\s-]id)[ \t]*:([^\n]*)")
_KEY_INDENT = re.compile(rb"[ \t]*(?:-[ \t]+)*")
_FLOW_ID = re.compile(rb"[{,][ \t]*[\"']?id[\"']?[ \t]*:")


def id_keys(raw: bytes) -> tuple:
    """Where ids are written, from the text alone: ({top-level list key: line}, ((line, col,
    written id), …) for every `id:` key in the order written). `validate` checks them
    against the schema-valid list, which tells what they should be; lines and columns are
    those `yamlsafe` gives (what stands before `id:` on its line is ASCII: bytes = columns)."""
    if _FLOW_ID.search(raw):  # an id in a flow mapping (`- {id: a, …}`) is not on an `id:` line
        return {}, ()
    lists = {key: line for key in ("sources", "reports", "sections", "items") if (line := _top_level_line(raw, key.encode()))}
    ids = []
    line, last = 1, 0
    for match in _ID_KEY.finditer(raw):
        line_start = raw.rfind(b"\n", 0, match.start()) + 1
        if _KEY_INDENT.fullmatch(raw, line_start, match.start()):
            line += raw.count(b"\n", last, line_start)
            last = line_start
            written = match.group(1).split(b" #")[0].strip().decode("utf-8", "replace")
            ids.append((line, match.start() - line_start + 1, _unquote(written)))
    return lists, tuple(ids)


def _top_level_line(raw: bytes, key: bytes) -> int | None:
    """The line of the top-level `key:` (also `key :`), or None."""
    if re.match(key + rb"[ \t]*:", raw):
        return 1
    match = re.search(rb"\n" + key + rb"[ \t]*:", raw)  # a literal start: `re` finds it fast
    return None if match is None else raw.count(b"\n", 0, match.start()) + 2


def _unquote(written: str) -> str:
    if len(written) >= 2 and written[0] == written[-1] and written[0] in "\"'":
        return written[1:-1]
    return written
