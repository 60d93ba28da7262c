"""The text `draft` and `import-progress` are given: one encoding policy and one way of
comparing headers, ids and words (generator/ingest/textinput.py), so that a file one tool
reads, the other reads the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core.problems import Code, Problem
from generator.ingest import Refused, describe, textinput
from generator.ingest.draft.source import read_source
from generator.ingest.importer.columns import read_table

ROWS = "序号,事项名称,完成状态\n1,新增托位6000个（含䶮字）,已完成\n"  # 䶮 is in GB18030, not in GBK


def cells_read_by_both(path: Path) -> tuple:
    """(draft's rows, importer's rows) of one CSV file."""
    by_draft = read_source(path).table_rows
    table = read_table(path, path.name)
    return by_draft, [table.headers] + [cells for _, cells in table.rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_draft_and_import_read_a_table_the_same_in_every_encoding(tmp_path, encoding):
    path = tmp_path / "t.csv"
    path.write_bytes(ROWS.encode(encoding))
    by_draft, by_import = cells_read_by_both(path)
    assert by_draft == by_import == [["序号", "事项名称", "完成状态"], ["1", "新增托位6000个（含䶮字）", "已完成"]]


def test_a_gbk_table_reads_as_gb18030_in_both_tools(tmp_path):
    text = ROWS.replace("（含䶮字）", "")
    (tmp_path / "gbk.csv").write_bytes(text.encode("gbk"))
    (tmp_path / "gb18030.csv").write_bytes(text.encode("gb18030"))
    assert cells_read_by_both(tmp_path / "gbk.csv") == cells_read_by_both(tmp_path / "gb18030.csv")
    assert textinput.decode(text.encode("gbk"), "gbk.csv") == (text, "gb18030")


@pytest.mark.parametrize("declared", ["gbk", "GB2312", "gb18030"])
def test_a_page_declared_gbk_or_gb2312_decodes_as_gb18030(declared):
    page = f'<html><head><meta charset="{declared}"></head><body><p>新增托位6000个，含䶮字。</p></body></html>'
    assert textinput.decode(page.encode("gb18030"), "page.html", html=True) == (page, "gb18030")


def test_a_page_in_another_declared_charset_is_read_by_it():
    page = '<html><head><meta charset="big5"></head><body><p>新增托位</p></body></html>'
    assert textinput.decode(page.encode("big5"), "page.html", html=True) == (page, "big5")


def test_bytes_in_no_known_encoding_are_refused_with_the_line_of_the_first_bad_byte():
    with pytest.raises(Refused) as refused:
        textinput.decode("序号\n".encode() + b"1,\xff\xfe\n", "t.csv")
    (problem,) = refused.value.problems
    assert (problem.file, problem.line, problem.code) == ("t.csv", 2, Code.ENCODING)
    assert refused.value.lines() == ['t.csv:2: the file is neither UTF-8 nor GB18030 text (byte 0xff); save it as UTF-8 (from Excel: "CSV UTF-8") and try again [encoding]']


def test_squash_makes_full_width_half_width_and_drops_all_spaces():
    assert textinput.squash(" 序　号 ") == "序号"
    assert textinput.squash("完成比例（％）") == "完成比例(%)"
    assert textinput.squash("２０２４") == "2024"


@pytest.mark.parametrize("cell, item_id", [("20", "20"), ("２０", "20"), (" 6-3 ", "6-3"), ("6－3", "6-3"), ("6—3", "6-3"), ("6‐3", "6-3"), ("6.", "6"), ("6、", "6")])
def test_ids_are_normalised(cell, item_id):
    assert textinput.normalise_id(cell) == item_id


def test_every_dash_is_a_hyphen():
    assert "‐‑‒–—―−－-".translate(textinput.DASHES) == "-" * 9


def test_bigrams_are_pairs_within_runs_of_letters():
    assert textinput.bigrams("新增托位6000个") == {"新增", "增托", "托位"}
    assert textinput.bigrams("5G基站，WiFi") == {"G基", "基站", "Wi", "iF", "Fi"}
    assert textinput.bigrams("个") == set()


def test_the_item_number_headers_are_one_list_for_both_tools():
    from generator.ingest.draft import tables
    from generator.ingest.importer import columns

    assert tables.ID_HEADERS is columns.ID_COLUMNS is textinput.ID_HEADERS == ("序号", "编号", "序")


def test_a_refusal_reads_like_the_validators_problems_without_the_places_it_has_not():
    assert describe(Problem("t.csv", 3, 0, "序号", Code.UNKNOWN_REFERENCE, "no item `31`")) == "t.csv:3: 序号: no item `31` [unknown-reference]"
    assert describe(Problem("t.csv", 0, 0, "", Code.FILE_EMPTY, "the table is empty")) == "t.csv: the table is empty [file-empty]"
    assert describe(Problem("", 0, 0, "", Code.BAD_FORMAT, "--url 'x': give an http:// address")) == "--url 'x': give an http:// address [bad-format]"
    validator = Problem("data/a/2024.yml", 4, 7, "items[0].text", Code.WRONG_TYPE, "expected text")
    assert describe(validator) == str(validator)
    assert Refused([validator], "fix it first").lines() == [str(validator), "fix it first"]


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"", Code.FILE_EMPTY, "the file is empty"),
        (b"  \r\n\n\t\n", Code.FILE_EMPTY, "the file is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00stream", Code.ENCODING, "not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Code.ENCODING, "not text"),
    ],
    ids=["empty", "blank", "pdf", "png"],
)
def test_an_empty_or_binary_file_is_refused_by_both_tools_naming_the_file(tmp_path, content, code, words):
    path = tmp_path / "清单.txt"
    path.write_bytes(content)
    for read in (lambda: read_source(path), lambda: read_table(path, str(path))):
        with pytest.raises(Refused) as refused:
            read()
        (problem,) = refused.value.problems
        assert (problem.file, problem.code) == (str(path), code) and words in problem.message
        assert str(path) in "\n".join(refused.value.lines())
