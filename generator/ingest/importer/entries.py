"""`python -m generator import-progress`: a city's progress table → `progress` entries.

Cities publish progress as a table (序号, 项目名称, 进展情况, 完成状态 …). Typing it in by
hand is slow and error-prone, so this module does one job: read the table (CSV or TSV),
match each row to an item of one year file, map the city's status wording to our scale,
and add one `progress` entry per row for one report.

It refuses rather than guesses: an unknown or repeated id, a row without id, a name
that fits several items, a status wording it cannot map, an item that already has an
entry for the report — each is reported with the table's file:line, the column and the
value, and nothing is written. The year file is edited with ruamel.yaml's round-trip
mode, so comments, key order and quoting stay as the maintainer wrote them, and it is
replaced (atomically) only after the merged result passes validation (`load_dataset` with
the merged text in place of the file: nothing is written before).
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

from generator import derive
from generator.core import model
from generator.core.problems import Code, Problem, Severity
from generator.data.dataset import load_dataset
from generator.data.reading import YamlProblem, load_yaml
from generator.ingest import Refused, quantities
from generator.ingest.textinput import ID_HEADERS, bigrams, decode, normalise_id, squash

# Header names cities use, in order of preference. A header is used for one role only,
# so a table with 进展情况 and 完成情况 (栖霞) reads 完成情况 as the status.
ID_COLUMNS = ID_HEADERS
NAME_COLUMNS = ("事项名称", "项目名称", "名称")
TEXT_COLUMNS = ("进展情况", "工作进展", "进展", "完成情况")
STATUS_COLUMNS = ("完成状态", "状态", "进展状态", "完成情况")
PERCENT_COLUMNS = ("完成比例", "完成进度", "进度", "完成率")
# A completion table (完成情况 | 占全年计划) reports figures: 完成情况 is the achieved value (18.44万人),
# the share column its percent of the plan; rows without 序号 are further figures of the row
# above. Its measures are matched to the item's targets by unit and words (`_metric_for`).
SHARE_COLUMNS = ("占全年计划", "占年计划", "占年度计划", "占全年目标", "占年度目标", "占全年任务", "占计划")
ACHIEVED_COLUMNS = ("完成情况", "完成数", "完成值", "完成量", "实际完成", "累计完成")
LABEL_COLUMNS = ("指标", "指标名称", "任务目标", "年度目标", "目标任务", "年度计划", "计划任务", "建设内容") + NAME_COLUMNS

S = model.Status
# The city's wording (whitespace removed) → our status. Documented in content/about/contribute.md
# (从表格导入进展 → 状态归类), with the methodology's scale (content/about/methodology.md#status):
# a wording that says the work is under way, without saying it is late, is on_track (rule 4).
STATUS_WORDS = {
    # done
    "已完成": S.done,
    "完成": S.done,
    "全部完成": S.done,
    "已全部完成": S.done,
    "全面完成": S.done,
    "已全面完成": S.done,
    "按期完成": S.done,
    "已按期完成": S.done,
    "按时完成": S.done,
    "已按时完成": S.done,
    "提前完成": S.done,
    "已提前完成": S.done,
    "已完工": S.done,
    "已竣工": S.done,
    "已建成": S.done,
    "已办结": S.done,
    "已实现年度目标": S.done,
    # ahead
    "超序时": S.ahead,
    "超序时推进": S.ahead,
    "超序时进度": S.ahead,
    "超前": S.ahead,
    "超前推进": S.ahead,
    "快于序时": S.ahead,
    "快于序时进度": S.ahead,
    # on_track
    "序时推进": S.on_track,
    "按序时推进": S.on_track,
    "按序时进度推进": S.on_track,
    "按时序推进": S.on_track,
    "按时序进度推进": S.on_track,
    "按进度推进": S.on_track,
    "正常推进": S.on_track,
    "按计划推进": S.on_track,
    "按计划实施": S.on_track,
    "有序推进": S.on_track,
    "稳步推进": S.on_track,
    "顺利推进": S.on_track,
    "正在推进": S.on_track,
    "推进中": S.on_track,
    "正在实施": S.on_track,
    "实施中": S.on_track,
    "正在建设": S.on_track,
    "建设中": S.on_track,
    "在建": S.on_track,
    "已开工": S.on_track,
    "已启动": S.on_track,
    "达到序时进度": S.on_track,
    # behind
    "滞后": S.behind,
    "进展滞后": S.behind,
    "进度滞后": S.behind,
    "滞后序时": S.behind,
    "滞后于序时进度": S.behind,
    "慢于序时": S.behind,
    "慢于序时进度": S.behind,
    "未达序时进度": S.behind,
    "未达到序时进度": S.behind,
    "进展缓慢": S.behind,
    "进度缓慢": S.behind,
    "推进缓慢": S.behind,
    "进展较为缓慢": S.behind,
    "未按期完成": S.behind,
    "未按时完成": S.behind,
    # not_started
    "未启动": S.not_started,
    "尚未启动": S.not_started,
    "未开工": S.not_started,
    "尚未开工": S.not_started,
    "未开始": S.not_started,
    "尚未开始": S.not_started,
    "未实施": S.not_started,
    "尚未实施": S.not_started,
    # adjusted, cancelled
    "调整": S.adjusted,
    "已调整": S.adjusted,
    "目标调整": S.adjusted,
    "已变更": S.adjusted,
    "取消": S.cancelled,
    "已取消": S.cancelled,
    "终止": S.cancelled,
    "已终止": S.cancelled,
    "不再实施": S.cancelled,
}
# Wordings that mean different things in different reports: refused, with the choices, until
# the maintainer maps them (--status-map 基本完成=done). (status, when it is meant) pairs.
_PAUSED = ((S.behind, "the work has stopped and the item is late"), (S.adjusted, "the plan was officially changed"), (S.cancelled, "the item was dropped"))
AMBIGUOUS_STATUS = {
    "基本完成": ((S.done, "only formalities such as acceptance remain"), (S.on_track, "part of the work remains")),
    "超额完成": ((S.done, "the whole target is exceeded (a year-end report)"), (S.ahead, "the stage's target is exceeded (a mid-year report)")),
    "部分完成": ((S.on_track, "the part due by now is done"), (S.behind, "less than is due by now")),
    "未完成": ((S.behind, "the item is late (a year-end report, or a stage's task)"), (S.on_track, "it is not finished yet, as planned at this stage")),
    "已实施": ((S.done, "a one-off measure now in force"), (S.on_track, "a programme that is under way")),
    "已落实": ((S.done, "a one-off measure now in force"), (S.on_track, "a programme that is under way")),
    "暂停": _PAUSED,
    "已暂停": _PAUSED,
    "暂缓": _PAUSED,
    "暂缓实施": _PAUSED,
    "停工": _PAUSED,
    "已停工": _PAUSED,
}
_PERIOD = r"(第?[一二三四1-4]季度|上半年|前三季度|阶段性?|序时)"
# Wordings with a period in them (已完成二季度任务); checked in order after STATUS_WORDS.
STATUS_PATTERNS = (
    (re.compile(r"(已|超额)?完成(全年|年度|全部)(任务|目标|计划)"), S.done),
    (re.compile(r"超额完成" + _PERIOD + r"(任务|目标|计划)"), S.ahead),
    (re.compile(r"已完成" + _PERIOD + r"(任务|目标|计划|进度)"), S.on_track),
    (re.compile(r"未完成" + _PERIOD + r"?(任务|目标|计划|进度)"), S.behind),
    (re.compile(r"未完成(全年|年度)(任务|目标|计划)"), S.behind),
)
STATUS_CHOICES = ", ".join(s.value for s in S)
# Fields of a progress entry a table can fill, in the model's order; measures and note are
# never in a city's table and are left alone.
TABLE_FIELDS = ("status_text", "status", "percent", "measures", "text")
MEASURE_ORDER = tuple(model.Measure.model_fields)
ENTRY_ORDER = tuple(model.Progress.model_fields)
ITEM_ORDER = tuple(model.Item.model_fields)


def at(where: tuple, column: str, code: Code, message: str) -> Problem:
    """A problem in a cell: `where` is (table label, line), `column` the cell's header."""
    return Problem(where[0], where[1], 0, column, code, message)


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


@dataclass
class Table:
    label: str  # the path as the maintainer typed it, for messages
    headers: list
    rows: list  # (line, cells)


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


@dataclass
class Figure:
    """One measure: read from a completion table, or proposed from a progress text."""

    metric: str
    value: float | int
    unit: str
    text: str
    comparator: Optional[str] = None
    percent: Optional[float] = None  # as the report states it
    target: Optional[float] = None  # the target's value, for the summary (value ÷ target)
    new_metric: bool = False  # no target of the item matched: a metric of the report's own

    def as_map(self) -> CommentedMap:
        cm = CommentedMap()
        cm["metric"] = _scalar(self.metric)
        cm["value"] = self.value
        cm["unit"] = _scalar(self.unit)
        if self.comparator and self.comparator != "exactly":
            cm["comparator"] = self.comparator
        if self.percent is not None:
            cm["percent"] = self.percent
        cm["text"] = _scalar(self.text)
        return cm

    def describe(self) -> str:
        share = f" = {self.value / self.target * 100:,.1f}% of the target {derive.format_number(self.target)}" if self.target else ""
        said = f", the report says {derive.format_number(self.percent)}%" if self.percent is not None else ""
        return f"{self.metric} {derive.format_number(self.value)} {self.unit}{share}{said} ← {self.text}"


@dataclass
class Outcome:
    """What an import would do; the caller decides whether to write `after`."""

    year_file: str
    before: str
    after: str
    added: list
    replaced: list
    absent: list  # ids of items the table does not mention
    skipped_lines: list  # empty or heading rows
    warnings: list  # new validator warnings after the merge
    measures_written: bool = True

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True), self.after.splitlines(keepends=True), f"a/{self.year_file}", f"b/{self.year_file}"
            )
        )

    def summary(self, report: str) -> str:
        entries = self.added + self.replaced
        counts: dict = {}
        for e in entries:
            counts[e.status.value] = counts.get(e.status.value, 0) + 1
        by_status = ", ".join(f"{s.value} {counts[s.value]}" for s in model.Status if s.value in counts)
        lines = [f"{self.year_file}: report {report}: added {len(self.added)}, replaced {len(self.replaced)} ({by_status or 'none'})"]
        if self.absent:
            lines.append(f"not in the table ({len(self.absent)}; fine if the report does not mention them): {', '.join(self.absent)}")
        if self.skipped_lines:
            lines.append(f"skipped rows without id or content (headings, blank): lines {', '.join(map(str, self.skipped_lines))}")
        table_figures = [(e.item_id, f) for e in entries for f in e.measures or ()]
        if table_figures:
            lines.append(f"measures from the table ({len(table_figures)}):")
            lines.extend(f"  {item_id}: {f.describe()}" + (" (no target matched: a metric of the report's own)" if f.new_metric else "") for item_id, f in table_figures)
        proposed = [(e.item_id, f) for e in entries for f in e.proposed]
        if proposed:
            written = "written into the entries" if self.measures_written else "not written"
            lines.append(f"measures proposed from the progress texts ({len(proposed)}, {written}; check each, and delete any that does not measure its target):")
            lines.extend(f"  {item_id}: {f.describe()}" for item_id, f in proposed)
        lines.extend(self.warnings)
        return "\n".join(lines)


# --- reading the table ---------------------------------------------------------------------


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


# --- columns --------------------------------------------------------------------------------


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
            if required:
                problems.append(_missing_column(table, role, candidates, found_headers))
    for role, hits in chosen.items():
        if len(hits) > 1:
            columns = ", ".join(str(i + 1) for i in hits)
            message = f"column {table.headers[hits[0]]!r} appears {len(hits)} times (columns {columns}); rename the one that is not the {role}"
            problems.append(Problem(table.label, 0, 0, "", Code.COLUMN_REPEATED, message))
    if problems:
        raise Refused(problems)
    return {role: hits[0] for role, hits in chosen.items() if hits}


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


# --- rows → entries -------------------------------------------------------------------------


def parse_status_map(specs) -> dict:
    """`--status-map 已完成=done,基本完成=on_track` (repeatable) → {wording: Status}."""
    mapping, problems = {}, []
    for spec in specs or ():
        for pair in re.split(r"[,，]", spec):
            if not pair.strip():
                continue
            wording, sep, status = pair.rpartition("=")
            if not sep or status.strip() not in model.Status.__members__:
                problems.append(Problem("", 0, 0, "", Code.BAD_FORMAT, f"--status-map {pair!r}: write wording=status, status one of {STATUS_CHOICES} (e.g. 基本完成=on_track)"))
                continue
            mapping[squash(wording)] = model.Status(status.strip())
    if problems:
        raise Refused(problems)
    return mapping


def status_for(wording: str, overrides: dict) -> Optional[model.Status]:
    """Our status for the city's wording: --status-map first, then STATUS_WORDS, then STATUS_PATTERNS."""
    key = squash(wording)
    if key in overrides:
        return overrides[key]
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    for pattern, status in STATUS_PATTERNS:
        if pattern.fullmatch(key):
            return status
    return None


def ambiguous_choices(wording: str) -> tuple:
    """((status, when it is meant), …) for a wording that is refused as ambiguous; () otherwise."""
    return AMBIGUOUS_STATUS.get(squash(wording), ())


def parse_percent(cell: str):
    """'92%', '92', '９２％' → 92; '' → None; anything else → ValueError."""
    text = squash(cell).rstrip("%")
    if not text:
        return None
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        raise ValueError(cell)
    value = float(text)
    return int(value) if value.is_integer() else value


def read_entries(table: Table, columns: dict, items: dict, options: Options, year_file: str):
    """Turn rows into entries, matched to items; collect every problem before refusing."""
    problems: list = []
    entries: list = []
    skipped: list = []
    header = {role: table.headers[i] for role, i in columns.items()}
    first_line_of: dict = {}
    unmapped: dict = {}  # wording → lines
    key_role = "id" if "id" in columns else "name"
    completion = is_completion_table(table)
    if "status" not in columns and "" not in options.status_map:
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
            item_id = _match_name(cell["name"], items, where, header["name"], year_file, problems)
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
    for wording, lines in unmapped.items():
        where_lines = f"{'line' if len(lines) == 1 else 'lines'} {', '.join(map(str, lines))}"
        choices = ambiguous_choices(wording)
        if choices:
            meanings = "; or ".join(f"{status.value} if {meaning}" for status, meaning in choices)
            options_text = " or ".join(f"--status-map {wording}={status.value}" for status, _ in choices)
            problems.append(at((table.label, lines[0]), header["status"], Code.AMBIGUOUS_CELL, f"{wording!r} ({where_lines}) is ambiguous: it can mean {meanings}. Choose with {options_text}"))
            continue
        message = (
            f"{wording!r} ({where_lines}) is not in the status table; "
            f"map it with --status-map {wording}=<status>, status one of {STATUS_CHOICES} (see content/about/methodology.md#status)"
        )
        problems.append(at((table.label, lines[0]), header["status"], Code.NOT_ALLOWED, message))
    return entries, skipped, problems


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
    target = _target_for(_targets_of(item), amount.unit, label + achieved)
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


def _targets_of(item) -> list:
    """The item's quantified targets (plain dicts)."""
    return [dict(t) for t in item.get("targets") or () if t.get("value") is not None and not t.get("qualitative")]


def _target_for(targets: list, unit: str, words: str):
    """The one target a figure measures: same unit, and the most shared words; a target alone
    with its unit needs no shared word. None when no target or a tie."""
    same_unit = [t for t in targets if same_unit_key(str(t.get("unit") or "")) == same_unit_key(unit)]
    if len(same_unit) == 1 and not words.strip():
        return same_unit[0]
    mine = bigrams(words)
    scored = sorted(((len(mine & bigrams(f"{t.get('metric', '')}{t.get('text', '')}")), i) for i, t in enumerate(same_unit)), reverse=True)
    if not scored or scored[0][0] == 0 and len(same_unit) > 1:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return same_unit[scored[0][1]]


# A share of the plan right after a figure (58处,占年计划的55.2%), or several after a list of
# figures (18.44万人、11.02万人,分别占年计划的52.7%、44.1%).
_SHARE = re.compile(r"占(?:年度|全年|年)?(?:计划|目标|任务)(?:总量|总数)?的?\s*(\d+(?:\.\d+)?)\s*%")
_SHARES = re.compile(r"分别占(?:年度|全年|年)?(?:计划|目标|任务)(?:总量|总数)?的?\s*((?:\d+(?:\.\d+)?\s*%\s*[、和及]?\s*)+)")


def propose_measures(targets: list, text: str) -> list:
    """Measures the figures of a progress text give, to be checked by the maintainer; a wrong
    figure costs more than a missing one, so a figure is proposed only when:

    - its unit is the target's (名 and 人 count the same people);
    - its own clause says what the target's metric counts: the metric's last word (托位 of
      新增托位, 筛查 of 两癌筛查服务) is in it, and half the metric's words are, or the target is
      the item's only one in that unit (已完成80户…危房现场复核 does not measure 危房改造; 救助金额
      does not measure 救助限额);
    - it is not a plan (预计, 计划 …);
    - it is its best target's best figure: a figure that fits two targets equally is left out,
      and one that loses its target to a better figure is not given another; a cumulative
      figure (累计, 截至 …) beats one of a quarter (第二季度…82批次, then 累计…128批次).

    The share of the plan the text states next to a figure (占年计划的86.7%) goes with it."""
    quantified = [t for t in targets if t.get("value") is not None and not t.get("qualitative") and t.get("unit")]
    if not quantified or not text:
        return []
    in_share = [(m.start(), m.end()) for pattern in (_SHARE, _SHARES) for m in pattern.finditer(text)]
    figures = [(seg, q) for seg in quantities.segments(text) for q in seg.quantities if not any(a <= q.number_start < b for a, b in in_share)]
    paired = _paired_shares(text, figures)
    metric_words = [bigrams(_metric_words(str(t.get("metric") or ""))) for t in quantified]
    heads = [_head(str(t.get("metric") or ""), str(t.get("unit"))) for t in quantified]
    per_unit: dict = {}
    for t in quantified:
        per_unit[same_unit_key(str(t.get("unit")))] = per_unit.get(same_unit_key(str(t.get("unit"))), 0) + 1
    best_target: dict = {}  # figure index → (score, target index), None on a tie
    for index, (seg, q) in enumerate(figures):
        sentence_start = max(text.rfind(c, 0, seg.start) for c in "。；;\n") + 1
        lead_in = text[sentence_start : q.number_start]
        if _PLANNED.search(re.sub(r"[（(][^（()）]*[）)]", "", lead_in)):
            continue  # 原计划…投资1.8亿元, (预计6月底实现…300人以上): a plan, not a result
        clause_in = text[max(sentence_start, max(text.rfind(c, 0, q.number_start) for c in "，,：:") + 1) : q.number_start]
        topic = _TOPIC.match(text, sentence_start)  # 城市空间微更新方面,25处已全部开工: the clause's subject
        own_text = (topic.group(1) if topic else "") + _without_quantities(text[seg.start : seg.end])
        own = bigrams(own_text)
        scored = []
        for t_index, t in enumerate(quantified):
            if same_unit_key(str(t.get("unit"))) != same_unit_key(q.unit) or not heads[t_index] or heads[t_index] not in re.sub(r"\s", "", own_text):
                continue
            words = metric_words[t_index]  # how much of the metric the clause says, or of the clause the metric says
            coverage = max(len(own & words) / len(words) if words else 0.0, len(own & words) / len(own) if own else 0.0)
            if coverage < 0.5 and per_unit[same_unit_key(q.unit)] > 1:
                continue
            scored.append((10 * coverage + (3 if index in paired else 0) + _period_score(lead_in, clause_in, own_text, str(t.get("metric") or "")), t_index))
        scored.sort(reverse=True)
        if scored and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            best_target[index] = scored[0]
    best_figure: dict = {}  # target index → figure index
    for index, (score, t_index) in best_target.items():
        if t_index not in best_figure or score >= best_target[best_figure[t_index]][0]:  # (on a tie, the later: a total follows its parts)
            best_figure[t_index] = index
    out = []
    for t_index, index in best_figure.items():
        seg, q = figures[index]
        t = quantified[t_index]
        percent, end = paired.get(index, (None, seg.end))
        wording = text[seg.start : end].strip().rstrip("。；;，,")
        out.append((q.number_start, Figure(str(t.get("metric")), q.value, q.unit, wording, q.comparator, percent, float(t["value"]))))
    return [f for _, f in sorted(out, key=lambda pair: pair[0])]


_CUMULATIVE = re.compile(r"累计|共计|总计|累积|共完成|截至|截止")
_THIS_YEAR = re.compile(r"\d{4}年(?!\d{1,2}月)|今年|年内|全年|当年")
_PERIOD_ONLY = re.compile(r"季度|本月|当月|本周|一季|二季|三季|四季")
_INCREMENT = re.compile(r"^(?:新增|新建|新开工|新改扩建|新设)")


_TOPIC = re.compile(r"\s*([^，,。；;：:]{2,30}?方面)[，,]")


def _period_score(sentence_in: str, clause_in: str, own_text: str, metric: str) -> int:
    """Which of several figures for one target is the year's result: one its clause counts
    through the year (累计, 截至, 2024年) beats one of a quarter (第二季度…82批次); for a target of
    new things (新增, 新建) a figure of new things beats an all-time total (新增5G基站106个,
    累计建设839个)."""
    score = 2 if _CUMULATIVE.search(clause_in) else (-4 if _PERIOD_ONLY.search(sentence_in) else 0)
    score += 2 if _THIS_YEAR.search(clause_in) else 0
    return score + (1 if _INCREMENT.match(metric) and "新" in own_text else 0)
_GENERIC_ENDS = re.compile(r"(?:服务|工作|项目|工程|任务|建设|行动)$")


def same_unit_key(unit: str) -> str:
    """名 and 人 count the same people (29410名 ↔ 11553人)."""
    return {"名": "人"}.get(unit, unit)


def _metric_words(metric: str) -> str:
    """A metric without the draft's numbering (（1）) and quotes: the words a figure shares."""
    return re.sub(r"[（(]\d+[）)]$", "", metric)


def _head(metric: str, unit: str) -> str:
    """The metric's last word, which a figure's clause must contain: the last two characters,
    after the draft's numbering, quotes, a word the unit gave (面积 of 平方米) and a generic
    ending (服务, 工作, 项目 …). 适龄妇女免费两癌筛查服务 → 筛查."""
    words = re.sub(r"[“”\"'‘’「」]", "", _metric_words(metric))
    given = quantities.UNIT_MEASURES.get(unit, "")
    if given and words.endswith(given) and len(words) > len(given) + 1:
        words = words[: -len(given)]
    if len(words) > 4:
        words = _GENERIC_ENDS.sub("", words)
    return words[-2:]


_PLANNED = re.compile(r"预计|(?<![年占])计划|力争|拟")


def _without_quantities(text: str) -> str:
    for q in sorted(quantities.find_quantities(text), key=lambda q: -q.start):
        text = text[: q.start] + " " + text[q.end :]
    return text


def _paired_shares(text: str, figures: list) -> dict:
    """figure index → (percent, end of its wording) where the text states its share."""
    paired: dict = {}
    for m in _SHARES.finditer(text):
        percents = [float(p) for p in re.findall(r"\d+(?:\.\d+)?", m.group(1))]
        sentence_start = max(text.rfind(c, 0, m.start()) for c in "。；;\n") + 1
        before = [i for i, (_, q) in enumerate(figures) if sentence_start <= q.number_start < m.start() and q.unit != "%"]
        if len(before) == len(percents):
            for i, p in zip(before, percents, strict=True):
                paired[i] = (_plain(p), figures[i][0].end)
    for i, (_, q) in enumerate(figures):
        share = _SHARE.search(text, q.end)
        if i not in paired and share and share.start() - q.end <= 12 and not re.search(r"[\d。；;]|分别", text[q.end : share.start()]):
            paired[i] = (_plain(float(share.group(1))), share.end())
    return paired


def _plain(value: float):
    return int(value) if float(value).is_integer() else value


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


def _match_name(value: str, items: dict, where: tuple, column: str, year_file: str, problems: list):
    """An item whose text or title is the name; else the one whose text contains it. Never a guess."""
    name = squash(value)
    exact = [i for i, it in items.items() if name in (squash(str(it.get("text", ""))), squash(str(it.get("title", ""))))]
    candidates = exact or [i for i, it in items.items() if len(name) >= 4 and name in squash(str(it.get("text", "")))]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        listed = "; ".join(f"`{i}` {str(items[i].get('text'))[:30]}" for i in candidates[:8])
        message = f"{value!r} matches {len(candidates)} items ({listed}); add a 序号 column and use --match-by id, or make the name exactly an item's text"
        problems.append(at(where, column, Code.AMBIGUOUS_CELL, message))
        return None
    names = {str(it.get("text", "")): i for i, it in items.items()}
    close = difflib.get_close_matches(value, list(names), n=3, cutoff=0.5)
    hint = "; close: " + "; ".join(f"`{names[c]}` {c[:30]}" for c in close) if close else ""
    problems.append(at(where, column, Code.UNKNOWN_REFERENCE, f"{value!r} matches no item's text or title in {year_file}{hint}"))
    return None


def _entry_from(cell: dict, header: dict, line: int, item_id: str, options: Options, where: tuple, unmapped: dict, problems: list):
    wording = cell["status"]
    status = status_for(wording, options.status_map)
    if status is None:
        if wording:
            unmapped.setdefault(wording, []).append(line)
        else:
            problems.append(at(where, header["status"], Code.FIELD_MISSING, f"empty for item `{item_id}`; fill it in, or map empty cells with --status-map =unknown"))
        return None
    percent = None
    if cell.get("percent"):
        try:
            percent = parse_percent(cell["percent"])
        except ValueError:
            problems.append(at(where, header["percent"], Code.WRONG_TYPE, f"{cell['percent']!r} is not a number; write 90 (or 90%), or leave the cell empty"))
            return None
        if percent > 1000:
            problems.append(at(where, header["percent"], Code.INVALID_VALUE, f"{cell['percent']!r} is more than 1000%; check the cell (a share such as 0.9 is written 90)"))
            return None
    fields = tuple(name for name in TABLE_FIELDS if name in ("status_text", "status") or name in cell)
    return Entry(line, item_id, status, wording or None, percent, cell.get("text") or None, fields)


# --- the year file ----------------------------------------------------------------------------


def _yaml_for(text: str) -> YAML:
    """A round-trip YAML that writes this file back byte for byte (its indentation, no wrapping)."""
    _, sequence, offset = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 10**6  # never fold long verbatim text
    yaml.indent(mapping=2, sequence=sequence or 4, offset=2 if offset is None else offset)
    return yaml


def _dump(yaml: YAML, doc) -> str:
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _items_by_id(items, found=None) -> dict:
    found = {} if found is None else found
    for item in items or ():
        found[str(item.get("id"))] = item
        _items_by_id(item.get("subitems"), found)
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
    return CommentedSeq([f.as_map() for f in figures])


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
    items = _items_by_id(doc.get("items"))
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


# --- validation and writing -------------------------------------------------------------------


def year_file_root(year_path: Path) -> tuple:
    """(repository root, 'data/<city>/<year>.yml') for a year file."""
    full = year_path.resolve()
    if full.parent.parent.name != "data" or not re.fullmatch(r"[0-9]{4}\.yml", full.name):
        raise Refused([Problem(str(year_path), 0, 0, "", Code.FILE_UNEXPECTED, "expected a year file data/<city>/<year>.yml")])
    return full.parents[2], f"data/{full.parent.name}/{full.name}"


def check_merged(root: Path, rel: str, text: str | None = None) -> list:
    """All validator problems for `rel`, as it is on disk or, given `text`, as if it held
    `text` (nothing is written: the dataset reads `text` in its place)."""
    return load_dataset(root, only=[str(root / rel)], overrides={rel: text} if text is not None else None).problems


def write_atomically(path: Path, text: str) -> None:
    """Write next to the file and rename over it: a crash never leaves half a year file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def import_progress(year_path: Path, table_path: Path, options: Options, table_label: Optional[str] = None) -> Outcome:
    """Everything but writing: returns the merged text, or raises Refused."""
    root, rel = year_file_root(year_path)
    table_label = table_label or str(table_path)
    raw = year_path.read_bytes()
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    try:
        before = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused([Problem(rel, 0, 0, "", Code.ENCODING, "the file is not valid UTF-8; run make validate to see where")]) from None
    before_problems = check_merged(root, rel)
    errors = [p for p in before_problems if p.severity == Severity.ERROR]
    if errors:
        raise Refused(errors, f"{rel} has errors before the import; fix them first (make validate)")
    yaml = _yaml_for(before)
    doc = yaml.load(before)
    reports = {str(r.get("id")): r.get("as_of") for r in doc.get("reports") or ()}
    if options.report not in reports:
        known = ", ".join(reports) or "none yet"
        message = f"no report `{options.report}` in `reports` (known: {known}); add it first (id, title, kind, as_of, published, source), see CONTRIBUTING.md"
        raise Refused([Problem(rel, 0, 0, "", Code.UNKNOWN_REFERENCE, message)])
    table = read_table(table_path, table_label)
    columns = choose_columns(table, options)
    items = _items_by_id(doc.get("items"))
    entries, skipped, problems = read_entries(table, columns, items, options, rel)
    if problems:
        raise Refused(problems)
    for entry in entries:
        if entry.text and entry.measures is None:
            entry.proposed = propose_measures(_targets_of(items[entry.item_id]), entry.text)
    if not options.propose_measures:  # listed in the summary only
        proposals = {id(e): e.proposed for e in entries}
        for entry in entries:
            entry.proposed = []
    as_of = {k: str(v) for k, v in reports.items()}
    added, replaced = merge(doc, entries, options.report, as_of, options.replace, table_label, rel)
    after = _dump(yaml, doc)
    if "\r\n" in before:  # keep Windows line ends when the file has them
        after = after.replace("\r\n", "\n").replace("\n", "\r\n")
    after_problems = check_merged(root, rel, after)
    errors = [p for p in after_problems if p.severity == Severity.ERROR]
    if errors:
        raise Refused(errors, f"the merged {rel} would not validate (line numbers are in the merged file); nothing was written. Fix the table or the options")
    known_warnings = {(p.path, p.message) for p in before_problems}
    warnings = [str(p) for p in after_problems if (p.path, p.message) not in known_warnings]
    matched = {e.item_id for e in entries}
    absent = [i for i in items if i not in matched]
    if not options.propose_measures:
        for entry in entries:
            entry.proposed = proposals[id(entry)]
    return Outcome(rel, bom + before, bom + after, added, replaced, absent, skipped, warnings, measures_written=options.propose_measures)
