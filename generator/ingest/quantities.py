"""Stated quantities in official Chinese text: 2万个以上 → 20000 个, at_least.

One parser for the tools that read official text: `draft` (targets of a pledge) and
`import-progress` (figures of a progress text, and the 完成情况 cells of a completion table).

- **Numbers** are Arabic (`35`, `1.65`, `1,091,546.8`); 万 and 亿 multiply (`1.65万个` →
  16500 个, `170亿元` → 17000000000 元, `4507万平方米` → 45070000 平方米). Values are exact
  decimals, so 1.65万 is 16500 and not 16499.999…. Chinese numerals from 两/二 to 九十九
  (三档, 六个月, 两条) are read only in a clause that states no Arabic figure, and not in
  quotation marks (“三个课堂”), after 第 or 每, before 一 (五个一批), nor as years (三年行动):
  一 is never read (一件事, 一条龙, 一场戏 are names, not counts).
- **A unit is required**, from `UNITS` (个, 人次, 平方米, %, 个百分点 …, with a unit in brackets
  such as 套(户)). A number without one (12345热线, 5G, 6号线, 110千伏, 65岁) is not a quantity,
  nor a year (2024年), a date (6月底), a number right after 每 (每10万人: a rate's base) or a
  baseline (由1000元提高到3000元: only 3000元 is the target).
- **Rates**: 每小时 or 每人每月 next to a money amount make the unit 元/小时, 元/人/月.
- **Ranges**: 2—3个, 3-4个 → value 2, value_max 3, comparator `range`.
- **Comparators** are decided first by the validator's own rule (`checks.stated_comparator`:
  约, 不少于, 不低于, 超过, 不超过, 控制在 before the number; 以上, 余, 以下, 以内 after it), so a
  drafted target can never draw a `comparator-mismatch` warning; then by the words that rule
  does not know (`MORE_BEFORE`, `MORE_AFTER`: 超95%, 突破100家, 至少, 最高, 左右, 多); then a
  word in front of the first number of a list carries over to the rest (分别不低于70%和30%);
  otherwise `exactly`. 达到 and 达 are not qualifiers: 签约率达到75% is exactly 75 (达到75%以上
  is at_least, from 以上).
- **Clauses and metrics**: nothing inside brackets is split; a metric is a segment's words
  without its quantities, asides and the opening words that name nothing (年内, 争取, 加快, 完成,
  在…布局 …; 新增 stays), with one name per member of a series (一、二、三级… → 一级…, 二级…).
  For whom, before a verb that only carries the next one, is what it is of (为困难家庭实施无障碍
  改造 → 困难家庭无障碍改造); 新增建设 is 新增; a clause of being or having before 的 only
  describes (存在安全隐患的井盖 → 井盖; kept for a share, where it says of whom); a figure before
  X的Y counts X, which ends the name (改造100个村庄的供水管网 → 供水管网改造村庄). A percentage
  alone in its segment is named as a rate (全覆盖 → 覆盖率), a change (上调 → 上调幅度) or else a
  share (…幼儿园占比).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from generator.data import checks

Comparator = str  # a model.Comparator value: at_least, at_most, exactly, about, range

UNITS = (
    "个百分点", "平方公里", "平方米", "立方米", "千瓦时", "公里", "千米", "公顷", "千瓦", "兆瓦", "公斤", "千克",
    "人次", "场次", "册次", "户次", "批次", "个月", "小时", "分钟", "百分点",
    "米", "亩", "吨", "元", "人", "名", "户", "套", "间", "所", "处", "个", "条", "座", "台", "家", "场", "次",
    "张", "部", "项", "辆", "块", "册", "件", "份", "只", "头", "棵", "株", "盏", "根", "组", "支", "本", "篇",
    "班", "档", "天", "年", "栋", "幢", "床", "%",
)
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_MULTIPLIER = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
QUANTITY = re.compile(
    rf"(?P<num>{_NUMBER})"
    rf"(?:\s*(?P<dash>[—–\-~～至])\s*(?P<num2>{_NUMBER}))?"
    r"(?P<yu>余|多)?(?P<mult>[万亿])?(?P<yu2>余)?"
    rf"(?P<unit>{_UNIT})(?P<paren>[（(](?:户|间|套|个|人|处|座|台)[）)])?"
    r"(?P<rate>(?:每(?:人|户|月|年|天|日|小时|次))+)?"
)
# What a figure in these units measures, to tell apart two figures of one thing (改造老旧小区
# 3.5万户、350万平方米 → 改造老旧小区户数, 改造老旧小区面积).
UNIT_MEASURES = {"平方米": "面积", "平方公里": "面积", "亩": "面积", "公顷": "面积", "户": "户数", "人": "人数", "名": "人数", "人次": "人次", "元": "金额", "公里": "里程", "千米": "里程"}
# Words the validator's rule (checks.stated_comparator) does not know.
MORE_BEFORE = {"超": "at_least", "突破": "at_least", "至少": "at_least", "最少": "at_least", "最低": "at_least", "最多": "at_most", "最高": "at_most"}
MORE_AFTER = {"左右": "about", "多": "at_least"}
_BEFORE_WORDS = re.compile(r"(不少于|不低于|不超过|超过|控制在|突破|至少|最少|最低|最多|最高|达到|达|约|超)$")
_AFTER_WORDS = re.compile(r"以上|以下|以内|左右")
_ADVERB_BEFORE = re.compile(r"(至少|最少|最低|最多|最高)(?=[\u4e00-\u9fff]{1,3}$)")  # 至少新增1处
_RATE_BEFORE = re.compile(r"(?:每(?:人|户|月|年|天|日|小时|次))+$")
# 由1000元提高到3000元, 由500元、800元分别降低至200元、400元: the numbers before the verb are baselines.
BASELINE = _BASELINE = re.compile(r"[由从][^，,。；;]*?(?:分别)?(?:提高|降低|增加|减少|提升|上调|下调|调整|扩大|增长|压减|压缩|缩短|延长|增至|降至|提至)(?:到|至|为)?")
_LIST_JOINER = re.compile(r"\s*[、和及与]\s*(?:分别)?\s*$")


@dataclass
class Quantity:
    """One stated quantity. `start`/`end` span it in the text with its qualifying words."""

    value: float | int
    unit: str
    comparator: Comparator
    start: int
    end: int
    number_start: int
    number_end: int  # end of number, multiplier and unit
    value_max: Optional[float | int] = None
    words: Optional[str] = None  # the qualifying words, as written
    inherited: bool = False  # the comparator comes from an earlier number of the same list

    def span_text(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class Segment:
    """A part of a text holding one or more quantities: a clause, or one member of a list
    joined by 、 (新开工建设城中村改造项目10个、年内回迁项目10个 → two segments)."""

    start: int
    end: int
    quantities: list = field(default_factory=list)

    def text(self, source: str) -> str:
        return source[self.start : self.end].strip()


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


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


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


def _plain(value: Decimal) -> float | int:
    """16500.00 → 16500; 23.58 → 23.58."""
    return int(value) if value == value.to_integral_value() else float(value)


def _baselines(text: str) -> list:
    return [(m.start(), m.end()) for m in _BASELINE.finditer(text)]


def find_quantities(text: str) -> list:
    """Every quantity in `text`, in order (see the module's rules)."""
    found: list = []
    baselines = _baselines(text)
    for m in QUANTITY.finditer(text):
        start = m.start("num")
        before = text[max(0, start - 1) : start]
        if before and (before.isascii() and before.isalnum() or before in ".．第每"):
            continue  # part of a longer token (A1, 3.5.1), an ordinal (第3), a rate's base (每10万人)
        if any(b0 <= start < b1 for b0, b1 in baselines):
            continue
        unit = m.group("unit")
        value = _decimal(m.group("num")) * _MULTIPLIER.get(m.group("mult") or "", Decimal(1))
        if unit == "年" and not m.group("mult") and (value >= 1900 or text.startswith("内", m.end("unit"))):
            continue  # a year (2024年), or a time frame (5年内)
        if unit == "%" and m.group("mult"):
            continue
        unit_text = unit + (m.group("paren") or "")
        rate = m.group("rate")
        rate_before = _RATE_BEFORE.search(text, 0, start)
        if unit == "元" and rate:
            unit_text = "元/" + "/".join(re.findall(r"每(人|户|月|年|天|日|小时|次)", rate))
        elif unit == "元" and rate_before:
            unit_text = "元/" + "/".join(re.findall(r"每(人|户|月|年|天|日|小时|次)", rate_before.group()))
        number_end = m.end("paren") if m.group("paren") else m.end("unit")
        end = m.end("rate") if rate and unit == "元" else number_end
        after = _AFTER_WORDS.match(text, end)
        if after:
            end = after.end()
        q_start = start
        words = _BEFORE_WORDS.search(text, max(0, start - 3), start) or _ADVERB_BEFORE.search(text, max(0, start - 5), start)
        if words:
            q_start = words.start()
        value_max = None
        if m.group("num2"):
            value_max = _decimal(m.group("num2")) * _MULTIPLIER.get(m.group("mult") or "", Decimal(1))
            if value_max <= value:
                continue  # 4.8-7.19 is two dates, not a range
        q = Quantity(
            value=_plain(value),
            unit=unit_text,
            comparator="range" if value_max is not None else "exactly",
            start=q_start,
            end=end,
            number_start=start,
            number_end=number_end,
            value_max=_plain(value_max) if value_max is not None else None,
        )
        found.append((q, m, words.group(1) if words else None, after.group() if after else None))
    found += _in_words(text, baselines, [q for q, *_ in found])
    found.sort(key=lambda f: f[0].number_start)
    quantities = []
    for q, m, before_word, after_word in found:
        if q.comparator != "range":
            q.comparator, q.words = _comparator(text, q, m, before_word, after_word)
        quantities.append(q)
    _share_in_lists(text, quantities)
    return quantities


# 三档, 六个月, 两条: the numeral (两/二 … 九十九, never 一 alone), then a unit; 年 is left out (三年行动).
CN_QUANTITY = re.compile(
    rf"(?P<num>[二两三四五六七八九]?十[一二三四五六七八九]?|[二两三四五六七八九])"
    rf"(?P<num2>)(?P<yu>余|多)?(?P<mult>)(?P<yu2>)(?P<unit>(?!年)(?:{_UNIT}))(?P<paren>)(?P<rate>)(?!一|方面)"
)


def _in_words(text: str, baselines: list, arabic: list) -> list:
    """Chinese-numeral quantities (三档, 六个月) of the clauses that state no Arabic figure,
    outside quotation marks and baselines, as `find_quantities`' (quantity, match, words,
    after) tuples."""
    quoted = _depth(text, "“「", "”」")
    out = []
    for c0, c1 in clauses(text):
        if any(c0 <= q.number_start < c1 for q in arabic):
            continue
        for m in CN_QUANTITY.finditer(text, c0, c1):
            start = m.start("num")
            before = text[max(0, start - 1) : start]
            if before in ("第", "每", "一") or quoted[start] or any(b0 <= start < b1 for b0, b1 in baselines):
                continue
            end = m.end("unit")
            after = _AFTER_WORDS.match(text, end)
            words = _BEFORE_WORDS.search(text, max(0, start - 3), start)
            q_start, q_end = (words.start() if words else start), (after.end() if after else end)
            q = Quantity(value=cn_number(m.group("num")), unit=m.group("unit"), comparator="exactly", start=q_start, end=q_end, number_start=start, number_end=end)
            out.append((q, m, words.group(1) if words else None, after.group() if after else None))
    return out


def _comparator(text: str, q: Quantity, m, before_word: Optional[str], after_word: Optional[str]):
    """(comparator, words): the validator's rule first, then the words it does not know."""
    local = text[q.start : min(len(text), q.end + 6)]
    stated = checks.stated_comparator(local, q.value)
    if stated:
        return stated[1].value, stated[0]
    if before_word in MORE_BEFORE:
        return MORE_BEFORE[before_word], before_word
    yu = m.group("yu") or m.group("yu2")
    if yu == "多":
        return "at_least", yu
    if after_word in MORE_AFTER:
        return MORE_AFTER[after_word], after_word
    return "exactly", None


def _share_in_lists(text: str, quantities: list) -> None:
    """分别不低于70%和30%: a word before the first number of a list qualifies all of them;
    二孩500元、三孩600元每人每月: a rate after the last money amount applies to all."""
    for prev, q in zip(quantities, quantities[1:], strict=False):
        between = text[prev.end : q.start]
        if not _LIST_JOINER.fullmatch(between) and between.strip() not in ("", "、"):
            continue
        if q.comparator == "exactly" and q.words is None and prev.words and prev.comparator != "exactly" and prev.unit == q.unit:
            q.comparator, q.words, q.inherited = prev.comparator, prev.words, True
    for q, nxt in zip(reversed(quantities[:-1]), reversed(quantities[1:]), strict=False):
        if q.unit == "元" and nxt.unit.startswith("元/") and re.fullmatch(r"[、和及与]?[^，,。；;、\d]{0,6}", text[q.end : nxt.number_start]):
            q.unit = nxt.unit


# --- clauses and segments ------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d)|[，；;。！？!?：:\n]")
_OPEN, _SHUT = "（(〔【[", "）)〕】]"


def bracket_depth(text: str) -> list:
    """How deep inside （）/()/〔〕/【】/[] each character of `text` is: nothing inside brackets
    is split (多功能运动场1处(含乒乓球台、篮球场,10套健身器械) is one clause and one segment)."""
    return _depth(text, _OPEN, _SHUT)


def _depth(text: str, opening: str, closing: str) -> list:
    """How many of `opening` each character of `text` stands inside (brackets, or quotation
    marks “…”/「…」: a Chinese numeral in quotes is a name, 三个课堂)."""
    depths, depth = [], 0
    for ch in text:
        if ch in closing:
            depth = max(0, depth - 1)
        depths.append(depth)
        if ch in opening:
            depth += 1
    return depths


def clauses(text: str) -> list:
    """(start, end) of each clause: the text between ，；。！？： outside brackets (a comma
    between digits is a thousands separator)."""
    depths = bracket_depth(text)
    out, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        if depths[m.start()]:
            continue
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def segments(text: str) -> list:
    """The clauses of `text` that hold quantities, split further at a 、 between two members
    that each name what they count (…项目10个、年内回迁项目10个); a bare list (达到80%、70%、60%)
    stays one segment."""
    quantities = find_quantities(text)
    out = []
    for c0, c1 in clauses(text):
        inside = [q for q in quantities if c0 <= q.number_start < c1]
        if not inside:
            continue
        pieces, start = [], c0
        depths = bracket_depth(text)
        for m in re.finditer("、", text[c0:c1]):
            if depths[c0 + m.start()]:
                continue
            pieces.append((start, c0 + m.start()))
            start = c0 + m.end()
        pieces.append((start, c1))
        current: Optional[Segment] = None
        for p0, p1 in pieces:
            mine = [q for q in inside if p0 <= q.number_start < p1]
            worded = mine and _has_words(text, p0, p1, mine)
            if current is None:
                current = Segment(p0, p1, list(mine))
            elif current.quantities and mine and worded:
                out.append(current)
                current = Segment(p0, p1, list(mine))
            else:
                current.end = p1
                current.quantities.extend(mine)
        if current is not None and current.quantities:
            out.append(current)
    return out


def _has_words(text: str, start: int, end: int, inside: list) -> bool:
    """Does text[start:end] say more than its quantities (at least two characters of words)?"""
    rest = text[start:end]
    for q in sorted(inside, key=lambda q: -q.start):
        rest = rest[: q.start - start] + rest[q.end - start :]
    return len(re.sub(r"[\W\d_]", "", rest)) >= 2


# Words that open a clause but name nothing it counts: time frames (年内, 2024年底), hedges
# (力争, 争取, 预计), scope (全市, 其中), manner (加快, 大力, 精心, 分批分类) and the verbs of doing
# (实现, 完成, 建设 …). 新增, 新建, 培训, 改造 stay: they are part of official metric names (新增托位).
_LEADING_WORDS = re.compile(
    r"^(?:\d{4}年(?:底|末|内)?前?|到\d{4}年底?|年内|(?:[一二三四五两]年内|[一二三四五两]年|当年|全年)(?=[\u4e00-\u9fff]{3})|"
    r"全市|全县|全区|其中|将|力争|争取|确保|保障|预计|计划|可|进一步|各类|"
    r"加快|持续|深入|积极|全面|继续|着力|大力|精心|逐步|分批|分类|"
    r"实现|完成|建设|建成|实施|开展|打造|推进|推动|累计|举办|举行|开办|筹集|发布|培育|形成|布局|"
    r"在(?!职)[^，,的]{2,30}?(?:院内|内)?(?=建设|新建|增设|实施|开展|打造|建成|布局|培育))"
)
# 为困难残疾人家庭实施无障碍改造 → 困难残疾人家庭无障碍改造: for whom (对/为 …) before a verb that
# only carries the one after it (实施, 进行, 开展) is what the metric is of.
_FOR_WHOM = re.compile(r"^[对为]([^，,；;]{2,20}?)(?:实施|进行|开展)(?=[\u4e00-\u9fff]{2})")
# 新增建设电动自行车充电口 → 新增电动自行车充电口: 建设 after 新增/新开工 repeats what they say.
_BUILD_AFTER_NEW = re.compile(r"^(新增|新开工)建设(?=[\u4e00-\u9fff]{2})")
_TRAILING_WORDS = re.compile(r"(?:分别|达到|提高到|提高至|提升到|提升至|增加到|增加至|降低到|降低至|扩大至|扩大到|稳定在|保持在|预计|任务|达|为|至|到)$")


def _without_asides(text: str) -> str:
    """text without its bracketed asides that list or count things ((含乒乓球台、篮球场…));
    a bracket that names (AED), (点) stays."""
    depths = bracket_depth(text)
    out, i = [], 0
    while i < len(text):
        if text[i] in _OPEN and depths[i] == 0:
            j = i + 1
            while j < len(text) and depths[j] > 0:
                j += 1
            inside = text[i + 1 : j]
            if re.search(r"[、，,；;]|^(?:含|包括|其中)|\d", inside):
                i = j + 1
                continue
            out.append(text[i : j + 1])
            i = j + 1
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def strip_leading(text: str, keep: int = 3) -> str:
    """text without its opening time frames, hedges, manner words and verbs of doing (年内完成
    小区改造 → 小区改造), as long as `keep` characters remain; 对/为 X 实施 Y → X Y, 新增建设 → 新增."""
    previous = None
    while previous != text:
        previous = text
        m = _LEADING_WORDS.match(text)
        if m and len(text) - m.end() >= keep:
            text = text[m.end() :]
        text = _FOR_WHOM.sub(r"\1", text)
        text = _BUILD_AFTER_NEW.sub(r"\1", text)
    return text


def _tidy(rest: str) -> str:
    """Drop what reads badly at either end: joining words, 的, verbs of reaching (分别达到) and,
    at the start, time frames, hedges and verbs of doing (年内完成小区改造 → 小区改造), as long as
    three characters remain."""
    previous = None
    while previous != rest:
        previous = rest
        rest = re.sub(r"^[的、和及与，,]+|[的、和及与等，,]+$|“”", "", rest)  # (“”: a quoted figure, 实现“4个100%”)
        rest = strip_leading(_TRAILING_WORDS.sub("", rest))
    return rest


_SHARES = ("%", "个百分点")  # the units of a share or a change of one
_FIGURE = "\ue000"  # where a quantity was cut out of a metric, until the rules below have read it
# 存在安全隐患的井盖 → 井盖: a clause of being or having (存在, 具有, 符合, 集…于一体, 全省领先)
# before 的 describes what is counted; it does not name it. (以助餐功能为主的 says which kind: it stays.)
_DESCRIBING = re.compile(
    rf"(?:(?<![所现没享含占具拥])有|具有|具备|拥有|存在|符合|地处|位于|集[^的，,{_FIGURE}]{{1,20}}于一体)"
    rf"[^的，,{_FIGURE}]{{0,20}}的|[^的，,、{_FIGURE}]{{2}}(?:领先|一流)的"
)
# 改造100个村庄的村内供水管网 → 村内供水管网改造村庄: a figure before X的Y counts X.
_COUNTS_MODIFIER = re.compile(rf"([^{_FIGURE}]*){_FIGURE}([^{_FIGURE}的、，,]{{1,4}})的([^{_FIGURE}]{{2,}})")


def metric_of(segment_text: str, quantities: list, offset: int) -> str:
    """What a segment counts, in its own words: the segment without its quantities, its
    qualifiers, its asides and the words around that name nothing (全市新增托位6000个以上 →
    新增托位). Ours: the maintainer checks it."""
    rest = segment_text
    cuts = [(q.start - offset, q.end - offset) for q in quantities] + _baselines(segment_text)
    for a, b in sorted(cuts, reverse=True):
        rest = rest[:a] + _FIGURE + rest[b:]
    rest = re.sub(r"\s+", "", _without_asides(rest))
    rest = re.sub(rf"按(?:照)?{_FIGURE}?的?(比例|标准)(?:给予|予以)(\w{{1,4}})$", r"\2\1", rest)  # 按90%的比例给予救助 → 救助比例
    if not any(q.unit in _SHARES for q in quantities):  # (of a share, the clause says of whom: 有入住意愿的老年人)
        rest = _DESCRIBING.sub("", rest)
    counted = _COUNTS_MODIFIER.fullmatch(rest)
    if counted:
        rest = counted.group(3) + strip_leading(counted.group(1), keep=0) + counted.group(2)
    return _tidy(rest.replace(_FIGURE, ""))[:60]


def metrics_for(segment_text: str, quantities: list, offset: int) -> list:
    """One metric per quantity of a segment: a figure in a bracketed aside is named by the
    words after it (10套健身器械 → 健身器械); the figures of a series (一、二、三级医疗机构报销
    比例分别达到80%、70%、60%) each by their member (一级医疗机构报销比例 …); the rest share
    the segment's metric."""
    base = metric_of(segment_text, quantities, offset)
    depths = bracket_depth(segment_text)
    inside = [q for q in quantities if depths[q.number_start - offset] > 0]
    main = [q for q in quantities if q not in inside]
    names = {}
    for q in inside:
        after = re.match(r"[^、，,；;）)〕】\]\d]{2,20}", segment_text[q.end - offset :])
        names[id(q)] = _tidy(after.group()) if after else base
    series = _series(base, len(main)) if len(main) >= 2 else None
    for k, q in enumerate(main):
        names[id(q)] = series[k] if series else base
    if len(quantities) > 1:  # (各补助50%, “4个100%”: a percentage beside other figures is a part of them)
        return [names[id(q)] for q in quantities]
    return [_of_a_percentage(names[id(q)], q.unit) for q in quantities]


_CHANGE = re.compile(r"(?:提高|提升|上调|降低|下调|下降)$")
_RATIO = re.compile(r"(?:率|比例|比重|占比|幅度|增长|增速|量|额|标准|指数)$")


def _of_a_percentage(metric: str, unit: str) -> str:
    """A percentage alone in its segment is a rate, a change or a share, and its name says which: 公立医疗机构全覆盖
    → 公立医疗机构覆盖率, 最低工资标准平均上调 → …上调幅度, 省级一类以上幼儿园 → …幼儿园占比."""
    if unit not in _SHARES or not metric or _RATIO.search(metric):
        return metric
    if _CHANGE.search(metric):
        return metric + "幅度"
    if unit != "%":
        return metric
    covers = re.fullmatch(r"(.*?)全?覆盖(?:全市|全县|全区)?(.*)", metric)
    return covers.group(1) + covers.group(2) + "覆盖率" if covers else metric + "占比"


def _series(metric: str, n: int) -> Optional[list]:
    """一、二、三级医疗机构报销比例 with 3 figures → the metric of each member: the members
    between the first and the last have one length k; the first member is the last k
    characters of the first part (what precedes is shared), the last member the first k of
    the last part (what follows is shared). Two members only when the first is at most four
    characters (在职职工、退休人员年度最高支付限额)."""
    parts = metric.split("、")
    for first in range(0, len(parts) - n + 1):
        window = parts[first : first + n]
        middle = window[1:-1]
        if middle:
            k = len(middle[0])
            if any(len(m) != k for m in middle):
                continue
        else:
            k = len(window[0])
            if k > 4:
                continue
        if len(window[0]) < k or len(window[-1]) <= k or (first and len(window[0]) == k):
            continue  # (the series goes on before the window: its figures are not all here)
        prefix = "、".join(parts[:first] + [window[0][:-k]]) if first else window[0][:-k]
        suffix = window[-1][k:]
        after = "、".join([suffix] + parts[first + n :]) if first + n < len(parts) else suffix
        members = [window[0][-k:], *middle, window[-1][:k]]
        return [_tidy(prefix + m + after) for m in members]
    return None


def parse_amount(cell: str) -> Optional[Quantity]:
    """The one quantity a table cell states (`18.44万人`, `约519万平方米`), or None when it
    states none or several."""
    found = find_quantities(cell.strip())
    return found[0] if len(found) == 1 else None
