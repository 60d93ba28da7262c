"""A progress report written as prose → progress entries: the statuses it gives by group
("新增城镇就业、老旧小区改造等11件超额完成全年目标任务", "6项（①…；②…）已完成"), the paragraphs it
gives one item each ("5.老旧小区改造方面，…占年计划的90.7%") and the sentences that state one
item's share of its target ("新增停车泊位2.3万个，完成年度目标的115%").

Each name is matched to an item by names.py; each group's wording to a status by statuses.py.
Every text kept is a span of the report as it is (a clause, a sentence, a paragraph without its
number), never reworded. A group's count is checked against its names: fewer names than the
count is how reports abbreviate (等), so the items named are taken and the others are only
reported as not named — never guessed. A statement about the whole list ("15件民生实事全部完成",
its count the list's number of items) gives its status to the items no other statement names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, cast

from generator.core import model
from generator.core.problems import Code, Problem
from generator.ingest.importer.counts import counted_but
from generator.ingest.importer.entries import Entry, status_problems
from generator.ingest.importer.names import ambiguous_message, describe_item, match_name, parents_of, top_of, unmatched_message
from generator.ingest.importer.numbers import Reference, count_of, find_runs, label_key, labels_of, paragraph_marker, resolve
from generator.ingest.importer.statuses import ambiguous_choices, status_for
from generator.ingest.textinput import squash

PROSE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".pdf", ".docx")

_COUNT = r"[0-9]+|[一二两三四五六七八九十百]+"
_KIND = r"(?:全市|市级|县级|区级)?(?:重点)?(?:民生实事项目|民生实事|市办实事|为民办实事|实事项目|民生项目|实事|项目|任务|事项)?"
# NAMES等11件…WORDING | 6项（①…；②…）WORDING | 11件WORDING (no names)
_GROUP = re.compile(r"^(?P<pre>.*?)(?P<deng>等)?(?P<count>" + _COUNT + r")(?P<unit>件|项)" + _KIND + r"(?:中)?(?:[（(](?P<paren>[^()（）]*)[)）])?(?P<wording>.*)$")
_LEAD = re.compile(r"^(?:其中|其余|另有|此外|目前|截至目前|截止目前|全市|我市|共有|共|已有|还有|剩余)+[，,：:]?")
_MARKERS = re.compile(r"^\s*(?:[①-⑳]|[(（]?[0-9一二三四五六七八九十]+[)）.．、])\s*")
# 2.打造服务职工设施方面，… / （三）老旧小区改造方面：…
_NUMBER = r"(?:(?:[0-9]+|[一二三四五六七八九十]+)[.．、]|[（(][0-9一二三四五六七八九十]+[)）]|第[一二三四五六七八九十0-9]+[件项][:：、，,]?)"
_ASPECT = re.compile(r"^(?P<number>\s*" + _NUMBER + r")?\s*(?P<name>[^，,。；;：:]{2,40}?)方面[，,：:]")
_GOAL = r"(?:年度|全年|本年度|年|上半年|半年|阶段|季度)?(?:目标任务|计划任务|目标|计划|任务)(?:数)?"
_PERCENT = re.compile(r"(?:(?:占|完成|达到|达|为)(?:了)?" + _GOAL + r"的?|完成率(?:为|达到?)?|完成比例(?:为|达到?)?|进度(?:已)?(?:为|达到?))\s*([0-9]+(?:\.[0-9]+)?)\s*%((?:[和、及]\s*[0-9]+(?:\.[0-9]+)?\s*%)*)")
_SCOPE = re.compile(r"^(?:截至[^，,]*?(?:底|末|日|止)|截止[^，,]*?(?:底|末|日|止)|今年以来|全年|上半年|前三季度|全市|我市|累计|共|已)+")
_OPEN, _CLOSE = "（(“‘《", "）)”’》"


@dataclass
class Group:
    """A status given to several items at once."""

    line: int
    text: str  # the clause, verbatim
    names: list
    count: int
    unit: str  # 件 (whole items) or 项
    wording: str
    abbreviated: bool  # 等: the names are some of the count
    whole_list: bool = False
    matched: list = field(default_factory=list)  # ids


@dataclass
class Mention:
    """One thing the report says about one named item."""

    name: str
    line: int
    text: str  # verbatim
    status_text: Optional[str] = None
    percents: tuple = ()
    group: Optional[Group] = None
    instead: list = field(default_factory=list)  # a 方面 paragraph's sentences, read one by one if its name is no item's
    ref: Optional[Reference] = None  # 第三件, 第1、3、5项: the item by its number (numbers.py)
    label_id: Optional[str] = None  # a paragraph opening with an item's own label (（三）, ①): that item, if the report follows the list's numbering
    label: str = ""
    by_label: bool = False  # a numbered paragraph without a 方面 name: the label is all that says its item


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def split_outside(text: str, separators: str) -> list:
    """(start, end) of the pieces of `text` between separators that stand outside brackets and
    quotes; each piece ends before its separator."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _trimmed(text: str, a: int, b: int) -> tuple:
    while a < b and text[a] in " \t\u3000":
        a += 1
    while b > a and text[b - 1] in " \t\u3000":
        b -= 1
    return a, b


def read_statements(lines: list, top_count: int, all_count: int, labels: Optional[dict] = None) -> tuple:
    """(groups, mentions) of the report's lines [(line number, text)]; `labels` (numbers.labels_of):
    the list's own item labels, for paragraphs numbered as the list numbers its items."""
    groups: list = []
    mentions: list = []
    for number, line in lines:
        if line.count(" | ") >= 2 or line.lstrip().startswith("|"):
            continue  # a table's row (a page's, a PDF's): import the table as CSV instead
        marker = paragraph_marker(line)
        label_id = (labels or {}).get(label_key(marker.group(1))) if marker else None
        aspect = _ASPECT.match(line)
        if aspect:  # one paragraph, one item: the paragraph without its number is the text
            numbered = aspect.group("number") or ""
            text = line[len(numbered) :].strip()
            rest = _sentences(line[aspect.end() :], number, [], 0, 0, [])
            m = Mention(aspect.group("name").strip(), number, text, None, _percents(text), instead=rest)
            runs = find_runs(numbered)
            if runs and len(runs[0].references) == 1:  # 第三件新增停车泊位方面，…
                m.ref = runs[0].references[0]
            elif label_id:
                m.label_id, m.label = label_id, marker.group(1).strip() if marker else ""
            mentions.append(m)
            continue
        if label_id and marker:  # （三）…: one item's paragraph, unless it holds statements about several
            found_groups: list = []
            found = _sentences(line, number, found_groups, top_count, all_count, [])
            if not found_groups and not any(f.ref for f in found):
                mentions.append(_numbered_paragraph(line, marker, label_id, number, found))
                continue
        _sentences(line, number, groups, top_count, all_count, mentions)
    for g in groups:
        for name in g.names:
            mentions.append(Mention(name, g.line, g.text, g.wording, (), g))
    return groups, mentions


def _numbered_paragraph(line: str, marker, label_id: str, number: int, sentences: list) -> Mention:
    """（三）新增停车泊位2.3万个，完成年度目标的115%，已完成。→ item `label_id` (if the report
    follows the list's numbering; else its sentences, read one by one); the name in its first
    clause checks the number; the clause that is a status wording is its status."""
    text = line[marker.end() :].strip()
    clauses = [text[x:y].strip() for x, y in split_outside(text, "，,。；;")]
    name, wording = _split_wording(clauses[0]) if clauses else ("", None)
    if wording is not None and not (status_for(wording, {}) is not None or ambiguous_choices(wording)):
        name, wording = wording, None  # words without a figure and no wording: a name
    wording = wording or next((c for c in clauses[1:] if status_for(c, {}) is not None or ambiguous_choices(c)), None)
    return Mention(name, number, text, wording, _percents(text), instead=sentences, label_id=label_id, label=marker.group(1).strip(), by_label=True)


def _sentences(line: str, number: int, groups: list, top_count: int, all_count: int, mentions: list) -> list:
    """The group statements of a line (into `groups`), the items it names by number and its
    sentences with a percent (into `mentions`, returned); no groups are looked for without
    `all_count`."""
    for a, b in split_outside(line, "。；;"):
        a, b = _trimmed(line, a, b)
        sentence = line[a:b]
        end = b + 1 if b < len(line) and line[b] == "。" else b
        runs = find_runs(sentence)
        found = _groups(line, a, b, number, top_count, all_count, runs) if all_count else []
        groups.extend(found)
        if runs:
            mentions.extend(_numbered(sentence, line[a:end], runs, number))
            continue
        if found:
            continue
        if _PERCENT.search(nfkc(sentence)):
            mentions.append(_sentence_mention(sentence, line[a:end], number))
    return mentions


def _numbered(sentence: str, with_stop: str, runs: list, number: int) -> list:
    """第1、3、5项正在推进，第7至9项已完成 → one mention a number: the words after the numbers up
    to the clause's end (or the next numbers) are the status wording, after a name if one comes
    first (第十二项城镇消防站建设进度滞后); the clause, from its start, is the text."""
    found: list = []
    previous_end = 0
    for k, run in enumerate(runs):
        start = max(previous_end, max(sentence.rfind(c, 0, run.start) for c in "，,") + 1)
        lead = _LEAD.match(sentence[start:])
        start += lead.end() if lead and lead.end() <= run.start - start else 0
        stop = min([p for p in (sentence.find(c, run.end) for c in "，,") if p >= 0] + ([runs[k + 1].start] if k + 1 < len(runs) else []) + [len(sentence)])
        rest = sentence[run.end : stop].strip(" \u3000、")
        if not rest and stop < len(sentence):  # 第1，3，5项，均已完成
            after = sentence[stop + 1 :]
            stop = stop + 1 + min([p for p in (after.find(c) for c in "，,") if p >= 0] + [len(after)])
            rest = sentence[run.end : stop].strip(" \u3000、，,")
        name, wording = _split_wording(rest)
        last = k + 1 == len(runs)
        tail = with_stop[run.end :] if last else sentence[run.end : runs[k + 1].start]  # up to the next numbers
        percents = _percents(tail)
        later = _wording_clause(tail) if wording is None else None  # 第六件第3项新增停车泊位2.3万个，…，已完成
        wording = wording or later
        if percents or later:  # the item's figures and wording go on after the clause: the text does too
            stop = run.end + len(tail.rstrip(" \u3000、，,"))
        previous_end = stop + 1
        text = (with_stop if last else sentence)[start:stop].strip()
        if wording is None and not percents:
            continue  # 第十件：优化便民利企服务，…: a heading over the paragraphs that follow
        found.extend(Mention(name, number, text, wording, percents, ref=ref) for ref in run.references)
    return found


def _wording_clause(text: str) -> Optional[str]:
    """The first clause after the first that is a status wording (…，完成年度目标的115%，已完成)."""
    clauses = [text[x:y].strip() for x, y in split_outside(text, "，,。")]
    return next((c for c in clauses[1:] if status_for(c, {}) is not None or ambiguous_choices(c)), None)


def _split_wording(rest: str) -> tuple:
    """(name, status wording) of the words after a number: 城镇消防站建设进度滞后 → (城镇消防站建设,
    进度滞后), the longest ending that is a wording of the status table; words without a figure
    are all the wording (refused later if the table has no such wording), but words after a
    colon are a heading's name; else no wording."""
    if rest.lstrip()[:1] in (":", "："):  # 第十件：优化便民利企服务: the item's heading, no wording
        return rest.lstrip()[1:].strip(), None
    rest = rest.strip()
    for i in range(len(rest)):
        tail = rest[i:]
        if status_for(tail, {}) is not None or ambiguous_choices(tail):
            return rest[:i].strip("“”\"'‘’（）()《》 、：:"), tail
    if not re.search(r"[0-9]", nfkc(rest)):
        return "", rest or None
    return re.split(r"[0-9]", nfkc(rest), maxsplit=1)[0].strip("“”\"'‘’（）()《》 、：:"), None


def _groups(line: str, a: int, b: int, number: int, top_count: int, all_count: int, runs: list) -> list:
    found = []
    for ca, cb in split_outside(line[a:b], "，,"):
        if any(r.start < cb and ca < r.end for r in runs):
            continue  # 第三件已完成: a number, not a count
        ca, cb = _trimmed(line, a + ca, a + cb)
        clause = line[ca:cb]
        m = _GROUP.match(nfkc(clause))
        if not m:
            continue
        count = count_of(m.group("count"))
        wording = m.group("wording").strip()
        if count is None or count == 0 or count > all_count or not wording:
            continue
        pre = _LEAD.sub("", m.group("pre")).strip()
        if m.group("deng"):
            names = [n.strip() for n in re.split(r"[、，,]", pre) if n.strip()]
            if not names:
                continue
        elif m.group("paren") is not None:
            if len(pre) > 8 or "、" in pre or re.search(r"[0-9]", pre):
                continue
            paren = clause[m.start("paren") : m.end("paren")] if len(nfkc(clause)) == len(clause) else m.group("paren")  # ① before NFKC makes it 1
            names = [_MARKERS.sub("", n).strip() for n in re.split(r"[;；、,，]", paren)]
            names = [n for n in names if n]
        else:
            if len(pre) > 8 or "、" in pre or re.search(r"[0-9]", pre):
                continue
            names = []
        lead = _LEAD.match(clause)
        text_start = ca + (lead.end() if lead else 0)
        group = Group(number, line[text_start:cb].strip(), names, count, m.group("unit"), wording, bool(m.group("deng")))
        group.whole_list = not names and count == top_count and (m.group("unit") == "件" or "全部" in wording)
        found.append(group)
    return found


def _percents(text: str) -> tuple:
    values = []
    for m in _PERCENT.finditer(nfkc(text)):
        values.append(_number(m.group(1)))
        values.extend(_number(v) for v in re.findall(r"([0-9]+(?:\.[0-9]+)?)\s*%", m.group(2) or ""))
    return tuple(values)


def _number(text: str):
    value = float(text)
    return int(value) if value.is_integer() else value


def _sentence_mention(sentence: str, text: str, number: int) -> Mention:
    """新增停车泊位2.3万个，完成年度目标的115% → the name 新增停车泊位, the percent 115, the
    status from another clause if one is a status wording (…，超额完成全年目标任务)."""
    clauses = [sentence[x:y].strip() for x, y in split_outside(sentence, "，,")]
    first = nfkc(clauses[0])
    first = _SCOPE.sub("", first).strip() or first
    name = re.split(r"[0-9]", first, maxsplit=1)[0].strip()
    if len(name) < 2:  # 完成260个村庄生活污水治理: the words without the figures
        name = re.sub(r"[0-9.%]+", "", first)
    wording = next((c for c in clauses[1:] if status_for(c, {}) is not None), None)
    return Mention(name, number, text, wording, _percents(sentence))


@dataclass
class ProseResult:
    entries: list
    notes: list
    problems: list


def read_prose(lines: list, items: dict, options, label: str, aliases: dict) -> ProseResult:
    """Entries for the report's lines, matched to `items` (id → item mapping, all depths)."""
    parents = parents_of(items)
    tops = [i for i in items if parents[i] is None]
    groups, mentions = read_statements(lines, len(tops), len(items), labels_of(items))
    problems: list = []
    notes: list = []
    mentions = _by_the_list_numbering(mentions, items, aliases, parents, label, notes)
    resolve_name = "Resolve it with --alias NAME=ID"
    by_item: dict = {}  # id → mentions, in report order
    queue = list(mentions)
    while queue:
        m = queue.pop(0)
        if m.ref is not None or m.label_id is not None:
            item_id = _numbered_item(m, items, aliases, parents, label, problems, notes)
            if item_id is not None:
                by_item.setdefault(item_id, []).append(m)
            continue
        match = match_name(m.name, items, aliases, parents, top=m.group is not None and m.group.unit == "件")
        if match.how == "none" and m.instead:  # 一、就业方面，…：a heading, not an item; its sentences name the items
            queue[:0] = m.instead
            continue
        if match.skipped:
            notes.append(f"{label}:{m.line}: {m.name!r} is no item of this list (--alias {m.name}=): left out")
            continue
        if match.item_id is None:
            message = ambiguous_message(match, items, resolve_name) if match.candidates else unmatched_message(match, items, resolve_name)
            problems.append(Problem(label, m.line, 0, "", Code.AMBIGUOUS_CELL if match.candidates else Code.UNKNOWN_REFERENCE, message))
            continue
        if m.group is not None:
            m.group.matched.append(match.item_id)
        by_item.setdefault(match.item_id, []).append(m)
    for said in by_item.values():
        said.sort(key=lambda m: m.line)  # the texts in the report's order (a group's clause before a later paragraph)
    whole = [g for g in groups if g.whole_list]
    for g in groups:
        notes.extend(_group_notes(g, items, label))
        distinct = list(dict.fromkeys(g.matched))
        if g.names and len(distinct) > g.count:
            message = f"{g.text!r} {counted_but(f'{g.count}{g.unit}', 'names', distinct)}; check the names (--alias NAME= leaves one out)"
            problems.append(Problem(label, g.line, 0, "", Code.INVALID_VALUE, message))
    unmapped: dict = {}
    entries = []
    for item_id, said in by_item.items():
        entry = _entry(item_id, said, items[item_id], options, label, unmapped, problems, notes)
        if entry is not None:
            entries.append(entry)
    entries += _whole_list_entries(whole, tops, set(by_item), parents, options, label, unmapped, notes)
    whole_status = status_for(whole[0].wording, options.status_map) if whole else None
    without = [e for e in entries if e.status is None]
    if without and whole_status is not None:  # 15件…全部完成 holds for an item the report gives only a figure
        g = whole[0]
        for e in without:
            e.status, e.status_text, e.text = whole_status, g.wording, g.text + "\n" + e.text if e.text else g.text
        notes.append(f"{label}:{g.line}: {g.text!r} gives {whole_status.value} to the items with a figure but no status of their own: {', '.join(e.item_id for e in without)}")
        without = []
    if without:
        if "" in options.status_map:
            for e in without:
                e.status = options.status_map[""]
        else:
            listed = ", ".join(f"`{e.item_id}` (line {e.line})" for e in without)
            message = (
                f"no status wording for {listed}: the report gives these items a text or a percent but no status. "
                "Give them one with --status-map =on_track (or another status), or write the status in the report's group sentence"
            )
            problems.append(Problem(label, without[0].line, 0, "", Code.FIELD_MISSING, message))
            entries = [e for e in entries if e.status is not None]
    problems.extend(status_problems(unmapped, label, ""))
    entries.sort(key=lambda e: (e.line, list(items).index(e.item_id)))
    return ProseResult(entries, notes, problems)


def _entry(item_id: str, said: list, item, options, label: str, unmapped: dict, problems: list, notes: list) -> Optional[Entry]:
    texts = list(dict.fromkeys(m.text for m in said))
    wordings = list(dict.fromkeys(m.status_text for m in said if m.status_text))
    statuses = {}
    for wording in wordings:
        status = status_for(wording, options.status_map)
        if status is None:
            unmapped.setdefault(wording, []).append(said[0].line)
        else:
            statuses[wording] = status
    if len(set(statuses.values())) > 1:
        listed = "; ".join(f"{w!r} ({s.value}, {_where(next(m for m in said if m.status_text == w))})" for w, s in statuses.items())
        message = f"item `{item_id}` is given two statuses: {listed}; keep the one that applies with --alias, or map the wordings to one status with --status-map"
        problems.append(Problem(label, said[0].line, 0, "", Code.AMBIGUOUS_CELL, message))
        return None
    if wordings and len(statuses) < len(wordings):
        return None  # refused for its wording below
    percents = list(dict.fromkeys(p for m in said for p in m.percents))
    pledge = squash(str(item.get("text") or ""))  # targets of the pledge itself (not of its explanation)
    valued = [t for t in item.get("targets") or () if t.get("value") is not None]
    figures = [t for t in valued if squash(str(t.get("text") or "")) in pledge] or valued
    percent = percents[0] if len(percents) == 1 and len(figures) <= 1 else None
    if len(percents) > 1:
        notes.append(f"{label}:{said[0].line}: item `{item_id}` has {len(percents)} percents ({', '.join(f'{p}%' for p in percents)}): no percent written (the measures carry the figures)")
    elif percents and percent is None:
        notes.append(f"{label}:{said[0].line}: item `{item_id}` has {len(figures)} targets with figures, so its one percent ({percents[0]}%) is of one of them: no percent written (the measures carry it)")
    status = next(iter(statuses.values()), None)
    fields = ("status_text", "status", "text") + (("percent",) if percent is not None else ())
    # without a status of its own: the whole-list statement's or --status-map's, or refused (read_prose)
    return Entry(said[0].line, item_id, cast(model.Status, status), wordings[0] if wordings else None, percent, "\n".join(texts), fields)


def _where(m: Mention) -> str:
    """line 3, 第三件 / line 5, 新增停车泊位: where a mention is and by which words it names its item."""
    return f"line {m.line}, {m.ref.words if m.ref else m.label or m.name}"


def _within(a: str, b: str, parents: dict) -> bool:
    """Whether item `a` is `b` or one of its sub-items (at any depth)."""
    up: Optional[str] = a
    while up is not None and up != b:
        up = parents.get(up)
    return up == b


def _related(a: str, b: str, parents: dict) -> bool:
    return _within(a, b, parents) or _within(b, a, parents)


def _numbered_item(m: Mention, items: dict, aliases: dict, parents: dict, label: str, problems: list, notes: list) -> Optional[str]:
    """The item of a mention by number: the number's, or the more specific item its name is
    within it (第六件新增停车泊位方面 → 6-3); a name of another item is refused, not chosen."""
    where = f"{label}:{m.line}"
    if m.ref is not None:
        found = resolve(m.ref, items, parents, aliases)
        if found.skipped:
            notes.append(f"{where}: {m.ref.words!r} ({m.ref.key}) is no item of this list (--alias {m.ref.key}=): left out")
            return None
        if found.item_id is None:
            problems.append(Problem(label, m.line, 0, "", Code.AMBIGUOUS_CELL if found.ambiguous else Code.UNKNOWN_REFERENCE, found.message))
            return None
        if found.by_alias:
            return found.item_id
        item_id, words = found.item_id, m.ref.words
    else:
        item_id, words = cast(str, m.label_id), m.label
    named = match_name(m.name, items, aliases, parents) if len(m.name) >= 2 else None
    if named is None or named.item_id is None:
        return item_id  # no name, or one that names no single item: the number says which
    if not _related(named.item_id, item_id, parents):
        fix = f"--alias {m.ref.key}=ID says which item the number means" if m.ref else f"--alias {m.name}=ID says which item the name means"
        message = f"{words!r} is item `{item_id}` ({describe_item(item_id, items)}), but the name {m.name!r} beside it is item {describe_item(named.item_id, items)}: check the report; {fix}"
        problems.append(Problem(label, m.line, 0, "", Code.INVALID_VALUE, message))
        return None
    return named.item_id if _within(named.item_id, item_id, parents) else item_id


def _by_the_list_numbering(mentions: list, items: dict, aliases: dict, parents: dict, label: str, notes: list) -> list:
    """Paragraphs opening with an item's own label (（三）, ①, 12.) are that item's only when the
    report follows the list's numbering: two such paragraphs at least, and none whose name is
    another item's. Otherwise their numbers are the report's own: the paragraphs are read by
    their names (a 方面 paragraph) or sentence by sentence, and the note says why."""
    numbered = [m for m in mentions if m.label_id is not None]
    if not numbered:
        return mentions
    against = []
    for m in numbered:
        named = match_name(m.name, items, aliases, parents) if len(m.name) >= 2 else None
        if named is not None and named.item_id is not None and not _related(named.item_id, m.label_id, parents):
            against.append((m, named.item_id))
    if len(numbered) >= 2 and not against:
        return mentions
    if against:
        m, other = against[0]
        notes.append(f"{label}:{m.line}: the report numbers its paragraphs its own way ({m.label!r} is item `{m.label_id}` in the list, but {m.name!r} is `{other}`): its paragraphs are read by their names")
    out = []
    for m in mentions:
        if m.label_id is not None and m.by_label and (len(m.name) < 2 or match_name(m.name, items, aliases, parents).item_id is None):
            out.extend(m.instead)  # （三）…whose first words name no item: its sentences
            continue
        m.label_id, m.label = None, ""
        out.append(m)
    return out


def _whole_list_entries(whole: list, tops: list, named: set, parents: dict, options, label: str, unmapped: dict, notes: list) -> list:
    """A statement about every item ("15件民生实事全部完成") for the top-level items no other
    statement names (themselves or any of their sub-items). Unknown wording: only noted."""
    if not whole:
        return []
    g = whole[0]
    status = status_for(g.wording, options.status_map)
    if status is None:
        notes.append(f"{label}:{g.line}: {g.text!r} is about the whole list, but {g.wording!r} is no status wording: not applied (--status-map {g.wording}=STATUS applies it)")
        return []
    covered = {top_of(i, parents) for i in named}
    rest = [i for i in tops if i not in covered]
    if rest:
        notes.append(f"{label}:{g.line}: {g.text!r} gives {status.value} to the {len(rest)} items no other statement names: {', '.join(rest)}")
    return [Entry(g.line, i, status, g.wording, None, g.text, ("status_text", "status", "text")) for i in rest]


def _group_notes(g: Group, items: dict, label: str) -> list:
    where = f"{label}:{g.line}"
    if g.whole_list:
        return []
    if not g.names:
        return [f"{where}: {g.text!r} counts {g.count}{g.unit} without naming them: nothing matched"]
    distinct = list(dict.fromkeys(g.matched))
    if len(distinct) < g.count:
        named = "; ".join(describe_item(i, items) for i in distinct) or "none matched"
        return [f"{where}: {g.text!r}: {len(distinct)} of {g.count} named and matched ({named}); the other {g.count - len(distinct)} are not named, so not matched"]
    return []


def report_lines(path: Path) -> list:
    """The report's lines [(line number, text)], simplified, as the drafter reads a document
    (a saved page's main text, a PDF's paragraphs, a Word file's)."""
    from generator.ingest.draft.source import read_source

    return read_source(path).lines


def prose_entries(path: Path, label: str, items: dict, options, aliases: dict) -> ProseResult:
    return read_prose(report_lines(path), items, options, label, aliases)

