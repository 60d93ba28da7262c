"""`import-progress` from a prose report that names items by number (issue #25, part 4):
"第1、3、5项已完成", "第七至九项", "第二十三项", "第六件第3项", a paragraph opening with the list's
own label ("（三）", "①") when the report follows the list's numbering; the false friends
(等11件, 6项, 第3季度, 第二批, 三年行动, 第九批集采药品) never read as numbers; an unknown number
and a number that disagrees with its name refused; and the report's stated `counts` checked
against what the import leaves (tests/test_import.py has the published 栖霞 table's).

The reports are ours, written like a 三季度进展情况通报, for data/qixia/2024.yml (30项, no
sub-items) and data/qingdao/2024.yml (15件, 项 numbered within each 件).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_import_prose import entry, progress, registered

from conftest import ROOT
from generator.cli import main
from generator.core.model import Status
from generator.ingest.importer.numbers import find_runs

QIXIA = "data/qixia/2024.yml"
QINGDAO = "data/qingdao/2024.yml"
CAPTURE = "sources/captures/report-q3.txt"

Q3 = """栖霞市人民政府办公室关于全市重点民生实事三季度进展情况的通报
各镇街区，市政府各部门、单位：
近期，市政府督查室对全市30项重点民生实事三季度进展情况进行了督导调度，现将有关情况通报如下：
截至9月底，第1、3、5项已完成，第７至９项已完成，第二十三项已完成，第19项儿童龋病防治已完成；其中第2项、第6项超额完成三季度目标任务，第十一至十三项和第15项进度滞后。
下一步，市政府督查室将于第四季度开展第二批督导，对照三年行动计划逐项销号；第九批集采药品降价工作继续巩固，目前仍有6项进展较为缓慢，等11件事项需加快推进。
"""
Q3_STATUSES = {
    Status.done: ["1", "3", "5", "7", "8", "9", "19", "23"],
    Status.ahead: ["2", "6"],
    Status.behind: ["11", "12", "13", "15"],
}


def write(root: Path, text: str) -> Path:
    """The report as archived (the verbatim check reads it)."""
    path = root / CAPTURE
    path.write_text(text, encoding="utf-8")
    return path


def with_counts(root: Path, year_file: str, counts: dict, note: str = "") -> None:
    """The 2024-q3 report registered with the counts it states."""
    path = root / year_file
    lines = "    counts:\n" + "".join(f"      {wording}: {n}\n" for wording, n in counts.items()) + (f"    note: {note}\n" if note else "")
    text = path.read_text(encoding="utf-8").replace("    source: 2024-q3-source\n", "    source: 2024-q3-source\n" + lines, 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def root(tmp_path) -> Path:
    dest = tmp_path / "root"
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "sources", dest / "sources")
    write(dest, Q3)
    for year_file in (QIXIA, QINGDAO):
        registered(dest, year_file, "2024-q3", "quarterly", "2024-09-30", "report-q3.txt")
    return dest


def run(root: Path, year_file: str, *options: str) -> int:
    return main(["import-progress", str(root / year_file), str(root / CAPTURE), "--report", "2024-q3", *options])


def statuses(root: Path, city: str = "qixia") -> dict:
    got = progress(root, city)
    found: dict = {}
    for item_id, entries in got.items():
        for e in entries:
            if e.report == "2024-q3":
                found.setdefault(e.status, []).append(item_id)
    return found


# --- every form of reference -------------------------------------------------------------------


def test_a_report_naming_items_by_number(root, capsys):
    assert run(root, QIXIA) == 0
    out = capsys.readouterr().out
    assert statuses(root) == Q3_STATUSES
    got = progress(root, "qixia")
    one = entry(got, "1", "2024-q3")
    assert (one.status_text, one.text) == ("已完成", "第1、3、5项已完成")  # the clause, as the report has it
    assert entry(got, "8", "2024-q3").text == "第７至９项已完成"
    assert entry(got, "19", "2024-q3").text == "第19项儿童龋病防治已完成"  # number and name agree
    assert entry(got, "6", "2024-q3").status_text == "超额完成三季度目标任务"
    assert entry(got, "15", "2024-q3").text == "第十一至十三项和第15项进度滞后"
    # the false friends: no entry for a count, a quarter, a batch, a plan's years, 第九批 in a name
    assert "counts 6项 without naming them: nothing matched" in out
    assert "added 14" in out


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第三件已完成", [(3, "件", None)]),
        ("第1、3、5项正在推进", [(1, "项", None), (3, "项", None), (5, "项", None)]),
        ("第7至9项已完成", [(7, "项", None), (8, "项", None), (9, "项", None)]),
        ("第七至第九项", [(7, "项", None), (8, "项", None), (9, "项", None)]),
        ("第7-9项、第7—9项、第7～9项", [(n, "项", None) for n in (7, 8, 9)] * 3),
        ("第十二项", [(12, "项", None)]),
        ("第二十三项", [(23, "项", None)]),
        ("第九十九件", [(99, "件", None)]),
        ("其中第2件、第6件超额完成", [(2, "件", None), (6, "件", None)]),
        ("第1项和第3项及第5项", [(1, "项", None), (3, "项", None), (5, "项", None)]),
        ("第1，3，5项已完成", [(1, "项", None), (3, "项", None), (5, "项", None)]),
        ("第１２项（全角）", [(12, "项", None)]),
        ("第六件第3、4项已完成", [(6, "件", 3), (6, "件", 4)]),
        ("第三件已完成，第七件正在推进", [(3, "件", None), (7, "件", None)]),
    ],
)
def test_reference_forms(text, expected):
    assert [(r.number, r.unit, r.sub) for run in find_runs(text) for r in run.references] == expected


@pytest.mark.parametrize(
    "text",
    ["等11件超额完成", "6项已完成", "第3季度", "第二批项目", "三年行动计划", "多种国家第九批集采药品降价", "第二项目部", "完成率115%", "6月30日", "第十四个五年规划", "第三方评估", "第一百项"],
)
def test_false_friends_are_no_numbers(text):
    assert find_runs(text) == []


def test_numbers_in_a_list_of_jian_with_sub_items(root, capsys):
    """青岛: 第N件 is the item, 第N件第M项 its sub-item; the report's figures go with them."""
    write(root, "截至9月底，第四件、第七件已完成，第六件第3项新增停车泊位2.3万个，完成年度目标的115%，已完成。\n")
    assert run(root, QINGDAO) == 0
    got = progress(root, "qingdao")
    assert entry(got, "4", "2024-q3").status == Status.done
    assert entry(got, "7", "2024-q3").text == "第四件、第七件已完成"
    parking = entry(got, "6-3", "2024-q3")
    assert (parking.status, parking.percent, parking.text) == (Status.done, 115, "第六件第3项新增停车泊位2.3万个，完成年度目标的115%，已完成。")


def test_a_xiang_of_a_list_of_jian_is_refused_until_an_alias_says_which(root, capsys):
    """青岛's 项 are numbered within each 件: '第2项' alone could be twelve sub-items."""
    write(root, "截至9月底，第2项已完成。\n")
    before = (root / QINGDAO).read_bytes()
    assert run(root, QINGDAO) == 1
    err = capsys.readouterr().err
    assert "report-q3.txt:1: '第2项': this list numbers its items 第一件 … 第15件, and 第2项 is any of 12 sub-items (1-2, 2-2, 3-2, 5-2, 6-2, 8-2, 9-2, 10-2, 11-2, 12-2, 14-2, 15-2): the 项 are numbered within each 件" in err
    assert "--alias 第2项=ID (--alias 第2项= leaves it out)" in err
    assert (root / QINGDAO).read_bytes() == before
    assert run(root, QINGDAO, "--alias", "第2项=6-2") == 0
    assert entry(progress(root, "qingdao"), "6-2", "2024-q3").status == Status.done


# --- the list's own numbering --------------------------------------------------------------------

CN = "一二三四五六七八九十"


def chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else CN[tens - 1] + "十")) + ("" if ones == 0 else CN[ones - 1])


def labelled(root: Path, label) -> None:
    """栖霞's items given labels as some lists number them: （一）… or ①…"""
    path = root / QIXIA
    text = path.read_text(encoding="utf-8")
    for n in range(1, 21):
        text = text.replace(f'\n  - id: "{n}"\n', f'\n  - id: "{n}"\n    label: "{label(n)}"\n', 1)
    path.write_text(text, encoding="utf-8")


MARKERS = {"bracketed": lambda n: f"（{chinese(n)}）", "circled": lambda n: chr(0x245F + n)}


@pytest.mark.parametrize("style", list(MARKERS))
def test_paragraphs_numbered_as_the_list_numbers_its_items(root, style):
    mark = MARKERS[style]
    labelled(root, mark)
    write(
        root,
        "截至9月底，各项目进展情况如下：\n"
        f"{mark(1)}地方储备粮仓库扩建。项目已完工，新增储备能力1.6万吨，已完成。\n"
        f"{mark(3)}平台主体已上线运行，正在推进。\n"
        f"{mark(10)}老旧小区改造。已开工改造小区12个，进度滞后。\n",
    )
    assert run(root, QIXIA) == 0
    got = progress(root, "qixia")
    assert entry(got, "1", "2024-q3").text == "地方储备粮仓库扩建。项目已完工，新增储备能力1.6万吨，已完成。"
    assert entry(got, "3", "2024-q3").status == Status.on_track  # by its number alone
    assert entry(got, "10", "2024-q3").status == Status.behind


def test_a_report_numbering_its_paragraphs_its_own_way_is_read_by_names(root, capsys):
    labelled(root, MARKERS["bracketed"])
    write(root, "截至9月底：\n（一）“城市大脑”建设。平台主体已上线运行，正在推进。\n（二）地方储备粮仓库扩建。项目已完工，已完成。\n")
    assert run(root, QIXIA) == 0
    assert "the report numbers its paragraphs its own way ('（一）' is item `1` in the list, but '“城市大脑”建设' is `3`): its paragraphs are read by their names" in capsys.readouterr().out
    assert statuses(root) == {Status.on_track: ["3"], Status.done: ["1"]}


# --- refusals -------------------------------------------------------------------------------------

REFUSED = {
    "an unknown number": (
        "截至9月底，第31项已完成。",
        "report-q3.txt:1: '第31项': 第31项 is no item: the list has items 1–30; check the number, or say which item it is with --alias 第31项=ID (--alias 第31项= leaves it out)",
    ),
    "an unknown number in a range": ("截至9月底，第二十九至三十一项进度滞后。", "'第二十九至三十一项': 第31项 is no item: the list has items 1–30"),
    "a number and a name of two items": (
        "截至9月底，第19项适龄女孩HPV疫苗接种已完成。",
        "'第19项' is item `19` (`19` 儿童龋病防治 (开展儿童龋病防治工作)), but the name '适龄女孩HPV疫苗接种' beside it is item `20` 适龄女孩HPV疫苗接种",
    ),
    "a number and a name giving two statuses": (
        "截至9月底，第20项已完成。\n其中，适龄女孩HPV疫苗接种、两癌筛查等2项进度滞后。",
        "item `20` is given two statuses: '已完成' (done, line 1, 第20项); '进度滞后' (behind, line 2, 适龄女孩HPV疫苗接种)",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_number_refusals_write_nothing(root, case, capsys):
    text, message = REFUSED[case]
    write(root, text + "\n")
    before = (root / QIXIA).read_bytes()
    assert run(root, QIXIA) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Nothing was written to" in err
    assert (root / QIXIA).read_bytes() == before


def test_a_number_and_a_name_that_agree_make_one_entry(root):
    write(root, "截至9月底，第20项已完成。\n其中，适龄女孩HPV疫苗接种等2项已完成。\n")
    assert run(root, QIXIA) == 0
    e = entry(progress(root, "qixia"), "20", "2024-q3")
    assert (e.status, e.text) == (Status.done, "第20项已完成\n适龄女孩HPV疫苗接种等2项已完成")


def test_an_alias_leaves_a_number_out(root, capsys):
    write(root, "截至9月底，第31项已完成，第1项已完成。\n")
    assert run(root, QIXIA, "--alias", "第31项=") == 0
    assert "'第31项' (第31项) is no item of this list (--alias 第31项=): left out" in capsys.readouterr().out
    assert statuses(root) == {Status.done: ["1"]}


# --- the report's own counts ------------------------------------------------------------------------


def test_counts_that_agree_are_written(root, capsys):
    with_counts(root, QIXIA, {"已完成": 8, "超额完成三季度目标任务": 2, "进度滞后": 4})
    assert run(root, QIXIA) == 0
    assert statuses(root) == Q3_STATUSES
    assert "counts" not in capsys.readouterr().err


def test_counts_that_disagree_are_refused_and_nothing_is_written(root, capsys):
    with_counts(root, QIXIA, {"已完成": 9, "超额完成三季度目标任务": 2, "进度滞后": 4})
    before = (root / QIXIA).read_bytes()
    assert run(root, QIXIA) == 1
    err = capsys.readouterr().err
    assert (
        "data/qixia/2024.yml:40: reports[0].counts.已完成: report `2024-q3` counts 已完成: 9 but its entries give done (the site's reading of 已完成) "
        "to 8 items (1, 3, 5, 7, 8, 9, 19, 23); check the names and numbers matched and the items left out, "
        "or write it all the same with --accept-counts-mismatch (the report's note then says so)"
    ) in err
    assert "进度滞后" not in err  # the counts that agree are not listed
    assert (root / QIXIA).read_bytes() == before
    capsys.readouterr()
    assert run(root, QIXIA, "--dry-run") == 1  # a dry run shows the diff, and refuses all the same
    captured = capsys.readouterr()
    assert "status_text: 已完成\n" in captured.out and "counts 已完成: 9 but" in captured.err
    assert (root / QIXIA).read_bytes() == before


def test_accepted_counts_go_into_the_reports_note_once(root, capsys):
    with_counts(root, QIXIA, {"已完成": 9}, note="通报与附表口径不一。")
    assert run(root, QIXIA, "--accept-counts-mismatch") == 0
    out = capsys.readouterr().out
    assert "report `2024-q3` counts 已完成: 9 but its entries give done (the site's reading of 已完成) to 8 items (1, 3, 5, 7, 8, 9, 19, 23): written all the same (--accept-counts-mismatch); added to the report's note" in out
    text = (root / QIXIA).read_text(encoding="utf-8")
    assert "    note: 通报与附表口径不一。报告称“已完成”9项，逐项进展中为8项（1、3、5、7、8、9、19、23）。\n" in text
    # importing again (--replace) finds the note already saying so, and adds nothing to it
    assert run(root, QIXIA, "--accept-counts-mismatch", "--replace") == 0
    assert "the report's note already says so" in capsys.readouterr().out
    assert (root / QIXIA).read_text(encoding="utf-8") == text


def test_a_count_no_rule_reads_is_not_compared(root, capsys):
    with_counts(root, QIXIA, {"已完成": 8, "其他": 3})
    assert run(root, QIXIA) == 0
    assert "report `2024-q3` counts 其他: 3, a wording no status is read from (derive/reconcile.py COUNT_WORDING): not compared" in capsys.readouterr().out
