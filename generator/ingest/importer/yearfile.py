"""Merging entries into the year file with ruamel.yaml's round-trip mode: comments, key order
and quoting stay as the maintainer wrote them, new keys go where the model orders them, and
comment lines stay with what they introduce.
"""

from __future__ import annotations

import io

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

from generator.core import model
from generator.core.problems import Code, Problem
from generator.data.reading import YamlProblem, load_yaml
from generator.ingest import Refused
from generator.ingest.importer.entries import Entry
from generator.ingest.measures import Figure

ENTRY_ORDER = tuple(model.Progress.model_fields)
ITEM_ORDER = tuple(model.Item.model_fields)
REPORT_ORDER = tuple(model.Report.model_fields)


def yaml_for(text: str) -> YAML:
    """A round-trip YAML that writes this file back byte for byte (its indentation, no wrapping)."""
    _, sequence, offset = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 10**6  # never fold long verbatim text
    yaml.indent(mapping=2, sequence=sequence or 4, offset=2 if offset is None else offset)
    return yaml


def dump(yaml: YAML, doc) -> str:
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def items_by_id(items, found=None) -> dict:
    found = {} if found is None else found
    for item in items or ():
        found[str(item.get("id"))] = item
        items_by_id(item.get("subitems"), found)
    return found


def _scalar(value):
    """How to write a new text value so that our strict reader reads back exactly it."""
    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    try:
        loaded = load_yaml(f"k: {value}\n")
    except YamlProblem:
        return DoubleQuotedScalarString(value)
    return value if not loaded.problems and loaded.data == {"k": value} else DoubleQuotedScalarString(value)


def _set_in_order(mapping: CommentedMap, key: str, value, order: tuple) -> None:
    """Set key, or insert it before the first key that comes after it in the model's order."""
    if key in mapping:
        old = mapping[key]
        mapping[key] = value
        if _is_block(old) != _is_block(mapping[key]):  # keep the comments after it in the right place
            _put_following(mapping, key, _take_following(mapping, key, _is_block(old), keep_eol=False))
        return
    keys = list(mapping)
    later = [k for k in keys if k in order and order.index(k) > order.index(key)]
    position = keys.index(later[0]) if later else len(keys)
    mapping.insert(position, key, value)
    if position > 0:
        _move_trailing_comment(_last_slot(mapping, keys[position - 1]), _last_slot(mapping, key))


def set_field(mapping: CommentedMap, key: str, value, order: tuple) -> None:
    """Set a text field where the model orders it, quoted as our reader needs (a report's note)."""
    _set_in_order(mapping, key, _scalar(value), order)


def _new_entry(entry: Entry, report: str) -> CommentedMap:
    cm = CommentedMap()
    cm["report"] = _scalar(report)
    _fill(cm, entry)
    if entry.proposed and "measures" not in entry.fields:  # (an entry that exists keeps its measures)
        _set_in_order(cm, "measures", _measures(entry.proposed), ENTRY_ORDER)
    return cm


def _fill(cm: CommentedMap, entry: Entry) -> None:
    """Write the table's fields into an entry; a field whose cell is empty is removed."""
    for name in entry.fields:
        value = getattr(entry, name)
        value = value.value if isinstance(value, model.Status) else value
        if name == "measures":
            value = _measures(entry.measures) if entry.measures else None
        if value is None:
            cm.pop(name, None)
        else:
            _set_in_order(cm, name, _scalar(value), ENTRY_ORDER)


def _measures(figures: list) -> CommentedSeq:
    return CommentedSeq([_measure(f) for f in figures])


def _measure(f: Figure) -> CommentedMap:
    cm = CommentedMap()
    cm["metric"] = _scalar(f.metric)
    cm["value"] = f.value
    cm["unit"] = _scalar(f.unit)
    if f.comparator and f.comparator != "exactly":
        cm["comparator"] = f.comparator
    if f.percent is not None:
        cm["percent"] = f.percent
    cm["text"] = _scalar(f.text)
    return cm


def _last_slot(container, key) -> tuple:
    """(holder, key) where ruamel keeps the comment lines that follow container[key]:
    on the deepest last scalar inside it (flow collections keep none)."""
    node = container[key]
    if isinstance(node, CommentedMap) and node:
        return _last_slot(node, list(node)[-1])
    if isinstance(node, CommentedSeq) and node and not node.fa.flow_style():
        return _last_slot(node, len(node) - 1)
    return container, key


def _move_trailing_comment(source: tuple, target: tuple[object, object]) -> None:
    """Comment lines after a value (`# --- 第二件 ---`, blank lines) introduce what follows it.
    When we add something right after that value, move those lines below what we added;
    an end-of-line comment stays where it is."""
    holder, key = source
    _put_following(*target, _take_following(holder, key, _is_block(holder[key])))


def _take_following(holder, key, was_block: bool, keep_eol: bool = True) -> str:
    """Detach the comment lines ruamel stores after holder[key] (as text with indentation)."""
    slot = 2 if isinstance(holder, CommentedMap) else 0
    tokens = holder.ca.items.get(key)
    token = tokens[slot] if tokens else None
    if token is None:
        return ""
    if was_block:  # after a | block the token holds only the following lines
        tokens[slot] = None
        return " " * token.start_mark.column + token.value
    own, _, following = token.value.partition("\n")  # a plain value's token starts with the rest of its line
    if keep_eol:
        token.value = own + "\n"
        return following
    tokens[slot] = None  # the value becomes a block: its end-of-line comment becomes a line of its own
    column = holder.lc.key(key)[1] if isinstance(holder, CommentedMap) else holder.lc.item(key)[1]
    return (" " * column + own.strip() + "\n" if own.strip() else "") + following


def _put_following(holder, key, following: str) -> None:
    if not following:
        return
    slot = 2 if isinstance(holder, CommentedMap) else 0
    if _is_block(holder[key]):  # the block ends its line; the column places the first comment
        first, _, others = following.partition("\n")
        token = CommentToken(first.lstrip(" ") + "\n" + others, CommentMark(len(first) - len(first.lstrip(" "))), None)
    else:
        token = CommentToken("\n" + following, CommentMark(0), None)
    holder.ca.items.setdefault(key, [None, None, None, None])[slot] = token


def _is_block(value) -> bool:
    return isinstance(value, (LiteralScalarString, FoldedScalarString))


def merge(doc, entries: list, report: str, as_of: dict, replace: bool, table_label: str, year_file: str):
    """Add (or with replace, overwrite) one entry per row; returns (added, replaced)."""
    items = items_by_id(doc.get("items"))
    added, replaced, problems = [], [], []
    for entry in entries:
        item = items[entry.item_id]
        progress = item.get("progress")
        existing = [cm for cm in progress or () if isinstance(cm, CommentedMap) and str(cm.get("report")) == report]
        if existing and not replace:
            line = existing[0].lc.line + 1
            message = f"item `{entry.item_id}` already has a progress entry for report `{report}` ({year_file}:{line}); to overwrite it use --replace"
            problems.append(Problem(table_label, entry.line, 0, "", Code.PROGRESS_ORDER, message))
            continue
        if existing:
            _fill(existing[0], entry)
            replaced.append(entry)
            continue
        new = _new_entry(entry, report)
        if not isinstance(progress, CommentedSeq):
            _set_in_order(item, "progress", CommentedSeq([new]), ITEM_ORDER)
        else:
            progress.fa.set_block_style()
            position = _position_by_date(progress, report, as_of)
            progress.insert(position, new)
            if position > 0:
                _move_trailing_comment(_last_slot(progress, position - 1), _last_slot(progress, position))
        added.append(entry)
    if problems:
        raise Refused(problems)
    return added, replaced


def _position_by_date(progress: CommentedSeq, report: str, as_of: dict) -> int:
    """Entries are oldest first: after the last entry whose report is not later than ours."""
    mine = as_of.get(report)
    position = len(progress)
    while position > 0 and mine is not None:
        before = as_of.get(str(progress[position - 1].get("report")))
        if before is None or before <= mine:
            break
        position -= 1
    return position
