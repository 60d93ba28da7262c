"""Synthetic data for benchmarks: many realistic pledge lists that pass the real validator.

`write_dataset(root, n_items)` writes `<root>/data/` with the real `data/topics.yml` and
enough cities × years × items (sub-items included) to reach `n_items` item pages. The text
is Chinese of the lengths real lists have (pledges of 40–120 characters, explanations of
100–250, progress texts of 60–160), with sections, sub-items, targets, 3–4 progress reports
per list (percents and measures that agree with the targets) and topics whose keywords
appear in the text, so that search finds them.

The YAML is written the way maintainers write it (the files in `data/`), not as JSON in
disguise. Measured on the five real year files (qingdao 2021/2024, zibo 2022, qixia 2024,
yichang 2024; 303 item pages, 254 kB): of 4,655 string values 70 % are plain, 30 %
double-quoted, 2 are `|-` block scalars (multi-paragraph summaries; no `>` and no single
quotes); quoting is a habit per file — two files quote almost every text field (24 % and
41 % plain), three only where needed or "when in doubt" (84–94 % plain: item ids "1",
labels "1.", units "%", text starting with a digit). Comments: the `yaml-language-server`
header in every file, one more header line or an 8-line block before `items:` in two,
0.05 comment lines per item page, no end-of-line comments. `topics: [a, b]` is always a
flow list, `lead:` always a block list. 837 bytes per item page (447–1,394), 700 without
the progress entries; the real lists have no or one progress report, these have 3–4, hence
about 2,300–2,500 bytes per page here (840–900 without the progress entries).

The writer below copies that: year files take turns with the three habits (2 : 1 : 2),
quote only where YAML or the project's strict reader needs it otherwise,
writes multi-line text (every list's summary, some report summaries) as `|-` literals and
adds the header comment(s) and, sometimes, a comment block before `items:`. Generated:
75 % plain and 25 % double-quoted strings for 300 item pages (72 / 28 for 3,000), 1–4 block
scalars and 1–8 comment lines per year file (0.03–0.08 per item page).

Everything is derived from a seeded `random.Random`: the same arguments write the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.core import model

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
_NUMERALS = "一二三四五六七八九十"
_MEASURES = ["强化组织领导", "强化要素保障", "强化督办问效", "强化宣传引导", "强化资金统筹"]
# How a year file's maintainer quotes (measured on data/, see the module docstring): only where
# needed, also whatever starts with a digit ("when in doubt"), or every text field. Files take
# turns, so that even a small dataset has the real mix (2 : 1 : 2).
_HABITS = ("plain", "quoted", "cautious", "plain", "quoted")
_QUOTED_KEYS = frozenset({"label", "text", "title", "explanation", "metric", "unit", "note"})
_STATUS_RULES = [  # a comment block before `items:`, as in data/qingdao/2021.yml
    "各项的进展状态(status)由本站依据通报文字判定,按顺序取第一条符合的规则:",
    "  1. 通报称已完成,或所报百分比均达到100%      → done",
    "  2. 进度明显快于时序进度(上半年超过60%)      → ahead",
    "  3. 进度与时序进度大致相当                    → on_track",
    "  4. 进度明显落后于时序进度                    → behind",
    "年底未完成且通报称已调整目标的,记为 adjusted;通报原文的进展表述照录于 status_text。",
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
    out: list = []
    seen: set = set()
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


def _whole(x: float):
    """92.0 → 92: maintainers write `percent: 92`."""
    return int(x) if float(x).is_integer() else x


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
        joint = "共" if keyword[-1:].isdigit() else ""  # 12345热线 is a keyword: 改造12345共1000家, never 改造123451000家
        return {"text": f"{verb}{keyword}{joint}{shown}{unit}{word}", "metric": f"{verb}{keyword}", "value": value, "unit": unit, "comparator": comparator}

    def item(self, item_id: str, label: str, section: str | None, reports: list[dict], n_sub: int, sub_label: str = "{k}.") -> dict:
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
        out: dict = {"id": item_id, "label": label}
        if section:
            out["section"] = section
        out.update(text=text, title=f"{keyword}{rng.choice(['建设', '提升', '行动', '工程', '服务'])}")
        if rng.random() < 0.6:
            out["explanation"] = f"围绕{topic.name}领域群众反映集中的问题，{self.clauses(3, 6)}。{self.clauses(2, 4)}。"
        out["lead"] = rng.sample(_LEADS, rng.randint(1, 2))
        out["topics"] = [t.id for t in topics]
        out["targets"] = targets
        if n_sub:
            out["subitems"] = [self.item(f"{item_id}-{k}", sub_label.format(k=k), None, reports, 0) for k in range(1, n_sub + 1)]
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
                measures.append({"metric": t["metric"], "value": value, "unit": t["unit"], "percent": _whole(round(value / t["value"] * 100, 1))})
            month = r["as_of"].month
            first = targets[0]
            text = (
                f"截至{month}月底，已{first['metric']}{measures[0]['value']}{first['unit']}，"
                f"完成年度任务的{measures[0]['percent']:g}%。{self.clauses(1, 3)}。"
            )
            out.append({"report": r["id"], "status_text": _STATUS_WORDS[status], "status": status, "percent": percent, "measures": measures, "text": text})
        return out

    def summary(self, year: int, name: str, n_items: int) -> str:
        """A list's introduction: paragraphs and headings on lines of their own, like the real ones."""
        rng = self.rng
        lines = [f"为切实保障和改善民生，{year}年{name}市政府将重点办好{n_items}项民生实事。{self.clauses(2, 4)}。", "一、总体要求", f"{self.clauses(3, 5)}。"]
        if rng.random() < 0.5:
            lines.append(f"{rng.choice(['下一步', '同时'])}，{self.clauses(2, 3)}。")
        lines.append("二、保障措施")
        for k, what in enumerate(rng.sample(_MEASURES, rng.randint(2, 4))):
            lines.append(f"（{_NUMERALS[k]}）{what}。{self.clauses(2, 4)}。")
        return "\n".join(lines)

    def report_summary(self, year: int, title: str, counts: dict) -> str:
        """A report's own overview; it ends 'as follows:' (a trailing colon: quoted) or runs
        over two paragraphs (a block scalar)."""
        tally = "，".join(f"{n}项{word}" for word, n in counts.items())
        text = f"{year}年{title}，全市民生实事{tally}。{self.clauses(1, 3)}。"
        if self.rng.random() < 0.5:
            return text + "现将有关情况通报如下:"
        return text + "\n" + f"下一步，{self.clauses(2, 3)}。"


def year_file(slug: str, name: str, year: int, n_pages: int, rng: random.Random, topics: list[model.Topic]) -> dict:
    """One list of `n_pages` item pages: every fifth item has three sub-items."""
    w = _Writer(rng, topics)
    n_reports = rng.choice([3, 4])
    chosen = _REPORTS[-n_reports:]
    fabu = {"id": "fabu", "title": f"{year}年{name}市民生实事项目", "publisher": f"{name}市人民政府", "date": dt.date(year, 1, 20),
            "url": f"https://www.example.gov.cn/{slug}/{year}/fabu.html"}
    if rng.random() < 0.5:
        fabu["document_number"] = f"{name[0]}政发〔{year}〕{rng.randint(1, 30)}号"
    fabu["obtained"] = "网页存档"
    if rng.random() < 0.4:
        fabu["note"] = f"存档网页为转载页,页面标注“来源:{name}日报”;原文未写明印发日期,发布日期取自网页。"
    sources = [fabu]
    reports = []
    for key, title, kind, (m, d) in chosen:
        as_of = dt.date(year, m, d)
        published = as_of + dt.timedelta(days=rng.randint(8, 25))
        sources.append({"id": f"tongbao-{key}", "title": f"{year}年{title}民生实事进展情况通报", "publisher": f"{name}市政府督查室",
                        "date": published, "obtained": "网页存档"})
        reports.append({"id": f"{year}-{key}", "title": f"{year}年{title}民生实事进展", "kind": kind, "as_of": as_of,
                        "published": published, "source": f"tongbao-{key}"})
    n_sections = max(1, min(6, n_pages // 15))
    sections = [{"id": f"s{k + 1}", "label": f"{_NUMERALS[k]}、", "title": f"着力办好{rng.choice(topics).name}领域民生实事"} for k in range(n_sections)]
    label, sub_label = rng.choice([("第{n}项", "{k}."), ("{n}.", "({k})"), ("{n}、", "{k}.")])
    items, pages, number = [], 0, 0
    while pages < n_pages:
        number += 1
        n_sub = 3 if number % 5 == 0 and n_pages - pages >= 4 else 0
        section = sections[min(n_sections - 1, pages * n_sections // n_pages)]["id"]
        items.append(w.item(str(number), label.format(n=number), section, reports, n_sub, sub_label))
        pages += 1 + n_sub
    for (_, title, _, _), report in zip(chosen, reports, strict=True):  # some reports summarise themselves
        if rng.random() < 0.5:
            tally = Counter(p["status_text"] for i in items for leaf in (i.get("subitems") or [i]) for p in leaf["progress"] if p["report"] == report["id"])
            counts = dict(sorted(tally.items(), key=lambda kv: -kv[1]))
            report["summary"] = w.report_summary(year, title, counts)
            report["counts"] = counts
    out = {
        "city": slug, "year": year, "title": f"{year}年{name}市民生实事项目", "kind": "民生实事", "published": dt.date(year, 1, 20),
        "period": {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)}, "deadline": dt.date(year, 12, 31),
        "issuer": f"{name}市人民政府", "source": "fabu", "summary": w.summary(year, name, len(items)),
    }
    if rng.random() < 0.6:
        out["note"] = (f"本文件据{name}市人民政府网站发布的清单录入,进展取自市政府督查室的{n_reports}次通报。"
                       f"period 的起点 {year}-01-01 为按年度所设。")
    out.update(sources=sources, reports=reports, sections=sections, items=items)
    return out


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
        (folder / "city.yml").write_text("# yaml-language-server: $schema=../../schema/city.schema.json\n" + dump(city), encoding="utf-8")
        for y, year in enumerate(YEARS):
            n = c * len(YEARS) + y
            text = year_text(year_file(slug, name, year, sizes[n], rng, topics), name, rng, _HABITS[n % len(_HABITS)])
            (folder / f"{year}.yml").write_text(text, encoding="utf-8")
            total_bytes += len(text.encode("utf-8"))
    return Written(n_cities, len(sizes), sum(sizes), total_bytes)


def year_text(data: dict, name: str, rng: random.Random, habit: str = "plain") -> str:
    """A year file as its maintainer would write it: header comment(s), a quoting habit (one
    of _HABITS), and now and then a comment block before `items:`."""
    head = ["yaml-language-server: $schema=../../schema/pledge-list.schema.json"]
    if rng.random() < 0.3:
        head.append(f"{name}市{data['year']}年民生实事项目。清单录自市政府网站,进展取自市政府督查室通报。")
    comments = {"items": _STATUS_RULES} if rng.random() < 0.25 else {}
    text = dump(data, quote_keys=_QUOTED_KEYS if habit == "quoted" else frozenset(), cautious=habit == "cautious", comments=comments)
    return "".join(f"# {line}\n" for line in head) + text


# --- a small YAML writer -----------------------------------------------------------------
# Block style with two-space indentation, `- ` entries indented under their key, `topics` as
# a flow list. A string is written plain when every reader takes it back as that string
# (PyYAML's YAML 1.1 resolver and the project's strict, YAML 1.2-like reader), as a `|` /
# `|-` literal when it has line breaks, else double-quoted (a JSON string is a valid YAML
# double-quoted scalar once the few characters YAML reads differently are escaped too).


_FLOW_KEYS = frozenset({"topics"})
_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")
# Whole values YAML 1.1 or 1.2 read as booleans, null, infinities, merge/value keys (any case).
_SPECIAL = re.compile(r"(?i:y|yes|n|no|on|off|true|false|null|~|[-+]?\.?(?:inf|infinity|nan)|<<|=)")
# Characters a plain or literal scalar must not hold: C0/C1 controls (tab and line breaks
# included), YAML 1.1 line breaks (U+0085, U+2028, U+2029), a byte order mark, surrogates,
# non-characters. In double quotes they are escaped.
_ODD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_ESCAPE_TOO = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")  # json.dumps leaves these raw
_NUMBERISH = re.compile(r"[-+.0-9][-+.:_, 0-9a-fA-FoOxXtTzZ]*")
_FLOW_WORD = re.compile(r"[^\s,\[\]{}#:'\"&*!|>%@`?-][^,\[\]{}#:]*")
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


def plain_ok(s: str) -> bool:
    """May `s` be written as a plain scalar and read back as exactly this text?"""
    return (
        s != ""
        and s == s.strip()
        and not s.startswith(_INDICATORS)
        and ": " not in s
        and " #" not in s
        and not s.endswith(":")
        and not _ODD.search(s)
        and not _SPECIAL.fullmatch(s)
        # a number, date or time in any YAML version (08, 1_000, 1:30, 1e3, 0x1F, .5,
        # 2024-01-31, 2024-01-31T10:00Z …) starts with a digit, a sign or a dot and has only
        # these characters: all such text is quoted (2024-q2 is not, as in data/)
        and not _NUMBERISH.fullmatch(s)
        and _RESOLVER.resolve(yaml.ScalarNode, s, (True, False)) == _STR
    )


def _double(s: str) -> str:
    return _ESCAPE_TOO.sub(lambda m: "\\u%04x" % ord(m.group()), json.dumps(s, ensure_ascii=False))


def _literal(s: str, indent: int) -> list[str] | None:
    """`s` as a literal block scalar (header first, then the lines), or None when one would
    not read back exactly (leading blanks, trailing spaces, odd characters, blank lines at
    the end)."""
    body, header = (s[:-1], "|") if s.endswith("\n") else (s, "|-")
    if not body or body.endswith("\n") or body[0] in " \n" or _ODD.search(body.replace("\n", "")):
        return None
    lines = body.split("\n")
    if any(line != line.strip(" ") for line in lines):
        return None
    pad = " " * indent
    return [header] + [pad + line if line else "" for line in lines]


def _key(key) -> str:
    if not isinstance(key, str):
        raise TypeError(f"mapping keys must be text, not {key!r}")
    return key if plain_ok(key) and _FLOW_WORD.fullmatch(key) else _double(key)


class _Dumper:
    def __init__(self, quote_keys: frozenset, cautious: bool):
        self.quote_keys = quote_keys
        self.cautious = cautious

    def scalar(self, value, key: str | None, indent: int) -> list[str]:
        """The value as it follows `key: ` (first element), with any further lines."""
        if value is None:
            return ["null"]
        if isinstance(value, bool):
            return ["true" if value else "false"]
        if isinstance(value, int):
            return [str(value)]
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"{value} cannot be written: the data format has no infinite numbers")
            text = repr(value)
            if "e" in text and "." not in text:  # 1e-05 → 1.0e-05: YAML 1.1 wants the dot
                text = text.replace("e", ".0e")
            return [text]
        if isinstance(value, dt.datetime):
            raise TypeError("datetimes are not part of the data format; write a date")
        if isinstance(value, dt.date):
            return [value.isoformat()]
        if not isinstance(value, str):
            raise TypeError(f"cannot write {value!r}")
        if "\n" in value:
            block = _literal(value, indent)
            if block:
                return block
        if key in self.quote_keys or not plain_ok(value) or (self.cautious and value[0] in "0123456789"):
            return [_double(value)]
        return [value]

    def mapping(self, data: dict, indent: int, prefix: str, lines: list, comments: dict) -> None:
        for key, value in data.items():
            for comment in comments.get(key, ()):
                lines.append(f"{' ' * indent}# {comment}")
            head = f"{prefix}{_key(key)}:"
            prefix = " " * indent
            if isinstance(value, dict) and value:
                lines.append(head)
                self.mapping(value, indent + 2, " " * (indent + 2), lines, {})
            elif isinstance(value, list) and value:
                self.sequence(value, key, head, indent, lines)
            elif isinstance(value, (dict, list)):
                lines.append(f"{head} {'{}' if isinstance(value, dict) else '[]'}")
            else:
                first, *more = self.scalar(value, key, indent + 2)
                lines.append(f"{head} {first}")
                lines.extend(more)

    def sequence(self, value: list, key: str, head: str, indent: int, lines: list) -> None:
        if all(isinstance(v, dict) and v for v in value):
            lines.append(head)
            for entry in value:
                self.mapping(entry, indent + 4, " " * (indent + 2) + "- ", lines, {})
        elif any(isinstance(v, (dict, list)) for v in value):
            raise TypeError(f"`{key}`: lists of lists and mixed lists are not part of the data format")
        elif key in _FLOW_KEYS and all(isinstance(v, str) and "\n" not in v for v in value):
            words = [v if plain_ok(v) and _FLOW_WORD.fullmatch(v) else _double(v) for v in value]
            lines.append(f"{head} [{', '.join(words)}]")
        else:
            lines.append(head)
            for v in value:
                first, *more = self.scalar(v, key, indent + 4)
                lines.append(f"{' ' * (indent + 2)}- {first}")
                lines.extend(more)


def dump(data: dict, quote_keys: frozenset = frozenset(), cautious: bool = False, comments: dict | None = None) -> str:
    """`data` as block YAML. `quote_keys`: keys whose text is always double-quoted (a
    maintainer's habit); `cautious`: also quote text starting with a digit; `comments`:
    {top-level key: [comment lines written before it]}."""
    lines: list[str] = []
    _Dumper(quote_keys, cautious).mapping(data, 0, "", lines, comments or {})
    return "\n".join(lines) + "\n"
