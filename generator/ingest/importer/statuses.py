"""The city's status wording → our status scale (content/about/methodology.md#status): the
words mapped, the ones refused as ambiguous until the maintainer chooses (--status-map).
"""

from __future__ import annotations

import re
from typing import Optional

from generator.core import model
from generator.core.problems import Code, Problem
from generator.ingest import Refused
from generator.ingest.textinput import squash

S = model.Status
# The city's wording (whitespace removed) → our status. Documented in content/about/contribute.md
# (从表格导入进展 → 状态归类), with the methodology's scale (content/about/methodology.md#status):
# a wording that says the work is under way, without saying it is late, is on_track (rule 4).
STATUS_WORDS = {
    # done
    "已完成": S.done,
    "完成": S.done,
    "全部完成": S.done,
    "已全部完成": S.done,
    "全面完成": S.done,
    "已全面完成": S.done,
    "按期完成": S.done,
    "已按期完成": S.done,
    "按时完成": S.done,
    "已按时完成": S.done,
    "提前完成": S.done,
    "已提前完成": S.done,
    "已完工": S.done,
    "已竣工": S.done,
    "已建成": S.done,
    "已办结": S.done,
    "已实现年度目标": S.done,
    "实现年度目标": S.done,
    "按计划完成": S.done,
    "已按计划完成": S.done,
    "如期完成": S.done,
    "已如期完成": S.done,
    # ahead
    "超序时": S.ahead,
    "超序时推进": S.ahead,
    "超序时进度": S.ahead,
    "超前": S.ahead,
    "超前推进": S.ahead,
    "快于序时": S.ahead,
    "快于序时进度": S.ahead,
    # on_track
    "序时推进": S.on_track,
    "按序时推进": S.on_track,
    "按序时进度推进": S.on_track,
    "按时序推进": S.on_track,
    "按时序进度推进": S.on_track,
    "按进度推进": S.on_track,
    "正常推进": S.on_track,
    "按计划推进": S.on_track,
    "按计划实施": S.on_track,
    "有序推进": S.on_track,
    "稳步推进": S.on_track,
    "顺利推进": S.on_track,
    "正在推进": S.on_track,
    "推进中": S.on_track,
    "正在实施": S.on_track,
    "实施中": S.on_track,
    "正在建设": S.on_track,
    "建设中": S.on_track,
    "在建": S.on_track,
    "已开工": S.on_track,
    "已启动": S.on_track,
    "达到序时进度": S.on_track,
    # behind
    "滞后": S.behind,
    "进展滞后": S.behind,
    "进度滞后": S.behind,
    "滞后序时": S.behind,
    "滞后于序时进度": S.behind,
    "慢于序时": S.behind,
    "慢于序时进度": S.behind,
    "未达序时进度": S.behind,
    "未达到序时进度": S.behind,
    "进展缓慢": S.behind,
    "进度缓慢": S.behind,
    "推进缓慢": S.behind,
    "进展较为缓慢": S.behind,
    "未按期完成": S.behind,
    "未按时完成": S.behind,
    # not_started
    "未启动": S.not_started,
    "尚未启动": S.not_started,
    "未开工": S.not_started,
    "尚未开工": S.not_started,
    "未开始": S.not_started,
    "尚未开始": S.not_started,
    "未实施": S.not_started,
    "尚未实施": S.not_started,
    # adjusted, cancelled
    "调整": S.adjusted,
    "已调整": S.adjusted,
    "目标调整": S.adjusted,
    "已变更": S.adjusted,
    "取消": S.cancelled,
    "已取消": S.cancelled,
    "终止": S.cancelled,
    "已终止": S.cancelled,
    "不再实施": S.cancelled,
}
# Wordings that mean different things in different reports: refused, with the choices, until
# the maintainer maps them (--status-map 基本完成=done). (status, when it is meant) pairs.
_PAUSED = ((S.behind, "the work has stopped and the item is late"), (S.adjusted, "the plan was officially changed"), (S.cancelled, "the item was dropped"))
AMBIGUOUS_STATUS = {
    "基本完成": ((S.done, "only formalities such as acceptance remain"), (S.on_track, "part of the work remains")),
    "超额完成": ((S.done, "the whole target is exceeded (a year-end report)"), (S.ahead, "the stage's target is exceeded (a mid-year report)")),
    "部分完成": ((S.on_track, "the part due by now is done"), (S.behind, "less than is due by now")),
    "未完成": ((S.behind, "the item is late (a year-end report, or a stage's task)"), (S.on_track, "it is not finished yet, as planned at this stage")),
    "已实施": ((S.done, "a one-off measure now in force"), (S.on_track, "a programme that is under way")),
    "已落实": ((S.done, "a one-off measure now in force"), (S.on_track, "a programme that is under way")),
    "暂停": _PAUSED,
    "已暂停": _PAUSED,
    "暂缓": _PAUSED,
    "暂缓实施": _PAUSED,
    "停工": _PAUSED,
    "已停工": _PAUSED,
}
_PERIOD = r"(第?[一二三四1-4]季度|上半年|前三季度|阶段性?|序时)"
_GOAL = r"(目标任务|计划任务|任务|目标|计划)"  # 全年目标任务, 上半年计划任务, 年度目标
# Wordings with a period in them (已完成二季度任务); checked in order after STATUS_WORDS.
STATUS_PATTERNS = (
    (re.compile(r"(已|超额|均已|均超额)?完成(全年|年度|全部)" + _GOAL), S.done),
    (re.compile(r"(已|均)?实现(全年|年度)" + _GOAL), S.done),
    (re.compile(r"(均|已)?超额完成" + _PERIOD + _GOAL), S.ahead),
    (re.compile(r"(已|均已)完成" + _PERIOD + r"(目标任务|计划任务|任务|目标|计划|进度)"), S.on_track),
    (re.compile(r"未完成" + _PERIOD + r"?(目标任务|计划任务|任务|目标|计划|进度)"), S.behind),
    (re.compile(r"未完成(全年|年度)" + _GOAL), S.behind),
)
STATUS_CHOICES = ", ".join(s.value for s in S)


def parse_status_map(specs) -> dict:
    """`--status-map 已完成=done,基本完成=on_track` (repeatable) → {wording: Status}."""
    mapping, problems = {}, []
    for spec in specs or ():
        for pair in re.split(r"[,，]", spec):
            if not pair.strip():
                continue
            wording, sep, status = pair.rpartition("=")
            if not sep or status.strip() not in model.Status.__members__:
                problems.append(Problem("", 0, 0, "", Code.BAD_FORMAT, f"--status-map {pair!r}: write wording=status, status one of {STATUS_CHOICES} (e.g. 基本完成=on_track)"))
                continue
            mapping[squash(wording)] = model.Status(status.strip())
    if problems:
        raise Refused(problems)
    return mapping


def status_for(wording: str, overrides: dict) -> Optional[model.Status]:
    """Our status for the city's wording: --status-map first, then STATUS_WORDS, then STATUS_PATTERNS."""
    key = squash(wording)
    if key in overrides:
        return overrides[key]
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    for pattern, status in STATUS_PATTERNS:
        if pattern.fullmatch(key):
            return status
    return None


def ambiguous_choices(wording: str) -> tuple:
    """((status, when it is meant), …) for a wording that is refused as ambiguous; () otherwise."""
    return AMBIGUOUS_STATUS.get(squash(wording), ())
