"""`python -m generator import-progress`: a city's progress table → progress entries.

The fixture root tests/fixtures/import/ holds a small year file full of comments, a CSV
table as Excel saves it (BOM, CRLF, Chinese headers, a heading row, full-width digits, a
multi-line cell) and the same table as TSV with other usual headers. expected.diff is the
exact change the import must make: only added lines, comments and order untouched.
Every refusal must name the table line, the column and the value, and leave the year
file byte for byte as it was.
"""

from __future__ import annotations

import csv
import difflib
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from generator.cli import main
from generator.core.model import Status
from generator.data.dataset import load_dataset, walk_items
from generator.ingest import Refused, importer
from generator.ingest.importer.columns import Options
from generator.ingest.importer.entries import parse_percent
from generator.ingest.importer.statuses import AMBIGUOUS_STATUS, STATUS_WORDS, status_for
from generator.ingest.importer.yearfile import dump, yaml_for
from generator.ingest.measures import propose_measures

IMPORT = FIXTURES / "import"
YEAR_FILE = "data/ceshi/2024.yml"


@pytest.fixture
def root(tmp_path) -> Path:
    dest = tmp_path / "root"
    shutil.copytree(IMPORT, dest)
    return dest


def run(root: Path, table: str | Path, *options: str) -> int:
    return main(["import-progress", str(root / YEAR_FILE), str(root / table), *options])


def write_table(root: Path, rows: list, name: str = "t.csv") -> str:
    with open(root / name, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return name


def diff_of(before: str, after: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{YEAR_FILE}", f"b/{YEAR_FILE}"))


def progress_of(root: Path, item_id: str) -> list:
    ds = load_dataset(root)
    assert ds.errors == [], "\n".join(map(str, ds.errors))
    items = {item.id: item for item, _, _ in walk_items(ds.lists[("ceshi", 2024)].data.items)}
    return items[item_id].progress


# --- the fixture table ----------------------------------------------------------------------


@pytest.mark.parametrize("table", ["table.csv", "table.tsv"])
def test_import_makes_exactly_the_expected_diff(root, table, capsys):
    before = (root / YEAR_FILE).read_text(encoding="utf-8")
    assert run(root, table, "--report", "2024-q3") == 0
    after = (root / YEAR_FILE).read_text(encoding="utf-8")
    assert diff_of(before, after) == (IMPORT / "expected.diff").read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert "report 2024-q3: added 4, replaced 0 (on_track 2, behind 2)" in out
    assert "not in the table (1; fine if the report does not mention them): 3" in out
    assert "skipped rows without id or content (headings, blank): lines 2, 8" in out


def test_expected_diff_only_adds_lines():
    """Comments, key order and quoting are kept: the golden diff removes nothing."""
    changed = [line for line in (IMPORT / "expected.diff").read_text(encoding="utf-8").splitlines()[2:] if line[:1] in "+-"]
    assert changed and all(line.startswith("+") for line in changed)


def test_imported_file_validates_and_reads_back(root):
    assert run(root, "table.csv", "--report", "2024-q3") == 0
    one = progress_of(root, "1")
    assert [p.report for p in one] == ["2024-q2", "2024-q3"]
    assert (one[-1].status, one[-1].status_text, one[-1].percent) == (Status.on_track, "已完成三季度任务", 86.7)
    assert progress_of(root, "2-1")[-1].text == "已开工150个。\n其中完工60个。"
    assert progress_of(root, "2-2")[-1].text == "已加装电梯: 30部 #第一批"
    assert progress_of(root, "3") == []


def test_dry_run_prints_the_diff_and_writes_nothing(root, capsys):
    before = (root / YEAR_FILE).read_bytes()
    assert run(root, "table.csv", "--report", "2024-q3", "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.startswith((IMPORT / "expected.diff").read_text(encoding="utf-8"))
    assert "dry run: nothing written" in out
    assert (root / YEAR_FILE).read_bytes() == before


def test_a_year_file_saved_by_windows_keeps_its_bom_and_line_ends(root):
    path = root / YEAR_FILE
    expected = importer.import_progress(path, root / "table.csv", Options(report="2024-q3")).after
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert run(root, "table.csv", "--report", "2024-q3") == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8")


def test_an_older_report_goes_before_newer_entries(root):
    assert run(root, "table.csv", "--report", "2024-q3") == 0
    table = write_table(root, [["序号", "完成状态"], ["2-2", "未启动"]])
    assert run(root, table, "--report", "2024-q2") == 0
    assert [(p.report, p.status) for p in progress_of(root, "2-2")] == [("2024-q2", Status.not_started), ("2024-q3", Status.behind)]


def test_replace_overwrites_the_table_fields_and_keeps_the_rest(root):
    table = write_table(root, [["序号", "进展情况", "完成状态"], ["1", "新增托位3400个。", "已完成二季度任务"]])
    before = (root / YEAR_FILE).read_text(encoding="utf-8")
    assert run(root, table, "--report", "2024-q2", "--replace") == 0
    after = (root / YEAR_FILE).read_text(encoding="utf-8")
    changed = [line for line in diff_of(before, after).splitlines()[2:] if line[:1] in "+-"]
    assert changed == ["-        text: 新增托位3300个。  # 原文", "+        text: 新增托位3400个。  # 原文"]


def test_status_map_adds_and_overrides_wordings(root):
    table = write_table(root, [["序号", "完成状态"], ["1", "基本完成"], ["3", ""], ["2-2", "滞后"]])
    assert run(root, table, "--report", "2024-q3", "--status-map", "基本完成=on_track,=unknown", "--status-map", "滞后=not_started") == 0
    assert (progress_of(root, "1")[-1].status, progress_of(root, "1")[-1].status_text) == (Status.on_track, "基本完成")
    assert (progress_of(root, "3")[-1].status, progress_of(root, "3")[-1].status_text) == (Status.unknown, None)
    assert progress_of(root, "2-2")[-1].status == Status.not_started


def test_match_by_name(root):
    table = write_table(root, [["项目名称", "完成状态"], ["建设口袋公园 10处", "已完成"], ["新增托位", "超序时"]])
    assert run(root, table, "--report", "2024-q3", "--match-by", "name") == 0
    assert progress_of(root, "3")[-1].status == Status.done
    assert progress_of(root, "1")[-1].status == Status.ahead  # by its title


def test_a_name_found_in_an_item_and_its_sub_item_is_the_sub_item(root):
    """改造老旧小区 is in the text of 2 and of its sub-item 2-1: one thing at two depths, the most
    specific is meant (two items that are not one inside the other are refused)."""
    table = write_table(root, [["项目名称", "完成状态"], ["改造老旧小区", "已完成"]])
    assert run(root, table, "--report", "2024-q3", "--match-by", "name") == 0
    assert progress_of(root, "2-1")[-1].status == Status.done
    assert [p.report for p in progress_of(root, "2")] == []


def test_an_alias_names_the_item_and_an_empty_alias_skips_the_row(root, capsys):
    table = write_table(root, [["项目名称", "完成状态"], ["托位和口袋公园", "已完成"], ["加装电梯（第一批）", "滞后"], ["市级统筹", "已完成"]])
    assert run(root, table, "--report", "2024-q3", "--match-by", "name", "--alias", "托位和口袋公园=3,加装电梯（第一批）=2-2", "--alias", "市级统筹=") == 0
    assert progress_of(root, "3")[-1].status == Status.done
    assert progress_of(root, "2-2")[-1].status == Status.behind
    assert "skipped rows without id or content (headings, blank): lines 4" in capsys.readouterr().out


def test_an_alias_to_no_item_is_refused(root, capsys):
    table = write_table(root, [["项目名称", "完成状态"], ["新增托位", "已完成"]])
    assert run(root, table, "--report", "2024-q3", "--match-by", "name", "--alias", "新增托位=9") == 1
    assert "--alias '新增托位=9': no item `9` in the year file" in capsys.readouterr().err


# --- a 完成率 column: figures and wordings mixed ---------------------------------------------


def test_a_percent_column_mixing_figures_and_wordings(root):
    """完成率 as cities fill it in: 115%, 98.5 %, 已完成 (a status, not a figure), — (none)."""
    table = write_table(
        root,
        [["序号", "进展情况", "完成状态", "完成率"], ["1", "新增托位6900个。", "", "115%"], ["2-1", "已开工197个。", "序时推进", "98.5 %"], ["2-2", "已加装电梯100部。", "", "已完成"], ["3", "建设中。", "正在推进", "—"]],
    )
    assert run(root, table, "--report", "2024-q3", "--status-map", "=on_track") == 0
    assert (progress_of(root, "1")[-1].status, progress_of(root, "1")[-1].percent) == (Status.on_track, 115)
    assert progress_of(root, "2-1")[-1].percent == 98.5
    two = progress_of(root, "2-2")[-1]
    assert (two.status, two.status_text, two.percent) == (Status.done, "已完成", None)
    assert (progress_of(root, "3")[-1].status, progress_of(root, "3")[-1].percent) == (Status.on_track, None)


def test_a_table_whose_only_status_is_in_its_percent_column(root):
    table = write_table(root, [["序号", "完成率"], ["1", "已完成"], ["3", "１１５％"]])
    assert run(root, table, "--report", "2024-q3", "--status-map", "=ahead") == 0
    assert (progress_of(root, "1")[-1].status, progress_of(root, "1")[-1].status_text) == (Status.done, "已完成")
    assert (progress_of(root, "3")[-1].status, progress_of(root, "3")[-1].percent) == (Status.ahead, 115)


def test_explicit_column_names(root):
    table = write_table(root, [["No.", "说明", "结论", "%"], ["3", "已建成4处。", "序时推进", "40"]])
    assert run(root, table, "--report", "2024-q3", "--id-column", "No.", "--text-column", "说明", "--status-column", "结论", "--percent-column", "%") == 0
    entry = progress_of(root, "3")[-1]
    assert (entry.text, entry.status, entry.percent) == ("已建成4处。", Status.on_track, 40)


# --- refusals: a clear message, exit 1, the file byte for byte unchanged ----------------------


REFUSALS = {
    "unknown id": (
        [["序号", "完成状态"], ["1", "已完成"], ["31", "已完成"]],
        [],
        ["t.csv:3: 序号: no item `31` in data/ceshi/2024.yml; close: 3, 1. Check the number, or delete the row if the item is not in this list"],
    ),
    "duplicate id": (
        [["序号", "完成状态"], ["1", "已完成"], ["１", "滞后"]],
        [],
        ["t.csv:3: 序号: item `1` is also on line 2; keep one row per item"],
    ),
    "row without id": (
        [["序号", "完成状态", "进展情况"], ["", "已完成", "已建成。"]],
        [],
        ["t.csv:2: 序号: empty, but the row has a progress report; fill in the item's number, or delete the row if it is a heading or a total"],
    ),
    "not an id": (
        [["序号", "完成状态"], ["第三件", "已完成"]],
        [],
        ["t.csv:2: 序号: '第三件' is not an item number (expected digits like 20 or 6-3)"],
    ),
    "unmapped status": (
        [["序号", "完成状态"], ["1", "见附表"], ["3", "见附表"], ["2-2", "有序推进中"]],
        [],
        [
            "t.csv:2: 完成状态: '见附表' (lines 2, 3) is not in the status table; map it with --status-map 见附表=<status>, "
            "status one of done, ahead, on_track, behind, not_started, adjusted, cancelled, unknown",
            "t.csv:4: 完成状态: '有序推进中' (line 4) is not in the status table",
        ],
    ),
    "ambiguous status": (
        [["序号", "完成状态"], ["1", "基本完成"], ["3", "基本完成"], ["2-2", "暂停"]],
        [],
        [
            "t.csv:2: 完成状态: '基本完成' (lines 2, 3) is ambiguous: it can mean done if only formalities such as acceptance remain; "
            "or on_track if part of the work remains. Choose with --status-map 基本完成=done or --status-map 基本完成=on_track",
            "t.csv:4: 完成状态: '暂停' (line 4) is ambiguous: it can mean behind if the work has stopped and the item is late; "
            "or adjusted if the plan was officially changed; or cancelled if the item was dropped.",
        ],
    ),
    "completion table without a status": (
        [["序号", "完成情况", "占全年计划"], ["1", "5200个", "86.7%"]],
        [],
        ["t.csv: the table has no status column (looked for: 完成状态, 状态, 进展状态); name it with --status-column, or give every row one status with --status-map =on_track"],
    ),
    "completion figure that is no figure": (
        [["序号", "完成情况", "占全年计划", "完成状态"], ["1", "已过半", "55%", "序时推进"]],
        [],
        ["t.csv:2: 完成情况: '已过半' is not one figure with its unit (such as 18.44万人 or 58处)"],
    ),
    "completion sub-row before any item": (
        [["序号", "完成情况", "占全年计划", "完成状态"], ["", "5200个", "86.7%", ""]],
        [],
        ["t.csv:2: 序号: empty, and there is no row above with an item for this figure; fill in the item's number"],
    ),
    "empty status": (
        [["序号", "完成状态", "进展情况"], ["3", "", "已建成4处。"]],
        [],
        ["t.csv:2: 完成状态: empty for item `3`; fill it in, or map empty cells with --status-map =unknown"],
    ),
    "missing column": (
        [["序号", "进展情况"], ["1", "已完成"]],
        [],
        ["t.csv: no column for status wording (looked for: 完成状态, 状态, 进展状态, 完成情况); the header row has: 序号, 进展情况. Name it with --status-column"],
    ),
    "missing id column": (
        [["項目名稱", "完成狀態"], ["1", "已完成"]],
        [],
        [
            "t.csv: no column for item numbers (looked for: 序号, 编号, 序); the header row has: 項目名稱, 完成狀態. "
            "Name it with --id-column, or match rows by item name with --match-by name",
            "The table is in traditional characters: convert it first",
        ],
    ),
    "explicit column not there": (
        [["序号", "完成状态"], ["1", "已完成"]],
        ["--text-column", "进展"],
        ["t.csv: no column '进展' (given with --text-column); the header row has: 序号, 完成状态"],
    ),
    "existing entry": (
        [["序号", "完成状态"], ["3", "已完成"], ["1", "已完成"]],
        ["--report", "2024-q2"],
        ["t.csv:3: item `1` already has a progress entry for report `2024-q2` (data/ceshi/2024.yml:53); to overwrite it use --replace"],
    ),
    "unknown report": (
        [["序号", "完成状态"], ["1", "已完成"]],
        ["--report", "2024-q4"],
        ["data/ceshi/2024.yml: no report `2024-q4` in `reports` (known: 2024-q2, 2024-q3); add it first (id, title, kind, as_of, published, source)"],
    ),
    "ambiguous name": (
        [["项目名称", "完成状态"], ["新增托位和口袋公园", "已完成"]],
        ["--match-by", "name"],
        [
            "t.csv:2: 项目名称: '新增托位和口袋公园' matches 2 items: `1` 新增托位 (新增托位6000个以上); `3` 建设口袋公园10处. "
            "Write the item's number in a 序号 column (and use --match-by id), or resolve it with --alias NAME=ID (e.g. --alias 新增托位和口袋公园=1)"
        ],
    ),
    "unknown name": (
        [["项目名称", "完成状态"], ["建设口袋公园20处", "已完成"]],
        ["--match-by", "name"],
        ["t.csv:2: 项目名称: '建设口袋公园20处' matches no item's title or text; nearest: `3` 建设口袋公园10处. Write the item's number in a 序号 column"],
    ),
    "percent column without status for a figure": (
        [["序号", "完成率"], ["1", "已完成"], ["3", "115%"]],
        [],
        ["t.csv:3: 完成率: no status for item `3`: the table has no status column and this cell is a figure; name the status column with --status-column, or give such rows one status with --status-map =on_track"],
    ),
    "percent wording against the status": (
        [["序号", "完成状态", "完成率"], ["1", "滞后", "已完成"]],
        [],
        ["t.csv:2: 完成率: '已完成' says another status than 完成状态 '滞后'; make the two cells agree, or leave the percent empty"],
    ),
    "percent not a number": (
        [["序号", "完成状态", "完成比例"], ["1", "已完成", "约九成"]],
        [],
        ["t.csv:2: 完成比例: '约九成' is not a number; write 90 (or 90%), or leave the cell empty"],
    ),
    "bad status map": (
        [["序号", "完成状态"], ["1", "已完成"]],
        ["--status-map", "基本完成=mostly"],
        ["--status-map '基本完成=mostly': write wording=status, status one of done, ahead"],
    ),
    "merged file would not validate": (
        [["序号", "完成状态", "进展情况"], ["1", "已完成", "已建成" + "。" * 20000]],
        [],
        ["data/ceshi/2024.yml:", "items[0].progress[1].text: string should have at most 20000 characters", "the merged data/ceshi/2024.yml would not validate"],
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_say_what_is_wrong_and_write_nothing(root, case, capsys, monkeypatch):
    rows, options, messages = REFUSALS[case]
    monkeypatch.chdir(root)  # like a maintainer: messages name the files as typed
    table = write_table(root, rows)
    if "--report" not in options:
        options = ["--report", "2024-q3", *options]
    before = (root / YEAR_FILE).read_bytes()
    assert main(["import-progress", YEAR_FILE, table, *options]) == 1
    err = capsys.readouterr().err
    for message in messages:
        assert message in err
    assert f"Nothing was written to {YEAR_FILE}." in err
    assert (root / YEAR_FILE).read_bytes() == before


def test_a_table_in_neither_utf8_nor_gb18030_is_refused(root, capsys):
    (root / "t.csv").write_bytes("序号,完成状态\n".encode() + b"1,\xff\xfe\n")
    before = (root / YEAR_FILE).read_bytes()
    assert run(root, "t.csv", "--report", "2024-q3") == 1
    assert "t.csv:2: the file is neither UTF-8 nor GB18030 text (byte 0xff); save it as UTF-8 (from Excel: \"CSV UTF-8\")" in capsys.readouterr().err
    assert (root / YEAR_FILE).read_bytes() == before


def test_an_id_column_headed_序_is_the_item_numbers(root):
    table = write_table(root, [["序", "完成状态"], ["3", "已完成"]])
    assert run(root, table, "--report", "2024-q3") == 0
    assert progress_of(root, "3")[-1].status == Status.done


def test_refuses_a_year_file_that_already_has_errors(root, capsys):
    path = root / YEAR_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("status: behind", "status: late"), encoding="utf-8")
    before = path.read_bytes()
    assert run(root, "table.csv", "--report", "2024-q3") == 1
    err = capsys.readouterr().err
    assert "'late' is not allowed here" in err and "has errors before the import; fix them first" in err
    assert path.read_bytes() == before


# --- pieces -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wording, status",
    [
        ("按期完成", "done"),
        ("已按期完成", "done"),
        ("提前完成", "done"),
        ("已建成", "done"),
        ("序时推进", "on_track"),
        ("正在推进", "on_track"),
        ("已开工", "on_track"),
        ("稳步推进", "on_track"),
        ("进度滞后", "behind"),
        ("未按期完成", "behind"),
        ("尚未开始", "not_started"),
        ("调整", "adjusted"),
        ("已终止", "cancelled"),
        ("基本完成", None),
        ("超额完成", None),
        ("暂停", None),
        ("未完成", None),
        ("已完成", "done"),
        ("已完成全年任务", "done"),
        ("已完成二季度任务", "on_track"),
        ("已完成 第三季度 任务", "on_track"),
        ("按序时推进", "on_track"),
        ("正常推进", "on_track"),
        ("超序时", "ahead"),
        ("超额完成上半年任务", "ahead"),
        ("未完成二季度任务", "behind"),
        ("未完成任务", "behind"),
        ("进展较为缓慢", "behind"),
        ("未启动", "not_started"),
        ("已取消", "cancelled"),
        ("基本完成", None),
        ("已完成部分任务", None),
    ],
)
def test_default_status_table(wording, status):
    assert status_for(wording, {}) == (Status(status) if status else None)


@pytest.mark.parametrize("cell, value", [("92", 92), ("92%", 92), ("９２％", 92), ("86.7 %", 86.7), ("", None)])
def test_percents(cell, value):
    assert parse_percent(cell) == value


def test_every_data_file_round_trips_byte_for_byte():
    """The import rewrites the whole file; this is what keeps the untouched parts identical."""
    paths = sorted((ROOT / "data").glob("*/*.yml")) + [ROOT / "data" / "topics.yml", IMPORT / YEAR_FILE]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        yaml = yaml_for(text)
        assert dump(yaml, yaml.load(text)) == text, f"{path} does not round-trip"


def test_reimporting_the_published_qixia_table_changes_nothing(tmp_path):
    """The 栖霞 Q2 table (archived capture, converted to simplified characters) imported over
    the hand-made data with --replace: the default status table and the text columns agree."""
    from opencc import OpenCC

    convert = OpenCC("t2s").convert
    capture = (ROOT / "sources" / "captures" / "004_5b83448298b42065.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(capture) if line.startswith("序號 |"))
    rows = [[convert(cell.strip()) for cell in line.rstrip(" |").split(" | ")] for line in capture[start:]]
    assert rows[0] == ["序号", "事项名称", "任务目标", "进展情况", "责任单位", "完成情况"] and len(rows) == 31
    data_root = tmp_path / "root"
    shutil.copytree(ROOT / "data", data_root / "data")
    shutil.copytree(ROOT / "sources", data_root / "sources")
    table = tmp_path / "qixia-2024-q2.csv"
    with open(table, "w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    with pytest.raises(Refused) as refused:  # the 通报 counts 18 按计划推进 and 6 进展较为缓慢; its own table, 13 and 11
        importer.import_progress(data_root / "data/qixia/2024.yml", table, Options(report="2024-q2", replace=True))
    assert [(p.line, p.path) for p in refused.value.problems] == [(36, "reports[0].counts.按计划推进"), (37, "reports[0].counts.进展较为缓慢")]
    assert "report `2024-q2` counts 按计划推进: 18 but its entries give on_track (the site's reading of 按计划推进) to 13 items (" in refused.value.problems[0].message
    outcome = importer.import_progress(data_root / "data/qixia/2024.yml", table, Options(report="2024-q2", replace=True, accept_counts_mismatch=True))
    assert len(outcome.replaced) == 30 and outcome.absent == []
    added = [line for line in outcome.diff().splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added == ["+    note: 报告称“按计划推进”18项，逐项进展中为13项（1、2、3、4、5、11、12、14、16、17、18、20、28）。报告称“进展较为缓慢”6项，逐项进展中为11项（6、8、9、10、13、15、21、22、26、29、30）。"]


# --- status words: the common official wordings, and refusal of the ambiguous ones -------------


def test_every_ambiguous_wording_is_refused_and_offers_at_least_two_statuses():
    for wording, choices in AMBIGUOUS_STATUS.items():
        assert status_for(wording, {}) is None, wording
        assert len({status for status, _ in choices}) >= 2, wording


def test_no_wording_is_both_mapped_and_ambiguous():
    assert not set(STATUS_WORDS) & set(AMBIGUOUS_STATUS)


def test_an_ambiguous_wording_is_imported_once_the_maintainer_chooses(root):
    table = write_table(root, [["序号", "完成状态"], ["1", "基本完成"]])
    assert run(root, table, "--report", "2024-q3", "--status-map", "基本完成=done") == 0
    assert (progress_of(root, "1")[-1].status, progress_of(root, "1")[-1].status_text) == (Status.done, "基本完成")


# --- measures: proposed from a progress text ---------------------------------------------------------


def test_a_figure_in_the_progress_text_becomes_a_measure_of_the_matching_target(root, capsys):
    assert run(root, "table.csv", "--report", "2024-q3") == 0
    (measure,) = progress_of(root, "1")[-1].measures
    assert (measure.metric, measure.value, measure.unit, measure.percent, measure.text) == ("新增托位", 5200, "个", 86.7, "新增托位5200个，占年计划的86.7%")
    out = capsys.readouterr().out
    assert "measures proposed from the progress texts (1, written into the entries; check each" in out
    assert "1: 新增托位 5,200 个 = 86.7% of the target 6,000, the report says 86.7% ← 新增托位5200个，占年计划的86.7%" in out


def test_without_propose_measures_the_figures_are_listed_but_not_written(root):
    outcome = importer.import_progress(root / YEAR_FILE, root / "table.csv", Options(report="2024-q3", propose_measures=False))
    assert "measures:" not in outcome.diff()
    assert "measures proposed from the progress texts (1, not written" in outcome.summary("2024-q3")


def test_an_entry_that_exists_keeps_its_measures_when_replaced(root):
    table = write_table(root, [["序号", "进展情况", "完成状态"], ["1", "新增托位5400个。", "已完成二季度任务"]])
    assert run(root, table, "--report", "2024-q2", "--replace") == 0
    assert progress_of(root, "1")[0].measures == []


TARGETS = [
    {"metric": "城镇新增就业", "text": "实现城镇新增就业35万人", "value": 350000, "unit": "人"},
    {"metric": "引才聚才", "text": "引才聚才25万人", "value": 250000, "unit": "人"},
    {"metric": "服务职工设施", "text": "打造服务职工设施105处", "value": 105, "unit": "处"},
]


def test_a_list_of_figures_is_paired_with_the_list_of_shares_that_follows_it():
    text = "就业创业方面,全市城镇新增就业18.44万人、引才聚才11.02万人,分别占年计划的52.7%、44.1%。"
    found = [(f.metric, f.value, f.percent, f.text) for f in propose_measures(TARGETS, text)]
    assert found == [("城镇新增就业", 184400, 52.7, "全市城镇新增就业18.44万人"), ("引才聚才", 110200, 44.1, "引才聚才11.02万人")]


def test_a_planned_figure_is_not_proposed():
    assert propose_measures(TARGETS, "(预计6月底实现城镇新增就业30万人以上)") == []


def test_a_figure_whose_unit_no_target_has_is_not_proposed():
    assert propose_measures(TARGETS, "城镇新增就业18.44万人次。") == []


def test_a_figure_that_fits_two_targets_equally_is_not_proposed():
    targets = [{"metric": "新建口袋公园", "text": "新建口袋公园10处", "value": 10, "unit": "处"}, {"metric": "改造口袋公园", "text": "改造口袋公园10处", "value": 10, "unit": "处"}]
    assert propose_measures(targets, "口袋公园8处。") == []


def test_a_figure_in_a_clause_about_something_else_is_not_proposed():
    """已完成80户…危房现场复核: 80户 were inspected, not rebuilt; the real figure (完工27户) does
    not name the metric either, so nothing is proposed rather than a wrong figure."""
    targets = [{"metric": "危房改造", "text": "危房改造80户", "value": 80, "unit": "户"}]
    text = "已完成80户农村低收入群体危房现场复核及房屋修缮加固方案编制,督促各镇街科学组织施工,目前已完工27户。"
    assert propose_measures(targets, text) == []


def test_a_figure_of_another_metric_in_the_same_unit_is_not_proposed():
    targets = [{"metric": "年度救助限额", "text": "年度救助限额3万元", "value": 30000, "unit": "元"}]
    assert propose_measures(targets, "截至2024年二季度,共救助90人次,救助金额1091546.8元。") == []


def test_a_figure_that_loses_its_target_to_a_better_one_is_not_given_another():
    """82批次 of 定量抽检 is a quarter's; the year's 定量检测 is 128批次: 82 measures nothing."""
    targets = [
        {"metric": "食品安全监督抽检", "text": "年内完成食品安全监督抽检2177批次", "value": 2177, "unit": "批次"},
        {"metric": "食用农产品质量安全定量检测", "text": "食用农产品质量安全定量检测740批次", "value": 740, "unit": "批次"},
        {"metric": "定性检测", "text": "定性检测10000批次", "value": 10000, "unit": "批次"},
    ]
    text = "第二季度,市农业农村局完成食用农产品质量安全定量抽检82批次,14个镇街完成定性检测5277批次。2024年累计完成食用农产品质量安全定量检测128批次、定性检测9936批次。"
    found = [(f.metric, f.value) for f in propose_measures(targets, text)]
    assert found == [("食用农产品质量安全定量检测", 128), ("定性检测", 9936)]  # the cumulative figures, not the quarter's


def test_a_figure_of_new_things_beats_an_all_time_total_for_a_target_of_new_things():
    targets = [{"metric": "新建5G基站", "text": "新建5G基站100个", "value": 100, "unit": "个"}]
    found = [(f.metric, f.value) for f in propose_measures(targets, "2024年新增5G基站106个,累计建设5G基站839个,全面提高5G网络覆盖率。")]
    assert found == [("新建5G基站", 106)]


def test_名_and_人_are_one_unit_for_people():
    targets = [{"metric": "适龄妇女免费两癌筛查服务", "text": "完成29410名适龄妇女免费两癌筛查服务", "value": 29410, "unit": "名"}]
    (f,) = propose_measures(targets, "截至目前,共完成适龄妇女免费两癌筛查人数11553人。")
    assert (f.metric, f.value, f.unit, f.target) == ("适龄妇女免费两癌筛查服务", 11553, "人", 29410)


def test_a_report_paragraph_on_one_topic_lends_its_topic_to_every_clause():
    targets = [{"metric": "城市空间微更新", "text": "实施城市空间微更新25处", "value": 25, "unit": "处"}]
    (f,) = propose_measures(targets, "城市空间微更新方面,25处已全部开工,占年计划的100%,其中2处已基本完工。")
    assert (f.value, f.percent) == (25, 100)


def test_proposed_measures_agree_with_the_hand_made_ones(ds):
    """Measurement: the hand-made measures of the real data (青岛 2021 half-year, 栖霞 2024 Q2)
    that measure one of the item's targets, against the proposals for the same progress texts."""
    from generator.core.model import walk_items as walk

    expected = proposed = agreed = 0
    for key in (("qingdao", 2021), ("qixia", 2024)):
        for item, _, _ in walk(ds.lists[key].data.items):
            metrics = {t.metric for t in item.targets if t.value is not None}
            targets = [t.model_dump(mode="json") for t in item.targets]
            for entry in item.progress:
                hand = {(m.metric, m.value, m.unit, m.percent) for m in entry.measures if m.metric in metrics and m.value is not None}
                ours = {(f.metric, float(f.value), f.unit, f.percent) for f in propose_measures(targets, entry.text or "")}
                expected, proposed, agreed = expected + len(hand), proposed + len(ours), agreed + len(hand & ours)
    assert agreed / expected >= 0.85, (agreed, expected)
    assert agreed / proposed >= 0.7, (agreed, proposed)


# --- completion tables: 完成情况 | 占全年计划, sub-rows under the row above ------------------------


def test_a_completion_table_imports_its_figures_with_rows_without_number_under_the_row_above(root):
    path = root / YEAR_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    topics: [laojiu-xiaoqu]\n",
            "    topics: [laojiu-xiaoqu]\n    targets:\n      - {text: 改造老旧小区200个, metric: 改造老旧小区, value: 200, unit: 个}\n"
            "      - {text: 加装电梯100部, metric: 加装电梯, value: 100, unit: 部}\n",
        ),
        encoding="utf-8",
    )
    table = write_table(
        root,
        [
            ["序号", "项目名称", "年度目标", "完成情况", "占全年计划"],
            ["1", "新增托位", "新增托位6000个以上", "5200个", "86.7%"],
            ["2", "改造老旧小区和加装电梯", "改造老旧小区200个", "150个", "75%"],
            ["", "", "加装电梯100部", "30部", "30"],
        ],
    )
    assert run(root, table, "--report", "2024-q3", "--status-map", "=on_track") == 0
    one, two = progress_of(root, "1")[-1], progress_of(root, "2")[-1]
    assert (one.status, one.percent, [(m.metric, m.value, m.unit, m.percent, m.text) for m in one.measures]) == (Status.on_track, 86.7, [("新增托位", 5200, "个", 86.7, "5200个")])
    assert two.percent is None  # two figures: no one overall percent
    assert [(m.metric, m.value, m.unit, m.percent) for m in two.measures] == [("改造老旧小区", 150, "个", 75), ("加装电梯", 30, "部", 30)]


def test_a_completion_figure_with_a_target_of_its_own_words_keeps_the_row_name_as_metric(root):
    table = write_table(root, [["序号", "指标", "完成情况", "占全年计划", "完成状态"], ["3", "建成口袋公园", "4处", "40%", "序时推进"]])
    assert run(root, table, "--report", "2024-q3") == 0
    (measure,) = progress_of(root, "3")[-1].measures
    assert (measure.metric, measure.value, measure.unit, measure.percent) == ("建成口袋公园", 4, "处", 40)
