"""Writing YAML the way the data files are written: plain scalars unless the strict reader would
read them otherwise, `|-` blocks for paragraphs, `# TODO` comments for the maintainer.
"""

from __future__ import annotations

import datetime as dt
import json

from generator.core.problems import Code
from generator.data.reading import YamlProblem, load_yaml


class ItemIdText(str):
    """An item id: always quoted ("6"), as the format asks."""


class Commented:
    """A value with an end-of-line comment."""

    def __init__(self, value, comment: str):
        self.value, self.comment = value, comment


class CommentLines:
    """Comment lines in a mapping (a key left for the maintainer: `# title:`)."""

    def __init__(self, *lines: str):
        self.lines = lines


def plain_data(value):
    """The data the YAML holds: comments and comment lines left out."""
    if isinstance(value, Commented):
        return plain_data(value.value)
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items() if not isinstance(v, CommentLines)}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return value


_PLAIN_CACHE: dict = {}


def scalar(value) -> str:
    """A YAML scalar that our strict reader reads back as exactly `value`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if not isinstance(value, ItemIdText):
        if text not in _PLAIN_CACHE:
            try:
                loaded = load_yaml(f"k: {text}\n")
                _PLAIN_CACHE[text] = not [p for p in loaded.problems if p.code != Code.PLACEHOLDER] and loaded.data == {"k": text}
            except YamlProblem:
                _PLAIN_CACHE[text] = False
        if _PLAIN_CACHE[text]:
            return text
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def emit(value, indent: int = 0) -> list:
    """Lines of YAML for a mapping (block style, two-space indent, list items at the key's
    column + 2 like the data files)."""
    out: list = []
    pad = " " * indent
    for key, item in value.items():
        if isinstance(item, CommentLines):
            out.extend(f"{pad}# {line}" for line in item.lines)
            continue
        comment = ""
        if isinstance(item, Commented):
            comment, item = f"  # {item.comment}", item.value
        if isinstance(item, dict):
            out.append(f"{pad}{key}:{comment}")
            out.extend(emit(item, indent + 2))
        elif isinstance(item, list):
            if not item:
                out.append(f"{pad}{key}: []{comment}")
                continue
            out.append(f"{pad}{key}:{comment}")
            for entry in item:
                entry_comment = ""
                if isinstance(entry, Commented):
                    entry_comment, entry = f"  # {entry.comment}", entry.value
                if isinstance(entry, dict):
                    lines = emit(entry, indent + 4)
                    first = next(i for i, ln in enumerate(lines) if not ln.lstrip().startswith("#"))
                    lines[first] = f"{pad}  - " + lines[first][indent + 4 :] + entry_comment
                    out.extend(lines)
                else:
                    out.append(f"{pad}  - {scalar(entry)}{entry_comment}")
        elif isinstance(item, str) and "\n" in item:
            out.append(f"{pad}{key}: |-{comment}")
            out.extend(f"{pad}  {line}" if line else "" for line in item.split("\n"))
        else:
            out.append(f"{pad}{key}: {scalar(item)}{comment}")
    return out
