"""A fast path for reading ordinary data files; `yamlsafe` stays the authority.

`yamlsafe` composes PyYAML nodes to keep the style and position of every value: strict,
but about 1 MB/s, a minute for 30,000 items. Almost every file in `data/` is ordinary
block YAML with quoted or plain text, so this module first reads it with yaml-rs (a Rust
YAML 1.2 parser, ~30 MB/s, duplicate keys are errors) and hands it to the schema without
positions. It returns None, and the caller reads the file with `yamlsafe`, whenever
the two readers could disagree or a position is needed:

- the text holds a form `yamlsafe` reports or reads differently: a plain `no`/`on`/`y`…,
  a number with a leading zero, `0x`, `_` or `:` in it, `.inf`/`.nan`, `1e400`, a tag
  `!`, an anchor `&`, an alias `*`, an explicit key `?`, a merge key `<<`, a directive
  `%`, a backslash escape, a tab, a control character, a YAML 1.1 line break (U+0085,
  U+2028, U+2029), a byte order mark, a flow collection (`[…]`, `{…}`) other than a
  one-line list or mapping of simple words; or `- -` chains, lines indented 40 columns or
  more, or more values than `yamlsafe.MAX_VALUES` (limits the strict reader enforces;
  yaml-rs crashes on some 50,000 nested `- `);
- yaml-rs refuses the text (syntax errors, duplicate keys);
- and, in `validate`, the schema or a later check finds a problem: errors are always
  reported by the strict reader, with file:line:col. Keys that are not text (`1:`,
  `true:`), which yaml-rs reads as numbers and booleans, are refused by the schema.

The tests (tests/test_yamlfast.py) read every data file, fixture and fuzz case, and
generated scalars in every place a value can stand, both ways and require the same data
whenever this path accepts a file.
"""

from __future__ import annotations

import re

import yaml_rs

from .yamlsafe import MAX_VALUES, refused_number


def _suspect_pattern() -> re.Pattern:
    """Everything in the file that yamlsafe reads differently from YAML 1.2 or refuses.

    One pass over the UTF-8 bytes (faster than over the decoded text), as alternatives that
    each start with one literal byte, so that `re` skips through them quickly (70 MB in
    under a second). YAML's separators are all ASCII, so byte-wise boundaries are exact."""
    value_start = r"[\s\[,{:]"  # what precedes a plain scalar: blank, flow indicator, `"key":`
    end = r"(?=[ \t]*(?:$|\#|[,\]}]))"  # … and what follows it
    branches = [
        # numbers with a leading zero (08, 0x1F, 0o17, 0b1) or digit groups (1_000, 1:30);
        # where one may start, `_refused_number_at` checks the whole token
        r"0[0-9_xXoObB](?:(?<=[\s\[,{]0.)|(?<=[\s\[,{][-+]0.)|(?<=[\"']:0.)|(?<=[\"']:[-+]0.))",
        r"_(?:(?<=[0-9.]_)|(?=[0-9.]))",  # yaml-rs reads 1_000, _200, 1.5_ as numbers
        r":[0-9](?<=[0-9]:.)",
        r"\.(?:[iI][nN][fF]|[nN][aA][nN])(?![A-Za-z0-9])",  # .inf .nan, any case (anywhere: rare)
        r"e(?<=[0-9.]e)[-+]?[0-9]{3}",  # 1e400: too large for a float
        r"E(?<=[0-9.]E)[-+]?[0-9]{3}",
        r"-[ \t]+-(?:[ \t]|$)",  # `- - x`: nesting on one line
        rf"!(?<={value_start}!)",  # a tag
        rf"\*(?<={value_start}\*)",  # an alias
        rf"&(?<={value_start}&)",  # an anchor (PyYAML refuses a repeated one)
        rf"\?(?<={value_start}\?)",  # an explicit key (`? [a, b]`)
    ]
    # YAML 1.1 booleans: y Y yes Yes YES n N no No NO on On ON off Off OFF
    for first, rests in {"y": "|es", "Y": "|es|ES", "n": "|o", "N": "|o|O", "o": "n|ff", "O": "n|N|ff|FF"}.items():
        branches.append(rf"{first}(?<={value_start}{first})(?:{rests}){end}")
    # C1 controls (U+0085 NEL is a line break in YAML 1.1 only), U+2028/U+2029 (idem), a byte
    # order mark (PyYAML drops one at the start, yaml-rs keeps it), non-characters, in UTF-8:
    # U+0080–U+009F, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF
    pattern = "|".join(branches).encode("ascii")
    pattern += rb"|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]|\xef\xbb\xbf|\xef\xbf[\xbe\xbf]"
    return re.compile(pattern, re.M)


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
# where it may stand), other C0 controls but line breaks, DEL.
_KEEP_ONLY_ODD_BYTES = bytes(b for b in range(256) if not (b == 0x5C or b == 0x7F or (b < 0x20 and b not in (0x0A, 0x0D))))


def ordinary(raw: bytes) -> bool:
    """True when the file (its UTF-8 bytes) uses only forms both readers read alike."""
    if raw.translate(None, _KEEP_ONLY_ODD_BYTES):
        return False
    if b"<<" in raw or b"\n" + b" " * 40 in raw or raw.startswith(b"%") or b"\n%" in raw:
        return False  # a merge key, deep nesting, a directive
    if len(raw) > MAX_VALUES:  # every value needs a byte: only a larger file can hold more
        structure = raw.translate(None, _NOT_STRUCTURE)  # and one of these near it: an upper bound
        if len(structure) + structure.count(b":") + structure.count(b",") + structure.count(b"?") + 2 > MAX_VALUES:
            return False
    if not _simple_flow_collections(raw):
        return False
    padded = b"\n" + raw  # a value at the very start has a boundary before it too
    for match in _SUSPECT.finditer(padded):
        if match.group()[:1] not in (b"0", b"_", b":") or _refused_number_at(padded, match.start()):
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
    """Is the token around `at` a number yamlsafe refuses (08, 0x1F, 1_000, 1:30) or one
    only yaml-rs reads as a number (200_)? A plain scalar has no blank and ends at a flow
    indicator or comment: if it is such a number, it is exactly this token."""
    start = at
    while start > 0 and not _TOKEN_END.match(raw, start - 1):
        start -= 1
    end = _TOKEN_END.search(raw, at)
    token = raw[start : end.start() if end else len(raw)]
    token = re.split(rb"[\"']:", token)[-1].decode("utf-8", "replace")  # "key":08
    return refused_number(token) or ("_" in token and _YAML12_NUMBER.fullmatch(token.replace("_", "")) is not None)


# A YAML 1.2 number; yaml-rs also reads one with underscores anywhere in it (_200, 1.5_).
_YAML12_NUMBER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))")


def load(raw: bytes, text: str):
    """The data of an ordinary file, or None: then read it with `yamlsafe.load_yaml`."""
    if not ordinary(raw):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 - any refusal: the strict reader says what is wrong
        return None
    return data if isinstance(data, dict) else None


# --- lines for links into the file -----------------------------------------------------

_ID_KEY = re.compile(r"id(?<![^\s-]id)[ \t]*:([^\n]*)")
_KEY_INDENT = re.compile(r"[ \t]*(?:-[ \t]+)*")
_ITEMS_KEY = re.compile(r"^items[ \t]*:", re.M)


def _ids_in_order(data: dict) -> list:
    """(path of the `id` key, its value) for every mapping with an `id`, in document order.
    The data passed the schema, so ids are only in sources, reports, sections and items."""
    out: list = []

    def items(entries, path):
        for i, item in enumerate(entries):
            for key in item:  # the item's own key order: `id` may come after `subitems`
                if key == "id":
                    out.append((path + (i, "id"), item["id"]))
                elif key == "subitems":
                    items(item["subitems"], path + (i, "subitems"))

    for key, value in data.items():
        if key in ("sources", "reports", "sections"):
            out.extend(((key, i, "id"), entry["id"]) for i, entry in enumerate(value))
        elif key == "items":
            items(value, ("items",))
    return out


def key_positions(text: str, data: dict) -> dict | None:
    """Where the `items:` key and every `id:` key are written: {("items",): (line, col),
    ("items", 0, "id"): (line, col), …}, as `yamlsafe.Loaded.key_positions` has them.
    Found in the text and checked against the (schema-valid) data; None when they do not
    line up (flow style, quoted keys, `id:` lines inside block text): then the strict
    reader gives them."""
    expected = _ids_in_order(data)
    found = []
    for match in _ID_KEY.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if _KEY_INDENT.fullmatch(text, line_start, match.start()):
            found.append((line_start, match))
    items_key = _ITEMS_KEY.search(text)
    if len(found) != len(expected) or items_key is None:
        return None
    out = {("items",): (text.count("\n", 0, items_key.start()) + 1, 1)}
    line, last = 1, 0
    for (line_start, match), (path, value) in zip(found, expected):
        written = match.group(1).split(" #")[0].strip()
        if _unquote(written) != value:
            return None
        line += text.count("\n", last, line_start)
        last = line_start
        out[path] = (line, match.start() - line_start + 1)
    return out
def _unquote(written: str) -> str:
    if len(written) >= 2 and written[0] == written[-1] and written[0] in "\"'":
        return written[1:-1]
    return written
