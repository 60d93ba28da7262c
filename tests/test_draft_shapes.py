"""The shapes lists really come in (issue #25, "Structure the real shapes"), each on a few
lines written for the test, the way the seeds write them: the numbering forms together, several
targets in one clause, items without figures, a source that stops in the middle of an item;
and the decisions a draft leaves, counted and printed at its end.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.cli import main
from generator.core.model import walk_items
from generator.core.problems import Code
from generator.data.dataset import load_dataset
from generator.ingest import draft
from generator.ingest.draft.assemble import INCOMPLETE_NOTE

TODAY = dt.date(2025, 3, 1)




def drafted(root: Path, text: str, name: str = "list.txt"):
    source = root.parent / name
    source.write_text(text, encoding="utf-8")
    outcome = draft.draft_year_file(root, "ceshi", 2024, source, today=TODAY)
    pl = load_dataset(root, today=TODAY, cache=False).lists[("ceshi", 2024)].data
    return outcome, pl


def ids_and_texts(pl) -> list:
    return [(i.id, i.text) for i, _, _ in walk_items(pl.items)]


def test_categories_with_items_numbered_straight_through_and_circled_sub_items(root):
    text = (
        "测试市2024年民生实事项目\n一、教育医疗\n1、新增公办幼儿园学位1260个。\n2、建成4家数智化病理科。\n"
        "二、城市建设\n3、改造老旧小区200个，具体为：\n①市南区60个；\n②市北区140个。\n4、打通未贯通道路10条。\n"
    )
    _, pl = drafted(root, text)
    assert ids_and_texts(pl) == [
        ("1", "新增公办幼儿园学位1260个。"), ("2", "建成4家数智化病理科。"), ("3", "改造老旧小区200个，具体为："),
        ("3-1", "市南区60个；"), ("3-2", "市北区140个。"), ("4", "打通未贯通道路10条。"),
    ]
    assert [(s.label, s.title) for s in pl.sections] == [("一、", "教育医疗"), ("二、", "城市建设")]
    assert [i.section for i in pl.items] == ["s1", "s1", "s2", "s2"]


def test_numbers_alone_on_their_lines_01_02_number_the_text_under_them(root):
    _, pl = drafted(root, "测试市2024年民生实事项目\n01\n新增托位1680个。\n02\n改造老旧小区200个。\n03\n打通未贯通道路10条。\n")
    assert ids_and_texts(pl) == [("1", "新增托位1680个。"), ("2", "改造老旧小区200个。"), ("3", "打通未贯通道路10条。")]


def test_several_targets_in_one_clause_joined_by_顿号_and_by_semicolons_are_each_a_target(root):
    _, pl = drafted(root, "测试市2024年民生实事项目\n1.新建城市书房10个、口袋公园20个，改造提升农贸市场5处；新增公共停车泊位3000个。\n2.新增托位1680个。\n")
    figures = sorted((t.value, t.unit) for t in pl.items[0].targets + pl.items[1].targets)
    assert figures == sorted([(10, "个"), (20, "个"), (5, "处"), (3000, "个"), (1680, "个")])


def test_items_without_a_figure_have_no_target_and_are_items_all_the_same(root):
    _, pl = drafted(root, "测试市2024年民生实事项目\n1.免费开展新生儿疾病筛查。\n2.推动地铁6号线一期开通运营。\n3.新增托位1680个。\n")
    assert [(i.id, len(i.targets)) for i in pl.items] == [("1", 0), ("2", 0), ("3", 1)]


def test_unnumbered_items_under_unnumbered_category_headings(root):
    _, pl = drafted(root, "测试市2024年民生实事项目\n教育医疗\n新增公办幼儿园学位1260个。\n建成4家数智化病理科。\n城市建设\n改造老旧小区200个。\n")
    assert ids_and_texts(pl) == [("1", "新增公办幼儿园学位1260个。"), ("2", "建成4家数智化病理科。"), ("3", "改造老旧小区200个。")]
    assert [s.title for s in pl.sections] == ["教育医疗", "城市建设"]


# --- a source that stops in the middle of an item ------------------------------------------------------

COMPLETE = "测试市2024年民生实事项目\n1.新增托位1680个。（牵头单位：市卫健委）\n2.改造老旧小区200个。（牵头单位：市住建局）\n3.新建社区食堂20处。（牵头单位：市民政局）\n"


@pytest.mark.parametrize(
    "tail",
    ["4.新增公共停车泊位3000个，其中", "4.新增公共停车泊位3000个。（牵头单位：市", "4.新增公共停车泊位3000个，建成“智慧停车"],
    ids=["mid-sentence", "inside-the-lead-bracket", "inside-quotes"],
)
def test_a_source_cut_off_mid_item_marks_the_last_item_incomplete_and_it_cannot_be_published(root, tail, capsys):
    source = root.parent / "cut.txt"
    source.write_text(COMPLETE + tail, encoding="utf-8")
    assert main(["--root", str(root), "draft", "ceshi", "2024", str(source)]) == 0
    out = capsys.readouterr().out
    assert "the source stops in the middle of item 4" in out and "1 incomplete item" in out
    ds = load_dataset(root, today=TODAY, cache=False)
    last = ds.lists[("ceshi", 2024)].data.items[-1]
    assert last.note == INCOMPLETE_NOTE
    blocking = [p for p in ds.problems if p.code == Code.PLACEHOLDER and p.path == "items[3].note"]
    assert blocking, "the incomplete item must hold a placeholder: the site is not built while one is left"
    for item in ds.lists[("ceshi", 2024)].data.items[:-1]:
        assert item.note is None


def test_a_complete_list_is_not_marked_incomplete_even_when_its_items_end_without_punctuation(root):
    _, pl = drafted(root, "测试市2024年民生实事项目\n1.新增托位1680个\n2.改造老旧小区200个\n3.新建社区食堂20处\n")
    assert all(i.note is None for i in pl.items)


def test_a_complete_list_ending_with_its_lead_units_is_complete(root):
    _, pl = drafted(root, COMPLETE)
    assert all(i.note is None for i in pl.items)


def test_a_table_whose_last_row_is_cut_off_marks_that_item_incomplete(root):
    table = "序号,事项名称,任务目标,牵头单位\n1,新增托位,新增托位1680个。,市卫健委\n2,老旧小区改造,改造老旧小区200个。,市住建局\n3,社区食堂,新建社区食堂20处。,市民政局\n4,停车泊位,新增公共停车泊位3000个，其中\n"
    outcome, pl = drafted(root, table, name="list.csv")
    assert [i.note for i in pl.items] == [None, None, None, INCOMPLETE_NOTE]


# --- decisions left ----------------------------------------------------------------------------------------------


def test_the_draft_ends_by_counting_the_decisions_left_by_kind(root, capsys):
    source = root.parent / "list.txt"
    source.write_text(
        "测试市2024年民生实事项目\n1.开展城乡社区养老服务设施建设提升和居家适老化改造及智慧养老服务平台建设工作。\n2.新增托位1680个。\n3.改造老旧小区200个。\n",
        encoding="utf-8",
    )
    outcome = draft.draft_year_file(root, "ceshi", 2024, source, today=TODAY)
    decisions = outcome.decisions()
    assert main(["--root", str(root), "draft", "ceshi", "2024", str(source), "--force"]) == 0
    last = capsys.readouterr().out.strip().split("\n")[-1]
    assert decisions.titles == ["1"]  # cut to 20 characters: a person must choose the words
    assert last == decisions.sentence()
    assert last.startswith(f"{decisions.total} decisions left: 1 title, ")
    assert "facts of the list" in last and "suggested titles and topics to accept" in last


def test_an_amount_invested_is_the_items_investment_not_a_target(root):
    """投资…元 is the item's money (issue #24): the draft writes `investment`, the year's plan
    where the text also gives the project's total, and keeps every such amount out of targets."""
    _, pl = drafted(
        root,
        "测试市2024年民生实事项目\n1.项目位于新区，总投资1.2亿元，年内计划投资1500万元，新建变电站1座。\n"
        "2.投资337万元改造学校操场2处。\n3.新增托位1680个。\n",
    )
    first, second, third = pl.items
    assert (first.investment.text, first.investment.value) == ("年内计划投资1500万元", 15_000_000)
    assert [(t.value, t.unit) for t in first.targets] == [(1, "座")]
    assert (second.investment.text, second.investment.value) == ("投资337万元", 3_370_000)
    assert [(t.value, t.unit) for t in second.targets] == [(2, "处")]
    assert third.investment is None and len(third.targets) == 1
