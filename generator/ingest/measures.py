"""Measures from the figures of a progress report: which target of an item a figure measures
(by its unit and the words they share), and the figures of a progress text worth proposing.

The same job as quantities.py, one step on: that module reads the figures out of Chinese
text, this one decides what each measures; the import (generator/ingest/importer/) writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from generator import derive
from generator.ingest import quantities
from generator.ingest.textinput import bigrams


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

    def describe(self) -> str:
        share = f" = {self.value / self.target * 100:,.1f}% of the target {derive.format_number(self.target)}" if self.target else ""
        said = f", the report says {derive.format_number(self.percent)}%" if self.percent is not None else ""
        return f"{self.metric} {derive.format_number(self.value)} {self.unit}{share}{said} ← {self.text}"


def targets_of(item) -> list:
    """The item's quantified targets (plain dicts)."""
    return [dict(t) for t in item.get("targets") or () if t.get("value") is not None and not t.get("qualitative")]


def target_for(targets: list, unit: str, words: str):
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
