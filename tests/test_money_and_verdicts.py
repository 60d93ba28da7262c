"""The money and the people's verdict (issue 24, points 2 and 3): an item's planned investment
(计划投资) and a report's completed investment (完成投资); how an item was chosen (人大代表票决)
and how it was judged at year end (满意度测评), each with who, when and the source.

The fixture `tests/fixtures/verdict` is shaped like what counties publish: a 票决结果公告 with
votes and planned investment per project and the projects not chosen, and a 测评结果通报 with
counts per project and completed investment; both archived, so every text is checked verbatim.
The real data carries the investment that 栖霞's table states."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import lxml.html
import pytest
from test_markup import ALLOWED_WORDS, _vnu_jar, latin_words, material_error, visible_text

from benchmarks.harness import build_site, serve_folder
from conftest import FIXTURES, load_clean
from generator import derive
from generator.core import model, urls
from generator.core.problems import Code, Severity
from generator.data.dataset import load_dataset
from generator.exports import downloads, tables
from generator.site import pages, wording

VERDICT = FIXTURES / "verdict"
YEAR_FILE = "data/shili/2023.yml"
SITE = "https://example.org/ledger/"


@pytest.fixture(scope="module")
def vds():
    return load_clean(VERDICT)


@pytest.fixture
def vroot(tmp_path) -> Path:
    dest = tmp_path / "root"
    shutil.copytree(VERDICT, dest)
    return dest


def edited(root: Path, old: str, new: str):
    """The fixture with one edit, loaded: every problem it gives."""
    path = root / YEAR_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_dataset(root)


def the_problem(ds, code: Code, field: str, severity: Severity = Severity.ERROR):
    found = [p for p in ds.problems if p.code == code and p.severity == severity and field == p.path]
    assert found, f"no {code.value} at {field}; got:\n" + "\n".join(map(str, ds.problems))
    return found[0]


# --- the format ---------------------------------------------------------------------------


def test_the_fixture_reads_clean_with_every_text_verbatim(vds):
    pl = vds.lists[("shili", 2023)].data
    assert pl.vote and pl.satisfaction and len(pl.vote.not_chosen) == 2
    assert all(i.vote and i.satisfaction and i.investment for i in pl.items)


@pytest.mark.parametrize(
    "old, new, code, field, severity",
    [
        # the numbers against their own record
        ("vote: {in_favour: 190, against: 5, abstaining: 3}", "vote: {in_favour: 190, against: 5, abstaining: 30}", Code.INVALID_VALUE, "items[0].vote", Severity.ERROR),
        ("satisfaction: {satisfied: 170,", "satisfaction: {satisfied: 170.5,", Code.INVALID_VALUE, "items[0].satisfaction.satisfied", Severity.ERROR),
        ("satisfaction: {satisfied: 170,", "satisfaction: {satisfied: 400,", Code.INVALID_VALUE, "items[0].satisfaction", Severity.ERROR),
        ("satisfaction: {satisfied: 170, basically_satisfied: 18, dissatisfied: 4}", "satisfaction: {}", Code.FIELD_MISSING, "items[0].satisfaction", Severity.ERROR),
        ("  scale: count\n  respondents: 192", "  scale: percent", Code.INVALID_VALUE, "items[0].satisfaction.satisfied", Severity.ERROR),
        ("vote: {in_favour: 190,", "vote: {in_favor: 190,", Code.FIELD_UNKNOWN, "items[0].vote.in_favor", Severity.ERROR),
        ("vote: {in_favour: 190,", "vote: {in_favour: -190,", Code.INVALID_VALUE, "items[0].vote.in_favour", Severity.ERROR),
        ("  scale: count", "  scale: counts", Code.NOT_ALLOWED, "satisfaction.scale", Severity.ERROR),
        # references and dates
        ("  source: piaojue\n  voters", "  source: piaojue2\n  voters", Code.UNKNOWN_REFERENCE, "vote.source", Severity.ERROR),
        ("  date: 2023-12-26", "  date: 2099-12-26", Code.DATE_IMPLAUSIBLE, "satisfaction.date", Severity.ERROR),
        ("  candidates: 6", "  candidates: 1", Code.INVALID_VALUE, "vote.candidates", Severity.ERROR),
        # money: a figure of its own text, in 元, and the text the source's
        ("      text: 计划投资1.2亿元\n      value: 120000000", "      text: 计划投资1.2亿元\n      value: 1200000", Code.VALUE_MISMATCH, "items[0].investment.value", Severity.ERROR),
        ("      text: 已完成投资1.15亿元\n          value: 115000000", "      text: 已完成投资1.15亿元\n          value: 11500", Code.VALUE_MISMATCH, "items[0].progress[0].investment.value", Severity.ERROR),
        ("      text: 计划投资1.2亿元", "      text: 计划投资1.3亿元", Code.NOT_VERBATIM, "items[0].investment.text", Severity.ERROR),
        ("    - text: 新建城市书房10处", "    - text: 新建城市书房12处", Code.NOT_VERBATIM, "vote.not_chosen[0].text", Severity.ERROR),
        ("    investment:\n      text: 计划投资1.2亿元\n      value: 120000000", "    investment:\n      text: 计划投资1.2亿元", Code.FIELD_MISSING, "items[0].investment.value", Severity.ERROR),
    ],
)
def test_a_wrong_verdict_or_amount_is_a_precise_problem(vroot, old, new, code, field, severity):
    ds = edited(vroot, old, new)
    p = the_problem(ds, code, field, severity)
    assert p.file == YEAR_FILE and p.line, p


def test_an_item_with_votes_needs_the_lists_record_of_the_vote(vroot):
    text = (vroot / YEAR_FILE).read_text(encoding="utf-8")
    start, end = text.index("vote:\n  body"), text.index("satisfaction:\n  by")
    ds = edited(vroot, text[start:end], "")
    p = the_problem(ds, Code.FIELD_MISSING, "items[0].vote")
    assert "票决" in p.message and "body, date, source" in p.message
    assert len([q for q in ds.errors if q.path.endswith(".vote")]) == 4  # one per item, each at its own line


def test_shares_that_do_not_add_up_are_a_warning(vroot):
    (vroot / YEAR_FILE).write_text((vroot / YEAR_FILE).read_text(encoding="utf-8").replace("  scale: count\n  respondents: 192", "  scale: percent"), encoding="utf-8")
    ds = edited(vroot, "satisfaction: {satisfied: 170, basically_satisfied: 18, dissatisfied: 4}", "satisfaction: {satisfied: 80, basically_satisfied: 10, dissatisfied: 2}")
    p = the_problem(ds, Code.INVALID_VALUE, "items[0].satisfaction", Severity.WARNING)
    assert "92%" in p.message


def test_the_json_schema_for_editors_knows_the_new_fields():
    schema = json.loads((Path(__file__).resolve().parents[1] / "schema" / "pledge-list.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    assert {"investment", "vote", "satisfaction"} <= set(defs["Item"]["properties"])
    assert {"vote", "satisfaction"} <= set(schema["properties"])
    assert "investment" in defs["Progress"]["properties"]
    assert defs["Assessment"]["properties"]["scale"]["enum"] == ["count", "percent"]


# --- the rules ----------------------------------------------------------------------------


def _item(item_id: str, amount: float | None = None, subitems=()) -> model.Item:
    money = model.Money(text=f"投资{amount:g}元", value=amount) if amount is not None else None
    return model.Item(id=item_id, text="事项" + item_id, investment=money, subitems=list(subitems))


def test_a_parent_adds_up_its_sub_items_only_when_every_one_states_an_amount():
    assert derive.planned_investment(_item("1", None, [_item("1-1", 20), _item("1-2", 15)])) == 35
    assert derive.planned_investment(_item("1", None, [_item("1-1", 20), _item("1-2")])) is None
    assert derive.planned_investment(_item("1", 50, [_item("1-1", 20), _item("1-2")])) == 50  # its own amount wins
    assert derive.planned_investment(_item("1")) is None


def test_a_list_total_is_given_only_where_every_item_states_one(vds, ds):
    whole = derive.list_investment(vds.lists[("shili", 2023)].data)
    assert whole == derive.ListInvestment(4, 4, 120_000_000 + 35_000_000 + 6_000_000 + 42_000_000)
    qixia = derive.list_investment(ds.lists[("qixia", 2024)].data)
    assert qixia.stated == 6 and qixia.items == 30 and qixia.total is None and not qixia.complete
    assert derive.list_investment(ds.lists[("qingdao", 2024)].data) is None  # no item states any


def test_the_seed_investment_is_transcribed_where_the_seed_states_it(ds):
    """栖霞's table states investment for six items; each is now an amount, not a target."""
    pl = ds.lists[("qixia", 2024)].data
    stated = {i.id: (i.investment.text, i.investment.value) for i in pl.items if i.investment}
    assert stated == {
        "4": ("年内计划投资1500万元", 15_000_000),
        "5": ("投资337万元", 3_370_000),
        "12": ("总投资8962万元", 89_620_000),
        "15": ("预计投资1.8亿元", 180_000_000),
        "29": ("计划投资1200万元", 12_000_000),
        "30": ("计划投资4600万元", 46_000_000),
    }
    assert not [t.text for i in pl.items for t in i.targets if "投资" in t.text]
    for item_id, (text, _) in stated.items():
        assert text in next(i for i in pl.items if i.id == item_id).goal


def test_amounts_read_as_chinese_readers_write_them():
    assert [wording.money(v) for v in (15_000_000, 120_000_000, 3_370_000, 14_283_000, 800)] == ["1500万元", "1.2亿元", "337万元", "1428.3万元", "800元"]
    m = derive.Investment(40_000_000, "计划投资4000万元", 26_000_000, "已完成投资2600万元", None)
    assert wording.share_of_plan(m) == "占计划投资的65%"
    assert wording.share_of_plan(derive.Investment(None, None, 1, "x", None)) == ""


def test_the_verdict_reads_in_the_sources_terms():
    assert wording.votes_phrase(model.Votes(in_favour=190, against=5, abstaining=3)) == "赞成190票，反对5票，弃权3票"
    assert wording.votes_phrase(model.Votes(in_favour=190)) == "赞成190票"
    counts = model.Satisfaction(satisfied=170, basically_satisfied=18, dissatisfied=4)
    assert wording.satisfaction_phrase(counts, "count") == "满意170，基本满意18，不满意4"
    shares = model.Satisfaction(satisfied=85.2, basically_satisfied=12.1, dissatisfied=2.7, rate=97.3)
    assert wording.satisfaction_phrase(shares, "percent") == "满意85.2%，基本满意12.1%，不满意2.7%；满意率97.3%"
    assert wording.satisfaction_phrase(model.Satisfaction(rate=96), "percent") == "满意率96%"


# --- the pages ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def made(vds):
    site = pages.Site(vds, site_url=SITE)
    return {p.src: p.content for p in site.list_pages(("shili", 2023))}


def _tree(content: str):
    return lxml.html.fromstring("<div>" + content.split("---", 2)[2] + "</div>")


def _text(el) -> str:
    return " ".join(el.text_content().split())


def test_the_item_page_shows_the_money_and_the_verdict_with_who_when_and_where(made):
    tree = _tree(made["shili/2023/1.md"])
    facts = {_text(dt): _text(dt.getnext()) for dt in tree.xpath("//dl[@class='ml-facts']/dt")}
    assert facts["计划投资"].startswith("1.2亿元") and "原文：计划投资1.2亿元" in facts["计划投资"]
    assert facts["完成投资"].startswith("1.15亿元（占计划投资的95.8%")
    assert "截至2023年12月20日" in facts["完成投资"] and "原文：已完成投资1.15亿元" in facts["完成投资"]
    assert facts["人大代表票决"].startswith("赞成190票，反对5票，弃权3票")
    assert "示例县第十八届人民代表大会第三次会议，2023年1月12日" in facts["人大代表票决"] and "参加表决198人" in facts["人大代表票决"]
    assert facts["满意度测评"].startswith("满意170，基本满意18，不满意4") and "县人大代表测评，2023年12月26日" in facts["满意度测评"]
    vote_dd = tree.xpath("//dt[.='人大代表票决']/following-sibling::dd[1]")[0]
    assert vote_dd.xpath(".//a[contains(@class, 'ml-archive-link')]/@href")[0].endswith("sources/shili-2023-piaojue/#L5")  # the line with this item's votes
    cited = _text(tree.xpath("//ul[@class='ml-sources']")[0])
    assert "人大代表票决：关于2023年县级民生实事项目票决结果的公告" in cited and "满意度测评：示例县人大常委会" in cited
    timeline = _text(tree.xpath("//ol[@class='ml-timeline']")[0])
    assert "完成投资：1.15亿元（原文：已完成投资1.15亿元）" in timeline


def test_a_finished_item_shows_no_pace_line_an_unfinished_one_does(made, vds):
    """序时进度 says how far an unfinished item should be by now: beside 已完成 it read like a
    second, lower completion figure (97%), so a done item has none, in the page and the data."""
    def summary(item_id: str) -> str:
        return _text(_tree(made[f"shili/2023/{item_id}.md"]).xpath("//div[@class='ml-summary']")[0])

    assert "序时进度" not in summary("1") and "序时进度" not in summary("3")  # done
    assert "序时进度 97%" in summary("4")  # on track, at 2023-12-20 of the year
    pl = vds.lists[("shili", 2023)].data
    assert [derive.latest(i, pl).pace for i in pl.items] == [None, None, None, 97.0]


def test_the_list_page_adds_up_only_when_all_state_it_and_lists_the_verdict(made, ds):
    tree = _tree(made["shili/2023/index.md"])
    facts = {_text(dt): _text(dt.getnext()) for dt in tree.xpath("//dl[@class='ml-facts']/dt")}
    assert facts["计划投资"] == "合计2.03亿元 本站合计 4项均写明计划投资"
    heads = [_text(th) for th in tree.xpath("//table[@class='ml-ptable']/thead//th")]
    assert "计划投资" in heads
    money = [_text(td) for td in tree.xpath("//td[@data-label='计划投资']")]
    assert money == ["1.2亿元", "3500万元", "600万元", "4200万元"]
    verdicts = tree.xpath("//table[@class='ml-verdicts']")[0]
    rows = [[_text(c) for c in tr] for tr in verdicts.xpath(".//tbody/tr")]
    assert rows[0] == ["第一项 城区学校扩容工程", "赞成190票，反对5票，弃权3票", "满意170，基本满意18，不满意4"]
    assert len(rows) == 4
    assert [_text(li) for li in tree.xpath("//ul[@class='ml-not-chosen']/li")] == ["新建城市书房10处（赞成96票，反对62票，弃权40票）", "改造农贸市场3处（赞成88票，反对70票，弃权40票）"]
    section = _text(tree)
    assert "参加表决198人，6个候选项目" in section and "共192人参加，结果为人数" in section

    site = pages.Site(ds, site_url=SITE)
    qixia = _tree(next(p.content for p in site.list_pages(("qixia", 2024)) if p.src == "qixia/2024/index.md"))
    facts = {_text(dt): _text(dt.getnext()) for dt in qixia.xpath("//dl[@class='ml-facts']/dt")}
    assert facts["计划投资"].startswith("30项中有6项写明计划投资") and "合计" not in facts["计划投资"].replace("不作合计", "")
    cells = [_text(td) for td in qixia.xpath("//td[@data-label='计划投资']")]
    assert cells.count("未写明") == 24 and "1500万元" in cells and "1.8亿元" in cells
    qingdao = next(p.content for p in site.list_pages(("qingdao", 2024)) if p.src == "qingdao/2024/index.md")
    assert "计划投资" not in qingdao and "ml-verdicts" not in qingdao  # nothing to say, nothing said


# --- the downloads ------------------------------------------------------------------------


def test_the_csv_and_json_carry_the_money_and_the_verdict(vds):
    lf = vds.lists[("shili", 2023)]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(downloads.list_csv(vds, lf, SITE).decode("utf-8-sig"), newline=""))}
    assert rows["1"]["planned_investment"] == "120000000" and rows["1"]["planned_investment_text"] == "计划投资1.2亿元"
    assert rows["1"]["completed_investment"] == "115000000" and rows["1"]["completed_investment_as_of"] == "2023-12-20"
    assert (rows["4"]["vote_in_favour"], rows["4"]["vote_against"], rows["4"]["vote_abstaining"]) == ("175", "15", "8")
    assert (rows["4"]["satisfied"], rows["4"]["basically_satisfied"], rows["4"]["dissatisfied"], rows["4"]["satisfaction_rate"]) == ("120", "52", "20", "")
    assert rows["3"]["completed_investment"] == ""
    doc = json.loads(downloads.list_json(vds, lf, SITE))
    assert doc["investment"] == {"items": 4, "stated": 4, "total": 203_000_000}
    assert doc["derived"]["2"]["investment"]["completed"] == 32_000_000 and doc["derived"]["2"]["investment"]["completed_report"] == "2023-ceping"
    assert doc["list"]["vote"]["not_chosen"][1]["votes"] == {"in_favour": 88, "against": 70, "abstaining": 40}
    assert doc["list"]["satisfaction"]["scale"] == "count"
    item = json.loads(downloads.item_json(vds, lf, lf.data.items[0], None, SITE))
    assert item["item"]["vote"] == {"in_favour": 190, "against": 5, "abstaining": 3}


def test_the_csv_columns_are_the_tables_columns():
    assert set(tables.MONEY_AND_VERDICT_COLUMNS) <= set(downloads.CSV_COLUMNS)
    assert set(tables.MONEY_AND_VERDICT_COLUMNS) <= set(tables.ITEMS.column_names)
    sample = tables.item_money_and_verdicts(model.Item(id="1", text="x"), None)
    assert tuple(sample) == tables.MONEY_AND_VERDICT_COLUMNS


def test_the_database_has_the_candidates_and_the_columns(vds, tmp_path):
    path = tmp_path / "ledger.sqlite"
    path.write_bytes(downloads.dataset_files(vds, SITE)[urls.database()])
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT text, in_favour FROM candidates ORDER BY n").fetchall() == [("新建城市书房10处", 96), ("改造农贸市场3处", 88)]
        listed = conn.execute("SELECT planned_investment_total, planned_investment_items, vote_voters, vote_source, satisfaction_scale FROM lists").fetchone()
        assert listed == (203_000_000, 4, 198, "shili/2023/piaojue", "count")
        assert conn.execute("SELECT sum(planned_investment), sum(completed_investment) FROM items").fetchone() == (203_000_000, 173_000_000)
        assert conn.execute("SELECT investment_text FROM progress WHERE item = 'shili/2023/4'").fetchone() == ("已完成投资2600万元",)
        assert conn.execute("SELECT count(*) FROM lists JOIN sources ON sources.source = lists.satisfaction_source").fetchone() == (1,)
    finally:
        conn.close()


# --- in the built site, in a real browser -------------------------------------------------


@pytest.fixture(scope="module")
def verdict_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("verdict") / "site"
    result = build_site(out, VERDICT)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_the_pages_are_valid_html_and_read_in_chinese(verdict_site):
    java = shutil.which("java")
    if java is None:
        pytest.skip("java not found: the Nu HTML Checker needs it (.ci/run installs it)")
    targets = [verdict_site / "shili" / "2023" / "index.html", verdict_site / "shili" / "2023" / "1" / "index.html"]
    result = subprocess.run([java, "-Xss4m", "-jar", str(_vnu_jar()), "--errors-only", "--format", "json", "--stdout", *map(str, targets)], capture_output=True, text=True, timeout=300)
    messages = [m for m in json.loads(result.stdout)["messages"] if not material_error(m)]
    assert messages == [], messages[:5]
    for path in targets:
        assert latin_words(visible_text(path.read_bytes(), False), ALLOWED_WORDS) == [], path


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_list_and_item_pages_pass_axe_and_fit_a_phone(browser, verdict_site, scheme, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    report = []
    with serve_folder(verdict_site) as base:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", color_scheme=scheme)
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        try:
            pg = context.new_page()
            for url in ("shili/2023/", "shili/2023/1/"):
                pg.goto(base + url)
                pg.wait_for_load_state("load")
                pg.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
                for v in axe.run(pg).response["violations"]:
                    if v["impact"] in ("serious", "critical"):
                        report.append(f"{url} {v['id']}: {v['help']}")
                sideways = pg.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert sideways <= 0, f"{url} at {width}px scrolls sideways by {sideways}px"
            pg.goto(base + "shili/2023/")
            assert pg.locator("table.ml-verdicts tbody tr").count() == 4
            assert pg.locator("td[data-label='计划投资']").first.inner_text().strip() == "1.2亿元"
        finally:
            context.close()
    assert not report, report
    assert all(u.startswith(base) for u in requests), [u for u in requests if not u.startswith(base)]
