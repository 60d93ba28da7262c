"""Assembling the year file: the facts the source states of itself (the list's title, kind,
issuer and deadline; the document's headline, publisher and date, from its byline or its
signature; a progress report said so, its facts not taken for the list's), then every field in
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

# Where a document says who published it and when: a page's byline, a reporter's credit, an
# official document's signature. Each is looked for only around the list (the lines before its
# first item and those after its last that the draft put nowhere), never among the items.
_DATE = r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?"
_LABELLED_DATE = re.compile(r"(?:发布时间|发布日期|发表于|时间|日期)[:：]?\s*" + _DATE)  # 发布时间:2022-01-24 10:25:39
_DATE_FIRST = re.compile(r"^" + _DATE + r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+(?!星期|周[一二三四五六日天])([^\s|｜:：,，。;；!！?？]{2,30}))?$")  # 2021-07-27 11:28  青岛日报社/观海新闻 (not a site's 2024年5月5日 星期日)
_NAMED_SOURCE = re.compile(r"来源[:：]\s*([^\s|｜]{2,30})")  # 来源:淄博日报 | 作者:佚名
_CREDIT = re.compile(r"[（(](?!本)([^\s（()）]{2,20}?)记者[\s\u3000]+[^（()）]{2,30}[)）]$")  # …可感可及。(青岛日报/观海新闻记者 刘萍 余博)
_DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ORGANISATION = re.compile(r"^[^\d:：,，。;；!！?？()（）]{2,60}(?:政府|办公室|办公厅|委员会|常委会|委|办|局|厅|部|署|院|室|中心|办事处)$")  # 宜昌市人民政府办公室


@dataclass
class Found:
    """A fact read off one line of the source, and where, for its TODO: line 8 of the source (its
    byline) says 「来源:淄博日报」. A person checks it; the draft never asserts it."""

    value: object
    line: int
    where: str
    words: str = ""

    def said(self) -> str:
        return f"line {self.line} of the source ({self.where})" + (f" says 「{self.words}」" if self.words else "")


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
    """What the text states of itself (all to be checked): the list's title and kind, the
    document's headline, publisher and date, the list's issuer and deadline, and whether it is
    a progress report. `used`: the lines these were read from."""
    first = min([n.line for n in draft.items] or [10**9])
    before = [text for no, text in lines if no < first]
    title = next((t for t in before if len(t) <= 60 and re.search(r"\d{4}年", t) and re.search("实事|民生|清单|方案|项目", t) and not SENTENCE_PUNCT.search(t)), None)
    kind = next((k for k in KINDS if title and k in title), None)
    around = _around_the_list(draft, lines)
    latest = min(dt.date(year, 12, 31), today or dt.date.today())
    signature = _signature(around, dt.date(year - 1, 1, 1), latest)
    byline = _byline_date(around, dt.date(year - 1, 1, 1), latest)
    # An official document's date is the one under its signature (its 成文日期, GB/T 9704-2012):
    # the day its issuer signed it. A page's 发布时间 is the day a website posted it: 宜昌's notice
    # is signed 2024年4月2日 and posted 2024-04-03, and a repost is later still. So a signature's
    # date wins, and so does its body as the publisher, whichever site carries the document.
    published = signature[1] if signature else byline
    publisher = signature[0] if signature else _byline_publisher(around)
    headline = None if title else _headline(around, byline)
    deadline = None
    outside = [(no, text) for no, text in draft.intro + draft.unplaced]
    for no, text in outside:
        m = _LIST_DEADLINE.search(text)
        due = deadline_of(m.group(1)) if m else None
        if m and due and due.year in (year, year + 1, year + 2):
            deadline = (due, no, m.group(0))
            break
    report = progress_report(title, before, draft.unused_columns, headline)
    issuer = signature[0] if signature and not report else None  # a report's signature is the report's, not the list's
    used = {f.line for f in (published, publisher, headline) if f is not None}
    return {"title": title, "kind": kind, "published": published, "publisher": publisher, "headline": headline, "issuer": issuer, "deadline": deadline, "report": report, "used": used}


def _around_the_list(draft: Draft, lines: list) -> list:
    """(line, text, before the list?) of the lines before the first item and of those after the
    last that the draft put nowhere: where bylines and signatures stand. A date line among the
    items (a table's 完成时限 cell on its own line, say) is not the document's."""
    first = min(n.line for n in draft.items)
    last = max(n.line for n in walk_nodes(draft.items))
    return [(no, t, True) for no, t in lines if no < first] + [(no, t, False) for no, t in draft.unplaced if no > last]


def _plausible(m: re.Match, earliest: dt.date, latest: dt.date) -> Optional[dt.date]:
    try:
        date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return date if earliest <= date <= latest else None


def _signature(around: list, earliest: dt.date, latest: dt.date) -> Optional[tuple]:
    """(body, date) of the first signature: an organisation's line right above a date line
    (宜昌市人民政府办公室 / 2024年4月2日), both before the list or both after it."""
    for (no, text, head), (next_no, next_text, next_head) in zip(around, around[1:], strict=False):
        m = _DATE_LINE.match(next_text)
        date = _plausible(m, earliest, latest) if m else None
        if date and head == next_head and _ORGANISATION.match(text):
            return Found(text, no, "its signature", text), Found(date, next_no, "its signature", next_text)
    return None


def _byline_date(around: list, earliest: dt.date, latest: dt.date) -> Optional[Found]:
    """The first date a byline gives: labelled (发布时间:…, 发表于 …) before or after the list, or
    first on a line before it. (A date first on a line is a byline only above the list: below
    it, dates and names are the page's list of other articles.)"""
    for no, text, head in around:
        m = _LABELLED_DATE.search(text) or (_DATE_FIRST.match(text) if head else None)
        date = _plausible(m, earliest, latest) if m else None
        if date and m:
            return Found(date, no, "its byline", re.sub(r"\s+", " ", m.group(0).strip()))
    return None


def _byline_publisher(around: list) -> Optional[Found]:
    """Who a byline names (来源:淄博日报, or the name after a date first on its line:
    青岛日报社/观海新闻), else a reporter's credit ((青岛日报/观海新闻记者 刘萍 余博))."""
    for no, text, head in around:
        m = _NAMED_SOURCE.search(text)
        first = _DATE_FIRST.match(text) if head else None
        if m:
            return Found(m.group(1), no, "its byline", m.group(0))
        if first and first.group(4):
            return Found(first.group(4), no, "its byline", re.sub(r"\s+", " ", text))
    for no, text, _ in around:
        m = _CREDIT.search(text)
        if m:
            return Found(m.group(1), no, "a reporter's credit", re.sub(r"\s+", " ", m.group(0)))
    return None


def _headline(around: list, byline: Optional[Found]) -> Optional[Found]:
    """The line right above a byline before the list, when it reads as a heading: a page's
    headline, which need not name a year (淄博市建设高品质民生促进共同富裕113项重点任务清单)."""
    head = [(no, t) for no, t, before in around if before]
    at = next((i for i, (no, _) in enumerate(head) if byline is not None and no == byline.line), None)
    if not at:  # no byline before the list, or nothing above it
        return None
    no, text = head[at - 1]
    if len(text) > 60 or ends_sentence(text) or _DATE_FIRST.match(text) or _LABELLED_DATE.search(text):
        return None
    return Found(text, no, "the line above its byline")


_REPORT_TITLE = re.compile(r"进展情况|完成情况|进展|进度|季度|半年|督查|通报")
_REPORT_COLUMNS = ("进展情况", "完成情况", "工作进展", "完成进度", "进展", "进度")


def progress_report(title: Optional[str], before: list, unused_columns: list, headline: Optional[Found] = None) -> Optional[str]:
    """Why the source is a progress report rather than the list itself (None when it is not):
    its title says 进展情况/完成情况/季度 …, or its table has a 进展情况/完成情况 column. Its
    title, date and introduction are then the report's, not the list's. A short line before
    the list must name a year as well; the page's headline need not (青岛's
    «…青岛市办实事亮出半年成绩单» is a half-year report)."""
    named = next((t for t in ([title] if title else []) + [t for t in before if len(t) <= 60] if _REPORT_TITLE.search(t) and re.search(r"\d{4}年", t)), None)
    if named is None and headline is not None and _REPORT_TITLE.search(str(headline.value)):
        named = str(headline.value)
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
            f"published: YYYY-MM-DD  # TODO: the source is a progress report{' dated ' + str(facts['published'].value) if facts['published'] else ''}; "
            "the list's own date if a source states it, else leave it out and say why in `note`"
        )
    elif facts["published"]:
        d["published"] = Commented(facts["published"].value, f"TODO: check: {facts['published'].said()}: the list's date only if the document is the list itself, not a later report on it")
    else:
        d["#published"] = CommentLines("published: YYYY-MM-DD  # TODO: when the list was published; if no source says, leave it out and explain in `inferred`")
    if facts.get("deadline"):
        date, line, words = facts["deadline"]
        d["period"] = {"start": Commented(dt.date(year, 1, 1), "TODO: the source states no start: say so in `inferred`"), "end": date}
        d["deadline"] = Commented(date, f"TODO: check: line {line} of the source says 「{words}」")
    else:
        d["period"] = {"start": dt.date(year, 1, 1), "end": Commented(dt.date(year, 12, 31), "TODO: check: a multi-year plan covers all its years")}
        d["#deadline"] = CommentLines("deadline: YYYY-MM-DD  # TODO: the completion date the source states for every item, if it states one")
    if facts.get("issuer"):
        d["issuer"] = Commented(facts["issuer"].value, f"TODO: check: {facts['issuer'].said()}, the body that signed the document issuing the list")
    else:
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


def source_facts(facts: dict, today: dt.date) -> dict:
    """The start of the source's entry: its title (else the page's headline), publisher and
    date as the document states them, each to check, else placeholders."""
    title, headline, publisher, published = facts["title"], facts["headline"], facts["publisher"], facts["published"]
    d: dict = {"id": "list"}
    if title:
        d["title"] = Commented(title, "TODO: check: the document's title")
    elif headline:
        d["title"] = Commented(headline.value, f"TODO: check: the document's title, {headline.said()}")
    else:
        d["title"] = Commented("待填写：来源标题", "TODO: the document's title, verbatim")
    d["publisher"] = Commented(publisher.value, f"TODO: check: {publisher.said()}") if publisher else Commented("待填写：发布者", "TODO: who published the document")
    d["date"] = Commented(published.value, f"TODO: check: {published.said()}") if published else Commented(today, "TODO: the document's date (today is only a placeholder)")
    return d


def summary_lines(draft: Draft) -> list:
    """The introduction's sentences, drafted as the list's `summary`."""
    return [t for _, t in draft.intro if ends_sentence(t) and len(t) >= 20]


def unused_intro(draft: Draft, facts: dict) -> list:
    """Lines before the list that the draft put nowhere (not the title, a date line, a line a
    fact was read from or the summary): listed with the lines not placed, so that nothing is
    lost unseen. A progress report's introduction is its own: all of it is listed."""
    used = set() if facts.get("report") else set(summary_lines(draft)) | {facts["title"]}
    return [(no, t) for no, t in draft.intro if t not in used and no not in facts["used"] and not _DATE_LINE.match(t)]


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
