"""What the maintainer would otherwise type: sub-items split from a ；-list, targets from every
stated quantity (quantities.py), titles and topics suggested for the maintainer to check.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.data.reading import YamlProblem, load_yaml
from generator.ingest import quantities
from generator.ingest.draft.nodes import Node
from generator.ingest.textinput import bigrams

_PROGRESS_CUE = re.compile(r"已|完成|占年计划|累计|开工|启动|实施|印发|上线|截至")
_TOPIC_ASPECT = re.compile(r"^([^，,。；;]{2,30}?方面)[，,](.+)$")
# 投资337万元, 总投资1.2亿元, 年内计划投资1500万元, 预计投资1.8亿元: an amount the item invests
_INVESTMENT = re.compile(r"(?:年内|年度|当年)?(?:计划|预计|概算|总)?投资(?:约)?(\d+(?:\.\d+)?)([万亿]?)元")
_MULTIPLIER = {"": 1, "万": 10_000, "亿": 100_000_000}


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
            if not metric:
                target["_note"] = "TODO: metric: no words name what the figure counts; name it"
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
    stated: dict = {}  # (value, value_max, unit) → the first target the pledge or goal states it in
    for t in found:
        figure = (t["value"], t.get("value_max"), t["unit"])
        same = stated.get(figure) if t["_where"] == "explanation" else None  # a figure of the pledge restated in its explanation
        if same is None:
            kept.append(t)
            if t["_where"] != "explanation":
                stated.setdefault(figure, t)
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
    draft_investment(node)
    for child in node.children:
        draft_targets(child, from_explanation)


def draft_investment(node: Node) -> None:
    """An amount invested (投资337万元) is the item's money, not a target: the first one, or the
    year's plan (年内…) where the text also gives the project's total, becomes `investment`, and
    none stays among the targets (the format page's rule)."""
    found = []
    for t in node.targets:
        if t["unit"] != "元":
            continue
        for m in _INVESTMENT.finditer(t["text"]):
            if abs(float(m.group(1)) * _MULTIPLIER[m.group(2)] - t["value"]) < 1e-6:
                found.append((t, m.group(0)))
                break
    if not found:
        return
    _, text = next(((t, w) for t, w in found if w.startswith(("年内", "年度", "当年"))), found[0])
    value = next(t["value"] for t, w in found if w == text)
    node.investment = {"text": text, "value": value}
    drop = {id(t) for t, _ in found}
    node.targets = [t for t in node.targets if id(t) not in drop]


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


# Opening words a short title does without: verbs of doing, hedges, time frames, manner (the rest of
# quantities.py's leading words, plus 做好, 启动, 推行). 提升, 加强, 新增, 新建 stay: they say what changes.
_TITLE_LEADING = re.compile(r"^(?:做好|启动|推行)")
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
    covered = bytearray(len(text))  # characters a kept (longer) keyword already holds
    exact: set = set()  # (start, end) of the kept ones: the same word under another topic counts too
    for start, end, topic_id, k in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):  # longest first
        if (start, end) in exact or not any(covered[start:end]):
            kept.append((start, end, topic_id, k))
            exact.add((start, end))
            covered[start:end] = b"\x01" * (end - start)
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
