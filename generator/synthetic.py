"""Synthetic data for benchmarks: many realistic pledge lists that pass the real validator.

`write_dataset(root, n_items)` writes `<root>/data/` with the real `data/topics.yml` and
enough cities × years × items (sub-items included) to reach `n_items` item pages. The text
is Chinese of the lengths real lists have (pledges of 40–120 characters, explanations of
100–250, progress texts of 60–160), with sections, sub-items, targets, 3–4 progress reports
per list (percents and measures that agree with the targets) and topics whose keywords
appear in the text, so that search finds them.

Everything is derived from a seeded `random.Random`: the same arguments write the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import model

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2022, 2023, 2024)
ITEMS_PER_LIST = 100  # a typical large list (宜昌 2024: 70, 淄博 2022: 113)

# City names: first character × second character, written in pinyin for the slug.
_FIRST = [("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("长", "chang"), ("永", "yong"), ("新", "xin"), ("清", "qing"),
          ("宁", "ning"), ("丰", "feng"), ("华", "hua"), ("江", "jiang"), ("泰", "tai"), ("云", "yun"), ("金", "jin"), ("龙", "long")]
_SECOND = [("阳", "yang"), ("山", "shan"), ("州", "zhou"), ("城", "cheng"), ("川", "chuan"), ("海", "hai"), ("林", "lin"), ("泉", "quan"),
           ("源", "yuan"), ("平", "ping"), ("口", "kou")]
_PROVINCES = ["山东省", "湖北省", "江苏省", "浙江省", "河南省", "四川省", "广东省", "湖南省"]

_VERBS = ["新建", "改造", "新增", "建设", "提升", "完成", "开展", "推进"]
_UNITS = ["个", "处", "所", "人", "户", "公里", "家", "张"]
_LEADS = ["市发展改革委", "市教育局", "市民政局", "市人力资源社会保障局", "市住房城乡建设局", "市城市管理局", "市交通运输局",
          "市卫生健康委", "市医保局", "市文化和旅游局", "市体育局", "市农业农村局", "市生态环境局", "市市场监管局", "市应急局",
          "市水务局", "市商务局", "市残联", "团市委", "市妇联", "市大数据局", "市自然资源和规划局"]
_CLAUSES = [
    "进一步扩大服务覆盖面，提高群众满意度", "坚持尽力而为、量力而行，把好事办好、实事办实", "完善长效管理机制，确保建得好、用得好",
    "优先保障困难群众和重点人群需求", "推动城乡基本公共服务均等化", "统筹财政资金和社会资本，形成多元投入格局",
    "实行清单化管理、项目化推进", "强化督导考核，按月调度工作进展", "鼓励社会力量参与运营，提升服务质量",
    "聚焦群众急难愁盼问题，办好身边关键小事", "同步做好设施配套和后续管护", "加强部门协同，落实属地责任",
    "按照“一老一小”等重点领域补齐短板", "建立问题台账，逐项销号", "引入第三方评估，公开接受社会监督",
]
_STATUS_WORDS = {"done": "已完成", "ahead": "超序时进度", "on_track": "按计划推进", "behind": "进展较为缓慢", "adjusted": "已调整"}
_REPORTS = [  # (id suffix, title, kind, as_of month/day)
    ("q1", "一季度", "quarterly", (3, 31)),
    ("h1", "上半年", "half_year", (6, 30)),
    ("q3", "前三季度", "quarterly", (9, 30)),
    ("final", "全年", "year_end", (12, 31)),
]


@dataclass
class Written:
    cities: int
    lists: int
    items: int  # item pages: items and sub-items
    bytes: int  # size of the YAML written


def plan(n_items: int) -> tuple[int, list[int]]:
    """How many cities, and how many item pages in each list (cities × YEARS lists)."""
    n_lists = max(len(YEARS) * 2, round(n_items / ITEMS_PER_LIST))
    cities = max(2, -(-n_lists // len(YEARS)))
    n_lists = cities * len(YEARS)
    sizes = [n_items // n_lists + (1 if i < n_items % n_lists else 0) for i in range(n_lists)]
    return cities, sizes


def city_names(n: int):
    """n distinct (slug, name): 东阳 dongyang, 西山 xishan … then 东阳2 …"""
    out, seen = [], set()
    round_no = 1
    while len(out) < n:
        for (c1, p1) in _FIRST:
            for (c2, p2) in _SECOND:
                slug = p1 + p2 + (str(round_no) if round_no > 1 else "")
                if slug in seen:
                    continue
                seen.add(slug)
                out.append((slug, c1 + c2 + (str(round_no) if round_no > 1 else "")))
                if len(out) == n:
                    return out
        round_no += 1
    return out


class _Writer:
    """Text for one list: a seeded random generator and the topic vocabulary."""

    def __init__(self, rng: random.Random, topics: list[model.Topic]):
        self.rng = rng
        self.topics = [t for t in topics if t.keywords]
        self.count = 0  # main topics take turns: any list of len(topics) items has them all

    def clauses(self, lo: int, hi: int) -> str:
        return "，".join(self.rng.sample(_CLAUSES, self.rng.randint(lo, hi)))

    def target(self, keyword: str) -> dict:
        rng = self.rng
        verb, unit = rng.choice(_VERBS), rng.choice(_UNITS)
        value = rng.choice([5, 10, 20, 30, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000])
        comparator = rng.choice(["at_least", "exactly", "about"])
        word = {"at_least": "以上", "exactly": "", "about": "左右"}[comparator]
        shown = f"{value // 10000}万" if value >= 10000 and value % 10000 == 0 else str(value)
        return {"text": f"{verb}{keyword}{shown}{unit}{word}", "metric": f"{verb}{keyword}", "value": value, "unit": unit, "comparator": comparator}

    def item(self, item_id: str, label: str, section: str | None, reports: list[dict], n_sub: int) -> dict:
        rng = self.rng
        topic = self.topics[self.count % len(self.topics)]
        self.count += 1
        topics = [topic] + ([rng.choice(self.topics)] if rng.random() < 0.3 else [])
        topics = list({t.id: t for t in topics}.values())
        keyword = rng.choice(topic.keywords)
        targets = [self.target(keyword)]
        if rng.random() < 0.4:
            second = self.target(rng.choice(topics[-1].keywords))
            if second["metric"] != targets[0]["metric"]:  # progress measures refer to targets by metric
                targets.append(second)
        text = "；".join(t["text"] for t in targets) + "，" + self.clauses(1, 3) + "。"
        out = {"id": item_id, "label": label}
        if section:
            out["section"] = section
        out.update(text=text, title=f"{keyword}{rng.choice(['建设', '提升', '行动', '工程', '服务'])}")
        if rng.random() < 0.6:
            out["explanation"] = f"围绕{topic.name}领域群众反映集中的问题，{self.clauses(3, 6)}。{self.clauses(2, 4)}。"
        out["lead"] = rng.sample(_LEADS, rng.randint(1, 2))
        out["topics"] = [t.id for t in topics]
        out["targets"] = targets
        if n_sub:
            out["subitems"] = [self.item(f"{item_id}-{k}", f"{k}.", None, reports, 0) for k in range(1, n_sub + 1)]
        else:
            out["progress"] = self.progress(targets, reports)
        return out

    def progress(self, targets: list[dict], reports: list[dict]) -> list[dict]:
        rng = self.rng
        pace = rng.uniform(0.6, 1.4)  # this item's speed relative to the calendar
        out = []
        for i, r in enumerate(reports):
            share = (i + 1) / len(reports)
            percent = min(100, round(100 * share * pace))
            if percent >= 100:
                status = "done"
            elif pace > 1.15:
                status = "ahead"
            elif pace < 0.8:
                status = "behind"
            else:
                status = "on_track"
            if i == len(reports) - 1 and status != "done" and rng.random() < 0.2:
                status = "adjusted"
            measures = []
            for t in targets:
                value = round(t["value"] * percent / 100)
                measures.append({"metric": t["metric"], "value": value, "unit": t["unit"], "percent": round(value / t["value"] * 100, 1)})
            month = r["as_of"].month
            first = targets[0]
            text = (
                f"截至{month}月底，已{first['metric']}{measures[0]['value']}{first['unit']}，"
                f"完成年度任务的{measures[0]['percent']:g}%。{self.clauses(1, 3)}。"
            )
            out.append({"report": r["id"], "status_text": _STATUS_WORDS[status], "status": status, "percent": float(percent), "measures": measures, "text": text})
        return out


def year_file(slug: str, name: str, year: int, n_pages: int, rng: random.Random, topics: list[model.Topic]) -> dict:
    """One list of `n_pages` item pages: every fifth item has three sub-items."""
    w = _Writer(rng, topics)
    n_reports = rng.choice([3, 4])
    chosen = _REPORTS[-n_reports:]
    sources = [{"id": "fabu", "title": f"{year}年{name}市民生实事项目", "publisher": f"{name}市人民政府", "date": dt.date(year, 1, 20),
                "url": f"https://www.example.gov.cn/{slug}/{year}/fabu.html", "obtained": "网页存档(web page capture)"}]
    reports = []
    for key, title, kind, (m, d) in chosen:
        as_of = dt.date(year, m, d)
        published = as_of + dt.timedelta(days=rng.randint(8, 25))
        sources.append({"id": f"tongbao-{key}", "title": f"{year}年{title}民生实事进展情况通报", "publisher": f"{name}市政府督查室",
                        "date": published, "obtained": "网页存档(web page capture)"})
        reports.append({"id": f"{year}-{key}", "title": f"{year}年{title}民生实事进展", "kind": kind, "as_of": as_of,
                        "published": published, "source": f"tongbao-{key}"})
    n_sections = max(1, min(6, n_pages // 15))
    numerals = "一二三四五六"
    sections = [{"id": f"s{k + 1}", "label": f"{numerals[k]}、", "title": f"着力办好{rng.choice(topics).name}领域民生实事"} for k in range(n_sections)]
    items, pages, number = [], 0, 0
    while pages < n_pages:
        number += 1
        n_sub = 3 if number % 5 == 0 and n_pages - pages >= 4 else 0
        section = sections[min(n_sections - 1, pages * n_sections // n_pages)]["id"]
        items.append(w.item(str(number), f"第{number}项", section, reports, n_sub))
        pages += 1 + n_sub
    return {
        "city": slug, "year": year, "title": f"{year}年{name}市民生实事项目", "kind": "民生实事", "published": dt.date(year, 1, 20),
        "period": {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)}, "deadline": dt.date(year, 12, 31),
        "issuer": f"{name}市人民政府", "source": "fabu",
        "summary": f"为切实保障和改善民生，{year}年市政府将重点办好{len(items)}项民生实事。{w.clauses(3, 5)}。",
        "sources": sources, "reports": reports, "sections": sections, "items": items,
    }


def write_dataset(root: Path, n_items: int, seed: int = 1) -> Written:
    """Write `<root>/data/` with about `n_items` item pages (exactly, sub-items included)."""
    root = Path(root)
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "topics.yml", data / "topics.yml")
    topics = model.TopicsFile.model_validate(yaml.safe_load((data / "topics.yml").read_text(encoding="utf-8"))).topics
    rng = random.Random(seed)
    n_cities, sizes = plan(n_items)
    total_bytes = 0
    for c, (slug, name) in enumerate(city_names(n_cities)):
        folder = data / slug
        folder.mkdir()
        city = {"slug": slug, "name": f"{name}市", "short_name": name, "province": _PROVINCES[c % len(_PROVINCES)], "level": "prefecture"}
        (folder / "city.yml").write_text(dump(city), encoding="utf-8")
        for y, year in enumerate(YEARS):
            text = "# yaml-language-server: $schema=../../schema/pledge-list.schema.json\n" + dump(year_file(slug, name, year, sizes[c * len(YEARS) + y], rng, topics))
            (folder / f"{year}.yml").write_text(text, encoding="utf-8")
            total_bytes += len(text.encode("utf-8"))
    return Written(n_cities, len(sizes), sum(sizes), total_bytes)


# --- a small block-style YAML writer ---------------------------------------------------
# Strings are written as JSON strings (valid YAML, and never misread as numbers, dates or
# booleans); dates and numbers plainly, as a maintainer would type them.


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, dt.date)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def dump(data: dict) -> str:
    lines: list[str] = []
    _mapping(data, "", lines, first_prefix="")
    return "\n".join(lines) + "\n"


def _mapping(data: dict, indent: str, lines: list, first_prefix: str) -> None:
    prefix = first_prefix
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            _mapping(value, indent + "  ", lines, indent + "  ")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{prefix}{key}:")
            for entry in value:
                _mapping(entry, indent + "    ", lines, indent + "  - ")
        elif isinstance(value, list):
            lines.append(f"{prefix}{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            lines.append(f"{prefix}{key}: {_scalar(value)}")
        prefix = indent
