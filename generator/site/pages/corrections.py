"""The corrections log (`about/corrections/`): every change git recorded to what an item
already said — a figure, a text, a status — with its date, newest first. What changed is said
in the readers' words (the field's Chinese name, a status by its label, topics by name), each
field marked as the city's words or ours; the maintainers' note (the commit message) comes
after, as their own words. A new item or a new progress entry is an addition, not a
correction, and is left out (the feeds and the changes pages announce those).

Read from git as data, not as text: `git log --raw` names each year file a commit changed
and its contents before and after (blob ids), `git cat-file --batch` gives them, and each item
is compared field by field with itself (targets paired by their text or place, progress by
report). A figure is read as a figure, a nested field is put to its own entry, and a text that
leaves one field of an item for another (栖霞's amounts, from `targets` to `investment`) is
said to have moved, not to have been deleted. Added files correct nothing and are not read.
Outside a git checkout, or when git fails, there is no history: the page says so rather than
claiming nothing was corrected.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator import derive
from generator.core import urls
from generator.core.model import walk_items
from generator.data import published
from generator.data.reading import YamlProblem, decode_utf8, load_yaml
from generator.site import wording

if TYPE_CHECKING:
    from generator.site.pages import Page, Site

YEAR_FILE = re.compile(r"^data/([a-z0-9-]+)/(\d{4})\.yml$")
RAW = re.compile(r"^:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) M\t(.+)$")  # git log --raw: a modified file
MAX_EDITS = 6  # fields of a change shown; the commit has the rest

# A field's YAML key in the reader's words (the format page has every field).
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
OTHER = "其他内容"  # a field this page has no name for


class Edit(NamedTuple):
    """One field of a corrected item, as it was and as it is, in the readers' words."""

    field: str  # 状态归类; 目标·数值 for a field of one target
    official: bool  # the city's words (our copy corrected), else ours
    before: str  # "" when the field was added
    after: str  # "" when it was removed
    moved: str = ""  # the field this text was in before (a text moved, not added)


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


def history(root: Path) -> list | None:
    """[(short hash, date, subject, [(path, blob before, blob after)])] of the commits that
    changed a file under data/, newest first; None outside a git checkout or on failure."""
    try:
        result = published.git(root, "log", "--raw", "--no-abbrev", "--diff-filter=M", "--no-renames", "--format=%x1e%H%x1f%cs%x1f%s", "--", "data/", check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    commits = []
    for record in result.stdout.decode("utf-8", "replace").split("\x1e")[1:]:
        head, _, rest = record.partition("\n")
        commit, date, note = (head.split("\x1f") + ["", ""])[:3]
        files = [(m.group(3), m.group(1), m.group(2)) for m in map(RAW.match, rest.split("\n")) if m]
        commits.append((commit[:7], date, note, files))  # --no-abbrev (full blob ids) also lengthens %h
    return commits


_PARSED: dict[str, dict] = {}  # blob id → items_of(its contents): contents never change under an id


def versions(root: Path, ids: set[str]) -> dict[str, dict]:
    """{blob id: items_of(it)}, each version read from git and parsed once a process."""
    unread = sorted(ids - _PARSED.keys())
    for blob_id, data in zip(unread, published.read_blobs(root, unread), strict=True):
        _PARSED[blob_id] = items_of(data)
    return {i: _PARSED[i] for i in ids}


def items_of(blob: bytes) -> dict:
    """{item id: the item's fields} of one version of a year file (sub-items flattened, a
    parent without its `subitems`), and {report id: 截至<its as-of date>} under None; {} when
    unreadable."""
    try:
        data = load_yaml(decode_utf8(blob)).data
    except (YamlProblem, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    reports = [r for r in data.get("reports") or [] if isinstance(r, dict)]
    out: dict = {None: {str(r.get("id")): _as_of(r) for r in reports}}

    def walk(items) -> None:
        for item in items or []:
            if isinstance(item, dict) and "id" in item:
                out[str(item["id"])] = {k: v for k, v in item.items() if k != "subitems"}
                walk(item.get("subitems"))

    walk(data.get("items"))
    return out


def _as_of(report: dict) -> str:
    """截至2024年6月30日: how a report is named beside its entries' edits."""
    try:
        return f"截至{derive.cn_date(dt.date.fromisoformat(str(report.get('as_of'))))}"
    except ValueError:
        return str(report.get("id"))


def corrections(site: Site) -> list[Change] | None:
    """The corrections of the data under the site's root; None without git history."""
    root = Path(site.ds.root)
    commits = history(root)
    if commits is None:
        return None
    known = {key: {i.id for i, _, _ in walk_items(lf.data.items)} for key, lf in site.ds.lists.items()}
    topics = {t.id: t.name for t in site.ds.topics.values()}
    try:
        contents = versions(root, {b for *_, files in commits for _, old, new in files for b in (old, new)})
    except (published.GitError, OSError, subprocess.TimeoutExpired):
        return None
    out = []
    for commit, date, note, files in commits:
        for path, old, new in files:
            m = YEAR_FILE.match(path)
            if m is None:
                continue
            key = (m.group(1), int(m.group(2)))
            before, after = contents[old], contents[new]
            for item_id in after:
                if item_id is None or item_id not in before or item_id not in known.get(key, ()):
                    continue  # a new item is an addition; an item since removed is left out
                found = item_edits(before[item_id], after[item_id], topics, after[None])
                if any(e.before or e.moved for e in found):  # only additions (a new field): not a correction
                    out.append(Change(date, commit, note, key[0], key[1], item_id, found[:MAX_EDITS]))
    return out


def item_edits(before: dict, after: dict, topics: dict, reports: dict | None = None) -> list[Edit]:
    """What changed between two versions of one item, field by field, in the readers' words.
    `reports`: report id → how to name it (its as-of date)."""
    found: list[Edit] = []
    for key in _keys(before, after):
        b, a = before.get(key), after.get(key)
        if b == a or key == "id":
            continue
        if key == "progress":  # entries by report; a new report's entry is an addition
            old = {e.get("report"): e for e in b or [] if isinstance(e, dict)}
            new = {e.get("report"): e for e in a or [] if isinstance(e, dict)}
            for rid in [r for r in new if r in old]:
                found += _diff(f"进展（{(reports or {}).get(str(rid), rid)}）", None, old[rid], new[rid], topics)
        elif key == "targets":
            found += _target_edits(b or [], a or [], topics)
        else:
            found += _diff(_label(key), key, b, a, topics)
    return _moves(found)


def _diff(where: str, key: str | None, before, after, topics: dict) -> list[Edit]:
    """The edits between two values of one field: a mapping (or a list of them, one for one)
    field by field, anything else as a whole."""
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        return [e for k in _keys(before, after) for e in _diff(f"{where}·{_label(k)}", k, before.get(k), after.get(k), topics)]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after) and all(isinstance(v, dict) for v in before + after):
        return [e for b, a in zip(before, after, strict=True) for e in _diff(where, key, b, a, topics)]
    return [Edit(where, key in OFFICIAL_KEYS, _say(key, before, topics), _say(key, after, topics))]


def _target_edits(before: list, after: list, topics: dict) -> list[Edit]:
    """Targets paired by their text, else by place (a text corrected in place): a paired
    target's fields; a target added or removed as a whole is ours (which targets the site
    follows), not the city's words changed."""
    old = [t for t in before if isinstance(t, dict)]
    new = [t for t in after if isinstance(t, dict)]
    same_text = {t.get("text") for t in old} & {t.get("text") for t in new}
    pairs = [(o, next(n for n in new if n.get("text") == o.get("text"))) for o in old if o.get("text") in same_text]
    rest_old = [o for o in old if o.get("text") not in same_text]
    rest_new = [n for n in new if n.get("text") not in same_text]
    if len(rest_old) == len(rest_new):
        pairs += list(zip(rest_old, rest_new, strict=True))
        rest_old = rest_new = []
    out = [e for o, n in pairs for e in _diff("目标", "targets", o, n, topics)]
    out += [Edit("目标", False, _say_entry(o), "") for o in rest_old]
    out += [Edit("目标", False, "", _say_entry(n)) for n in rest_new]
    return out


def _moves(found: list[Edit]) -> list[Edit]:
    """A text removed from one field and added to another of the same item has moved: one
    edit, said as such, and ours (删去 would read as if the city's words were withdrawn)."""
    out = list(found)
    for gone in [e for e in found if e.before and not e.after]:
        came = next((e for e in out if not e.before and e.after == gone.before and e.field != gone.field), None)
        if came is not None and gone in out:
            out[out.index(came)] = Edit(came.field.removesuffix("·原文"), False, "", came.after, gone.field.removesuffix("·原文"))
            out.remove(gone)
    return out


def _keys(before: dict, after: dict) -> list:
    return list(after) + [k for k in before if k not in after]


def _label(key: str) -> str:
    return FIELD_LABELS.get(key, OTHER)


def _say_entry(entry) -> str:
    """A whole target, investment or vote entry in one line: its text, else its fields."""
    if not isinstance(entry, dict):
        return "" if entry is None else str(entry)
    if entry.get("text"):
        return str(entry["text"])
    return "；".join(f"{_label(k)}：{_say(k, v, {})}" for k, v in entry.items())


def _say(key: str | None, value, topics: dict) -> str:
    """A field's value as a reader reads it: a status or a comparator by its label, topics by
    name, lists joined, a figure as a figure."""
    if value is None or value == "" or value == []:
        return ""
    if key == "status":
        return derive.STATUS_LABELS.get(value, str(value))
    if key == "comparator":
        return derive.COMPARATOR_LABELS.get(value, str(value))
    if key == "topics" and isinstance(value, list):
        return "、".join(topics.get(t, str(t)) for t in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return derive.format_number(value)
    if isinstance(value, list):
        return "、".join(_say_entry(v) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, dict):
        return _say_entry(value)
    return str(value).strip()


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
