"""Reading a city's table (CSV or TSV, as Excel and WPS save it) and finding its columns: by
the names given on the command line, else by the headers cities use, one role a column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from generator.core.problems import Code, Problem
from generator.ingest import Refused
from generator.ingest.textinput import ID_HEADERS, decode, squash

# Header names cities use, in order of preference. A header is used for one role only,
# so a table with 进展情况 and 完成情况 (栖霞) reads 完成情况 as the status.
ID_COLUMNS = ID_HEADERS
NAME_COLUMNS = ("事项名称", "项目名称", "名称")
TEXT_COLUMNS = ("进展情况", "工作进展", "进展", "完成情况")
STATUS_COLUMNS = ("完成状态", "状态", "进展状态", "完成情况")
PERCENT_COLUMNS = ("完成比例", "完成进度", "进度", "完成率")
# A completion table (完成情况 | 占全年计划) reports figures: 完成情况 is the achieved value (18.44万人),
# the share column its percent of the plan; rows without 序号 are further figures of the row
# above. Its measures are matched to the item's targets by unit and words (`target_for`).
SHARE_COLUMNS = ("占全年计划", "占年计划", "占年度计划", "占全年目标", "占年度目标", "占全年任务", "占计划")
ACHIEVED_COLUMNS = ("完成情况", "完成数", "完成值", "完成量", "实际完成", "累计完成")
LABEL_COLUMNS = ("指标", "指标名称", "任务目标", "年度目标", "目标任务", "年度计划", "计划任务", "建设内容") + NAME_COLUMNS


@dataclass
class Options:
    report: str
    match_by: str = "id"  # "id" (the 序号 column) or "name" (the 项目名称 column)
    id_column: Optional[str] = None
    name_column: Optional[str] = None
    status_column: Optional[str] = None
    text_column: Optional[str] = None
    percent_column: Optional[str] = None
    status_map: dict = field(default_factory=dict)  # normalised wording → model.Status
    replace: bool = False
    propose_measures: bool = True  # write the measures a progress text's figures give (listed in the summary)
    aliases: list = field(default_factory=list)  # --alias NAME=ID specs, as given (names.parse_aliases reads them)
    accept_counts_mismatch: bool = False  # write even where the report's `counts` disagree with its entries (counts.py), noting it


@dataclass
class Table:
    label: str  # the path as the maintainer typed it, for messages
    headers: list
    rows: list  # (line, cells)


def read_table(path: Path, label: str) -> Table:
    """Read a CSV/TSV as Excel and WPS save it; cells keep their text, stripped."""
    text, _ = decode(path.read_bytes(), label)
    first_line = text.split("\n", 1)[0]
    tab_file = path.suffix.lower() in (".tsv", ".tab")
    delimiter = "\t" if tab_file or ("\t" in first_line and "," not in first_line) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    for cells in reader:
        rows.append((line, [c.replace("\r\n", "\n").strip() for c in cells]))
        line = reader.line_num + 1
    if not rows:
        raise Refused([Problem(label, 0, 0, "", Code.FILE_EMPTY, "the table is empty")])
    headers = [squash(h) for h in rows[0][1]]
    return Table(label, headers, rows[1:])


def choose_columns(table: Table, options: Options) -> dict:
    """Role → column index. Explicit names first, then the usual headers, one role per column."""
    key_role = "id" if options.match_by == "id" else "name"
    key = (key_role, options.id_column if key_role == "id" else options.name_column, ID_COLUMNS if key_role == "id" else NAME_COLUMNS, True)
    if is_completion_table(table):
        roles: tuple = (
            key,
            ("share", None, SHARE_COLUMNS, False),
            ("achieved", None, ACHIEVED_COLUMNS, False),
            ("text", options.text_column, tuple(c for c in TEXT_COLUMNS if c not in ACHIEVED_COLUMNS), False),
            ("status", options.status_column, tuple(c for c in STATUS_COLUMNS if c not in ACHIEVED_COLUMNS), False),
            ("percent", options.percent_column, PERCENT_COLUMNS, False),
            ("label", None, LABEL_COLUMNS, False),
        )
    else:
        roles = (
            key,
            ("text", options.text_column, TEXT_COLUMNS, False),
            ("status", options.status_column, STATUS_COLUMNS, True),
            ("percent", options.percent_column, PERCENT_COLUMNS, False),
        )
    found_headers = ", ".join(h or "(empty)" for h in table.headers)
    chosen, problems = {}, []
    for role, explicit, _, _ in roles:
        if explicit is not None:
            hits = _column_hits(table, squash(explicit))
            if not hits:
                problems.append(Problem(table.label, 0, 0, "", Code.COLUMN_MISSING, f"no column {explicit!r} (given with --{role}-column); the header row has: {found_headers}"))
            chosen[role] = hits
    for role, explicit, candidates, required in roles:
        if explicit is not None:
            continue
        taken = {i for hits in chosen.values() for i in hits}
        for name in candidates:
            hits = _column_hits(table, name)
            if hits and not taken.intersection(hits):
                chosen[role] = hits
                break
        else:
            if required and not (role == "status" and _has_percent_column(table, options)):  # a 完成率 column may hold the wordings
                problems.append(_missing_column(table, role, candidates, found_headers))
    for role, hits in chosen.items():
        if len(hits) > 1:
            columns = ", ".join(str(i + 1) for i in hits)
            message = f"column {table.headers[hits[0]]!r} appears {len(hits)} times (columns {columns}); rename the one that is not the {role}"
            problems.append(Problem(table.label, 0, 0, "", Code.COLUMN_REPEATED, message))
    if problems:
        raise Refused(problems)
    return {role: hits[0] for role, hits in chosen.items() if hits}


def _has_percent_column(table: Table, options: Options) -> bool:
    names = (squash(options.percent_column),) if options.percent_column else PERCENT_COLUMNS
    return any(_column_hits(table, name) for name in names)


def is_completion_table(table: Table) -> bool:
    """A table of achieved figures: it has a 占全年计划 (or similar) column."""
    return any(_column_hits(table, name) for name in SHARE_COLUMNS)


def _column_hits(table: Table, name: str) -> list:
    """Indexes of the columns called `name` (a trailing (%) or % is ignored: 完成比例(%))."""
    return [i for i, h in enumerate(table.headers) if h == name or re.sub(r"\(%\)$|%$", "", h) == name]


def _missing_column(table: Table, role: str, candidates: tuple, found_headers: str) -> Problem:
    what = {"id": "item numbers", "name": "item names", "status": "status wording"}[role]
    msg = f"no column for {what} (looked for: {', '.join(candidates)}); the header row has: {found_headers}. Name it with --{role}-column"
    if role == "id":
        msg += ", or match rows by item name with --match-by name"
    if _looks_traditional(table.headers, candidates):
        msg += ". The table is in traditional characters: convert it first (.venv/bin/python -m opencc -c t2s -i table.csv -o table-简体.csv)"
    return Problem(table.label, 0, 0, "", Code.COLUMN_MISSING, msg)


def _looks_traditional(headers: list, candidates: tuple) -> bool:
    from opencc import OpenCC

    converter = OpenCC("t2s")
    return any(converter.convert(h) in candidates for h in headers)
