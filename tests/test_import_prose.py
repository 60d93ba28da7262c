"""`import-progress` from a report written as prose (issue #25, part 4): statuses given by group
("…等11件超额完成全年目标任务", "6项（①…；②…）已完成"), one paragraph an item ("5.老旧小区改造方面，…"),
sentences with an item's share of its target ("新增停车泊位2.3万个，完成年度目标的115%"); names
matched back to items by their short titles, ambiguous and unknown names refused, nothing written.

The fixtures in tests/fixtures/ingest/progress/ are ours, written in the shape of the 进展情况
reports cities publish, for the seed list data/qingdao/2024.yml (which has no report yet); the
real 2021 half-year report (archived for data/qingdao/2021.yml) and the 栖霞 Q2 通报 are used as
published. Each test imports into a copy of data/ and sources/ with the report registered and
its text archived, so that every imported text also passes the verbatim check.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.ingest.documents import gov_page, write_docx, write_pdf

from conftest import FIXTURES, ROOT
from generator.cli import main
from generator.core.model import Status
from generator.data.dataset import load_dataset, walk_items
from generator.ingest.importer.names import match_name
from generator.ingest.importer.prose import count_of, read_statements
from generator.ingest.importer.yearfile import items_by_id, yaml_for

PROGRESS = FIXTURES / "ingest" / "progress"
QINGDAO = "data/qingdao/2024.yml"


def registered(root: Path, year_file: str, report: str, kind: str, as_of: str, capture: str) -> None:
    """Add the report and its archived source to a year file, as CONTRIBUTING says to do first."""
    path = root / year_file
    text = path.read_text(encoding="utf-8")
    source = f"""  - id: {report}-source
    title: 进展情况
    publisher: 市政府办公厅
    date: {as_of}
    obtained: 网页存档
    archive: sources/captures/{capture}
"""
    entry = f"""  - id: {report}
    title: 进展情况
    kind: {kind}
    as_of: {as_of}
    published: {as_of}
    source: {report}-source
"""
    if "\nreports:\n" in text:
        text = text.replace("\nreports:\n", "\nreports:\n" + entry, 1).replace("\nreports:\n", "\n" + source + "reports:\n", 1)
    else:
        text = text.replace("\nitems:\n", "\n" + source + "reports:\n" + entry + "items:\n", 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def root(tmp_path) -> Path:
    dest = tmp_path / "root"
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "sources", dest / "sources")
    for name in ("qingdao-2024-year-end.txt", "qingdao-2024-h1.txt", "qingdao-2024-q3-ambiguous.txt"):
        shutil.copy(PROGRESS / name, dest / "sources" / "captures" / name)
    registered(dest, QINGDAO, "2024-h1", "half_year", "2024-06-30", "qingdao-2024-h1.txt")
    registered(dest, QINGDAO, "2024-q3", "quarterly", "2024-09-30", "qingdao-2024-q3-ambiguous.txt")
    registered(dest, QINGDAO, "2024-year-end", "year_end", "2024-12-31", "qingdao-2024-year-end.txt")
    return dest


def run(root: Path, year_file: str, report_file: Path | str, *options: str) -> int:
    return main(["import-progress", str(root / year_file), str(report_file), *options])


def progress(root: Path, city: str = "qingdao", year: int = 2024) -> dict:
    """id → that item's progress entries, read back through the validator (no errors)."""
    ds = load_dataset(root)
    assert ds.errors == [], "\n".join(map(str, ds.errors))
    return {item.id: item.progress for item, _, _ in walk_items(ds.lists[(city, year)].data.items)}


def entry(entries: dict, item_id: str, report: str):
    found = [p for p in entries[item_id] if p.report == report]
    assert len(found) == 1, f"{item_id}: {entries[item_id]}"
    return found[0]


# --- a year-end report: statuses by group, percents by sentence -----------------------------------


def test_a_year_end_report_gives_each_group_its_status_and_each_sentence_its_percent(root, capsys):
    report = root / "sources/captures/qingdao-2024-year-end.txt"
    assert run(root, QINGDAO, report, "--report", "2024-year-end") == 0
    out = capsys.readouterr().out
    got = progress(root)
    exceeded = "城镇新增就业、老旧小区改造、新增停车泊位、口袋公园等11件超额完成全年目标任务"
    # 11件 counts whole items (件): each name is the item it belongs to (城镇新增就业 → 1, not 1-1)
    for item_id in ("1", "6", "8", "9"):
        e = entry(got, item_id, "2024-year-end")
        assert (e.status, e.status_text, e.text, e.percent) == (Status.done, "超额完成全年目标任务", exceeded, None)
    for item_id in ("2", "11"):
        e = entry(got, item_id, "2024-year-end")
        assert (e.status, e.status_text, e.text) == (Status.done, "按计划完成", "中小学幼儿园建设、农村供水和污水治理等4件按计划完成")
    # 15件…全部完成 is about every item: it holds for those no group names …
    for item_id in ("3", "4", "5", "7", "10", "12", "13", "14", "15"):
        e = entry(got, item_id, "2024-year-end")
        assert (e.status, e.status_text, e.text) == (Status.done, "全部完成", "15件市办实事全部完成")
    # … and for a sub-item the report gives a figure and its share of the target
    parking = entry(got, "6-3", "2024-year-end")
    assert (parking.status, parking.percent) == (Status.done, 115)
    assert parking.text == "15件市办实事全部完成\n全市新增停车泊位2.3万个，完成年度目标的115%"
    assert [(m.metric, m.value) for m in parking.measures] == [("新增停车泊位", 23000)]
    assert entry(got, "1-1", "2024-year-end").percent == 109.1
    assert entry(got, "9-1", "2024-year-end").percent == 103
    assert entry(got, "1-3", "2024-year-end").percent is None  # three targets (none of them the pledge as written): 104.2% is of one of them
    # the summary says which of the 11 are named, and that the others are not matched
    assert "'城镇新增就业、老旧小区改造、新增停车泊位、口袋公园等11件超额完成全年目标任务': 4 of 11 named and matched (`1` 就业创业和公益性岗位" in out
    assert "the other 7 are not named, so not matched" in out
    assert "'15件市办实事全部完成' gives done to the 9 items no other statement names: 3, 4, 5, 7, 10, 12, 13, 14, 15" in out
    assert "item `1-3` has 3 targets with figures, so its one percent (104.2%) is of one of them: no percent written" in out


def test_every_imported_text_is_a_span_of_the_report():
    """Verbatim is sacred: each text kept is a clause, sentence or paragraph of the report as it is."""
    lines = [(i + 1, line) for i, line in enumerate((PROGRESS / "qingdao-2024-h1.txt").read_text(encoding="utf-8").split("\n")) if line]
    groups, mentions = read_statements(lines, 15, 48)
    whole = "\n".join(line for _, line in lines)
    assert mentions and all(m.text in whole for m in mentions)
    assert [(g.count, g.unit, g.wording, g.names) for g in groups] == [
        (15, "件", "总体进展顺利", []),
        (3, "项", "已完成", ["扩大助餐补贴对象", "住院分娩医疗费补助提标"]),
        (38, "项", "序时推进", ["新增停车泊位", "建成口袋公园"]),
        (2, "项", "进度滞后", ["地铁6号线一期开通运营", "城镇消防站建设"]),
    ]


# --- a half-year report as a saved page: groups in 项, a paragraph an item -------------------------


def test_a_half_year_report_saved_as_a_page(root, capsys):
    paragraphs = [p for p in (PROGRESS / "qingdao-2024-h1.txt").read_text(encoding="utf-8").split("\n") if p]
    page = root / "h1.html"
    page.write_text(gov_page(paragraphs[0], paragraphs[1:], url="https://www.qingdao.gov.cn/zwgk/2024/0715/1.html", date="2024-07-15"), encoding="utf-8")
    assert run(root, QINGDAO, page, "--report", "2024-h1", "--status-map", "=on_track") == 0
    out = capsys.readouterr().out
    got = progress(root)
    # 3项: items by their most specific match (扩大助餐补贴对象 is 15-2's title)
    assert entry(got, "15-2", "2024-h1").status == Status.done
    assert entry(got, "5-2", "2024-h1").status_text == "已完成"
    late = entry(got, "14-2", "2024-h1")
    assert (late.status, late.status_text) == (Status.behind, "进度滞后")
    assert late.text == "地铁6号线一期开通运营、城镇消防站建设等2项进度滞后\n城镇消防站建设方面，10处城镇消防站中已开工4处，受用地手续影响，其余6处尚未开工。"
    assert entry(got, "6-2", "2024-h1").status == Status.behind
    parking = entry(got, "6-3", "2024-h1")
    assert (parking.status, parking.status_text, parking.percent) == (Status.on_track, "序时推进", 60)
    assert entry(got, "8-2", "2024-h1").text.endswith("口袋公园建设方面，已建成口袋公园52个，占年计划的52%，其余48个正在施工。")
    # a paragraph without a group: the status --status-map gives, no status_text (not the report's words)
    jobs = entry(got, "1-1", "2024-h1")
    assert (jobs.status, jobs.status_text, jobs.percent, jobs.text) == (Status.on_track, None, 56, "城镇新增就业方面，全市城镇新增就业19.6万人，占年计划的56%。")
    assert entry(got, "9-1", "2024-h1").percent is None  # 开工率92% is not a share of the year's target
    assert "'15件市办实事总体进展顺利' is about the whole list, but '总体进展顺利' is no status wording: not applied" in out
    assert "2 of 38 named and matched" in out


def test_items_the_report_gives_no_status_are_refused_until_one_is_given(root, capsys):
    before = (root / QINGDAO).read_bytes()
    assert run(root, QINGDAO, root / "sources/captures/qingdao-2024-h1.txt", "--report", "2024-h1") == 1
    err = capsys.readouterr().err
    assert "qingdao-2024-h1.txt:3: no status wording for `1-1` (line 3), `1-3` (line 4), `9-1` (line 7): the report gives these items a text or a percent but no status." in err
    assert "Give them one with --status-map =on_track" in err
    assert (root / QINGDAO).read_bytes() == before


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_same_report_as_a_word_file_or_a_pdf(root, kind):
    paragraphs = [p for p in (PROGRESS / "qingdao-2024-h1.txt").read_text(encoding="utf-8").split("\n") if p]
    path = root / f"h1.{kind}"
    if kind == "docx":
        write_docx(path, paragraphs, auto_number=False)
    else:
        write_pdf(path, paragraphs)
    assert run(root, QINGDAO, path, "--report", "2024-h1", "--status-map", "=on_track") == 0
    got = progress(root)
    assert entry(got, "6-3", "2024-h1").percent == 60
    assert entry(got, "14-2", "2024-h1").status == Status.behind


# --- refusals: ambiguous and unknown names, counts, conflicting statuses ---------------------------


def test_ambiguous_and_unknown_names_are_refused_with_the_candidates_and_nothing_is_written(root, capsys):
    report = root / "sources/captures/qingdao-2024-q3-ambiguous.txt"
    before = (root / QINGDAO).read_bytes()
    assert run(root, QINGDAO, report, "--report", "2024-q3") == 1
    err = capsys.readouterr().err
    assert (
        "qingdao-2024-q3-ambiguous.txt:2: '农村改造' matches 4 items: `2-2` 改造农村薄弱幼儿园 (改造农村薄弱幼儿园50所); "
        "`10-1` 城中村改造 (新开工建设城中村改造项目10个、年内回迁项目10个); `10-2` 农村清洁取暖改造 (实施农村地区清洁取暖改造15万户以上); "
        "`11-1` 农村供水管网改造 (改造农村供水主管网70公里,改造100个村庄的村内供水管网). Resolve it with --alias NAME=ID (e.g. --alias 农村改造=2-2)"
    ) in err
    assert "'新增停车泊位和充电桩' matches 2 items: `6-3` 新增停车泊位 (新增停车泊位2万个以上); `6-4` 电动汽车充电桩" in err
    assert "'加装电梯' matches no item's title or text; nearest: " in err
    assert "(--alias 加装电梯=ID, or --alias 加装电梯= if it is no item of this list)" in err
    assert "Nothing was written to" in err
    assert (root / QINGDAO).read_bytes() == before


def test_aliases_resolve_the_names_and_an_empty_one_leaves_a_name_out(root, capsys):
    report = root / "sources/captures/qingdao-2024-q3-ambiguous.txt"
    aliases = ["--alias", "农村改造=11-1,新增停车泊位和充电桩=6-3", "--alias", "加装电梯="]
    assert run(root, QINGDAO, report, "--report", "2024-q3", *aliases) == 0
    out = capsys.readouterr().out
    got = progress(root)
    assert entry(got, "11-1", "2024-q3").status == Status.ahead
    assert entry(got, "6-3", "2024-q3").status_text == "超序时推进"
    assert entry(got, "15-2", "2024-q3").status == Status.done
    assert "'加装电梯' is no item of this list (--alias 加装电梯=): left out" in out


def test_a_dry_run_shows_the_diff_of_what_matched_and_still_refuses(root, capsys):
    report = root / "sources/captures/qingdao-2024-q3-ambiguous.txt"
    before = (root / QINGDAO).read_bytes()
    assert run(root, QINGDAO, report, "--report", "2024-q3", "--dry-run") == 1
    captured = capsys.readouterr()
    assert "status_text: 已完成" in captured.out  # 15-2 and 5-2 matched
    assert "'农村改造' matches 4 items" in captured.err
    assert "without --dry-run nothing would be written" in captured.err
    assert (root / QINGDAO).read_bytes() == before


def write_report(root: Path, text: str, name: str = "r.txt") -> Path:
    path = root / "sources" / "captures" / "qingdao-2024-q3-ambiguous.txt"
    path.write_text(text, encoding="utf-8")  # the archived copy is what the verbatim check reads
    return path


REFUSALS = {
    "more names than the count": (
        "截至9月底，口袋公园、老旧小区改造、新增停车泊位等2件已完成。",
        "'口袋公园、老旧小区改造、新增停车泊位等2件已完成' counts 2件 but names 3 items (8, 9, 6); check the names",
    ),
    "two statuses for one item": (
        "其中，新增停车泊位等3项已完成，新增停车泊位、口袋公园等20项进度滞后。",
        "item `6-3` is given two statuses: '已完成' (done, line 1, 新增停车泊位); '进度滞后' (behind, line 1, 新增停车泊位)",
    ),
    "unknown group wording": (
        "其中，新增停车泊位、口袋公园等20项正抓紧扫尾。",
        "'正抓紧扫尾' (line 1) is not in the status table; map it with --status-map 正抓紧扫尾=<status>",
    ),
    "ambiguous group wording": (
        "其中，新增停车泊位、口袋公园等20项基本完成。",
        "'基本完成' (line 1) is ambiguous: it can mean done if only formalities such as acceptance remain",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_prose_refusals(root, case, capsys):
    text, message = REFUSALS[case]
    before = (root / QINGDAO).read_bytes()
    assert run(root, QINGDAO, write_report(root, text), "--report", "2024-q3") == 1
    assert message in capsys.readouterr().err
    assert (root / QINGDAO).read_bytes() == before


# --- the reports as published -------------------------------------------------------------------------


def test_the_published_2021_half_year_report_gives_the_hand_made_entries(tmp_path, capsys):
    """青岛 2021 上半年 (the archived page, with its furniture): its 32 '…方面，' paragraphs match
    the 32 sub-items the hand-made file has entries for, with the same texts and percents."""
    dest = tmp_path / "root"
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "sources", dest / "sources")
    before = progress(dest, year=2021)
    capture = ROOT / "sources" / "captures" / "001_bf6b56c9ad327146.txt"
    options = ("--report", "2021-h1", "--replace", "--status-map", "=on_track", "--no-measures")
    assert run(dest, "data/qingdao/2021.yml", capture, *options) == 1  # the report's counts are not the site's reading of its paragraphs
    assert "data/qingdao/2021.yml:34: reports[0].counts.已实现年度目标: report `2021-h1` counts 已实现年度目标: 5 but its entries give done" in capsys.readouterr().err
    assert run(dest, "data/qingdao/2021.yml", capture, *options, "--accept-counts-mismatch") == 0
    assert "written all the same (--accept-counts-mismatch); added to the report's note" in capsys.readouterr().out
    after = progress(dest, year=2021)
    made = {i: p[0] for i, p in before.items() if p}
    assert len(made) == 32
    assert {i for i, p in after.items() if p} == set(made)
    for item_id, hand in made.items():
        got = after[item_id][0]
        assert (got.text, got.percent) == (hand.text, hand.percent), item_id


def test_the_qixia_notice_names_its_six_done_items_in_brackets(tmp_path, capsys):
    """栖霞's 通报 (traditional characters, as archived): "6项（①…；②…）已完成，18项按计划推进，6项进展较为缓慢"."""
    dest = tmp_path / "root"
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "sources", dest / "sources")
    path = dest / "data/qixia/2024.yml"
    text = path.read_text(encoding="utf-8")
    report = "  - id: 2024-q2-notice\n    title: 通报\n    kind: quarterly\n    as_of: 2024-06-30\n    published: 2024-07-10\n    source: tongbao-2024-q2\n"
    path.write_text(text.replace("\nitems:\n", "\n" + report + "items:\n", 1), encoding="utf-8")
    capture = ROOT / "sources" / "captures" / "004_5b83448298b42065.txt"
    assert run(dest, "data/qixia/2024.yml", capture, "--report", "2024-q2-notice") == 0
    out = capsys.readouterr().out
    got = progress(dest, "qixia", 2024)
    done = sorted((i for i, p in got.items() if any(e.report == "2024-q2-notice" for e in p)), key=int)
    assert done == ["7", "19", "23", "24", "25", "27"]
    assert all(entry(got, i, "2024-q2-notice").status == Status.done for i in done)
    assert "counts 18项 without naming them: nothing matched" in out


# --- the name matcher ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def qingdao_items() -> dict:
    text = (ROOT / QINGDAO).read_text(encoding="utf-8")
    return items_by_id(yaml_for(text).load(text)["items"])


@pytest.mark.parametrize(
    "name, top, expected",
    [
        ("老旧小区改造", False, "9-1"),  # exactly 9-1's title
        ("老旧小区改造", True, "9"),  # counted in 件: the item it belongs to
        ("新增城镇就业", False, "1-1"),  # the words of 城镇新增就业 in another order
        ("全市城镇新增就业", False, "1-1"),  # the title inside the name
        ("建成口袋公园", False, "8-2"),  # part of 8-2's text (and of 8's, which holds it)
        ("地铁6号线一期开通运营", False, "6-2"),
        ("中小学幼儿园建设", False, "2"),
        ("建设电动汽车和电动自行车充电设施", True, "6"),
    ],
)
def test_names_match_their_item(qingdao_items, name, top, expected):
    assert match_name(name, qingdao_items, {}, top=top).item_id == expected


@pytest.mark.parametrize(
    "name, candidates",
    [
        ("农村改造", ["2-2", "10-1", "10-2", "11-1"]),
        ("新增停车泊位和充电桩", ["6-3", "6-4"]),  # each part is an item
        ("建设电动汽车和电动自行车充电设施", ["6-4", "6-5"]),
        ("农村幼儿园和供水管网改造", ["2-2", "11-1"]),
    ],
)
def test_names_of_two_items_are_ambiguous(qingdao_items, name, candidates):
    m = match_name(name, qingdao_items, {})
    assert (m.item_id, m.candidates) == (None, candidates)


def test_names_matching_nothing_are_not_guessed(qingdao_items):
    for name in ("加装电梯", "助餐", "建设口袋公园20处", "乡村体育和公园文体活动"):
        assert match_name(name, qingdao_items, {}).item_id is None, name


@pytest.mark.parametrize("text, value", [("11", 11), ("十一", 11), ("十", 10), ("两", 2), ("二十三", 23), ("四十", 40), ("百", None)])
def test_counts(text, value):
    assert count_of(text) == value


# --- a table matched by name, with a 完成率 column ---------------------------------------------------


def test_a_table_by_name_refuses_an_ambiguous_name_and_takes_an_alias(root, capsys):
    table = root / "t.csv"
    table.write_text("项目名称,完成状态,完成率\n新增停车泊位,已完成,115%\n农村改造,序时推进,98.5%\n建成口袋公园,序时推进,已完成\n", encoding="utf-8")
    before = (root / QINGDAO).read_bytes()
    assert run(root, QINGDAO, table, "--report", "2024-q3", "--match-by", "name") == 1
    err = capsys.readouterr().err
    assert "t.csv:3: 项目名称: '农村改造' matches 4 items: `2-2` 改造农村薄弱幼儿园" in err
    assert "Write the item's number in a 序号 column (and use --match-by id), or resolve it with --alias NAME=ID (e.g. --alias 农村改造=2-2)" in err
    assert (root / QINGDAO).read_bytes() == before
    capsys.readouterr()
    assert run(root, QINGDAO, table, "--report", "2024-q3", "--match-by", "name", "--alias", "农村改造=10-2") == 1
    assert "'已完成' says another status than 完成状态 '序时推进'" in capsys.readouterr().err
    table.write_text("项目名称,完成状态,完成率\n新增停车泊位,已完成,115%\n农村改造,序时推进,98.5%\n建成口袋公园,,已完成\n", encoding="utf-8")
    assert run(root, QINGDAO, table, "--report", "2024-q3", "--match-by", "name", "--alias", "农村改造=10-2") == 0
    got = progress(root)
    assert (entry(got, "6-3", "2024-q3").status, entry(got, "6-3", "2024-q3").percent) == (Status.done, 115)
    assert entry(got, "10-2", "2024-q3").percent == 98.5
    assert (entry(got, "8-2", "2024-q3").status, entry(got, "8-2", "2024-q3").percent) == (Status.done, None)
