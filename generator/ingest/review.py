"""`make review CITY= YEAR=`: a year file read once, top to bottom, beside its source.

One self-contained HTML page (styles inline, no script, no request to anywhere: it opens from
the disk) with each item as drafted — title, text, targets, lead units, topics — beside the
exact passage of the archived capture it came from, the item's own words marked in it. What the
draft left for a person is highlighted where it stands: a title or topics only suggested
(`# title:`), a metric several figures share, a target from an explanation, an item the source
cut off, every 待填写; each with the line of the year file to edit. The counts at the top are
the decisions left, by kind, read from the file as it is now: they fall as the TODOs go.

It reads the year file as it is, so it serves for a draft and for a list already edited.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import derive
from generator.core import model
from generator.core.model import walk_items
from generator.core.problems import Code, Problem
from generator.data.verbatim import normalise
from generator.ingest import Refused

KINDS = {  # the decision kinds of draft/decisions.py, as the page names them for the volunteer
    "title": "个简称",
    "topics": "项的专题",
    "metric": "个指标名称",
    "target": "个取自说明的目标",
    "incomplete": "个不完整的事项",
    "fact": "条清单信息",
    "other": "条其他待办",
}
ACCEPT = "accept"  # a suggestion to accept as it is: counted apart, not a decision


@dataclass
class Unsure:
    line: int  # in the year file
    kind: str  # a key of KINDS
    text: str  # the YAML line as written


@dataclass
class ItemView:
    id: str
    label: str
    line: int
    item: model.Item
    unsure: list = field(default_factory=list)
    passage: list = field(default_factory=list)  # (capture line number, text, [(start, end) marked])
    capture: str = ""


def _kind(line: str) -> str:
    """What a TODO line of a draft leaves to decide (the words draft/assemble.py writes); a
    suggestion to accept as it is (`# title: …  # TODO: suggested …`) is "accept"."""
    if "待填写" in line and "note:" in line or "stops in the middle" in line:
        return "incomplete"
    if re.match(r"\s*#\s*(title|topics):", line):
        return ("title" if "title:" in line.split("#")[1] else "topics") if "TODO: decide" in line or "TODO: a short title" in line or "no keyword matched" in line else "accept"
    if "several figures" in line or "TODO: metric:" in line:
        return "metric"
    if "from the explanation" in line or "the parent's target" in line:
        return "target"
    if "待填写" in line:
        return "fact"
    return "other"


def _unsure_lines(lines: list, start: int, end: int) -> list:
    out = []
    for no in range(start, end):
        text = lines[no - 1]
        if "TODO" in text or "待填写" in text:
            kind = _kind(text)
            if kind == "other" and re.search(r"^\s*#\s*TODO: the source also names", text):
                continue  # a remark, not a decision
            out.append(Unsure(no, kind, text.strip()))
    return out


def _capture_lines(root: Path, archive: str) -> tuple:
    """(lines as archived, the same lines simplified and normalised for finding a text)."""
    from opencc import OpenCC

    from generator.ingest.draft.source import looks_traditional

    path = root / archive
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return [], []
    lines = text.split("\n")
    simple = OpenCC("t2s").convert(text).split("\n") if looks_traditional(text) else lines
    return lines, [normalise(s) for s in simple]


def _find(needle: str, normalised: list, after: int = 0) -> int:
    """The capture line (0-based) holding `needle` (compared as the verbatim check compares),
    the first at or after `after`, else the first anywhere; -1 when none."""
    n = normalise(needle)
    if not n:
        return -1
    for order in (range(after, len(normalised)), range(0, after)):
        for i in order:
            if n in normalised[i]:
                return i
    head = n[:16]
    for i in range(len(normalised)):
        if head and head in normalised[i]:
            return i
    return -1


def _marks(original: str, simple_norm: str, pieces: list) -> list:
    """Character spans of `original` to mark: each piece found in it (as written, or in
    simplified characters: then the line is marked whole)."""
    spans = []
    for piece in pieces:
        if not piece:
            continue
        at = original.find(piece)
        if at >= 0:
            spans.append((at, at + len(piece)))
        elif normalise(piece) in simple_norm:
            spans.append((0, len(original)))
    return sorted(spans)


def build_review(root: Path, city: str, year: int) -> tuple:
    """(the page's HTML, {kind: count}) for data/<city>/<year>.yml."""
    from generator.data.dataset import load_dataset
    from generator.data.reading import parse

    rel = f"data/{city}/{year}.yml"
    path = root / rel
    if not path.is_file():
        raise Refused([Problem(rel, 0, 0, "", Code.FILE_MISSING, f"no such file: draft it first (make draft CITY={city} YEAR={year} FROM=…)")])
    ds = load_dataset(root, only=[rel], cache=False)
    loaded_list = ds.lists.get((city, year))
    if loaded_list is None:
        errors = [p for p in ds.problems if p.file == rel and p.code != Code.PLACEHOLDER] or [Problem(rel, 0, 0, "", Code.BAD_FORMAT, "could not be read")]
        raise Refused(errors, "Fix these first (make validate lists them), then review.")
    pl = loaded_list.data
    raw = path.read_bytes()
    loaded = parse(raw)
    lines = raw.decode("utf-8-sig").split("\n")
    walked = list(walk_items(pl.items))
    starts = [loaded.key_positions.get(p + ("id",), (1, 1))[0] for _, p, _ in walked]
    first_item = min(starts, default=len(lines) + 1)
    views: list = []
    captures = {s.id: s.archive for s in pl.sources if s.archive}
    default_archive = next(iter(captures.values()), None)
    cache: dict = {}
    cursor: dict = {}
    for k, (item, _, _) in enumerate(walked):
        start = starts[k]
        end = min([s for s in starts if s > start] + [len(lines) + 1])
        view = ItemView(item.id, item.label or "", start, item, _unsure_lines(lines, start, end))
        archive = captures.get(item.source) if getattr(item, "source", None) else default_archive
        if archive:
            if archive not in cache:
                cache[archive] = _capture_lines(root, archive)
            original, normalised = cache[archive]
            pieces = [item.text, *(item.explanation or "").split("\n"), item.goal or "", *item.lead]
            found = [i for i in (_find(piece, normalised, cursor.get(archive, 0)) for piece in pieces if piece) if i >= 0]
            if found:
                a, b = min(found), min(max(found), min(found) + 12)
                cursor[archive] = a
                view.passage = [(i + 1, original[i], _marks(original[i], normalised[i], pieces)) for i in range(a, b + 1)]
                view.capture = archive
        views.append(view)
    head_unsure = _unsure_lines(lines, 1, first_item)
    city_path = root / "data" / city / "city.yml"
    if city_path.is_file():
        city_lines = city_path.read_text(encoding="utf-8").split("\n")
        head_unsure += [Unsure(u.line, u.kind, f"(city.yml) {u.text}") for u in _unsure_lines(city_lines, 1, len(city_lines) + 1) if "待填写" in u.text]
    counts: dict = {}
    for u in head_unsure + [u for v in views for u in v.unsure]:
        counts[u.kind] = counts.get(u.kind, 0) + 1
    counts.pop("other", None)  # (a check asked for, such as a drafted date: shown, not counted)
    return _page(rel, pl, views, head_unsure, counts), counts


CSS = """
body{font:15px/1.6 "Noto Sans CJK SC","Noto Sans SC",sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
header{padding:1rem 1.5rem;background:#fff;border-bottom:1px solid #ddd;position:sticky;top:0;z-index:1}
h1{font-size:1.2rem;margin:0 0 .3rem}
.counts span{display:inline-block}
.item{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:1rem 1.5rem;padding:1rem;background:#fff;border:1px solid #ddd;border-radius:6px}
.item.has-unsure{border-left:6px solid #d9822b}
.item h2{grid-column:1/-1;font-size:1rem;margin:0}
.source{background:#fafafa;border:1px solid #e5e5e5;padding:.5rem;font-size:.9rem;overflow-wrap:anywhere}
.source ol{margin:0;padding-left:3.5rem}
mark.quoted{background:#fff3a3}
.unsure{background:#ffe2c2;outline:2px solid #d9822b;border-radius:2px}
.suggested{background:#e8f0fe;border-radius:2px}
.edit{grid-column:1/-1;font:13px/1.5 monospace;background:#fbf7f0;padding:.4rem .6rem;border-radius:4px;overflow-wrap:anywhere}
.edit .todo{color:#8a4b00}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:.15rem .4rem;text-align:left}
.ours{color:#555}.missing{color:#a00}
@media (max-width:700px){header{position:static;padding:.8rem 1rem}.item{grid-template-columns:1fr;margin:1rem .5rem;padding:.8rem}.source ol{padding-left:2.5rem}}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _marked(text: str, spans: list) -> str:
    out, at = [], 0
    for a, b in spans:
        if a < at:
            continue
        out.append(_e(text[at:a]) + f'<mark class="quoted">{_e(text[a:b])}</mark>')
        at = b
    return "".join(out) + _e(text[at:])


def _page(rel: str, pl, views: list, head_unsure: list, counts: dict) -> str:
    total = sum(n for k, n in counts.items() if k != ACCEPT)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>审阅 {_e(rel)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>审阅 {_e(pl.title)} · <code>{_e(rel)}</code></h1>",
        f'<p class="counts" data-total="{total}"><strong>还有 {total} 处要决定</strong>：'
        + "、".join(f'<span data-kind="{k}">{counts[k]} {KINDS[k]}</span>' for k in KINDS if counts.get(k))
        + (f'<span data-kind="accept">（另有 {counts[ACCEPT]} 条建议的简称和专题，看过即可确认）</span>' if counts.get(ACCEPT) else "")
        + "</p>",
        "<p>每一项先是草稿（本站的话标为“建议”），再是存档原文（草稿引用的原文标黄）：宽屏上左右并排，手机上上下排列。橙色是需要人来决定的地方，下方是要改的 YAML 行。</p></header><main>",
    ]
    if head_unsure:
        parts.append('<section class="item has-unsure" id="list-facts"><h2>清单信息</h2><div class="edit">')
        parts.extend(f'<div class="todo{" unsure" if u.kind == "fact" else ""}" data-kind="{u.kind}">{_e(rel)}:{u.line}: {_e(u.text)}</div>' for u in head_unsure)
        parts.append("</div></section>")
    for v in views:
        parts.append(_item(rel, v))
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _item(rel: str, v: ItemView) -> str:
    item = v.item
    title_cell = f'<span class="ours">{_e(item.title)}</span>' if getattr(item, "title", None) else ""
    suggested = next((u for u in v.unsure if re.match(r"#\s*title:", u.text)), None)
    if suggested:
        m = re.match(r"#\s*title:\s*(.*?)\s*#", suggested.text)
        words = m.group(1) if m else ""
        title_cell = f'<span class="{_css(suggested)}" data-kind="{suggested.kind}">建议简称：{_e(words) or "（无）"}</span>'
    topics = _e(", ".join(item.topics)) if item.topics else ""
    topic_hint = next((u for u in v.unsure if re.match(r"#\s*topics:", u.text)), None)
    if topic_hint:
        m = re.match(r"#\s*topics:\s*(\[.*?\])", topic_hint.text)
        topics = f'<span class="{_css(topic_hint)}" data-kind="{topic_hint.kind}">建议主题：{_e(m.group(1) if m else "[]")}</span>'
    rows = []
    for t in item.targets:
        flagged = next((u for u in v.unsure if u.kind in ("metric", "target") and t.text in u.text), None)
        cls = f' class="unsure" data-kind="{flagged.kind}"' if flagged else ""
        comparator = derive.COMPARATOR_LABELS.get(t.comparator.value, t.comparator.value) if t.comparator else ""
        rows.append(f"<tr{cls}><td>{_e(t.text)}</td><td>{_e(t.metric or '')}</td><td>{_e(_number(t.value))}</td><td>{_e(t.unit or '')}</td><td>{_e(comparator)}</td></tr>")
    targets = ("<table><tr><th>原文</th><th>指标（本站）</th><th>数值</th><th>单位</th><th>比较</th></tr>" + "".join(rows) + "</table>") if rows else '<p class="ours">（无数量目标）</p>'
    note = f'<p class="unsure" data-kind="incomplete">{_e(item.note)}</p>' if item.note and "待填写" in item.note else ""
    if v.passage:
        source = f'<div class="source"><div>{_e(v.capture)}</div><ol start="{v.passage[0][0]}">' + "".join(f"<li>{_marked(t, spans)}</li>" for _, t, spans in v.passage) + "</ol></div>"
    else:
        source = '<div class="source missing">在存档原文中找不到这一项的文字：请核对。</div>'
    edit = f'<div class="edit"><div>{_e(rel)}:{v.line}: id "{_e(v.id)}"</div>' + "".join(
        f'<div class="todo" data-kind="{u.kind}">{_e(rel)}:{u.line}: {_e(u.text)}</div>' for u in v.unsure
    ) + "</div>"
    lead = "、".join(item.lead)
    draft_side = (
        f'<div class="draft"><p>简称：{title_cell}</p><p>{_e(item.text)}</p>'
        + (f"<p>目标：{_e(item.goal)}</p>" if item.goal else "")
        + targets
        + (f"<p>计划投资：{_e(item.investment.text)}（{_e(_number(item.investment.value))}元）</p>" if item.investment else "")
        + (f"<p>牵头单位：{_e(lead)}</p>" if lead else "")
        + f"<p>主题：{topics}</p>"
        + (f"<p>完成时限：{_e(item.deadline)}</p>" if item.deadline else "")
        + note
        + "</div>"
    )
    cls = "item has-unsure" if any(u.kind not in (ACCEPT, "other") for u in v.unsure) else "item"
    return f'<section class="{cls}" id="item-{_e(v.id)}" data-id="{_e(v.id)}"><h2>{_e(v.label or v.id)} （编号 {_e(v.id)}）</h2>{draft_side}{source}{edit}</section>'


def _number(value) -> str:
    if value is None:
        return "定性"
    return str(int(value)) if float(value).is_integer() else str(value)


def _css(u: Unsure) -> str:
    return "suggested" if u.kind == ACCEPT else "unsure"


def write_review(root: Path, city: str, year: int, out: Path | None = None) -> tuple:
    """Write the page (default .cache/review/<city>-<year>.html); returns (path, counts)."""
    page, counts = build_review(root, city, year)
    out = out or root / ".cache" / "review" / f"{city}-{year}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out, counts
