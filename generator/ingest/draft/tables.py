"""The structure of a table: a CSV/TSV file, a Markdown pipe table or a table pasted one cell
per line, its columns known by their usual headers (序号, 事项名称, 任务目标, 牵头单位 …).
"""

from __future__ import annotations

import re
from typing import Optional

from generator.core.problems import Code, Problem
from generator.ingest import Refused
from generator.ingest.draft.lines import classify, deadline_of, split_units
from generator.ingest.draft.nodes import Draft, Node, SectionDraft, number_items, text_and_lead
from generator.ingest.textinput import ID_HEADERS, normalise_id, squash

TEXT_HEADERS = (
    "事项名称", "项目名称", "实事名称", "任务名称", "实事项目", "民生实事", "民生实事项目", "重点任务", "主要工作任务", "主要任务", "工作任务", "重点工作",
    "事项", "项目", "任务", "名称", "工作内容", "具体内容", "主要内容", "实施内容", "项目内容", "内容",
)
GOAL_HEADERS = ("任务目标", "目标任务", "年度目标", "工作目标", "主要目标", "具体目标", "预期目标", "建设内容", "建设规模及内容", "目标")
LEAD_HEADERS = ("责任单位", "牵头单位", "牵头部门", "责任部门", "牵头责任单位", "主责单位", "责任主体", "牵头单位(部门)", "牵头单位（部门）")
CATEGORY_HEADERS = ("类别", "分类", "领域", "类型")
DEADLINE_HEADERS = ("完成时限", "完成时间", "时限")
KNOWN_HEADERS = set(ID_HEADERS + TEXT_HEADERS + GOAL_HEADERS + LEAD_HEADERS + CATEGORY_HEADERS + DEADLINE_HEADERS)


def _pipe_cells(text: str) -> Optional[list]:
    if "|" not in text:
        return None
    cells = [c.strip() for c in text.strip().split("|")]
    if cells and cells[0] == "":
        cells = cells[1:]
    if cells and cells[-1] == "":
        cells = cells[:-1]
    return cells if len(cells) >= 2 else None


def _is_header(cells: list) -> bool:
    names = {squash(c) for c in cells}
    return len(names & KNOWN_HEADERS) >= 2 and bool(names & (set(TEXT_HEADERS) | set(GOAL_HEADERS)))


def find_table(lines: list) -> Optional[tuple]:
    """(first line index, last line index + 1, header, rows as (line, cells)) of a pipe
    table or a table pasted one cell per line, when the text holds one."""
    for i, (_, text) in enumerate(lines):
        cells = _pipe_cells(text)
        if cells and _is_header(cells):
            rows, j = [], i + 1
            while j < len(lines):
                row = _pipe_cells(lines[j][1])
                if row is None:
                    break
                repeated = [squash(c) for c in row] == [squash(c) for c in cells]  # the header again, atop each page of a PDF
                if not repeated and not all(re.fullmatch(r":?-{2,}:?", c) for c in row):
                    rows.append((lines[j][0], row + [""] * (len(cells) - len(row))))
                j += 1
            if rows:
                return i, j, cells, rows
    for i, (_, text) in enumerate(lines):
        if squash(text) in ID_HEADERS:
            header = [text]
            j = i + 1
            while j < len(lines) and squash(lines[j][1]) not in ID_HEADERS and (squash(lines[j][1]) in KNOWN_HEADERS or _header_word(lines[j][1])):
                header.append(lines[j][1])
                j += 1
            if len(header) < 2 or not _is_header(header):
                continue
            rows, expected = [], 1
            starts = [k for k in range(j, len(lines)) if lines[k][1].strip() == str(expected)]
            k = starts[0] if starts else len(lines)
            while k < len(lines) and lines[k][1].strip() == str(expected):
                nxt = k + len(header)
                end = nxt if nxt < len(lines) and lines[nxt][1].strip() == str(expected + 1) else None
                if end is None:
                    end = next((m for m in range(k + 1, len(lines)) if lines[m][1].strip() == str(expected + 1)), None)
                if end is None:  # the last row: as many cells as there are headers
                    end = min(len(lines), k + len(header))
                cells = [t for _, t in lines[k:end]]
                rows.append((lines[k][0], cells[: len(header)] + [""] * (len(header) - len(cells))))
                if len(cells) > len(header):
                    rows[-1][1][-1] = "\n".join(cells[len(header) - 1 :])
                k, expected = end, expected + 1
            if rows:
                return i, k, header, rows
    return None


def _header_word(text: str) -> bool:
    """A column header we do not use but must count (进展情况, 完成情况, 备注): a few
    characters, no figures, no punctuation."""
    word = squash(text)
    return 2 <= len(word) <= 8 and not re.search(r"[\d。；;，,：:、]", word)


def _column(headers: list, names: tuple, taken: tuple = ()) -> Optional[int]:
    """The column with one of `names` as its header; else (for the text, goal and lead
    columns) one whose header contains the telling word: 项目建设规模及内容 is a goal."""
    squashed = [squash(h) for h in headers]
    for name in names:
        if name in squashed and squashed.index(name) not in taken:
            return squashed.index(name)
    words = {TEXT_HEADERS: ("名称", "事项", "项目", "任务"), GOAL_HEADERS: ("目标", "内容", "规模"), LEAD_HEADERS: ("单位", "部门")}.get(names, ())
    for i, header in enumerate(squashed):
        if i not in taken and any(w in header for w in words) and not any(h in header for h in ID_HEADERS[:2]):
            return i
    return None


def parse_table(header: list, rows: list, label: str = "") -> Draft:
    """Table rows → items. Columns by their usual headers (`ID_HEADERS`, `TEXT_HEADERS` …);
    a row with no number but text under the row above it is a sub-item; a row with only one
    cell filled is a category heading."""
    draft = Draft()
    col: dict = {}
    for role, names in (("id", ID_HEADERS), ("lead", LEAD_HEADERS), ("category", CATEGORY_HEADERS), ("deadline", DEADLINE_HEADERS), ("goal", GOAL_HEADERS), ("text", TEXT_HEADERS)):
        exact = _column(header, names, tuple(i for i in col.values() if i is not None))
        col[role] = exact
    if col["text"] is not None and col["goal"] is not None and col["goal"] < col["text"] and squash(header[col["goal"]]) not in GOAL_HEADERS:
        col["text"], col["goal"] = col["goal"], col["text"]  # (the first of two worded columns names the item)
    if col["text"] is None and col["goal"] is not None:
        col["text"], col["goal"] = col["goal"], None
    if col["text"] is None:
        message = f"the table has no column for the pledges (looked for: {', '.join(TEXT_HEADERS[:6])} …); the header row has: {', '.join(header)}"
        raise Refused([Problem(label, 0, 0, "", Code.COLUMN_MISSING, message)])
    used = {i for i in col.values() if i is not None}
    draft.unused_columns = [h for i, h in enumerate(header) if i not in used]
    category = None
    for line, cells in rows:
        def cell(role, cells=cells):
            i = col[role]
            return cells[i].strip() if i is not None and i < len(cells) else ""

        filled = [c for c in cells if c.strip()]
        if not filled:
            continue
        if len(filled) == 1 and not re.fullmatch(r"\d+", squash(filled[0])):  # 一、民生保障 alone on its row
            marker = classify(line, filled[0])
            number = len(draft.sections) + 1
            title = marker.rest if marker.form else filled[0]
            sec = SectionDraft(f"s{number}", marker.label or str(number), title, 0, None, number, line, numbered=bool(marker.form))
            draft.sections.append(sec)
            category = sec
            continue
        if cell("category") and (category is None or category.title != cell("category")):
            number = len(draft.sections) + 1
            category = SectionDraft(f"s{number}", str(number), cell("category"), 0, None, number, line, numbered=False)
            draft.sections.append(category)
        raw_id = cell("id")
        normal = normalise_id(raw_id)
        node = Node(line, None, int(normal) if normal.isdigit() else None)
        node.text, node.lead = text_and_lead(cell("text"), split_units(cell("lead")), node.notes)
        node.goal = cell("goal") or None
        node.deadline = deadline_of(cell("deadline"))
        node.section = category.id if category else None
        if not raw_id and draft.items:
            draft.items[-1].children.append(node)
        elif re.fullmatch(r"\d+(-\d+)+", normal):
            parent_id = normal.rsplit("-", 1)[0]
            parent = next((n for n in draft.items if str(n.number) == parent_id), None)
            node.number = int(normal.rsplit("-", 1)[1])
            if parent is not None:
                parent.children.append(node)
            else:
                draft.unplaced.append((line, " | ".join(cells)))
        else:
            draft.items.append(node)
    number_items(draft, numbered=all(n.number for n in draft.items))
    return draft
