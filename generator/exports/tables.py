"""The whole dataset as related tables: lists, items, targets, reports, progress, sources,
and the candidates a 票决 did not choose.

One description of the tables (`TABLES`: columns with their types, constraints and a
plain-Chinese meaning; primary and foreign keys) and one function that fills them
(`rows`). Both the Frictionless Data Package (datapackage.py: CSV files and a Table
Schema each) and the SQLite database (sqlite.py) are written from these, so the two can
never disagree with each other, with the per-list CSVs, or with the pages: the figures
come from derive.py like everywhere else.

Keys are readable text, the site's own addresses: a list is `qingdao/2024`, an item
`qingdao/2024/6-3`, a report or a source `qingdao/2024/<its id in the data>`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator import derive
from generator.core import model, urls
from generator.core.model import walk_items
from generator.data.dataset import Dataset


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, date, boolean
    description: str  # plain Chinese, for datapackage.json and the data page
    required: bool = False
    unique: bool = False
    enum: tuple = ()


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple
    table: str
    to: tuple


@dataclass(frozen=True)
class Table:
    name: str
    title: str  # what one row is, in Chinese
    columns: tuple
    primary_key: tuple
    foreign_keys: tuple = ()
    indexes: tuple = ()  # column tuples the SQLite database indexes (foreign keys and filters)
    column_names: tuple = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))


STATUSES = tuple(derive.STATUS_ORDER)  # the common scale, plus `none`: no report mentions the item
BASES = (derive.OFFICIAL, derive.ASSESSED, derive.SUMMARY, "none")


def _codes(statuses) -> str:
    return "状态代码（本站归类）：" + " ".join(f"{s}={derive.STATUS_LABELS[s]}" for s in statuses)


_BASIS = "状态是谁说的：official=报告逐项的原话（官方表述），assessed=报告没有逐项措辞、由本站按规则判断"
_BASIS_ITEM = _BASIS + "，summary=父项按子项概括（本站概括），none=没有进展报告"

LISTS = Table(
    "lists",
    "一份清单（某城市某年发布的民生实事清单）",
    (
        Column("list", "string", "清单代码：城市代码/年份，如 qingdao/2024", required=True, unique=True),
        Column("city", "string", "城市代码（小写拼音），如 qingdao", required=True),
        Column("city_name", "string", "城市正式名称，如 青岛市", required=True),
        Column("province", "string", "所在省份，如 山东省", required=True),
        Column("year", "integer", "清单年份（清单发布的年份）", required=True),
        Column("title", "string", "清单标题，来源原文", required=True),
        Column("kind", "string", "来源对清单的叫法，如 市办实事", required=True),
        Column("issuer", "string", "印发清单的机关", required=True),
        Column("published", "date", "发布日期；来源没有写明时为空"),
        Column("period_start", "date", "清单周期开始日期", required=True),
        Column("period_end", "date", "清单周期结束日期", required=True),
        Column("deadline", "date", "清单统一的完成期限；没有写明时为空"),
        Column("source", "string", "清单本身的来源文件，对应 sources 表的 source", required=True),
        Column("items", "integer", "事项数，含子项", required=True),
        Column("planned_investment_items", "integer", "写明计划投资的一级事项数（事项自己写明的，或其子项全都写明的）"),
        Column("planned_investment_total", "number", "计划投资合计（元，本站合计）：只在每个一级事项都写明时给出，否则为空"),
        Column("vote_body", "string", "人大代表票决：谁投票表决，来源原文；没有票决记录时为空"),
        Column("vote_date", "date", "票决日期"),
        Column("vote_source", "string", "票决记录的来源文件，对应 sources 表的 source"),
        Column("vote_voters", "integer", "参加表决的人数（来源写明时）"),
        Column("vote_candidates", "integer", "付诸表决的候选项目数（来源写明时）"),
        Column("satisfaction_by", "string", "满意度测评：由谁测评，来源原文；没有测评记录时为空"),
        Column("satisfaction_date", "date", "测评日期"),
        Column("satisfaction_source", "string", "测评结果的来源文件，对应 sources 表的 source"),
        Column("satisfaction_scale", "string", "测评结果的单位：count=人数，percent=百分比", enum=("count", "percent")),
        Column("satisfaction_respondents", "integer", "参加测评的人数（来源写明时）"),
        Column("note", "string", "本站注"),
        Column("url", "string", "清单在本站的页面", required=True, unique=True),
        Column("csv_url", "string", "这份清单的 CSV 下载地址", required=True, unique=True),
        Column("json_url", "string", "这份清单的 JSON 下载地址", required=True, unique=True),
    ),
    ("list",),
    (ForeignKey(("source",), "sources", ("source",)), ForeignKey(("vote_source",), "sources", ("source",)), ForeignKey(("satisfaction_source",), "sources", ("source",))),
    (("city",),),
)

ITEMS = Table(
    "items",
    "一件事项或一个子项",
    (
        Column("item", "string", "事项代码：城市代码/年份/编号，如 qingdao/2024/6-3；也是本站网址的路径", required=True, unique=True),
        Column("list", "string", "所属清单，对应 lists 表的 list", required=True),
        Column("city", "string", "城市代码", required=True),
        Column("year", "integer", "清单年份", required=True),
        Column("id", "string", "事项编号，来源自己的编号；子项为“父项编号-序号”，如 6-3", required=True),
        Column("parent", "string", "子项所属事项的事项代码；一级事项为空"),
        Column("position", "integer", "在清单里的顺序（从1起，与来源顺序一致，子项紧跟父项）", required=True),
        Column("label", "string", "来源自己的序号写法，如 第六件"),
        Column("section", "string", "所属分类标题，来源原文；多级分类用 › 连接"),
        Column("title", "string", "本站拟的简称（本站所加）"),
        Column("text", "string", "承诺原文，逐字录入", required=True),
        Column("goal", "string", "任务目标，来源原文"),
        Column("explanation", "string", "官方说明，来源原文"),
        Column("lead", "string", "牵头/责任单位，原文，多个用顿号（、）连接；子项没有写明时沿用父项的"),
        Column("topics", "string", "本站归入的专题代码（本站所加），多个用英文分号（;）连接"),
        Column("deadline", "date", "完成期限：事项自己的，没有则沿用父项、清单的期限，再没有则为清单周期的结束日期"),
        Column("deadline_inferred", "string", "完成期限由本站推定时的理由；来源写明的为空"),
        Column("status", "string", "最新" + _codes(STATUSES), required=True, enum=STATUSES),
        Column("status_label", "string", "最新状态的中文名称", required=True, enum=tuple(derive.STATUS_LABELS[s] for s in STATUSES)),
        Column("status_text", "string", "最新报告对该项状态的原话；报告没有单独措辞时为空"),
        Column("status_basis", "string", _BASIS_ITEM, required=True, enum=BASES),
        Column("status_reason", "string", "本站判断或概括的一句依据；官方表述时为空"),
        Column("percent", "number", "最新完成比例（百分数）：报告给出的，否则按报告值÷目标值计算的最低一项"),
        Column("expected_pace", "number", "序时进度（百分数，本站计算）：到最新报告截至日期时，清单周期开始到完成期限已过去的时间比例；已完成、已取消的为空"),
        Column("pace_gap", "number", "完成比例比序时进度低多少个百分点（负数为领先）；缺一个数字时为空"),
        Column("as_of", "date", "最新报告的截至日期"),
        Column("report", "string", "最新报告，对应 reports 表的 report"),
        Column("stale", "boolean", "信息是否已过时（以本站数据更新日为准，规则见方法说明）", required=True),
        Column("stale_reason", "string", "过时的原因；未过时为空"),
        Column("planned_investment", "number", "计划投资（元）：事项自己写明的，否则为其子项全都写明时的合计；没有则为空"),
        Column("planned_investment_text", "string", "计划投资的原文措辞；由子项合计时为空"),
        Column("completed_investment", "number", "最新一期写明完成投资的报告所报的完成投资（元）"),
        Column("completed_investment_as_of", "date", "该完成投资的截至日期"),
        Column("vote_in_favour", "integer", "人大代表票决的赞成票"),
        Column("vote_against", "integer", "反对票"),
        Column("vote_abstaining", "integer", "弃权票"),
        Column("satisfied", "number", "满意度测评的“满意”：人数或百分比，见 lists 表的 satisfaction_scale"),
        Column("basically_satisfied", "number", "“基本满意”：人数或百分比"),
        Column("dissatisfied", "number", "“不满意”：人数或百分比"),
        Column("satisfaction_rate", "number", "来源写明的满意率（百分数）"),
        Column("note", "string", "本站注"),
        Column("url", "string", "该项在本站的永久链接", required=True, unique=True),
    ),
    ("item",),
    (ForeignKey(("list",), "lists", ("list",)), ForeignKey(("parent",), "items", ("item",)), ForeignKey(("report",), "reports", ("report",))),
    (("list",), ("parent",), ("report",), ("city", "year"), ("status",)),
)

TARGETS = Table(
    "targets",
    "一件事项的一个量化目标（或定性目标）",
    (
        Column("item", "string", "所属事项，对应 items 表的 item", required=True),
        Column("n", "integer", "该事项的第几个目标（从1起）", required=True),
        Column("text", "string", "目标的原文措辞", required=True),
        Column("metric", "string", "指标：数的是什么，如 新增托位", required=True),
        Column("qualitative", "boolean", "是否为没有数字的定性目标", required=True),
        Column("value", "number", "目标数值，换算成基本单位（2万 → 20000）"),
        Column("value_max", "number", "范围的上限（comparator 为 range 时）"),
        Column("unit", "string", "单位，如 个、人、公里"),
        Column("comparator", "string", "比较方式：at_least=以上/不少于，at_most=以内/不超过，exactly=正好，about=约，range=范围", enum=tuple(c.value for c in model.Comparator)),
        Column("deadline", "date", "该目标自己的期限"),
    ),
    ("item", "n"),
    (ForeignKey(("item",), "items", ("item",)),),
    (("item",),),
)

REPORTS = Table(
    "reports",
    "一份进展报告",
    (
        Column("report", "string", "报告代码：城市代码/年份/报告代码，如 qingdao/2024/h1", required=True, unique=True),
        Column("list", "string", "所属清单，对应 lists 表的 list", required=True),
        Column("title", "string", "报告标题", required=True),
        Column("kind", "string", "报告种类：monthly=月报，quarterly=季报，half_year=半年，year_end=年终，final=期满，other=其他", required=True, enum=("monthly", "quarterly", "half_year", "year_end", "final", "other")),
        Column("as_of", "date", "数字截至的日期（“截至…”）", required=True),
        Column("published", "date", "报告发布日期", required=True),
        Column("source", "string", "报告的来源文件，对应 sources 表的 source", required=True),
        Column("summary", "string", "报告自己的总体情况，原文"),
        Column("note", "string", "本站注"),
    ),
    ("report",),
    (ForeignKey(("list",), "lists", ("list",)), ForeignKey(("source",), "sources", ("source",))),
    (("list",), ("source",)),
)

PROGRESS = Table(
    "progress",
    "一份进展报告对一件事项说了什么",
    (
        Column("item", "string", "事项，对应 items 表的 item", required=True),
        Column("report", "string", "报告，对应 reports 表的 report", required=True),
        Column("as_of", "date", "报告的截至日期", required=True),
        Column("status", "string", "这一期的" + _codes(STATUSES[:-1]), required=True, enum=STATUSES[:-1]),
        Column("status_text", "string", "报告对该项状态的原话；没有单独措辞时为空"),
        Column("status_basis", "string", _BASIS, required=True, enum=BASES[:2]),
        Column("status_reason", "string", "本站判断的一句依据；官方表述时为空"),
        Column("percent", "number", "这一期的完成比例（百分数）：报告给出的，否则按报告值÷目标值计算的最低一项"),
        Column("reported_percent", "number", "报告直接给出的总体完成比例；没有时为空"),
        Column("expected_pace", "number", "报告截至日期的序时进度（百分数，本站计算；已完成、已取消的为空）"),
        Column("measures", "string", "报告的各项数字：指标：数值单位，多个用“; ”连接"),
        Column("text", "string", "报告对该项的文字，原文"),
        Column("investment", "number", "报告所说到这时的完成投资（元）"),
        Column("investment_text", "string", "完成投资的原文措辞"),
        Column("note", "string", "本站注"),
        Column("url", "string", "这条进展在本站事项页上的位置", required=True, unique=True),
    ),
    ("item", "report"),
    (ForeignKey(("item",), "items", ("item",)), ForeignKey(("report",), "reports", ("report",))),
    (("item",), ("report",), ("status",)),
)

SOURCES = Table(
    "sources",
    "一份来源文件（清单或进展报告的出处）",
    (
        Column("source", "string", "来源代码：城市代码/年份/来源代码", required=True, unique=True),
        Column("list", "string", "引用它的清单，对应 lists 表的 list", required=True),
        Column("title", "string", "文件标题", required=True),
        Column("publisher", "string", "发布者", required=True),
        Column("date", "date", "发布日期", required=True),
        Column("url", "string", "原始网址"),
        Column("document_number", "string", "文号"),
        Column("obtained", "string", "本站副本的取得方式（本站所加）", required=True),
        Column("retrieved", "date", "本站取得副本的日期"),
        Column("archive_url", "string", "本站存档页面的完整网址；没有存档时为空"),
        Column("script", "string", "原文字体：simplified=简体，traditional_converted=原为繁体、已转为简体", required=True, enum=tuple(s.value for s in model.Script)),
        Column("note", "string", "本站注"),
    ),
    ("source",),
    (ForeignKey(("list",), "lists", ("list",)),),
    (("list",),),
)

CANDIDATES = Table(
    "candidates",
    "人大代表票决中未入选的一个候选项目",
    (
        Column("list", "string", "所属清单，对应 lists 表的 list", required=True),
        Column("n", "integer", "第几个（从1起，与来源顺序一致）", required=True),
        Column("text", "string", "候选项目，来源原文", required=True),
        Column("in_favour", "integer", "赞成票"),
        Column("against", "integer", "反对票"),
        Column("abstaining", "integer", "弃权票"),
    ),
    ("list", "n"),
    (ForeignKey(("list",), "lists", ("list",)),),
    (("list",),),
)

TABLES = (LISTS, SOURCES, REPORTS, ITEMS, TARGETS, PROGRESS, CANDIDATES)  # an order in which every key points back


def list_key(city: str, year: int) -> str:
    return urls.record_key(city, year)


def child_key(city: str, year: int, child_id: str) -> str:
    """An item, report or source of one list: `qingdao/2024/6-3`, `qingdao/2024/h1`."""
    return urls.record_key(city, year, child_id)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _float(value) -> float | None:
    return None if value is None else float(value)


def _gap(percent: float | None, pace: float | None) -> float | None:
    return None if percent is None or pace is None else round(pace - percent, 1)


def _measures(ms: list) -> str | None:
    """The figures of a progress entry on one line: `新增托位：3,200个（53.3%）; 开工率：80%`."""
    parts = []
    for m in ms:
        value = derive.format_measure(m)
        percent = "" if m.percent is None else f"{m.percent:g}%"
        parts.append(f"{m.metric}：{value}（{percent}）" if value and percent else f"{m.metric}：{value or percent}")
    return "; ".join(parts) or None


def _archive_url(site_url: str, source: model.Source) -> str | None:
    return urls.absolute(site_url, urls.source(urls.capture_stem(source.archive))) if source.archive else None


def _list_verdicts(pl: model.PledgeList) -> dict:
    """A list's money total and its 票决 and 测评 records, as lists-table cells."""
    money = derive.list_investment(pl)
    vote, assessment = pl.vote, pl.satisfaction
    return {
        "planned_investment_items": money.stated if money else 0,
        "planned_investment_total": _float(money.total) if money else None,
        "vote_body": vote.body if vote else None,
        "vote_date": _date(vote.date) if vote else None,
        "vote_source": child_key(pl.city, pl.year, vote.source) if vote else None,
        "vote_voters": vote.voters if vote else None,
        "vote_candidates": vote.candidates if vote else None,
        "satisfaction_by": assessment.by if assessment else None,
        "satisfaction_date": _date(assessment.date) if assessment else None,
        "satisfaction_source": child_key(pl.city, pl.year, assessment.source) if assessment else None,
        "satisfaction_scale": assessment.scale if assessment else None,
        "satisfaction_respondents": assessment.respondents if assessment else None,
    }


MONEY_AND_VERDICT_COLUMNS = (
    "planned_investment", "planned_investment_text", "completed_investment", "completed_investment_as_of",
    "vote_in_favour", "vote_against", "vote_abstaining", "satisfied", "basically_satisfied", "dissatisfied", "satisfaction_rate",
)


def item_money_and_verdicts(item: model.Item, money: derive.Investment | None) -> dict:
    """An item's investment, votes and 测评 result as cells: the items table and the CSV share them."""
    votes, result = item.vote, item.satisfaction
    return {
        "planned_investment": _float(money.planned) if money else None,
        "planned_investment_text": money.planned_text if money else None,
        "completed_investment": _float(money.completed) if money else None,
        "completed_investment_as_of": _date(money.completed_report.as_of) if money and money.completed_report else None,
        "vote_in_favour": votes.in_favour if votes else None,
        "vote_against": votes.against if votes else None,
        "vote_abstaining": votes.abstaining if votes else None,
        "satisfied": _float(result.satisfied) if result else None,
        "basically_satisfied": _float(result.basically_satisfied) if result else None,
        "dissatisfied": _float(result.dissatisfied) if result else None,
        "satisfaction_rate": _float(result.rate) if result else None,
    }


def rows(ds: Dataset, site_url: str, on: dt.date) -> dict[str, list[dict]]:
    """Every table's rows as {column: value} (None for empty), in a fixed order: lists by
    city and year, then source order within a list. `on` is the build date (staleness)."""
    out: dict[str, list[dict]] = {t.name: [] for t in TABLES}
    for key in sorted(ds.lists):
        pl = ds.lists[key].data
        city = ds.cities.get(pl.city)
        lk = list_key(pl.city, pl.year)
        flat = list(walk_items(pl.items))
        out["lists"].append(
            {
                "list": lk,
                "city": pl.city,
                "city_name": city.name if city else pl.city,
                "province": city.province if city else "",
                "year": pl.year,
                "title": pl.title,
                "kind": pl.kind,
                "issuer": pl.issuer,
                "published": _date(pl.published),
                "period_start": _date(pl.period.start),
                "period_end": _date(pl.period.end),
                "deadline": _date(pl.deadline),
                "source": child_key(pl.city, pl.year, derive.list_source(pl).id),
                "items": len(flat),
                **_list_verdicts(pl),
                "note": pl.note,
                "url": urls.absolute(site_url, urls.city_year(pl.city, pl.year)),
                "csv_url": urls.absolute(site_url, urls.list_csv(pl.city, pl.year)),
                "json_url": urls.absolute(site_url, urls.list_json(pl.city, pl.year)),
            }
        )
        for s in pl.sources:
            out["sources"].append(
                {
                    "source": child_key(pl.city, pl.year, s.id),
                    "list": lk,
                    "title": s.title,
                    "publisher": s.publisher,
                    "date": _date(s.date),
                    "url": s.url,
                    "document_number": s.document_number,
                    "obtained": s.obtained,
                    "retrieved": _date(s.retrieved),
                    "archive_url": _archive_url(site_url, s),
                    "script": s.script.value,
                    "note": s.note,
                }
            )
        for r in pl.reports:
            out["reports"].append(
                {
                    "report": child_key(pl.city, pl.year, r.id),
                    "list": lk,
                    "title": r.title,
                    "kind": r.kind,
                    "as_of": _date(r.as_of),
                    "published": _date(r.published),
                    "source": child_key(pl.city, pl.year, r.source),
                    "summary": r.summary,
                    "note": r.note,
                }
            )
        for n, c in enumerate(pl.vote.not_chosen if pl.vote else (), start=1):
            votes = c.votes
            out["candidates"].append(
                {
                    "list": lk,
                    "n": n,
                    "text": c.text,
                    "in_favour": votes.in_favour if votes else None,
                    "against": votes.against if votes else None,
                    "abstaining": votes.abstaining if votes else None,
                }
            )
        reports = derive.reports_by_id(pl)
        for position, (item, _, parent) in enumerate(flat, start=1):
            ik = child_key(pl.city, pl.year, item.id)
            facts = derive.item_facts(item, pl, parent, on)
            lt, fresh = facts.latest, facts.fresh
            out["items"].append(
                {
                    "item": ik,
                    "list": lk,
                    "city": pl.city,
                    "year": pl.year,
                    "id": item.id,
                    "parent": child_key(pl.city, pl.year, parent.id) if parent else None,
                    "position": position,
                    "label": item.label,
                    "section": facts.section_path or None,
                    "title": item.title,
                    "text": item.text,
                    "goal": item.goal,
                    "explanation": item.explanation,
                    "lead": "、".join(facts.lead) or None,
                    "topics": ";".join(item.topics) or None,
                    "deadline": _date(facts.deadline),
                    "deadline_inferred": facts.deadline_inferred,
                    "status": lt.status,
                    "status_label": derive.STATUS_LABELS[lt.status],
                    "status_text": lt.status_text,
                    "status_basis": lt.basis,
                    "status_reason": lt.reason,
                    "percent": _float(lt.percent),
                    "expected_pace": _float(lt.pace),
                    "pace_gap": _gap(lt.percent, lt.pace),
                    "as_of": _date(lt.report.as_of) if lt.report else None,
                    "report": child_key(pl.city, pl.year, lt.report.id) if lt.report else None,
                    "stale": fresh.stale,
                    "stale_reason": fresh.label if fresh.stale else None,
                    **item_money_and_verdicts(item, facts.investment),
                    "note": item.note,
                    "url": urls.absolute(site_url, urls.item(pl.city, pl.year, item.id)),
                }
            )
            for n, t in enumerate(item.targets, start=1):
                out["targets"].append(
                    {
                        "item": ik,
                        "n": n,
                        "text": t.text,
                        "metric": t.metric,
                        "qualitative": t.qualitative,
                        "value": _float(t.value),
                        "value_max": _float(t.value_max),
                        "unit": t.unit,
                        "comparator": t.comparator.value if t.comparator else None,
                        "deadline": _date(t.deadline),
                    }
                )
            for e in derive.sorted_progress(item, reports):
                j = derive.judge(item, e, pl, parent)
                out["progress"].append(
                    {
                        "item": ik,
                        "report": child_key(pl.city, pl.year, e.report),
                        "as_of": _date(reports[e.report].as_of),
                        "status": j.status,
                        "status_text": e.status_text,
                        "status_basis": j.basis,
                        "status_reason": j.reason,
                        "percent": _float(j.percent),
                        "reported_percent": _float(e.percent),
                        "expected_pace": _float(j.pace),
                        "measures": _measures(e.measures),
                        "text": e.text,
                        "investment": _float(e.investment.value) if e.investment else None,
                        "investment_text": e.investment.text if e.investment else None,
                        "note": e.note,
                        "url": urls.absolute(site_url, urls.progress(pl.city, pl.year, item.id, e.report)),
                    }
                )
    return out


BEHIND_BY_CITY = """\
SELECT lists.city_name AS 城市, items.year AS 年份, items.id AS 编号,
       coalesce(items.title, substr(items.text, 1, 30)) AS 事项,
       items.status_label AS 状态, items.status_text AS 官方表述, items.percent AS 完成比例, items.expected_pace AS 序时进度,
       items.as_of AS 截至, items.url AS 链接
FROM items JOIN lists ON lists.list = items.list
WHERE items.status_basis != 'summary'
  AND (items.status = 'behind'
       OR (items.status NOT IN ('done', 'cancelled') AND items.pace_gap > %g))
ORDER BY lists.city, items.year, items.position""" % derive.PACE_TOLERANCE
"""The data page's example query, 按城市列出进度滞后的事项: every item the site counts as
behind (derive.behind_pace: our status 滞后, or more than PACE_TOLERANCE points below pace
and not finished), by city. A parent's summary of its sub-items is left out: the sub-item
behind is listed itself. tests/test_sqlite.py runs it against the model."""
