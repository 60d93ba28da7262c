"""The corrections log (`about/corrections/`): every change git recorded to what an item
already said — a figure, a text, a status — with its date, newest first. What changed is said
in the readers' words (the field's Chinese name, a status by its label, topics by name), each
field marked as the city's words or ours; the maintainers' note (the commit message) comes
after, as their own words. A new item or a new progress entry is an addition, not a
correction, and is left out (the feeds and the changes pages announce those).

Read with one `git log -p -U0` over data/: git's hunk header names the enclosing line that
matches `- id:` (an item's or sub-item's id; a diff driver given on the command line, so the
repository needs no .gitattributes), which is how a changed line is put to its item. A hunk
that only adds lines is an addition. Outside a git checkout, or when git fails, there is no
history: the page says so rather than claiming nothing was corrected.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator import derive
from generator.core import urls
from generator.core.model import walk_items
from generator.site import wording

if TYPE_CHECKING:
    from generator.site.pages import Page, Site

YEAR_FILE = re.compile(r"^data/([a-z0-9-]+)/(\d{4})\.yml$")
HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,\d+)? @@ ?(.*)$")
ID_LINE = re.compile(r"""^\s*- id:\s*["']?([^"'\s#]+)""")
KEY = re.compile(r"^\s*(?:- )?([a-z_]+):")
MAX_EDITS = 6  # fields of a change shown; the commit has the rest

# What a changed line's YAML key is, in the reader's words (the format page has every field).
FIELD_LABELS = {
    "text": "原文", "title": "简称", "goal": "任务目标", "explanation": "官方说明", "lead": "牵头单位",
    "targets": "目标", "metric": "指标", "value": "数值", "value_max": "数值", "unit": "单位", "comparator": "比较方式",
    "deadline": "完成期限", "qualitative": "定性目标", "progress": "进展", "report": "进展所属报告",
    "status": "状态归类", "status_text": "官方状态原话", "percent": "完成比例", "measures": "报告的数字",
    "stage": "单一环节", "note": "本站注", "topics": "专题", "section": "分类", "label": "序号", "related": "相关事项",
    "subitems": "分项", "id": "编号", "investment": "投资", "vote": "票决", "satisfaction": "满意度测评",
    "in_favour": "赞成票", "against": "反对票", "abstaining": "弃权票",
    "satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意", "rate": "满意率",
}
# The keys whose values are the city's own words (data/verbatim.py official_texts reads the same
# fields): a change there corrects our copy of an official text; every other field is ours.
OFFICIAL_KEYS = {"text", "explanation", "goal", "lead", "status_text"}
OTHER = "其他内容"  # a changed line whose field the hunk does not show (inside a long text or a list)


class Edit(NamedTuple):
    """One field of a corrected item, as it was and as it is, in the readers' words."""

    field: str  # 状态归类
    official: bool  # the city's words (our copy corrected), else ours
    before: str  # "" when the field was added
    after: str  # "" when it was removed


class Change(NamedTuple):
    """One corrected item in one commit."""

    date: str  # YYYY-MM-DD, the commit's
    commit: str  # abbreviated hash
    note: str  # the commit's subject: the maintainers' own words
    city: str
    year: int
    item_id: str
    edits: list  # [Edit], at most MAX_EDITS

    @property
    def fields(self) -> list[str]:
        return [e.field for e in self.edits]


def git_log(root: Path) -> str | None:
    """The patch history of data/ in one git call, of files changed (an added file corrects
    nothing: leaving them out spares reading every list's first version); None outside a git
    checkout or on failure."""
    with tempfile.NamedTemporaryFile("w", suffix=".gitattributes", delete=False) as attrs:
        attrs.write("*.yml diff=ledgeryaml\n")
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "-c", f"core.attributesFile={attrs.name}", "-c", r"diff.ledgeryaml.xfuncname=^[ ]*- id:.*$",
             "log", "-p", "-U0", "--diff-filter=M", "--no-color", "--no-renames", "--no-ext-diff", "--format=%x1e%h%x1f%cs%x1f%s", "--", "data/"],
            capture_output=True, timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    finally:
        Path(attrs.name).unlink(missing_ok=True)
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


def parse(log: str, known: dict, topics: dict | None = None) -> list[Change]:
    """The corrections in `git log -p -U0` output (newest commit first). `known`: (city, year) →
    the ids of its items now, to tell an item from a report or source (whose entries also
    start with `- id:`); an item since removed is left out with them. `topics`: id → name."""
    out: list[Change] = []
    for record in log.split("\x1e")[1:]:
        head, _, patch = record.partition("\n")
        commit, date, note = (head.split("\x1f") + ["", ""])[:3]
        found: dict = {}
        key = None
        current = None
        last: dict = {}  # "-" or "+" → the YAML key of that side's last line in this hunk
        for line in patch.split("\n"):
            if line.startswith("diff --git "):
                path = line.split(" b/", 1)[-1]
                m = YEAR_FILE.match(path)
                key = (m.group(1), int(m.group(2))) if m else None
                current = None
            elif line.startswith(("--- ", "+++ ")):
                continue
            elif line.startswith("@@"):
                current = None
                h = HUNK.match(line)
                if key is None or h is None or h.group(1) == "0":  # lines only added: an addition
                    continue
                idm = ID_LINE.match(h.group(2))
                if idm is None or idm.group(1) not in known.get(key, ()):  # a report's or source's entry, or an item since removed
                    continue
                current = found.setdefault((key, idm.group(1)), [])
                last = {}
            elif current is not None and line[:1] in "-+":
                text = line[1:]
                if not text.strip() or text.strip().startswith("#"):
                    continue
                km = KEY.match(text)
                if km:
                    last[line[0]] = km.group(1)
                    current.append((km.group(1), line[0], text[km.end():].strip()))
                else:  # a line inside a long text or a list: it belongs to the key above it
                    current.append((last.get(line[0]), line[0], text.strip().removeprefix("- ")))
        for ((city, year), item_id), lines in found.items():
            if not any(side == "-" for _, side, _ in lines):
                continue
            out.append(Change(date, commit, note, city, year, item_id, edits(lines, topics or {})[:MAX_EDITS]))
    return out


def edits(lines: list, topics: dict) -> list[Edit]:
    """Changed lines [(YAML key or None, "-" or "+", value)] as one Edit per field, in order."""
    grouped: dict = {}
    for key, side, value in lines:
        before, after = grouped.setdefault(key, ([], []))
        (before if side == "-" else after).append(value)
    return [
        Edit(FIELD_LABELS.get(key, OTHER) if key else OTHER, key in OFFICIAL_KEYS, _say(key, before, topics), _say(key, after, topics))
        for key, (before, after) in grouped.items()
    ]


def _say(key: str | None, values: list, topics: dict) -> str:
    """A field's changed lines as a reader reads them: a status or a comparator by its label, topics by
    name, a YAML string without its quotes, a long text's lines (after `|-`) one after another."""
    parts = [_unquote(v) for v in values if v not in ("|", "|-", ">", ">-", "")]
    if key == "status":
        return "\n".join(derive.STATUS_LABELS.get(p, p) for p in parts)
    if key == "comparator":
        return "\n".join(derive.COMPARATOR_LABELS.get(p, p) for p in parts)
    if key == "topics":
        return "\n".join("、".join(topics.get(t, t) for t in _flow_list(p)) for p in parts)
    if key == "lead":
        return "\n".join("、".join(_flow_list(p)) for p in parts)
    return "\n".join(parts)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _flow_list(value: str) -> list[str]:
    """`[a, b]` → [a, b]; a single value as it is."""
    if value.startswith("[") and value.endswith("]"):
        return [_unquote(v.strip()) for v in value[1:-1].split(",") if v.strip()]
    return [value]


def corrections(site: Site) -> list[Change] | None:
    """The corrections of the data under the site's root; None without git history."""
    log = git_log(Path(site.ds.root))
    if log is None:
        return None
    known = {key: {i.id for i, _, _ in walk_items(lf.data.items)} for key, lf in site.ds.lists.items()}
    return parse(log, known, {t.id: t.name for t in site.ds.topics.values()})


def item_heading(site: Site, change: Change) -> str:
    """青岛 2024 · 第六件 停车泊位: the corrected item as its pages name it."""
    found = site.find((change.city, change.year, change.item_id))
    where = f"{site.city_name(change.city)} {change.year}"
    if found is None:
        return f"{where} · {change.item_id}"
    _, item, parent = found
    return f"{where} · {wording.item_label(item, parent)} {item.title or wording.short(item.text, 20)}"


def corrections_page(site: Site) -> Page:
    changes = corrections(site)
    return site.render(
        "corrections.md.j2",
        urls.corrections_src(),
        changes=changes,
        heading=lambda c: item_heading(site, c),
        repository=urls.repository(site.edit_base),
    )
