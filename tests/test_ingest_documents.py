"""Drafting from the document as published (issue #25): a government page with its furniture, a
WeChat mirror, a PDF and a Word file of a 印发 notice, a table flattened one cell per paragraph,
traditional characters. The documents are written by tests/fixtures/ingest/documents.py from the
archived seed texts, so each draft is compared with the hand-made list of that seed: every item
in its place with its text, goal and lead units as typed by hand, every drafted text an exact
substring of the capture the draft archived.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fixtures.ingest.documents import flattened_table_page, gov_page, seed_paragraphs, wechat_page, write_docx, write_pdf

from generator.cli import main
from generator.core.model import walk_items
from generator.core.problems import Code, Severity
from generator.data.dataset import load_dataset
from generator.ingest import Refused, draft
from generator.ingest.draft.source import read_source

TODAY = dt.date(2025, 3, 1)
YICHANG = "003_b32ee5a4fa5c90c7.txt"
QINGDAO = "000_2fdb3a0f5dc02038.txt"
QIXIA = "004_5b83448298b42065.txt"




def draft_and_compare(root: Path, source: Path, key: tuple, hand_ds, **options) -> dict:
    """Draft `source` as `key`'s list and compare it with the hand-made one: the items that
    differ in place, text, goal or lead units (none may), and the drafted texts that are not
    character for character in the archived capture (none may)."""
    city, year = key
    outcome = draft.draft_year_file(root, city, year, source, today=TODAY, **options)
    errors = [p for p in outcome.problems if p.severity == Severity.ERROR and p.code != Code.PLACEHOLDER]
    assert errors == [], "\n".join(map(str, errors))
    mine = load_dataset(root, today=TODAY, cache=False).lists[key].data
    hand = hand_ds.lists[key].data
    ours = {i.id: (i, p.id if p else None) for i, _, p in walk_items(mine.items)}
    differ = []
    for item, _, parent in walk_items(hand.items):
        got = ours.get(item.id)
        if got is None:
            differ.append((item.id, "missing"))
            continue
        d, parent_id = got
        for field in ("text", "goal", "lead"):
            if getattr(d, field) != getattr(item, field):
                differ.append((item.id, field, getattr(d, field), getattr(item, field)))
        if parent_id != (parent.id if parent else None):
            differ.append((item.id, "parent"))
    extra = sorted(set(ours) - {i.id for i, _, _ in walk_items(hand.items)})
    capture = (root / outcome.archive).read_text(encoding="utf-8")
    simplified = read_source(root / outcome.archive).lines
    text = "\n".join(t for _, t in simplified)
    not_verbatim = [(i.id, piece) for i, _, _ in walk_items(mine.items) for piece in filter(None, [i.text, i.goal, *i.lead, *(t.text for t in i.targets)]) if piece not in text]
    return {"outcome": outcome, "differ": differ, "extra": extra, "not_verbatim": not_verbatim, "capture": capture, "list": mine}


def assert_same_as_hand_made(result: dict) -> None:
    assert result["differ"] == [] and result["extra"] == []
    assert result["not_verbatim"] == []


def yichang_notice() -> list:
    return seed_paragraphs(YICHANG, "宜府办发〔2024〕21号", "宜昌市人民政府办公室 2024年4月3日印发")


# --- web pages ----------------------------------------------------------------------------------------


def test_a_government_page_with_its_furniture_drafts_the_hand_made_list_and_archives_only_its_text(root, tmp_path, ds):
    page = tmp_path / "yichang.html"
    page.write_text(gov_page("市人民政府办公室关于印发宜昌市落实湖北省2024年十大民生项目工作方案的通知", yichang_notice()), encoding="utf-8")
    result = draft_and_compare(root, page, ("yichang", 2024), ds)
    assert_same_as_hand_made(result)
    capture = result["capture"]
    for furniture in ("政务服务", "分享到", "ICP备", "相关文件", "浏览次数", "当前位置", "长者模式"):
        assert furniture not in capture
    assert (root / "sources/captures/yichang-2024-list.html").read_bytes() == page.read_bytes()  # the page itself, beside its text
    source = result["list"].sources[0]
    assert source.url == "https://www.example.gov.cn/zfxxgk/2024/0403/1234.html"  # from the page's `saved from url`
    assert source.obtained == "网页存档" and "trafilatura" in result["outcome"].summary("x")


def test_a_wechat_mirror_drafts_the_hand_made_list_with_the_address_and_day_it_was_saved(root, tmp_path, ds):
    paragraphs = seed_paragraphs(QINGDAO, "1月31日下午")
    page = tmp_path / "wechat.html"
    page.write_text(wechat_page("青岛2024年15件市办实事发布", paragraphs), encoding="utf-8")
    result = draft_and_compare(root, page, ("qingdao", 2024), ds)
    assert_same_as_hand_made(result)
    for furniture in ("微信扫一扫", "阅读原文", "继续滑动看下一个", "在看"):
        assert furniture not in result["capture"]
    source = result["list"].sources[0]
    assert source.url == "https://mp.weixin.qq.com/s/AbCdEf0123456789xyz"
    assert source.retrieved == dt.date(2024, 2, 1)  # SingleFile's saved date
    assert "the day the saved page says it was saved" in result["outcome"].text


def test_a_table_flattened_one_cell_per_paragraph_in_traditional_characters_drafts_the_hand_made_list(root, tmp_path, ds):
    lines = seed_paragraphs(QIXIA, "近期")
    header_at = next(i for i, ln in enumerate(lines) if ln.startswith("序號 |"))
    header = [c.strip() for c in lines[header_at].strip("| ").split("|")]
    rows = [[c.strip() for c in ln.strip().removesuffix("|").split("|")] for ln in lines[header_at + 1 :]]
    assert len(rows) == 30 and all(len(r) == len(header) for r in rows)
    page = tmp_path / "qixia.html"
    page.write_text(flattened_table_page("棲霞市重點民生實事二季度進展情況通報", header, rows, lines[:header_at], []), encoding="utf-8")
    result = draft_and_compare(root, page, ("qixia", 2024), ds)
    assert_same_as_hand_made(result)
    assert "棲霞市人民政府辦公室" in result["capture"]  # the archive keeps the characters of the source
    assert result["list"].sources[0].script.value == "traditional_converted"


def test_the_retrieval_date_given_on_the_command_line_is_the_sources_and_needs_no_check(root, tmp_path, capsys):
    page = tmp_path / "list.html"
    page.write_text(gov_page("测试市2024年民生实事项目", ["测试市2024年民生实事项目", "1.新增托位1680个。（牵头单位：市卫健委）", "2.改造老旧小区200个。（牵头单位：市住建局）"]), encoding="utf-8")
    code = main(["--root", str(root), "draft", "ceshi", "2024", str(page), "--retrieved", "2024-04-05", "--url", "https://www.example.gov.cn/a.html"])
    assert code == 0, capsys.readouterr().err
    text = (root / "data/ceshi/2024.yml").read_text(encoding="utf-8")
    assert "    retrieved: 2024-04-05\n" in text and "    url: https://www.example.gov.cn/a.html\n" in text


# --- PDF ---------------------------------------------------------------------------------------------------


def test_a_pdf_notice_with_wrapped_lines_and_page_numbers_drafts_the_hand_made_list(root, tmp_path, ds):
    pdf = write_pdf(tmp_path / "yichang.pdf", yichang_notice())
    result = draft_and_compare(root, pdf, ("yichang", 2024), ds)
    assert_same_as_hand_made(result)
    capture = result["capture"]
    assert "— 2 —" not in capture and "\n2\n" not in capture  # page numbers are page furniture
    assert (root / "sources/captures/yichang-2024-list.pdf").read_bytes() == pdf.read_bytes()
    assert result["list"].sources[0].obtained == "PDF文件"
    hand = ds.lists[("yichang", 2024)].data
    mine = result["list"]
    # the notice's signature (宜昌市人民政府办公室 / 2024年4月2日): the facts as the hand-made file has them, each to check
    assert (mine.sources[0].publisher, mine.sources[0].date, mine.published, mine.issuer) == (hand.sources[0].publisher, hand.sources[0].date, hand.published, hand.issuer)


def test_a_ruled_table_in_a_pdf_is_read_row_by_row_with_its_wrapped_cells_joined(root, tmp_path, ds):
    """栖霞's table (traditional characters) as the PDF 附件 of the notice: cells wrap over
    several lines and the table runs over several pages (its header repeated)."""
    lines = seed_paragraphs(QIXIA, "近期")
    header_at = next(i for i, ln in enumerate(lines) if ln.startswith("序號 |"))
    table = [[c.strip() for c in ln.strip().removesuffix("|").split("|")] for ln in lines[header_at:]]
    pdf = write_pdf(tmp_path / "qixia.pdf", lines[:header_at], table=table)
    result = draft_and_compare(root, pdf, ("qixia", 2024), ds)
    assert_same_as_hand_made(result)


def test_a_pdf_that_is_not_one_or_holds_no_text_is_refused_naming_the_file(root, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF")
    with pytest.raises(Refused) as refused:
        draft.draft_year_file(root, "ceshi", 2024, broken, today=TODAY)
    assert refused.value.problems[0].file == str(broken)
    scan = write_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(Refused) as refused:
        draft.draft_year_file(root, "ceshi", 2024, scan, today=TODAY)
    assert "holds no text" in refused.value.problems[0].message
    assert not (root / "data" / "ceshi").exists()


# --- Word -------------------------------------------------------------------------------------------------------


def test_a_word_file_numbered_by_word_itself_drafts_the_hand_made_list(root, tmp_path, ds):
    """The items' 1. 2. 3. are Word's automatic numbering (not in the paragraphs' text): the
    draft writes them out as Word shows them, straight through the categories."""
    docx = write_docx(tmp_path / "yichang.docx", yichang_notice())
    result = draft_and_compare(root, docx, ("yichang", 2024), ds)
    assert_same_as_hand_made(result)
    assert result["list"].items[-1].label == "70."
    assert result["list"].sources[0].obtained == "Word文件"


def test_a_table_in_a_word_file_with_a_merged_category_column_gives_categories_and_items(root, tmp_path):
    table = [
        ["类别", "序号", "项目名称", "牵头单位"],
        ["教育", "1", "新增公办幼儿园学位1260个。", "市教育局"],
        ["教育", "2", "新改建中小学校舍15万平方米。", "市教育局"],
        ["养老", "3", "新建社区养老服务综合体12个。", "市民政局"],
    ]
    docx = write_docx(tmp_path / "table.docx", ["测试市2024年民生实事项目清单"], table=table)
    outcome = draft.draft_year_file(root, "ceshi", 2024, docx, today=TODAY)
    pl = load_dataset(root, today=TODAY, cache=False).lists[("ceshi", 2024)].data
    assert [(i.id, i.text, i.section, i.lead) for i in pl.items] == [
        ("1", "新增公办幼儿园学位1260个。", "s1", ["市教育局"]),
        ("2", "新改建中小学校舍15万平方米。", "s1", ["市教育局"]),
        ("3", "新建社区养老服务综合体12个。", "s2", ["市民政局"]),
    ]
    assert [s.title for s in pl.sections] == ["教育", "养老"]
    assert outcome.archive == "sources/captures/ceshi-2024-list.txt"


def test_an_old_word_file_or_a_damaged_docx_is_refused_saying_what_to_do(root, tmp_path):
    old = tmp_path / "list.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(Refused) as refused:
        draft.draft_year_file(root, "ceshi", 2024, old, today=TODAY)
    assert "save it as .docx" in refused.value.problems[0].message
    damaged = tmp_path / "list.docx"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(Refused) as refused:
        draft.draft_year_file(root, "ceshi", 2024, damaged, today=TODAY)
    assert refused.value.problems[0].file == str(damaged)
