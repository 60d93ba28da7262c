"""The "what changed" page (进展变化): derive.changes / behind_pace / stale on the small
fixture, the Markdown it renders to, and the built HTML at /ceshi/2024/changes/.

The fixture tests/fixtures/mini/data/ceshi/2024.yml has two reports, 2024-h1 (as_of
2024-06-30) and 2024-q3 (as_of 2024-09-30), and items chosen so that every case occurs.
1-1 and 1-4 have no status words of the city: their status is the site's assessment
(derive.assess), decided by the percent and the pace line; the others are official.

    1-1  on_track 55% → behind 55%     assessed: 19.8 points below pace (74.8%) at q3
    1-2  behind 20%   → (not in q3)    missing from q3; behind (official)
    1-3  not_started  → on_track       status change (official)
    1-4  on_track 40% → behind 60%     assessed: 9.6 below pace at h1 (within 10), 14.8 at q3
    1-5  (not in h1)  → done 100%      first reported in q3
    2    never reported                stale: 262 days since the list was published
    1    parent without its own progress: summarises 1-1…1-5, never compared itself

The build date of the fixture (its newest date) is 2024-10-20; tests of staleness pass
their own dates.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest

from conftest import FIXTURES, build_site
from generator import derive
from generator.core import model
from generator.data.dataset import load_dataset
from generator.site import pages
from generator.site.pages import lists

MINI = FIXTURES / "mini"


@pytest.fixture(scope="module")
def mini():
    ds = load_dataset(MINI)
    assert ds.errors == [], "\n".join(map(str, ds.errors))
    return ds


@pytest.fixture
def pl(mini) -> model.PledgeList:
    """A private copy of the fixture's list: tests may change it."""
    return copy.deepcopy(mini.lists[("ceshi", 2024)].data)


def ids(changes) -> list[str]:
    return [c.item.id for c in changes]


def brief(snap) -> tuple | None:
    return None if snap is None else (snap.report.id, snap.status, snap.percent, snap.pace)


def find(items, item_id):
    for item in items:
        if item.id == item_id:
            return item
        found = find(item.subitems, item_id)
        if found:
            return found
    return None


# --- derive.changes ----------------------------------------------------------------------


def test_one_entry_per_report_oldest_first(pl):
    result = derive.changes(pl)
    assert [(rc.report.id, rc.previous.id if rc.previous else None) for rc in result] == [("2024-h1", None), ("2024-q3", "2024-h1")]


def test_first_report_counts_every_mentioned_item_as_new(pl):
    h1 = derive.changes(pl)[0]
    assert ids(h1.new) == ["1-1", "1-2", "1-3", "1-4"]
    assert h1.changed == [] and h1.missing == [] and h1.unchanged == []
    assert h1.mentioned == 4
    assert h1.counts == {"on_track": 2, "behind": 1, "not_started": 1}  # display order
    assert [brief(c.after) for c in h1.new] == [
        ("2024-h1", "on_track", 55, 49.6),
        ("2024-h1", "behind", 20, 49.6),
        ("2024-h1", "not_started", None, 49.6),
        ("2024-h1", "on_track", 40, 49.6),
    ]


def test_second_report_against_each_items_previous_entry(pl):
    q3 = derive.changes(pl)[1]
    assert ids(q3.changed) == ["1-1", "1-3", "1-4"]
    assessed_same_percent, status_change, both = q3.changed
    # 3300/6000 computed = the reported 55%, but at q3 that is 19.8 points below pace: assessed 滞后
    assert brief(assessed_same_percent.before) == ("2024-h1", "on_track", 55, 49.6)
    assert brief(assessed_same_percent.after) == ("2024-q3", "behind", 55, 74.8)
    assert assessed_same_percent.status_changed and not assessed_same_percent.percent_changed
    assert assessed_same_percent.after.assessed and "低19.8个百分点" in assessed_same_percent.after.reason
    assert brief(status_change.before) == ("2024-h1", "not_started", None, 49.6)
    assert brief(status_change.after) == ("2024-q3", "on_track", None, 74.8)
    assert status_change.status_changed and not status_change.percent_changed
    assert status_change.percent_delta is None
    assert not status_change.after.assessed  # the city's own words (序时推进)
    assert brief(both.before) == ("2024-h1", "on_track", 40, 49.6)
    assert brief(both.after) == ("2024-q3", "behind", 60, 74.8)
    assert both.percent_changed and both.status_changed
    assert both.percent_delta == 20

    assert q3.unchanged == []

    assert ids(q3.new) == ["1-5"] and q3.new[0].before is None
    assert brief(q3.new[0].after) == ("2024-q3", "done", 100, None)  # done: no pace line (derive.shown_pace)

    assert ids(q3.missing) == ["1-2"] and q3.missing[0].after is None
    assert brief(q3.missing[0].before) == ("2024-h1", "behind", 20, 49.6)

    assert q3.mentioned == 4
    assert q3.counts == {"done": 1, "on_track": 1, "behind": 2}


def test_parent_without_own_progress_is_not_compared_but_with_it_is(pl):
    every = [ids(getattr(rc, k)) for rc in derive.changes(pl) for k in ("changed", "new", "missing", "unchanged")]
    assert all("1" not in group for group in every)
    parent = find(pl.items, "1")
    parent.progress.append(model.Progress(report="2024-q3", status="on_track", percent=50))
    q3 = derive.changes(pl)[1]
    assert ids(q3.new) == ["1", "1-5"]  # source order: the parent before its sub-items


def test_an_item_is_compared_with_its_last_entry_even_across_a_gap(pl):
    """An item missing from a report is compared, when it comes back, with its last entry."""
    pl.reports.append(model.Report(id="2024-q4", title="四季度", kind="quarterly", as_of="2024-12-31", published="2025-01-10", source="q3"))
    find(pl.items, "1-2").progress.append(model.Progress(report="2024-q4", status="done", percent=100))
    q4 = derive.changes(pl)[2]
    (back,) = [c for c in q4.changed if c.item.id == "1-2"]
    assert back.before.report.id == "2024-h1" and back.after.report.id == "2024-q4"
    assert back.percent_delta == 80


def test_equal_percents_compare_at_one_decimal():
    assert derive.same_percent(55, 55.0) and derive.same_percent(33.33, 33.34)
    assert not derive.same_percent(55, 55.2)
    assert not derive.same_percent(None, 0) and derive.same_percent(None, None)


def test_list_without_reports(pl):
    pl.reports = []
    for item in [find(pl.items, i) for i in ("1-1", "1-2", "1-3", "1-4", "1-5")]:
        item.progress = []
    assert derive.changes(pl) == [] and derive.behind_pace(pl) == []
    # no report at all: every item counts from the list's publication (2024-02-01)
    assert derive.stale(pl, dt.date(2024, 8, 1)) == []
    assert ids(derive.stale(pl, dt.date(2024, 8, 20))) == ["1-1", "1-2", "1-3", "1-4", "1-5", "2"]  # 201 days


# --- flags ---------------------------------------------------------------------------------


def test_behind_pace_by_status_or_by_more_than_the_tolerance(pl):
    found = derive.behind_pace(pl)
    assert ids(found) == ["1-1", "1-2", "1-4"]
    by_id = {f.item.id: f.last for f in found}
    assert (by_id["1-1"].pace_gap, by_id["1-1"].below_pace) == (19.8, True)  # 55% at 74.8%: assessed 滞后
    assert by_id["1-1"].status == "behind" and by_id["1-1"].assessed
    assert (by_id["1-2"].pace_gap, by_id["1-2"].status) == (29.6, "behind")  # its latest entry is h1's
    assert by_id["1-2"].report.id == "2024-h1"
    assert (by_id["1-4"].pace_gap, by_id["1-4"].below_pace) == (14.8, True)


def _snap(status, percent, pace):
    report = model.Report(id="r", title="r", kind="other", as_of="2024-06-30", published="2024-07-01", source="s")
    return derive.Snapshot(report, status, None, percent, pace)


@pytest.mark.parametrize(
    "status, percent, pace, behind",
    [
        ("on_track", 40, 50, False),  # exactly the tolerance: not flagged
        ("on_track", 39.9, 50, True),
        ("ahead", 20, 50, True),  # the city's wording does not hide the numbers
        ("behind", 90, 50, True),  # our status alone is enough
        ("done", 20, 50, False),
        ("cancelled", 0, 50, False),
        ("on_track", None, 50, False),  # no percent: nothing to compare
        ("on_track", 10, None, False),  # no pace (deadline not after the start)
    ],
)
def test_behind_rule_and_tolerance(status, percent, pace, behind):
    assert derive.PACE_TOLERANCE == 10
    assert _snap(status, percent, pace).behind is behind


def test_stale_items_are_measured_against_the_build_date(pl):
    # at the fixture's own date (2024-10-20) only the never-reported item is stale: 262 days
    (only,) = derive.stale(pl, dt.date(2024, 10, 20))
    assert (only.item.id, only.last, only.days_since, only.fresh.why) == ("2", None, 262, "age")
    assert only.fresh.label == "清单发布于2024年2月1日，262天来尚未见任何官方进展信息"
    # after the deadline, everything not reported as finished is stale, counted to the build date
    found = derive.stale(pl, dt.date(2025, 1, 10))
    assert [(f.item.id, f.last.report.id if f.last else None, f.days_since, f.fresh.why) for f in found] == [
        ("1-1", "2024-q3", 102, "deadline"),
        ("1-2", "2024-h1", 194, "deadline"),
        ("1-3", "2024-q3", 102, "deadline"),
        ("1-4", "2024-q3", 102, "deadline"),
        ("2", None, 344, "deadline"),
    ]
    assert found[1].fresh.label == "最新官方信息截至2024年6月30日；完成期限2024年12月31日已过，尚未见年终报告"


def test_finished_items_are_not_stale(pl):
    find(pl.items, "1-2").progress[0].status = model.Status.done
    assert "1-2" not in ids(derive.stale(pl, dt.date(2025, 1, 10)))
    assert "1-5" not in ids(derive.stale(pl, dt.date(2030, 1, 1)))  # 已完成 in the q3 report


def test_no_wall_clock():
    """Ages are measured against the build date the caller passes (derive.build_date:
    SOURCE_DATE_EPOCH, else the newest date in the data), never the clock: builds stay
    byte-reproducible and a page does not change by itself over time."""
    source = inspect.getsource(derive)
    assert "today(" not in source and "now(" not in source


# --- the Markdown ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(mini):
    return {p.src: p.content for p in pages.Site(mini, site_url="https://example.org/").pages()}


def test_changes_page_markdown(rendered):
    md = rendered["ceshi/2024/changes.md"]
    assert md.startswith('---\ntitle: "测试 2024 民生实事 · 进展变化"\n')
    assert "search:\n  exclude: true\n" in md.split("---", 2)[1]
    # newest report first, each with its own anchor
    assert md.index("{#2024-q3}") < md.index("{#2024-q3-changed}") < md.index("{#2024-q3-new}") < md.index("{#2024-q3-missing}") < md.index("{#2024-h1}")
    assert md.index("{#2024-h1}") < md.index("{#behind}") < md.index("{#stale}")
    changed = md[md.index("{#2024-q3-changed}"): md.index("{#2024-q3-new}")]
    rows = [r for r in changed.splitlines() if r.startswith("<tr><th scope=\"row\">")]
    assert len(rows) == 3
    assert 'href="../1-1/#progress-2024-q3"' in rows[0]
    rows = rows[1:]
    assert 'href="../1-3/#progress-2024-q3"' in rows[0]
    assert '<span class="ml-badge__sym" aria-hidden="true">○</span> 未启动<span class="ml-badge__own">（尚未启动）</span>' in rows[0]
    assert '<span class="ml-badge__sym" aria-hidden="true">●</span> 按计划推进<span class="ml-badge__own">（序时推进）</span>' in rows[0]
    assert rows[0].endswith("<td>状态</td></tr>")
    assert "本站判断" not in rows[0]  # the city's own words
    assert 'href="../1-4/#progress-2024-q3"' in rows[1]
    assert "完成 40%" in rows[1] and "完成 60%" in rows[1] and "状态、完成比例 +20 个百分点" in rows[1]
    assert "⚑ 落后：低于序时进度 14.8 个百分点" in rows[1]
    assert rows[1].count('<span class="ml-assessed"') == 2  # before and after: the site's assessment
    new = md[md.index("{#2024-q3-new}"): md.index("{#2024-q3-missing}")]
    assert 'href="../1-5/#progress-2024-q3"' in new and "完成 100%" in new and "⚑" not in new
    missing = md[md.index("{#2024-q3-missing}"): md.index("{#2024-h1}")]
    assert 'href="../1-2/#progress-2024-h1"' in missing and "未完成二季度任务" in missing
    first = md[md.index("{#2024-h1}"): md.index("{#behind}")]
    assert "本期提及 <strong>4</strong> 项" in first and "首期报告没有可比较的上一期" in first
    assert "<table" not in first  # the first report gives counts, not a list of every item
    behind = md[md.index("{#behind}"): md.index("{#stale}")]
    assert "超过 10 个百分点" in behind
    assert [h for h in ("../1-1/#progress-2024-q3", "../1-2/#progress-2024-h1", "../1-4/#progress-2024-q3") if h in behind] == ["../1-1/#progress-2024-q3", "../1-2/#progress-2024-h1", "../1-4/#progress-2024-q3"]
    assert "74.8%（低 19.8 个百分点）" in behind
    stale = md[md.index("{#stale}"):]
    assert "262 天" in stale and 'href="../2/"' in stale and "暂无进展报告" in stale
    assert "截至本站数据更新日（2024年10月20日）" in stale


def test_changes_page_is_linked_from_the_list_and_from_item_pages(rendered):
    assert '<dt>进展变化</dt><dd><a href="changes/">' in rendered["ceshi/2024/index.md"]
    for item_id in ("1", "1-1", "2"):
        assert 'href="../changes/">查看各期之间的进展变化</a>' in rendered[f"ceshi/2024/{item_id}.md"]


def test_list_without_reports_says_so(mini):
    ds = copy.deepcopy(mini)
    pl = ds.lists[("ceshi", 2024)].data
    pl.reports = []
    for item in [find(pl.items, i) for i in ("1-1", "1-2", "1-3", "1-4", "1-5")]:
        item.progress = []
    site = pages.Site(ds)
    md = lists.changes_page(site, ds.lists[("ceshi", 2024)]).content
    assert "本清单还没有进展报告，暂无可比较的变化。" in md
    assert "{#behind}" not in md
    # still measured against the build date: 262 days after publication, nothing reported
    stale = md[md.index("{#stale}"):]
    assert stale.count("<tr><th scope=\"row\">") == 6 and "262 天" in stale
    assert "进展变化" not in lists.city_year_page(site, ds.lists[("ceshi", 2024)]).content.split("## 完成情况概览")[0]


def test_data_text_is_escaped(mini):
    ds = copy.deepcopy(mini)
    find(ds.lists[("ceshi", 2024)].data.items, "1-4").title = "<script>alert(1)</script>"
    md = lists.changes_page(pages.Site(ds), ds.lists[("ceshi", 2024)]).content
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_two_renders_are_identical(mini):
    a = lists.changes_page(pages.Site(mini), mini.lists[("ceshi", 2024)]).content
    b = lists.changes_page(pages.Site(load_dataset(MINI)), load_dataset(MINI).lists[("ceshi", 2024)]).content
    assert a == b


# --- the built site ----------------------------------------------------------------------


@pytest.mark.slow
def test_built_changes_page(tmp_path):
    out = tmp_path / "site"
    result = build_site(out, MINI)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    rel = "ceshi/2024/changes/index.html"
    tree = lxml.html.fromstring((out / rel).read_bytes())
    (article,) = tree.xpath("//article")
    page_ids = set(tree.xpath("//@id"))

    # one anchor per report, newest first
    headings = [h.get("id") for h in article.xpath(".//h2")]
    assert headings == ["2024-q3", "2024-h1", "behind", "stale"]

    # every link resolves; every fragment names an existing id
    base = "http://site.invalid/ceshi/2024/changes/"
    item_links = set()
    for href in article.xpath(".//a/@href"):
        url = urlsplit(urljoin(base, href))
        if url.netloc != "site.invalid":
            continue
        path = unquote(url.path).lstrip("/")
        target = out / path / "index.html" if path.endswith("/") or path == "" else out / path
        assert target.is_file(), f"{href} → {target} missing"
        if url.fragment:
            target_ids = page_ids if target == out / rel else set(lxml.html.fromstring(target.read_bytes()).xpath("//@id"))
            assert unquote(url.fragment) in target_ids, f"{href}: no id {url.fragment!r} in {target.relative_to(out)}"
        if url.fragment.startswith("progress-"):
            item_links.add(f"{path}#{url.fragment}")
    assert item_links == {
        "ceshi/2024/1-1/#progress-2024-q3",
        "ceshi/2024/1-2/#progress-2024-h1",
        "ceshi/2024/1-3/#progress-2024-q3",
        "ceshi/2024/1-4/#progress-2024-q3",
        "ceshi/2024/1-5/#progress-2024-q3",
    }

    # status is never colour alone: every badge carries its symbol and its label
    for badge in article.xpath(".//*[contains(@class,'ml-badge ')]"):
        sym = badge.xpath("./*[contains(@class,'ml-badge__sym')]")
        assert sym and sym[0].text_content().strip() in derive.STATUS_SYMBOLS.values()
        assert any(label in badge.text_content() for label in derive.STATUS_LABELS.values())

    # linked from the list page; kept out of search (item pages are the search results)
    list_page = lxml.html.fromstring((out / "ceshi/2024/index.html").read_bytes())
    assert "changes/" in list_page.xpath("//article//a/@href")
    index = "".join(p.read_text(encoding="utf-8") for p in (out / "search" / "data" / "d").glob("*.json"))
    assert "ceshi/2024/changes/" not in index and "ceshi/2024/1-1/" in index
