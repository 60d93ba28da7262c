"""`python -m generator draft <city> <year> <file>`: an official text → a draft year file.

The slow part of adding a list is mechanical: splitting items and sub-items, copying the
lead units, turning 3011万平方米 into 30110000. This module does that part and leaves the
judgement to the maintainer, in `# TODO` comments:

1. **Reading** (`read_source`): plain text, a saved HTML page (tags, scripts and page
   furniture such as navigation and footers dropped with the standard library's
   html.parser; table cells kept as `a | b` rows), or a table (CSV/TSV, a Markdown pipe
   table, or a table pasted one cell per line), in any encoding `textinput.decode` reads
   (UTF-8, UTF-16, GB18030/GBK, the charset a page declares). Traditional characters are converted with OpenCC t2s (the archived copy keeps
   the original; the source gets `script: traditional_converted`).
2. **Structure** (`parse_text`, `parse_table`): numbering at the start of a line in every
   form Chinese lists use — 第一件/第1项, 一、, （一）, （1）, 1., 1、, ①, and a number alone on a
   line (01) with the text on the next lines — numbered straight through or restarting per
   category. Forms whose lines are mostly short headings (no ，。；) are categories
   (`sections`), nested in the order they first appear; the outermost form with real
   content is the items; forms inside it are sub-items. Lines outside the structure (page
   furniture, closing remarks) are reported, never guessed into an item.
3. **Ids** (the documented rule, content/about/contribute.md): the source's own numbers
   when they are unique; when the numbering restarts per category, or the source has no
   numbers, items are numbered 1, 2, 3 … in source order through the whole list (the label
   keeps the source's own number). Sub-items are `<item>-<their own number>`, also when the
   source numbers them straight through the list (第二件 → 3., 4. → `2-3`, `2-4`).
4. **Content**: texts verbatim (only surrounding whitespace stripped); lead units from
   （牵头单位：…）, 〔牵头部门：…〕, a 牵头单位：… line or a 牵头/责任单位 column, one per entry;
   a paragraph under an item is its `explanation`; a single-sentence item listing several
   short pledges separated by ；/; becomes sub-items (`--split`); structured targets from
   every stated quantity (`generator/ingest/quantities.py`), their metrics named by its rules; an
   item's deadline from the completion date its text states (预计2024年5月完工); titles and
   topics left for the maintainer as commented suggestions (`suggest_title`; topics by the
   data/topics.yml keywords of the first clause, `suggest_topics`). A progress report taken for a source (进展情况表) is said so,
   and its title, date and introduction are not taken for the list's.
5. **Writing**: YAML written the way the data files are (plain scalars unless our strict
   reader would read them otherwise, `|-` blocks for paragraphs, `# TODO` comments), read
   back exactly (tests/test_draft.py), never over an existing file without `--force`.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from generator.core import model
from generator.core.problems import Code, Problem
from generator.data.reading import YamlProblem, load_yaml
from generator.ingest import Refused, quantities
from generator.ingest.textinput import ID_HEADERS, bigrams, decode, normalise_id, squash

# --- reading the source -------------------------------------------------------------------


@dataclass
class SourceText:
    lines: list  # (line number in `archived`, text) — simplified characters
    archived: str  # the text to archive (original characters), one line per line number
    kind: str  # "html", "text" or "table"
    traditional: bool = False
    encoding: str = "utf-8"
    table_rows: Optional[list] = None  # for CSV/TSV files: rows of cells
    label: str = ""  # the file as the maintainer named it, for messages


_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "nav", "header", "footer", "aside", "form", "button", "select", "head", "title"}
_FURNITURE = re.compile(r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|footer|header|sidebar|share|comments?|copyright|toolbar|login|related|recommend)($|[\s_-])", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article", "blockquote", "pre", "dd", "dt", "dl", "hr", "tbody", "thead"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class _TextOfPage(html.parser.HTMLParser):
    """The visible text of a page, one block per line; table rows as `cell | cell`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list = []
        self.skip_depth = 0
        self.stack: list = []
        self.cells: Optional[list] = None
        self.cell: Optional[list] = None

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br" and not self.skip_depth:
                self._text("\n")
            return
        names = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        skipping = tag in _SKIP_TAGS or bool(_FURNITURE.search(names))
        self.stack.append((tag, skipping))
        if skipping:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "tr":
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cell = []
        elif tag in _BLOCK_TAGS:
            self._text("\n")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        while self.stack:
            open_tag, skipping = self.stack.pop()
            if skipping:
                self.skip_depth -= 1
            if open_tag == tag:
                break
        if self.skip_depth:
            return
        if tag in ("td", "th") and self.cell is not None and self.cells is not None:
            joined = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", "".join(self.cell))  # 城市用气<br>提升工程
            self.cells.append(re.sub(r"\s+", " ", joined).strip())
            self.cell = None
        elif tag == "tr" and self.cells is not None:
            if any(self.cells):
                self.out.append("\n" + " | ".join(self.cells) + "\n")
            self.cells = None
        elif tag in _BLOCK_TAGS:
            self._text("\n")

    def handle_data(self, data):
        if not self.skip_depth:
            self._text(data)

    def _text(self, text):
        if self.cell is not None:
            self.cell.append(text)
        elif self.cells is None:
            self.out.append(text)

    def text(self) -> str:
        lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(self.out).split("\n")]
        return "\n".join(line for line in lines if line)


def html_to_text(page: str) -> str:
    parser = _TextOfPage()
    parser.feed(page)
    parser.close()
    return parser.text()


def looks_traditional(text: str) -> bool:
    """More than 1 % of the Chinese characters change under OpenCC t2s (simplified text
    changes by a handful of characters at most)."""
    from opencc import OpenCC

    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han[:20000])
    converted = OpenCC("t2s").convert(sample)
    changed = sum(1 for a, b in zip(sample, converted, strict=False) if a != b)
    return changed > 0.01 * len(sample)


def read_source(path: Path) -> SourceText:
    suffix = path.suffix.lower()
    is_html = suffix in (".html", ".htm", ".xhtml")
    raw = path.read_bytes()
    text, encoding = decode(raw, str(path), html=is_html or raw.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")))
    if not is_html and re.match(r"\s*(<!doctype html|<html)", text, re.I):
        is_html = True
    if is_html:
        text = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    traditional = looks_traditional(text)
    shown = text
    if traditional:
        from opencc import OpenCC

        shown = OpenCC("t2s").convert(text)
    lines = [(i + 1, line.strip(" \t\u3000\xa0")) for i, line in enumerate(shown.split("\n"))]
    lines = [(no, line) for no, line in lines if line]
    kind = "html" if is_html else "text"
    rows = None
    if suffix in (".csv", ".tsv", ".tab"):
        import csv
        import io

        delimiter = "\t" if suffix != ".csv" else ","
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(shown, newline=""), delimiter=delimiter)]
        kind = "table"
    return SourceText(lines, text, kind, traditional, encoding, rows, str(path))


# --- numbering ------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "零〇一二两三四五六七八九十百"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"


def cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零八 → 108, 35 → 35."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


# (form, pattern): group 1 is the label as written, group 2 the number. The separator after
# the label (a space, ：, 、) is not part of the label.
MARKERS = (
    ("第件", re.compile(rf"^(第([{_CN}]+|\d{{1,3}})件)[\s:：、，,．.]*")),
    ("第项", re.compile(rf"^(第([{_CN}]+|\d{{1,3}})项)[\s:：、，,．.]*")),
    ("第条", re.compile(rf"^(第([{_CN}]+|\d{{1,3}})条)[\s:：、，,．.]*")),
    ("一、", re.compile(rf"^(([{_CN}]{{1,4}})[、．])\s*")),
    ("（一）", re.compile(rf"^([（(]([{_CN}]{{1,4}})[）)])[\s、．.]*")),
    ("（1）", re.compile(r"^([（(](\d{1,3})[）)])[\s、．.]*")),
    ("1.", re.compile(r"^((\d{1,3})[.．])(?!\d)\s*")),
    ("1、", re.compile(r"^((\d{1,3})、)\s*")),
    ("①", re.compile(rf"^(([{_CIRCLED}]))\s*")),
    ("01", re.compile(r"^((\d{1,3}))$")),
)


@dataclass
class Line:
    no: int
    text: str
    form: Optional[str] = None
    number: int = 0
    label: Optional[str] = None
    rest: str = ""


def classify(no: int, text: str) -> Line:
    for form, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            number = _CIRCLED.index(m.group(2)) + 1 if form == "①" else cn_number(m.group(2))
            return Line(no, text, form, number, m.group(1), text[m.end() :].strip())
    return Line(no, text, rest=text)


_SENTENCE_PUNCT = re.compile(r"[。；;，,：:！？!?]")


def heading_like(text: str) -> bool:
    """A category heading: short, no sentence punctuation, no lead units."""
    return 0 < len(text) <= 30 and not _SENTENCE_PUNCT.search(text) and not _LEAD_OPEN.search(text)


def ends_sentence(text: str) -> bool:
    return bool(re.search(r"[。；;！？!?][”’」』）)]?$", text))


def _in_sequence(numbers: list) -> bool:
    """Each number follows the one before, or the numbering starts again at 1 (the first may
    be any: a list published in parts goes on from 116)."""
    if len(numbers) < 2:
        return False
    good = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if a < b <= a + 3 or b == 1)  # (a number or two may be missing)
    return good >= 0.8 * (len(numbers) - 1)


# --- lead units -----------------------------------------------------------------------------

_LEAD_OPEN = re.compile(r"[（(〔【\[]\s*(?:牵头|责任|主责)(?:单位|部门|处室)?[^:：（(）)]{0,8}[:：]")
_LEAD_LINE = re.compile(r"^(?:牵头|责任|主责)(?:单位|部门)[^:：]{0,8}[:：]\s*(.+)$")
_CLOSE = {"（": "）", "(": ")", "〔": "〕", "【": "】", "[": "]"}


def split_units(text: str) -> list:
    """市教育局、市自然资源和规划局 → two; 文旅局 各镇街 → two; 市农业农村局(市乡村振兴局) → one."""
    units, depth, current = [], 0, ""
    for ch in text:
        if ch in "（(〔【[":
            depth += 1
        elif ch in "）)〕】]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;/ \u3000\t":
            units.append(current)
            current = ""
        else:
            current += ch
    units.append(current)
    return [u.strip().rstrip("。.") for u in units if u.strip().rstrip("。.")]


def take_lead(text: str) -> tuple:
    """(text without its lead bracket, [units], [other roles]) for `…。（牵头单位：市卫健委）`.
    With both (牵头单位：A；责任单位：B、C) the 牵头 units lead; the others are returned as
    written (责任单位：B、C), for a comment."""
    for m in _LEAD_OPEN.finditer(text):
        opener = text[m.start()]
        depth, i = 1, m.end()
        while i < len(text) and depth:
            if text[i] in _CLOSE:
                depth += 1
            elif text[i] in _CLOSE.values():
                depth -= 1
            i += 1
        if depth == 0 and text[i - 1] == _CLOSE[opener] and re.fullmatch(r"[\s。.；;]*", text[i:]):
            inside = text[m.start() + 1 : i - 1]
            parts = [p.strip() for p in re.split(r"[；;，,](?=[^；;，,：:]{1,12}[:：])", inside) if p.strip()]
            roles = [(re.match(r"[^:：]*", p).group(), p) for p in parts]  # type: ignore[union-attr]
            units_roles = [(role, p) for role, p in roles if not re.search("领导|负责人|联系人", role)]  # (牵头领导：a person)
            leading = [p for role, p in units_roles if "牵头" in role] or [p for _, p in units_roles[:1]]
            others = [p for _, p in roles if p not in leading]
            units = [u for p in leading for u in split_units(re.split(r"[:：]", p, maxsplit=1)[1])]
            return text[: m.start()].strip(), units, others
    return text, [], []


# --- the draft's content --------------------------------------------------------------------


@dataclass
class Node:
    """An item or sub-item while drafting."""

    line: int
    label: Optional[str]
    number: Optional[int]
    text: str = ""
    section: Optional[str] = None
    goal: Optional[str] = None
    explanation: list = field(default_factory=list)
    lead: list = field(default_factory=list)
    deadline: Optional[dt.date] = None
    children: list = field(default_factory=list)
    id: str = ""
    targets: list = field(default_factory=list)  # dicts, with "_note" for a comment
    notes: list = field(default_factory=list)  # comment lines for the maintainer
    topics: list = field(default_factory=list)  # (topic id, [keywords]) suggestions
    split: bool = False  # a sub-item split from its parent's ；-list
    title: str = ""  # a suggested short title (ours), written as a comment
    deadline_words: Optional[str] = None  # the words of the text that give `deadline` (预计2024年5月完工)


@dataclass
class SectionDraft:
    id: str
    label: str
    title: str
    level: int
    parent: Optional[str] = None
    number: int = 0
    line: int = 0
    numbered: bool = True


@dataclass
class Draft:
    items: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    intro: list = field(default_factory=list)  # (line, text) before the list
    unplaced: list = field(default_factory=list)  # (line, text) the structure has no place for
    notes: list = field(default_factory=list)  # comment lines for the top of the file
    unused_columns: list = field(default_factory=list)
    renumbered: bool = False
    table_in_text: bool = False  # a table found inside a text (its lines before are listed if unused)


# --- text: structure ------------------------------------------------------------------------


def parse_text(lines: list) -> Draft:
    """Numbered (or unnumbered) official text → items, sub-items and sections."""
    classified = [classify(no, text) for no, text in lines]
    by_form: dict = {}
    for ln in classified:
        if ln.form:
            by_form.setdefault(ln.form, []).append(ln)
    forms = [f for f, lns in by_form.items() if _in_sequence([ln.number for ln in lns])]
    forms.sort(key=lambda f: by_form[f][0].no)
    for ln in classified:  # numbering that is no sequence is ordinary text
        if ln.form and ln.form not in forms:
            ln.form, ln.label, ln.rest = None, None, ln.text
    if not forms:
        return _parse_unnumbered(classified)
    headingish = {f: sum(heading_like(ln.rest) for ln in by_form[f]) > len(by_form[f]) / 2 for f in forms}
    item_form = next((f for f in forms if not headingish[f]), forms[-1])
    section_forms = [f for f in forms[: forms.index(item_form)] if headingish[f]]
    sub_forms = forms[forms.index(item_form) + 1 :]
    return _walk(classified, item_form, section_forms, sub_forms)


def _walk(classified: list, item_form: str, section_forms: list, sub_forms: list) -> Draft:
    draft = Draft()
    first_item = next(i for i, ln in enumerate(classified) if ln.form == item_form)
    # Unnumbered category headings: only when one stands right before the first item and the
    # source numbers no categories (otherwise captions between items would become categories).
    plain_headings = not section_forms and first_item > 0 and heading_like(classified[first_item - 1].text) and not classified[first_item - 1].form
    open_sections: list = [None] * (len(section_forms) + 1)
    stack: list = []  # [item, sub-item, sub-sub-item …] currently open
    started = False
    attached = True  # may unnumbered lines still belong to the open item?
    pending_heading: Optional[Line] = None
    for index, ln in enumerate(classified):
        if ln.form is not None:
            attached = True
        if ln.form in section_forms:
            level = section_forms.index(ln.form)
            stack = []
            if heading_like(ln.rest):
                parent = open_sections[level - 1] if level else None
                sec = SectionDraft("", ln.label or "", ln.rest, level, parent.id if parent else None, ln.number, ln.no)
                sec.id = f"{parent.id}-{ln.number}" if parent else f"s{ln.number}"
                draft.sections.append(sec)
                open_sections[level] = sec
                for deeper in range(level + 1, len(open_sections)):
                    open_sections[deeper] = None
            else:
                draft.unplaced.append((ln.no, ln.text))
            started = started or index >= first_item
            continue
        if ln.form == item_form:
            started = True
            if pending_heading is not None:
                _open_plain_section(draft, pending_heading, open_sections)
                pending_heading = None
            node = _new_node(ln)
            node.section = next((s.id for s in reversed(open_sections) if s is not None), None)
            draft.items.append(node)
            stack = [node]
            continue
        if ln.form in sub_forms and stack:
            depth = sub_forms.index(ln.form) + 1
            if depth > len(stack):
                depth = len(stack)
            parent_node = stack[depth - 1]
            node = _new_node(ln)
            parent_node.children.append(node)
            stack = stack[:depth] + [node]
            continue
        if not started:
            if index == first_item - 1 and plain_headings:
                pending_heading = ln
            else:
                draft.intro.append((ln.no, ln.text))
            continue
        lead = _LEAD_LINE.match(ln.text)
        bracket = take_lead(ln.text)
        if stack and lead and attached:
            stack[-1].lead.extend(split_units(lead.group(1)))
        elif stack and attached and not bracket[0] and bracket[1]:  # （牵头单位：…） on a line of its own
            stack[-1].lead.extend(bracket[1])
            stack[-1].notes.extend(f"TODO: the source also names {other}; `lead` holds only the leading units" for other in bracket[2])
        elif stack and not stack[-1].text:
            stack[-1].text, stack[-1].lead = _text_and_lead(ln.text, stack[-1].lead, stack[-1].notes)
        elif plain_headings and heading_like(ln.text) and index + 1 < len(classified) and classified[index + 1].form == item_form:
            pending_heading = ln
            stack = []
        elif stack and attached and ends_sentence(ln.text):
            stack[-1].explanation.append(ln.text)
        else:
            draft.unplaced.append((ln.no, ln.text))
            attached = False  # what follows a line we could not place is not the item's either
    _number(draft)
    _drop_empty_sections(draft)
    return draft


def _open_plain_section(draft: Draft, ln: Line, open_sections: list) -> None:
    number = sum(1 for s in draft.sections if not s.numbered) + 1
    sec = SectionDraft(f"s{number}", str(number), ln.text, 0, None, number, ln.no, numbered=False)
    draft.sections.append(sec)
    open_sections[0] = sec


def _text_and_lead(text: str, lead: list, notes: Optional[list] = None) -> tuple:
    body, units, others = take_lead(text)
    if notes is not None:
        notes.extend(f"TODO: the source also names {other}; `lead` holds only the leading units" for other in others)
    return body, lead + units


def _new_node(ln: Line) -> Node:
    node = Node(ln.no, ln.label, ln.number)
    if ln.rest:
        node.text, node.lead = _text_and_lead(ln.rest, [], node.notes)
    return node


def _parse_unnumbered(classified: list) -> Draft:
    """A list without numbers: every sentence line of the longest run of sentence lines and
    headings is an item, numbered 1, 2, 3 … in order; a short heading line before items is a
    category."""
    kinds = []
    for ln in classified:
        if _LEAD_LINE.match(ln.text):
            kinds.append("lead")
        elif ends_sentence(ln.text) or take_lead(ln.text)[1]:
            kinds.append("item")
        elif heading_like(ln.text):
            kinds.append("heading")
        else:
            kinds.append("other")
    best, start = (0, 0, 0), None
    for i, kind in enumerate(kinds + ["other"]):
        if kind != "other" and start is None:
            start = i
        elif kind == "other" and start is not None:
            count = sum(1 for k in kinds[start:i] if k == "item")
            if count > best[0]:
                best = (count, start, i)
            start = None
    draft = Draft()
    count, first, last = best
    if count < 2:
        draft.unplaced = [(ln.no, ln.text) for ln in classified]
        return draft
    while first < last and kinds[first] != "item" and not (kinds[first] == "heading" and kinds[first + 1] == "item"):
        first += 1
    section = None
    for i, ln in enumerate(classified):
        if i < first:
            draft.intro.append((ln.no, ln.text))
        elif i >= last:
            draft.unplaced.append((ln.no, ln.text))
        elif kinds[i] == "heading" and i + 1 < last and kinds[i + 1] == "item":
            number = len(draft.sections) + 1
            section = SectionDraft(f"s{number}", str(number), ln.text, 0, None, number, ln.no, numbered=False)
            draft.sections.append(section)
        elif kinds[i] == "lead" and draft.items:
            draft.items[-1].lead.extend(split_units(_LEAD_LINE.match(ln.text).group(1)))  # type: ignore[union-attr]
        elif kinds[i] == "item":
            node = Node(ln.no, None, None)
            node.text, node.lead = _text_and_lead(ln.text, [], node.notes)
            node.section = section.id if section else None
            draft.items.append(node)
        else:
            draft.unplaced.append((ln.no, ln.text))
    _number(draft, numbered=False)
    _drop_empty_sections(draft)
    return draft


def _number(draft: Draft, numbered: bool = True) -> None:
    """Ids by the documented rule: the source's numbers while they are unique, else 1, 2, 3 …"""
    numbers = [n.number for n in draft.items]
    unique = numbered and all(numbers) and len(set(numbers)) == len(numbers) and numbers == sorted(numbers)
    draft.renumbered = numbered and not unique
    for position, node in enumerate(draft.items, 1):
        node.id = str(node.number if unique else position)
        _number_children(node)


def _number_children(node: Node) -> None:
    numbers = [c.number for c in node.children]
    unique = all(numbers) and len(set(numbers)) == len(numbers)
    for position, child in enumerate(node.children, 1):
        child.id = f"{node.id}-{child.number if unique else position}"
        _number_children(child)


def _drop_empty_sections(draft: Draft) -> None:
    """Categories with no items (一、工作目标, 三、保障措施) are not categories of the list; a
    level where only one heading holds items (二、主要任务) is the document's outline."""
    used = {n.section for n in draft.items}
    changed = True
    while changed:
        changed = False
        parents = {s.parent for s in draft.sections if s.id in used or s.id in {p for p in (x.parent for x in draft.sections) if p}}
        keep = [s for s in draft.sections if s.id in used or s.id in parents]
        if len(keep) != len(draft.sections):
            for s in draft.sections:
                if s not in keep:
                    draft.unplaced.append((s.line, f"{s.label}{s.title}"))
            draft.sections = keep
            changed = True
    levels = sorted({s.level for s in draft.sections})
    for level in levels:
        at_level = [s for s in draft.sections if s.level == level]
        if len(at_level) == 1 and any(s.level > level for s in draft.sections):
            only = at_level[0]
            draft.notes.append(f"The heading {only.label}{only.title} (line {only.line}) holds every item: it is the document's outline, not a category.")
            draft.sections = [s for s in draft.sections if s is not only]
            for s in draft.sections:
                if s.parent == only.id:
                    s.parent = None
            for n in draft.items:
                if n.section == only.id:
                    n.section = None
    draft.unplaced.sort()
    _name_sections(draft)


def _name_sections(draft: Draft) -> None:
    """Section ids from the source's numbers: s1, s2 … for the outermost categories, s1-3 for
    the third inside s1 (after dropping the outline, so that ids do not carry its number)."""
    names: dict = {}
    for s in draft.sections:
        base = names[s.parent] if s.parent else "s"
        new = f"{base}-{s.number}" if s.parent else f"s{s.number}"
        while new in names.values():
            new += "x"
        names[s.id] = new
    for s in draft.sections:
        s.id, s.parent = names[s.id], names.get(s.parent) if s.parent else None
    for n in draft.items:
        n.section = names.get(n.section) if n.section else None


# --- tables ---------------------------------------------------------------------------------

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
                if not all(re.fullmatch(r":?-{2,}:?", c) for c in row):
                    rows.append((lines[j][0], row + [""] * (len(cells) - len(row))))
                j += 1
            if rows:
                return i, j, cells, rows
    for i, (_, text) in enumerate(lines):
        if squash(text) in ID_HEADERS:
            header = [text]
            j = i + 1
            while j < len(lines) and squash(lines[j][1]) in KNOWN_HEADERS and squash(lines[j][1]) not in ID_HEADERS:
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
        node.text, node.lead = _text_and_lead(cell("text"), split_units(cell("lead")), node.notes)
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
    _number(draft, numbered=all(n.number for n in draft.items))
    return draft


_DATE_TEXT = re.compile(r"(\d{4})年(?:(\d{1,2})月)?(?:(\d{1,2})日)?(底|末)?")


def deadline_of(text: str) -> Optional[dt.date]:
    """2024年12月底 → 2024-12-31, 2024年6月30日 → 2024-06-30, 2024年底 → 2024-12-31."""
    m = _DATE_TEXT.search(text or "")
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2) or 12)
    if not 1 <= month <= 12 or not model.FIRST_YEAR <= year <= model.LAST_YEAR:
        return None
    if m.group(3):
        try:
            return dt.date(year, month, int(m.group(3)))
        except ValueError:
            return None
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# 预计2024年5月完工, 2024年上半年建成, 2024年12月底前完成: when the text says the item is done.
_DONE_BY = re.compile(
    r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?(?:底|末)?|(上半年|下半年|年底|底|末))前?[^，,。；;\d]{0,4}?"
    r"(?:完工|完成|建成|竣工|投用|投入使用|落地|交付|开通|上线)"
)


def deadline_in_text(texts: list, year: int) -> tuple:
    """(date, words) of the first completion date in the list's year that the item's texts
    state (预计2024年5月完工 → 2024-05-31; 上半年 → 06-30; 年底 → 12-31), else (None, None)."""
    for text in texts:
        for m in _DONE_BY.finditer(text or ""):
            if int(m.group(1)) != year:
                continue
            half = m.group(4)
            month = int(m.group(2)) if m.group(2) else (6 if half == "上半年" else 12)
            if not 1 <= month <= 12:
                continue
            if m.group(3):
                try:
                    return dt.date(year, month, int(m.group(3))), m.group(0)
                except ValueError:
                    continue
            return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1), m.group(0)
    return None, None


# --- content: sub-items, targets, topics ----------------------------------------------------

_PROGRESS_CUE = re.compile(r"已|完成|占年计划|累计|开工|启动|实施|印发|上线|截至")
_TOPIC_ASPECT = re.compile(r"^([^，,。；;]{2,30}?方面)[，,](.+)$")


def split_list_item(node: Node, split: str) -> None:
    """A single-sentence pledge listing several short ones separated by ；/; → sub-items
    (`auto`: every part at most 50 characters and the item has no numbered sub-items)."""
    if split == "never" or node.children:
        return
    body = node.text.rstrip("。.")
    if "。" in body:
        return
    parts = [p.strip() for p in re.split(r"[；;]", body)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return
    if split == "auto" and any(len(p) > 50 for p in parts):
        return
    for k, part in enumerate(parts, 1):
        child = Node(node.line, None, k, part)
        child.split = True
        child.id = f"{node.id}-{k}"
        node.children.append(child)


def topic_aspect(node: Node) -> None:
    """`就业创业方面，全市城镇新增就业18.44万人…`: a report's paragraph on one topic of the
    item. Its text is the topic (就业创业方面); the rest, a progress report, is left as a
    comment to be added under a report."""
    m = _TOPIC_ASPECT.match(node.text)
    if m and _PROGRESS_CUE.search(m.group(2)):
        node.text = m.group(1)
        node.notes.append(f"TODO: the source goes on with a progress report; add its report to `reports` and this as the progress text: {m.group(2)}")


def targets_of(text: str, where: str) -> list:
    """Targets for every stated quantity of `text`."""
    out = []
    for seg in quantities.segments(text):
        seg_text = text[seg.start : seg.end]
        lead_ws = len(seg_text) - len(seg_text.lstrip())
        stripped = seg_text.strip().rstrip("。.")
        metrics = quantities.metrics_for(seg_text, seg.quantities, seg.start)
        for q, metric in zip(seg.quantities, metrics, strict=True):
            target: dict = {"text": stripped, "metric": metric or stripped[:30], "value": q.value}
            if q.value_max is not None:
                target["value_max"] = q.value_max
            target["unit"] = q.unit
            target["comparator"] = q.comparator
            target["_where"] = where
            target["_offset"] = seg.start + lead_ws
            out.append(target)
    return out


def draft_targets(node: Node, from_explanation: bool) -> None:
    found = targets_of(node.text, "text")
    if node.goal:
        found += targets_of(node.goal, "goal")
    if from_explanation:
        for paragraph in node.explanation:
            found += targets_of(paragraph, "explanation")
    kept: list = []
    for t in found:
        same = None
        if t["_where"] == "explanation":  # a figure of the pledge restated in its explanation
            same = next((k for k in kept if k["_where"] != "explanation" and (k["value"], k.get("value_max"), k["unit"]) == (t["value"], t.get("value_max"), t["unit"])), None)
        if same is None:
            kept.append(t)
        elif same["comparator"] == "exactly" and t["comparator"] != "exactly":  # 1.65万个 restated as 1.65万个以上
            same.update(text=t["text"], comparator=t["comparator"], _where="restated")
    metrics: dict = {}
    for t in kept:
        metrics.setdefault(t["metric"], []).append(t)
    for metric, group in metrics.items():
        if len(group) > 1 and len({t["unit"] for t in group}) == len(group):
            for t in group:  # 700平方米多功能运动场1处 → 多功能运动场面积, 多功能运动场
                t["metric"] = metric + quantities.UNIT_MEASURES.get(t["unit"], "")
        if len(group) > 1 and len({t["metric"] for t in group}) < len(group):
            for k, t in enumerate(group, 1):
                t["metric"] = f"{metric}（{k}）"
                t["_note"] = "TODO: several figures share these words; name what each one counts"
    for t in kept:
        if t["_where"] == "explanation" and "_note" not in t:
            t["_note"] = "TODO: from the explanation; keep it only if it is part of the pledge"
    node.targets = kept
    for child in node.children:
        draft_targets(child, from_explanation)


def share_parent_targets(node: Node) -> None:
    """Sub-items that state no quantity of their own (就业创业方面…) report on the parent's
    targets: each parent target no sub-item states goes to the sub-item whose words it
    shares most (none on a tie)."""
    for child in node.children:
        share_parent_targets(child)
    bare = [c for c in node.children if not c.targets]
    if not bare or not node.targets:
        return
    stated = {(t["value"], t["unit"]) for c in node.children for t in c.targets}
    for t in node.targets:
        if (t["value"], t["unit"]) in stated:
            continue
        words = bigrams(t["text"])
        scores = sorted(((len(words & bigrams(c.text + "".join(c.notes))), i) for i, c in enumerate(node.children)), reverse=True)
        best, i = scores[0]
        if best and (len(scores) == 1 or scores[1][0] < best) and node.children[i] in bare:
            copy = dict(t)
            copy["_note"] = "TODO: the parent's target, given to this sub-item by the words they share; check"
            node.children[i].targets.append(copy)


# Opening words a short title does without: verbs of doing, hedges, time frames (the rest of
# quantities.py's leading words, plus 做好, 加快 …). 提升, 加强, 新增, 新建 stay: they say what changes.
_TITLE_LEADING = re.compile(r"^(?:做好|加快|持续|深入|积极|全面|继续|着力|大力|启动|推行)")
_TITLE_TRAILING = re.compile(r"(?:方面|工作|项目|任务|行动|建设)$")
TITLE_MAX = 20


def suggest_title(text: str) -> str:
    """A short title for an item, by a rule a maintainer can predict: the first clause of its
    text, without bracketed asides, quantities, and opening verbs and time frames (开展/实施/
    年内 …) or closing 方面/工作/项目; cut at the first 、 (or at 20 characters) when longer than
    20. 开展儿童龋病防治工作 → 儿童龋病防治; 新增3岁以下婴幼儿托位1680个 → 新增3岁以下婴幼儿托位."""
    first = text[: quantities.clauses(text)[0][1]] if quantities.clauses(text) else text
    baseline = quantities.BASELINE.search(first)  # 补助标准由1000元提高到3000元 → 补助标准
    first = first[: baseline.start()] if baseline else first
    cuts = [(q.number_start, q.end) for q in quantities.find_quantities(first)]
    for a, b in sorted(cuts, reverse=True):
        first = first[:a] + first[b:]
    depths = quantities.bracket_depth(first)
    first = "".join(ch for ch, d in zip(first, depths, strict=True) if d == 0 and ch not in "（(〔【[）)〕】]")
    title = re.sub(r"\s+", "", first)
    previous = None
    while previous != title:
        previous = title
        title = quantities.strip_leading(_TITLE_LEADING.sub("", title) if len(title) > 5 else title)
        title = _TITLE_TRAILING.sub("", title) if len(title) > 5 else title
        title = re.sub(r"^[的、和及与]+|[的、和及与等。.]+$", "", title)
    if len(title) > TITLE_MAX:
        head = title.split("、")[0]
        title = head if 4 <= len(head) <= TITLE_MAX else _cut_at_word(title, TITLE_MAX)
    return title


def _cut_at_word(text: str, limit: int) -> str:
    """The longest start of `text` of at most `limit` characters that ends at a word boundary
    (jieba's cut: a title is not cut inside a word)."""
    import jieba

    jieba.setLogLevel(60)
    out = ""
    for word in jieba.cut(text):
        if len(out) + len(word) > limit:
            break
        out += word
    return out or text[:limit]


def load_topics(root: Path) -> list:
    path = root / "data" / "topics.yml"
    try:
        loaded = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, YamlProblem):
        return []
    data = loaded.data if isinstance(loaded.data, dict) else {}
    return [(t.get("id"), [str(k) for k in t.get("keywords") or ()]) for t in data.get("topics") or () if isinstance(t, dict)]


TOPICS_AT_MOST = 2  # of the 303 hand-made seed items, 198 have one topic, 93 two, 12 three
_CLAUSE_END = re.compile(r"[，,；;。：:]")


def keyword_hits(text: str, topics: list) -> list:
    """(position, topic id, keyword) of each keyword of `topics` in `text`, in text order.
    Where keywords overlap, the longest counts alone: 养老保险 is 社会保障, not also 养老服务;
    the same word listed under two topics counts for both."""
    spans: list = []
    for topic_id, keywords in topics:
        for k in filter(None, keywords):
            spans.extend((m.start(), m.end(), topic_id, k) for m in re.finditer(re.escape(k), text))
    kept: list = []
    for start, end, topic_id, k in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):  # longest first
        if all(end <= a or start >= b or (start, end) == (a, b) for a, b, _, _ in kept):
            kept.append((start, end, topic_id, k))
    return [(start, topic_id, k) for start, _, topic_id, k in sorted(kept)]


def topic_places(node: Node) -> list:
    """Where a node's words are, the most telling first: the first clause of its own text
    (what the pledge is about; of each part, when the text lists several pledges with ；),
    the rest of its text, then its goal and explanation. A sub-item has its own text, so
    its parent's words never suggest its topics."""
    heads, rests = [], []
    for part in re.split(r"[；;]", node.text):
        m = _CLAUSE_END.search(part)
        heads.append(part[: m.start()] if m else part)
        rests.append(part[m.end() :] if m else "")
    return [" ".join(heads), " ".join(rests), " ".join([node.goal or "", *node.explanation])]


def suggest_topics(node: Node, topics: list) -> None:
    """Topics whose keywords are in the first place of `topic_places` that has any: the
    title-like first clause wins over the rest of the text, which wins over the explanation
    (which names means and places too: 安全, 学校, 农村). At most TOPICS_AT_MOST, the most
    mentioned first (in all places), then the first mentioned. Measured on the seeds in
    tests/test_draft.py."""
    found: dict = {}  # topic id -> [place, -mentions, position, keywords]
    for place, words in enumerate(topic_places(node)):
        for position, topic_id, k in keyword_hits(words, topics):
            entry = found.setdefault(topic_id, [place, 0, position, []])
            entry[1] -= 1
            if k not in entry[3]:
                entry[3].append(k)
    first_place = min((e[0] for e in found.values()), default=0)
    ranked = sorted((e[:3], topic_id, e[3]) for topic_id, e in found.items() if e[0] == first_place)
    node.topics = [(topic_id, keywords) for _, topic_id, keywords in ranked[:TOPICS_AT_MOST]]
    for child in node.children:
        suggest_topics(child, topics)


# --- list facts ---------------------------------------------------------------------------

KINDS = ("十大民生项目", "重点民生实事", "为民办实事", "民生实事项目", "民生实事", "市办实事", "区办实事", "县办实事", "重点任务清单", "民生项目", "实事项目")
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|时间|日期)[:：]?\s*(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _second_thoughts(root: Path, year_path: Path, year: int, facts: dict, archive: str) -> list:
    """What the maintainer should know before going on: a year that the source's title does
    not name, and a source that another list already cites."""
    notes = []
    named = re.findall(r"(\d{4})年", facts["title"] or "")
    if named and str(year) not in named:
        notes.append(f"check the year: the source's title names {'/'.join(named)} («{facts['title']}») but the file is for {year} (year files are named after the year of publication)")
    for other in sorted((root / "data").glob("*/[0-9][0-9][0-9][0-9].yml")):
        if other.resolve() != year_path.resolve() and f"archive: {archive}" in other.read_text(encoding="utf-8", errors="replace"):
            notes.append(f"{other.relative_to(root).as_posix()} already cites {archive}: is this list already in the data?")
    return notes


def list_facts(draft: Draft, lines: list, year: int, today: Optional[dt.date] = None) -> dict:
    """Title, kind and publication date where the text states them (all to be checked)."""
    first = min([n.line for n in draft.items] or [10**9])
    before = [text for no, text in lines if no < first]
    title = next((t for t in before if len(t) <= 60 and re.search(r"\d{4}年", t) and re.search("实事|民生|清单|方案|项目", t) and not _SENTENCE_PUNCT.search(t)), None)
    kind = next((k for k in KINDS if title and k in title), None)
    published = None
    for _, text in lines:
        m = _PUBLISHED.search(text) or _DATE_LINE.match(text)
        if m:
            try:
                date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if dt.date(year - 1, 1, 1) <= date <= min(dt.date(year, 12, 31), today or dt.date.today()):
                published = date
                break
    deadline = None
    outside = [(no, text) for no, text in draft.intro + draft.unplaced]
    for no, text in outside:
        m = _LIST_DEADLINE.search(text)
        due = deadline_of(m.group(1)) if m else None
        if m and due and due.year in (year, year + 1, year + 2):
            deadline = (due, no, m.group(0))
            break
    report = progress_report(title, before, draft.unused_columns)
    return {"title": title, "kind": kind, "published": published, "deadline": deadline, "report": report}


_REPORT_TITLE = re.compile(r"进展情况|完成情况|进展|进度|季度|半年|督查|通报")
_REPORT_COLUMNS = ("进展情况", "完成情况", "工作进展", "完成进度", "进展", "进度")


def progress_report(title: Optional[str], before: list, unused_columns: list) -> Optional[str]:
    """Why the source is a progress report rather than the list itself (None when it is not):
    its title says 进展情况/完成情况/季度 …, or its table has a 进展情况/完成情况 column. Its
    title, date and introduction are then the report's, not the list's."""
    named = next((t for t in ([title] if title else []) + [t for t in before if len(t) <= 60] if _REPORT_TITLE.search(t) and re.search(r"\d{4}年", t)), None)
    columns = [c for c in unused_columns if squash(c) in _REPORT_COLUMNS]
    reasons = ([f"its title «{named}»"] if named else []) + ([f"its table's {'/'.join(columns)} column"] if columns else [])
    return " and ".join(reasons) or None


# 确保在2024年11月底前完成全部任务: a completion date for the whole list.
_LIST_DEADLINE = re.compile(r"(\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?)前?(?:全面|全部)?完成(?:全部|所有|各项)(?:任务|项目|目标)")


# --- YAML -------------------------------------------------------------------------------------


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


# --- assembling the file ------------------------------------------------------------------------


def _target_data(t: dict):
    data = {k: v for k, v in t.items() if not k.startswith("_")}
    return Commented(data, t["_note"]) if t.get("_note") else data


def item_data(node: Node) -> dict:
    d: dict = {"id": ItemIdText(node.id)}
    if node.label:
        d["label"] = node.label
    if node.section:
        d["section"] = node.section
    d["text"] = node.text
    if node.title:
        d["#title"] = CommentLines(f"title: {scalar(node.title)}  # TODO: suggested (ours, from the text's first clause); check or shorten, then remove the # in front")
    else:
        d["#title"] = CommentLines("title:   # TODO: a short title of ours, under 20 characters")
    if node.goal:
        d["goal"] = node.goal
    if node.explanation:
        d["explanation"] = "\n".join(node.explanation)
    if node.lead:
        d["lead"] = list(node.lead)
    if node.topics:
        ids = ", ".join(t for t, _ in node.topics)
        words = ", ".join(k for _, ks in node.topics for k in ks)
        d["#topics"] = CommentLines(f"topics: [{ids}]  # TODO: suggested by the words {words}; check, then remove the # in front")
    else:
        d["#topics"] = CommentLines("topics: []  # TODO: ids from data/topics.yml (no keyword matched)")
    if node.deadline:
        said = f"the text says 「{node.deadline_words}」" if node.deadline_words else "from the source's 完成时限"
        d["deadline"] = Commented(node.deadline, f"TODO: check: {said}")
    if node.targets:
        d["targets"] = [_target_data(t) for t in node.targets]
    if node.notes:
        d["#notes"] = CommentLines(*node.notes)
    if node.children:
        d["subitems"] = [item_data(c) for c in node.children]
    return d


@dataclass
class Outcome:
    year_path: Path
    text: str
    data: dict
    draft: Draft
    archive: str
    traditional: bool
    city_written: bool = False
    problems: list = field(default_factory=list)

    def counts(self) -> dict:
        def walk(nodes):
            for n in nodes:
                yield n
                yield from walk(n.children)

        nodes = list(walk(self.draft.items))
        return {
            "items": len(self.draft.items),
            "subitems": len(nodes) - len(self.draft.items),
            "sections": len(self.draft.sections),
            "targets": sum(len(n.targets) for n in nodes),
            "lead": sum(len(n.lead) for n in nodes),
            "topics": sum(1 for n in nodes if n.topics),
            "nodes": len(nodes),
        }

    def summary(self, rel: str) -> str:
        c = self.counts()
        lines = [
            f"{rel}: {c['items']} items, {c['subitems']} sub-items, {c['sections']} categories, {c['targets']} targets, {c['lead']} lead units",
            f"source archived as {self.archive}" + (" (traditional characters; the data is converted with OpenCC t2s)" if self.traditional else ""),
            f"left for you (# TODO in the file): the list's facts (title, kind, issuer, dates), a title and topics for each of the {c['nodes']} items "
            f"(topics suggested for {c['topics']}), and a check of every target's metric",
        ]
        if self.draft.renumbered:
            lines.append("the source's numbers repeat (numbering restarts per category): items are numbered 1, 2, 3 … through the list; labels keep the source's numbers")
        if self.draft.unused_columns:
            lines.append(f"table columns not used: {', '.join(self.draft.unused_columns)} (progress columns: use import-progress once the report is in `reports`)")
        for note in self.draft.notes:
            lines.append(note)
        if self.draft.unplaced:
            lines.append(f"lines not placed ({len(self.draft.unplaced)}; page furniture, closing remarks — or something to add by hand):")
            for no, text in self.draft.unplaced[:40]:
                lines.append(f"  {no}: {text[:70]}{'…' if len(text) > 70 else ''}")
            if len(self.draft.unplaced) > 40:
                lines.append(f"  … and {len(self.draft.unplaced) - 40} more")
        return "\n".join(lines)


def build_draft(source: SourceText, split: str = "auto", from_explanation: bool = True, topics: Optional[list] = None) -> Draft:
    """The structure and content of a draft, from a read source."""
    if source.table_rows is not None:
        rows = [r for r in source.table_rows if any(c.strip() for c in r)]
        if not rows:
            raise Refused([Problem(source.label, 0, 0, "", Code.FILE_EMPTY, "the table is empty")])
        draft = parse_table(rows[0], [(i + 2, r) for i, r in enumerate(rows[1:])], source.label)
    else:
        table = find_table(source.lines)
        if table:
            first, last, header, rows = table
            draft = parse_table(header, rows, source.label)
            draft.table_in_text = True
            draft.intro = [(no, t) for no, t in source.lines[:first]]
            draft.unplaced += [(no, t) for no, t in source.lines[last:]]
        else:
            draft = parse_text(source.lines)
    if not draft.items:
        message = "found no items: no numbered lines (第一件, 一、, 1. …), no table with a 序号/事项名称 header and no run of sentences; check the file"
        raise Refused([Problem(source.label, 0, 0, "", Code.NO_ITEMS, message)])
    for node in _walk_nodes(draft.items):
        topic_aspect(node)
    for node in draft.items:
        split_list_item(node, split)
        draft_targets(node, from_explanation)
        share_parent_targets(node)
        suggest_topics(node, topics or [])
    for node in _walk_nodes(draft.items):
        node.title = suggest_title(node.text)
    return draft


def _walk_nodes(nodes):
    for n in nodes:
        yield n
        yield from _walk_nodes(n.children)


def year_data(city: str, year: int, draft: Draft, facts: dict, source_entry: dict) -> dict:
    d: dict = {}
    d["city"] = city
    d["year"] = year
    report = facts.get("report")
    if report:  # the title, date and introduction found are the report's
        d["title"] = Commented("待填写：清单标题（原文）", "TODO: the source is a progress report: the list's own name as a source writes it (e.g. 2024年30项重点民生实事)")
    elif facts["title"]:
        d["title"] = Commented(facts["title"], "TODO: check: the list's title as the source writes it")
    else:
        d["title"] = Commented("待填写：清单标题（原文）", "TODO: the list's title, verbatim")
    d["kind"] = Commented(facts["kind"] or "民生实事", "TODO: check: the source's own name for the list (市办实事, 民生实事, 重点任务清单 …)")
    if report:
        d["#published"] = CommentLines(
            f"published: YYYY-MM-DD  # TODO: the source is a progress report{' dated ' + str(facts['published']) if facts['published'] else ''}; "
            "the list's own date if a source states it, else leave it out and say why in `note`"
        )
    elif facts["published"]:
        d["published"] = Commented(facts["published"], "TODO: check: a date found in the source")
    else:
        d["#published"] = CommentLines("published: YYYY-MM-DD  # TODO: when the list was published; if no source says, leave it out and explain in `inferred`")
    if facts.get("deadline"):
        date, line, words = facts["deadline"]
        d["period"] = {"start": Commented(dt.date(year, 1, 1), "TODO: the source states no start: say so in `inferred`"), "end": date}
        d["deadline"] = Commented(date, f"TODO: check: line {line} of the source says 「{words}」")
    else:
        d["period"] = {"start": dt.date(year, 1, 1), "end": Commented(dt.date(year, 12, 31), "TODO: check: a multi-year plan covers all its years")}
        d["#deadline"] = CommentLines("deadline: YYYY-MM-DD  # TODO: the completion date the source states for every item, if it states one")
    d["issuer"] = Commented("待填写：发布机关", "TODO: who issued the list")
    d["source"] = "list"
    intro = [] if report else summary_lines(draft)
    if intro:
        d["summary"] = Commented("\n".join(intro), "TODO: check: the source's introduction, verbatim; remove what is not")
    d["sources"] = [source_entry]
    if draft.sections:
        d["sections"] = [
            Commented(_section_data(s), "TODO: the source does not number its categories: the label is our count") if not s.numbered else _section_data(s) for s in draft.sections
        ]
    d["items"] = [item_data(n) for n in draft.items]
    return d


def summary_lines(draft: Draft) -> list:
    """The introduction's sentences, drafted as the list's `summary`."""
    return [t for _, t in draft.intro if ends_sentence(t) and len(t) >= 20]


def unused_intro(draft: Draft, facts: dict) -> list:
    """Lines before the list that the draft put nowhere (not the title, the date line or the
    summary): listed with the lines not placed, so that nothing is lost unseen. A progress
    report's introduction is its own: all of it is listed."""
    used = set() if facts.get("report") else set(summary_lines(draft)) | {facts["title"]}
    return [(no, t) for no, t in draft.intro if t not in used and not _DATE_LINE.match(t)]


def _section_data(s: SectionDraft) -> dict:
    d = {"id": s.id, "label": s.label, "title": s.title}
    if s.parent:
        d["parent"] = s.parent
    return d


HEADER = "# yaml-language-server: $schema=../../schema/pledge-list.schema.json"


def render(data: dict, archive: str) -> str:
    lines = [
        HEADER,
        f"# Draft made by `python -m generator draft` from {archive}. Check every TODO: the texts are",
        "# the source's (verbatim); titles, topics, metrics and the list's facts are ours to fill in.",
    ]
    lines.extend(emit(data))
    return "\n".join(lines) + "\n"


# --- the command --------------------------------------------------------------------------------


def archive_source(root: Path, city: str, year: int, path: Path, source: SourceText) -> str:
    """Where the source is archived: the file itself when it is already under sources/; else
    a copy under sources/captures/<city>-<year>-list.txt (-2, -3 … when that name holds
    another text). An HTML page is archived as its text (what the data was taken from and
    what the verbatim check reads), next to the page itself (.html)."""
    sources_dir = (root / "sources").resolve()
    full = path.resolve()
    if full.is_relative_to(sources_dir) and source.kind != "html":
        return full.relative_to(root.resolve()).as_posix()
    folder = root / "sources" / "captures"
    folder.mkdir(parents=True, exist_ok=True)
    content = source.archived if source.archived.endswith("\n") else source.archived + "\n"
    for n in range(1, 1000):
        name = f"{city}-{year}-list" + (f"-{n}" if n > 1 else "")
        target = folder / f"{name}.txt"
        if target.exists() and target.read_text(encoding="utf-8") != content:
            continue
        target.write_text(content, encoding="utf-8")
        if source.kind == "html":
            shutil.copyfile(path, folder / f"{name}.html")
        return target.relative_to(root).as_posix()
    raise Refused([Problem("sources/captures", 0, 0, "", Code.FILE_EXISTS, f"already has 999 captures named {city}-{year}-list")])


def draft_year_file(
    root: Path,
    city: str,
    year: int,
    path: Path,
    force: bool = False,
    url: Optional[str] = None,
    split: str = "auto",
    from_explanation: bool = True,
    today: Optional[dt.date] = None,
) -> Outcome:
    """Read `path`, draft the year file and write it (and city.yml when the city is new)."""
    from generator.data.dataset import load_dataset
    from generator.ingest.scaffold import CITY_TEMPLATE

    root = Path(root)
    if not re.fullmatch(model.SLUG_PATTERN, city):
        raise Refused([Problem("", 0, 0, "", Code.BAD_FORMAT, f"city slug {city!r}: use lowercase pinyin without tones, e.g. qingdao")])
    if not 1990 <= year <= (today or dt.date.today()).year + 1:
        raise Refused([Problem("", 0, 0, "", Code.DATE_IMPLAUSIBLE, f"year {year} is not plausible")])
    if not path.is_file():
        raise Refused([Problem(str(path), 0, 0, "", Code.FILE_MISSING, "no such file")])
    year_path = root / "data" / city / f"{year}.yml"
    if year_path.exists() and not force:
        raise Refused([Problem(year_path.relative_to(root).as_posix(), 0, 0, "", Code.FILE_EXISTS, "already exists; edit it, or draft again over it with --force")])
    if url is not None and not re.fullmatch(r"https?://[^\s<>\"']+", url):
        raise Refused([Problem("", 0, 0, "", Code.BAD_FORMAT, f"--url {url!r}: give an http:// or https:// address")])
    source = read_source(path)
    draft = build_draft(source, split, from_explanation, load_topics(root))
    for node in _walk_nodes(draft.items):
        if node.deadline is None:
            node.deadline, node.deadline_words = deadline_in_text([node.text, node.goal, *node.explanation], year)
    facts = list_facts(draft, source.lines, year, today)
    archive = archive_source(root, city, year, path, source)
    draft.notes.extend(_second_thoughts(root, year_path, year, facts, archive))
    if facts["report"]:
        draft.notes.insert(
            0,
            f"the source is a progress report ({facts['report']}): its title, date and introduction are the report's, not the list's, "
            "so the list's title and date are left as placeholders; add the report to `reports` (its title, date and introduction as its "
            "`summary`), then import its progress with import-progress",
        )
    if facts["report"] or draft.table_in_text:
        draft.unplaced = sorted(set(draft.unplaced) | set(unused_intro(draft, facts)))
    today = today or dt.date.today()
    entry: dict = {
        "id": "list",
        "title": Commented(facts["title"] or "待填写：来源标题", "TODO: check: the document's title"),
        "publisher": Commented("待填写：发布者", "TODO: who published the document"),
        "date": Commented(facts["published"] or today, "TODO: check: the document's date" if facts["published"] else "TODO: the document's date (today is only a placeholder)"),
    }
    if url:
        entry["url"] = url
    entry["obtained"] = {"html": "网页存档", "table": "表格文件"}.get(source.kind, "文本存档")
    if not path.resolve().is_relative_to((root / "sources").resolve()):  # a copy taken now, not one archived before
        entry["retrieved"] = Commented(today, "TODO: check: when the copy was taken")
    entry["archive"] = archive
    if source.traditional:
        entry["script"] = "traditional_converted"
    data = year_data(city, year, draft, facts, entry)
    text = render(data, archive)
    outcome = Outcome(year_path, text, data, draft, archive, source.traditional)
    city_path = year_path.parent / "city.yml"
    city_path.parent.mkdir(parents=True, exist_ok=True)
    if not city_path.exists():
        city_path.write_text(CITY_TEMPLATE.format(city=city), encoding="utf-8")
        outcome.city_written = True
    year_path.write_text(text, encoding="utf-8")
    outcome.problems = load_dataset(root, only=[str(year_path)], today=today, cache=False).problems
    return outcome
