"""A table's rows → progress entries, each matched to one item by its number or its name; every
problem is collected (with the table's line, the column and the value) before refusing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Optional

from generator.core import model
from generator.core.problems import Code, Problem
from generator.ingest import quantities
from generator.ingest.importer.columns import ACHIEVED_COLUMNS, STATUS_COLUMNS, Options, Table, is_completion_table
from generator.ingest.importer.names import ambiguous_message, match_name, unmatched_message
from generator.ingest.importer.statuses import STATUS_CHOICES, ambiguous_choices, status_for
from generator.ingest.measures import Figure, target_for, targets_of
from generator.ingest.textinput import DASHES, ID_HEADERS, normalise_id, squash

# Fields of a progress entry a table can fill, in the model's order; measures and note are
# never in a city's table and are left alone.
TABLE_FIELDS = ("status_text", "status", "percent", "measures", "text")


def at(where: tuple, column: str, code: Code, message: str) -> Problem:
    """A problem in a cell: `where` is (table label, line), `column` the cell's header."""
    return Problem(where[0], where[1], 0, column, code, message)


@dataclass
class Entry:
    """One row of the table, read and matched."""

    line: int
    item_id: str
    status: model.Status
    status_text: Optional[str] = None
    percent: Optional[float] = None
    text: Optional[str] = None
    fields: tuple = ("status_text", "status", "percent", "text")  # the fields the table has columns for; --replace leaves the others
    measures: Optional[list] = None  # Figure, from a completion table's rows (None: the table has no figures)
    proposed: list = field(default_factory=list)  # Figure, from the progress text: proposed, listed in the summary


def _is_number(cell: str) -> bool:
    try:
        parse_percent(cell)
    except ValueError:
        return False
    return True


def parse_percent(cell: str):
    """'92%', '92', '９２％', '98.5 %' → 92, 92, 92, 98.5; '' → None; anything else → ValueError."""
    text = squash(cell).rstrip("%")
    if not text:
        return None
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        raise ValueError(cell)
    value = float(text)
    return int(value) if value.is_integer() else value


def read_entries(table: Table, columns: dict, items: dict, options: Options, year_file: str, aliases: Optional[dict] = None):
    """Turn rows into entries, matched to items; collect every problem before refusing."""
    problems: list = []
    entries: list = []
    skipped: list = []
    header = {role: table.headers[i] for role, i in columns.items()}
    first_line_of: dict = {}
    unmapped: dict = {}  # wording → lines
    key_role = "id" if "id" in columns else "name"
    completion = is_completion_table(table)
    if "status" not in columns and "" not in options.status_map and "percent" not in columns:
        message = (
            f"the table has no status column (looked for: {', '.join(c for c in STATUS_COLUMNS if c not in ACHIEVED_COLUMNS)}); "
            "name it with --status-column, or give every row one status with --status-map =on_track (or another status)"
        )
        problems.append(Problem(table.label, 0, 0, "", Code.COLUMN_MISSING, message))
        return entries, skipped, problems
    last_entry: Optional[Entry] = None
    for line, cells in table.rows:
        cell = {role: (cells[i] if i < len(cells) else "") for role, i in columns.items()}
        cell.setdefault("status", "")
        where = (table.label, line)
        if not any(cells):
            skipped.append(line)
            continue
        extra = [c for c in cells[len(table.headers) :] if c]
        if extra:
            problems.append(at(where, "", Code.ROW_TOO_LONG, f"the row has {len(cells)} cells but the header has {len(table.headers)}; check the delimiter and the quotes around cells with commas"))
            continue
        has_content = any(cell.get(r) for r in ("status", "text", "percent", "achieved", "share"))
        if completion and not cell[key_role] and (cell.get("achieved") or cell.get("share")):
            if last_entry is None:  # a sub-row belongs to the row above it
                problems.append(at(where, header[key_role], Code.FIELD_MISSING, "empty, and there is no row above with an item for this figure; fill in the item's number"))
            else:
                figure = _figure_from(cell, header, items[last_entry.item_id], where, problems)
                if figure is not None and last_entry.measures is not None:
                    last_entry.measures.append(figure)
            continue
        if not cell[key_role]:
            if has_content:
                what = "number" if key_role == "id" else "name"
                problems.append(at(where, header[key_role], Code.FIELD_MISSING, f"empty, but the row has a progress report; fill in the item's {what}, or delete the row if it is a heading or a total"))
            else:
                skipped.append(line)
            continue
        if key_role == "id" and not has_content and not re.search(r"[0-9]", normalise_id(cell["id"])):
            skipped.append(line)  # a heading row such as 一、城市建设 with nothing else in it
            continue
        if key_role == "id":
            item_id = _match_id(cell["id"], items, where, header["id"], year_file, problems)
        else:
            item_id = _match_name(cell["name"], items, where, header["name"], year_file, problems, aliases or {})
            if item_id == "":
                skipped.append(line)
                continue
        if item_id is None:
            continue
        if item_id in first_line_of:
            problems.append(at(where, header[key_role], Code.DUPLICATE_ID, f"item `{item_id}` is also on line {first_line_of[item_id]}; keep one row per item"))
            continue
        first_line_of[item_id] = line
        entry = _entry_from(cell, header, line, item_id, options, where, unmapped, problems)
        last_entry = entry
        if entry is not None:
            entries.append(entry)
            if completion:
                entry.measures = []
                entry.fields += ("measures",)
                figure = _figure_from(cell, header, items[item_id], where, problems) if cell.get("achieved") or cell.get("share") else None
                if figure is not None:
                    entry.measures.append(figure)
    for entry in entries:  # a completion row's one figure is also the item's overall percent
        if entry.measures and len(entry.measures) == 1 and entry.percent is None and "percent" not in columns and entry.measures[0].percent is not None:
            entry.percent = entry.measures[0].percent
            entry.fields += ("percent",)
    problems.extend(status_problems(unmapped, table.label, header.get("status", "")))
    return entries, skipped, problems


def status_problems(unmapped: dict, label: str, column: str) -> list:
    """One problem per wording the status table does not map (wording → lines): the choices
    of an ambiguous one, the --status-map to write for an unknown one."""
    problems = []
    for wording, lines in unmapped.items():
        lines = sorted(set(lines))
        where_lines = f"{'line' if len(lines) == 1 else 'lines'} {', '.join(map(str, lines))}"
        choices = ambiguous_choices(wording)
        if choices:
            meanings = "; or ".join(f"{status.value} if {meaning}" for status, meaning in choices)
            options_text = " or ".join(f"--status-map {wording}={status.value}" for status, _ in choices)
            problems.append(at((label, lines[0]), column, Code.AMBIGUOUS_CELL, f"{wording!r} ({where_lines}) is ambiguous: it can mean {meanings}. Choose with {options_text}"))
            continue
        message = (
            f"{wording!r} ({where_lines}) is not in the status table; "
            f"map it with --status-map {wording}=<status>, status one of {STATUS_CHOICES} (see content/about/methodology.md#status)"
        )
        problems.append(at((label, lines[0]), column, Code.NOT_ALLOWED, message))
    return problems


def _figure_from(cell: dict, header: dict, item, where: tuple, problems: list) -> Optional[Figure]:
    """A completion row's figure: 完成情况 (18.44万人) and its share of the plan (52.7%)."""
    achieved, share_cell = cell.get("achieved", ""), cell.get("share", "")
    share = None
    if share_cell:
        try:
            share = parse_percent(share_cell)
        except ValueError:
            problems.append(at(where, header["share"], Code.WRONG_TYPE, f"{share_cell!r} is not a percent; write 52.7 (or 52.7%), or leave the cell empty"))
            return None
    if not achieved:
        problems.append(at(where, header.get("achieved", "完成情况"), Code.FIELD_MISSING, "empty, but the row gives a share of the plan; write the achieved figure (18.44万人)"))
        return None
    amount = quantities.parse_amount(achieved)
    if amount is None:
        message = f"{achieved!r} is not one figure with its unit (such as 18.44万人 or 58处); fix the cell, or move the words to the progress text"
        problems.append(at(where, header["achieved"], Code.BAD_FORMAT, message))
        return None
    label = cell.get("label", "") or cell.get("name", "")
    target = target_for(targets_of(item), amount.unit, label + achieved)
    if target is None and not label:
        message = f"{achieved!r} matches none of the item's targets (by unit and words); give the row a name in a 指标 or 项目名称 column"
        problems.append(at(where, header["achieved"], Code.UNKNOWN_REFERENCE, message))
        return None
    metric = str(target["metric"]) if target is not None else label
    return Figure(
        metric,
        amount.value,
        amount.unit,
        achieved.strip(),
        amount.comparator,
        share,
        float(target["value"]) if target is not None else None,
        new_metric=target is None,
    )


def _match_id(value: str, items: dict, where: tuple, column: str, year_file: str, problems: list):
    item_id = normalise_id(value)
    if not re.fullmatch(model.ID_PATTERN, item_id):
        problems.append(at(where, column, Code.BAD_FORMAT, f"{value!r} is not an item number (expected digits like 20 or 6-3); fix the cell, or delete the row if it is a heading or a total"))
        return None
    if item_id not in items:
        close = difflib.get_close_matches(item_id, list(items), n=3, cutoff=0.5)
        hint = f"; close: {', '.join(close)}" if close else ""
        problems.append(at(where, column, Code.UNKNOWN_REFERENCE, f"no item `{item_id}` in {year_file}{hint}. Check the number, or delete the row if the item is not in this list"))
        return None
    return item_id


def _match_name(value: str, items: dict, where: tuple, column: str, year_file: str, problems: list, aliases: dict):
    """The item the name is the title or text of, or part of (names.py); never a guess."""
    match = match_name(value, items, aliases)
    if match.item_id is not None or match.skipped:
        return match.item_id or ""  # "": the maintainer said it is no item (--alias NAME=)
    resolve = f"Write the item's number in a {ID_HEADERS[0]} column (and use --match-by id), or resolve it with --alias NAME=ID"
    if match.candidates:
        problems.append(at(where, column, Code.AMBIGUOUS_CELL, ambiguous_message(match, items, resolve)))
    else:
        problems.append(at(where, column, Code.UNKNOWN_REFERENCE, unmatched_message(match, items, resolve) + f" [{year_file}]"))
    return None


NO_PERCENT = ("-", "--", "/", "无", "不适用", "—", "——")  # a percent cell that says there is none


def is_wording(cell: str) -> bool:
    """A cell that is a status wording (已完成, 基本完成 …) rather than a figure."""
    return bool(cell) and (status_for(cell, {}) is not None or bool(ambiguous_choices(cell)))


def _entry_from(cell: dict, header: dict, line: int, item_id: str, options: Options, where: tuple, unmapped: dict, problems: list):
    wording = cell["status"]
    percent_cell = cell.get("percent", "")
    if squash(percent_cell).translate(DASHES) in NO_PERCENT or squash(percent_cell) in NO_PERCENT:
        percent_cell = ""
    words_in_percent = ""  # a 完成率 column mixing 115% and 已完成: the words are a status
    if percent_cell and not _is_number(percent_cell) and (is_wording(percent_cell) or options.status_map.get(squash(percent_cell))):
        words_in_percent, percent_cell = percent_cell, ""
        if not wording:
            wording = words_in_percent
    status = status_for(wording, options.status_map)
    if status is None:
        if wording:
            unmapped.setdefault(wording, []).append(line)
        else:
            if "status" in header:
                problems.append(at(where, header["status"], Code.FIELD_MISSING, f"empty for item `{item_id}`; fill it in, or map empty cells with --status-map =unknown"))
            else:
                message = f"no status for item `{item_id}`: the table has no status column and this cell is a figure; name the status column with --status-column, or give such rows one status with --status-map =on_track (or another status)"
                problems.append(at(where, header.get("percent", ""), Code.FIELD_MISSING, message))
        return None
    if words_in_percent and words_in_percent != wording and status_for(words_in_percent, options.status_map) != status:
        message = f"{words_in_percent!r} says another status than {header.get('status', 'the status')} {wording!r}; make the two cells agree, or leave the percent empty"
        problems.append(at(where, header["percent"], Code.INVALID_VALUE, message))
        return None
    percent = None
    if percent_cell:
        try:
            percent = parse_percent(percent_cell)
        except ValueError:
            problems.append(at(where, header["percent"], Code.WRONG_TYPE, f"{cell['percent']!r} is not a number; write 90 (or 90%), or leave the cell empty"))
            return None
        if percent > 1000:
            problems.append(at(where, header["percent"], Code.INVALID_VALUE, f"{cell['percent']!r} is more than 1000%; check the cell (a share such as 0.9 is written 90)"))
            return None
    fields = tuple(name for name in TABLE_FIELDS if name in ("status_text", "status") or name in cell)
    return Entry(line, item_id, status, wording or None, percent, cell.get("text") or None, fields)
