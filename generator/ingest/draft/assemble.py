"""Assembling the year file: the list's facts where the source states them (title, kind, date,
deadline; a progress report said so, its facts not taken for the list's), then every field in
the format's order, with a TODO where a person must decide.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from generator.core.problems import Code, Problem
from generator.ingest import Refused
from generator.ingest.draft.content import draft_targets, share_parent_targets, split_list_item, suggest_title, suggest_topics, topic_aspect
from generator.ingest.draft.decisions import Decisions, cut_off, decisions_of, unsure_title, unsure_topics
from generator.ingest.draft.lines import SENTENCE_PUNCT, deadline_of, ends_sentence
from generator.ingest.draft.nodes import Draft, Node, SectionDraft, walk_nodes
from generator.ingest.draft.source import SourceText
from generator.ingest.draft.tables import find_table, parse_table
from generator.ingest.draft.text import parse_text
from generator.ingest.draft.yamlout import Commented, CommentLines, ItemIdText, emit, scalar
from generator.ingest.textinput import squash

KINDS = ("十大民生项目", "重点民生实事", "为民办实事", "民生实事项目", "民生实事", "市办实事", "区办实事", "县办实事", "重点任务清单", "民生项目", "实事项目")
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|时间|日期)[:：]?\s*(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def second_thoughts(root: Path, year_path: Path, year: int, facts: dict, archive: str) -> list:
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
    title = next((t for t in before if len(t) <= 60 and re.search(r"\d{4}年", t) and re.search("实事|民生|清单|方案|项目", t) and not SENTENCE_PUNCT.search(t)), None)
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


# --- the file ----------------------------------------------------------------------------------


def _target_data(t: dict):
    data = {k: v for k, v in t.items() if not k.startswith("_")}
    return Commented(data, t["_note"]) if t.get("_note") else data


INCOMPLETE_NOTE = "待填写：来源在这一项中途中断，须按完整原文补全"


def item_data(node: Node) -> dict:
    d: dict = {"id": ItemIdText(node.id)}
    if node.label:
        d["label"] = node.label
    if node.section:
        d["section"] = node.section
    d["text"] = node.text
    if node.title and unsure_title(node):
        d["#title"] = CommentLines(f"title: {scalar(node.title)}  # TODO: decide: the rule had to cut the first clause (or it is the whole text); write a short title of ours, then remove the # in front")
    elif node.title:
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
        if unsure_topics(node):
            d["#topics"] = CommentLines(f"topics: [{ids}]  # TODO: decide: the first clause names no topic; suggested by the words {words} further on; check, then remove the # in front")
        else:
            d["#topics"] = CommentLines(f"topics: [{ids}]  # TODO: suggested by the words {words}; check, then remove the # in front")
    else:
        d["#topics"] = CommentLines("topics: []  # TODO: ids from data/topics.yml (no keyword matched)")
    if node.deadline:
        said = f"the text says 「{node.deadline_words}」" if node.deadline_words else "from the source's 完成时限"
        d["deadline"] = Commented(node.deadline, f"TODO: check: {said}")
    if node.investment:
        d["investment"] = dict(node.investment)
    if node.targets:
        d["targets"] = [_target_data(t) for t in node.targets]
    if node.incomplete:
        d["note"] = Commented(INCOMPLETE_NOTE, "TODO: complete the item from the whole document, then delete this note")
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
    extractor: str = ""  # what found the text in a page, PDF or Word file

    def decisions(self) -> Decisions:
        """What is left for a person (decisions.py): the list's own 待填写 count as its facts."""
        facts = sum(1 for p in self.problems if p.code == Code.PLACEHOLDER and not p.path.startswith("items"))
        return decisions_of(self.draft, facts)

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
            f"source archived as {self.archive}"
            + (f" (its text as {self.extractor} found it; the file itself beside it)" if self.extractor else "")
            + (" (traditional characters; the data is converted with OpenCC t2s)" if self.traditional else ""),
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
    if draft.items:
        cut_off(draft, source.lines)
    if not draft.items:
        message = "found no items: no numbered lines (第一件, 一、, 1. …), no table with a 序号/事项名称 header and no run of sentences; check the file"
        raise Refused([Problem(source.label, 0, 0, "", Code.NO_ITEMS, message)])
    for node in walk_nodes(draft.items):
        topic_aspect(node)
    for node in draft.items:
        split_list_item(node, split)
        draft_targets(node, from_explanation)
        share_parent_targets(node)
        suggest_topics(node, topics or [])
    for node in walk_nodes(draft.items):
        node.title = suggest_title(node.text)
    return draft


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
