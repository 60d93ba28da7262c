"""Corrections (issue 24, point 5): every item page has a 报错/纠错 link opening a pre-filled new
issue on the repository the site was built from (without one, the about page's section on how
to report), and the corrections log lists what was changed in published items, from one
`git log` over data/, in the readers' words, the maintainers' note apart."""

from __future__ import annotations

import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT, copy_data_root, load_clean
from generator.core import urls
from generator.site import pages, stage
from generator.site.pages import corrections, lists

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]


def _git(root, *args):
    subprocess.run([*GIT, "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A copy of the data in a git repository of its own: the first commit publishes it, the
    second corrects a title (ours) and a status, the third only adds a progress report."""
    root = copy_data_root(tmp_path_factory.mktemp("history"))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "发布数据")
    path = root / "data" / "qixia" / "2024.yml"
    text = path.read_text(encoding="utf-8")
    assert "    title: 地方储备粮仓库扩建\n" in text
    path.write_text(text.replace("    title: 地方储备粮仓库扩建\n", "    title: 地方储备粮仓库扩建工程\n", 1), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "更正第1项的简称")
    path.write_text(path.read_text(encoding="utf-8").replace("\nreports:\n", "\nreports:\n  - id: 2024-q3\n    title: 三季度\n    kind: quarterly\n    as_of: 2024-09-30\n    published: 2024-10-12\n    source: tongbao-2024-q2\n", 1), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "新增三季度报告")
    return root


def test_the_log_lists_the_corrected_item_with_date_field_before_and_after(history):
    site = pages.Site(load_clean(history))
    found = corrections.corrections(site)
    assert found is not None
    assert [(c.city, c.year, c.item_id, c.note) for c in found] == [("qixia", 2024, "1", "更正第1项的简称")]  # the added report is no correction
    c = found[0]
    assert c.fields == ["简称"] and c.edits == [corrections.Edit("简称", False, "地方储备粮仓库扩建", "地方储备粮仓库扩建工程")]
    assert len(c.date) == 10 and c.date[4] == "-"
    assert len(c.commit) == 7 and subprocess.run(["git", "-C", str(history), "rev-parse", c.commit], capture_output=True).returncode == 0
    page = corrections.corrections_page(site).content
    assert 'href="../../qixia/2024/1/"' in page and "共 1 处" in page
    assert "地方储备粮仓库扩建 → 地方储备粮仓库扩建工程" in page and "title: 地方" not in page  # the reader's words, not YAML
    assert '<summary>维护者的说明</summary><p><span class="ml-commit">更正第1项的简称</span>' in page  # folded, labelled as theirs
    assert "官方原文" in page and "本站" in page  # whose words each field holds


def test_the_log_says_what_changed_in_the_readers_words():
    """A status by the label readers see everywhere (derive.STATUS_LABELS), topics by name, a
    figure as a figure, a field of one progress entry or target put to it; the city's words
    (status_text) told from ours (status)."""
    before = {
        "id": "6", "text": "新增停车泊位2万个。", "topics": ["tingche"],
        "targets": [{"text": "新增停车泊位2万个", "metric": "停车泊位", "value": 20000, "unit": "个", "comparator": "exactly"}],
        "progress": [{"report": "h1", "status": "done", "status_text": "已完成"}],
    }
    after = {
        "id": "6", "text": "新增停车泊位2万个以上。", "topics": ["tingche", "gongyuan"],
        "targets": [{"text": "新增停车泊位2万个以上", "metric": "停车泊位", "value": 20000, "unit": "个", "comparator": "at_least"}],
        "progress": [{"report": "h1", "status": "ahead", "status_text": "超额完成"}, {"report": "h2", "status": "done"}],
    }
    edits = corrections.item_edits(before, after, {"tingche": "停车", "gongyuan": "公园"}, {"h1": "截至2024年6月30日"})
    assert edits == [
        corrections.Edit("原文", True, "新增停车泊位2万个。", "新增停车泊位2万个以上。"),
        corrections.Edit("专题", False, "停车", "停车、公园"),
        corrections.Edit("目标·原文", True, "新增停车泊位2万个", "新增停车泊位2万个以上"),
        corrections.Edit("目标·比较方式", False, "正好", "以上"),
        corrections.Edit("进展（截至2024年6月30日）·状态归类", False, "已完成", "超前"),
        corrections.Edit("进展（截至2024年6月30日）·官方状态原话", True, "已完成", "超额完成"),
    ]  # h2's entry is new: an addition, not a correction


def test_a_text_moved_to_another_field_is_said_to_have_moved_not_to_have_been_deleted():
    """栖霞's amounts moved from targets to investment: the log says the official words moved
    (ours: how the site files them), never that they were deleted; a target dropped as a whole
    is ours too; a figure is a figure."""
    before = {"id": "4", "targets": [
        {"text": "总投资1.2亿元", "metric": "总投资", "value": 120000000, "unit": "元", "comparator": "exactly"},
        {"text": "年内计划投资1500万元", "metric": "年内计划投资", "value": 15000000, "unit": "元", "comparator": "exactly"},
        {"text": "新建110千伏变电站1座", "metric": "新建110千伏变电站", "value": 1, "unit": "座", "comparator": "exactly"},
    ]}
    after = {"id": "4", "investment": {"text": "年内计划投资1500万元", "value": 15000000},
             "targets": [{"text": "新建110千伏变电站1座", "metric": "新建110千伏变电站", "value": 1, "unit": "座", "comparator": "exactly"}]}
    edits = corrections.item_edits(before, after, {})
    assert edits == [corrections.Edit("投资", False, "", "年内计划投资1500万元", "目标"), corrections.Edit("目标", False, "总投资1.2亿元", "")]
    assert not any(e.official and not e.after for e in edits), "official words said to be deleted"
    assert corrections.item_edits({"id": "1", "targets": [{"text": "a", "value": 20000}]}, {"id": "1", "targets": [{"text": "a", "value": 25000}]}, {}) == [
        corrections.Edit("目标·数值", False, "20,000", "25,000")
    ]


def test_without_git_history_the_page_says_so(tmp_path):
    site = pages.Site(load_clean(copy_data_root(tmp_path)))
    assert corrections.corrections(site) is None
    page = corrections.corrections_page(site).content
    assert "没有数据的修改历史" in page and "至今没有更正" not in page


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """A repository whose second commit moves 栖霞 item 5's amount from a target to `investment`."""
    root = copy_data_root(tmp_path_factory.mktemp("moved"))
    path = root / "data" / "qixia" / "2024.yml"
    text = path.read_text(encoding="utf-8")
    old = "    investment:\n      text: 投资337万元\n      value: 3370000\n"
    assert old in text
    path.write_text(text.replace(old, "    targets:\n      - text: 投资337万元\n        metric: 投资\n        value: 3370000\n        unit: 元\n        comparator: exactly\n", 1), encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "发布数据")
    path.write_text(text, encoding="utf-8")
    _git(root, "commit", "-q", "-am", "投资额改列为计划投资")
    return root


def test_the_log_reads_a_move_from_git(moved):
    found = corrections.corrections(pages.Site(load_clean(moved)))
    assert [(c.item_id, c.note, c.edits) for c in found] == [("5", "投资额改列为计划投资", [corrections.Edit("投资", False, "", "投资337万元", "目标")])]
    page = corrections.corrections_page(pages.Site(load_clean(moved))).content
    assert "原列为“目标”，现列于此：投资337万元" in page and "删去" not in page


def test_the_item_page_links_a_prefilled_issue_on_the_repository_it_was_built_from(ds):
    site = pages.Site(ds, edit_base="https://github.com/someone/fork/blob/main", site_url="https://example.org/ledger/")
    lf = ds.lists[("qingdao", 2024)]
    item = next(i for i in lf.data.items if i.subitems).subitems[0]
    parent = next(i for i in lf.data.items if item in i.subitems)
    page = lists.item_page(site, lf, item, parent, None, None).content
    href = next(part.split('"', 1)[0] for part in page.split('href="')[1:] if part.startswith("https://github.com/someone/fork/issues/new?"))
    query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
    assert query["title"][0].startswith("纠错：青岛 2024")
    body = query["body"][0]
    assert f"https://example.org/ledger/qingdao/2024/{item.id}/" in body
    for asked in ("哪个字段", "哪里不对", "您的依据"):
        assert asked in body
    assert ">报错/纠错</a>" in page
    no_repo = lists.item_page(pages.Site(ds), lf, item, parent, None, None).content
    assert "issues/new" not in no_repo


def test_without_a_repository_the_report_link_says_how_to_report(ds, tmp_path):
    """No GitHub repository known (no edit_base, or another host): the item page's 报错/纠错 and the
    corrections log lead to the about page's section on reporting, which names the repository."""
    lf = ds.lists[("qingdao", 2024)]
    item = lf.data.items[0]
    for site in (pages.Site(ds), pages.Site(ds, edit_base="https://git.example.org/a/b/blob/main")):
        page = lists.item_page(site, lf, item, None, None, None).content
        assert '<a class="ml-report" href="../../../about/#report-errors">报错/纠错</a>' in page
        assert "在 GitHub 上提交" not in page
    copy = load_clean(copy_data_root(tmp_path))
    log = corrections.corrections_page(pages.Site(copy)).content
    assert 'href="../#report-errors"' in log and "GitHub" not in log
    with_repo = corrections.corrections_page(pages.Site(copy, edit_base="https://github.com/a/b/blob/main")).content
    assert "在 GitHub 上提交" in with_repo
    about = (ROOT / "content" / "about" / "index.md").read_text(encoding="utf-8")
    section = about[about.index("{#report-errors}"):]
    assert f"仓库地址：{stage.REPOSITORY_MARK}" in section and "哪个字段" in section  # the copy's own (test_plugin.py)


def test_the_issues_url_comes_from_the_edit_base_only():
    assert urls.repository("https://github.com/a/b/blob/main") == "https://github.com/a/b"
    assert urls.repository(None) is None and urls.repository("https://example.org/a/b/blob/main") is None
    assert urls.new_issue(None, "t", "b") is None
