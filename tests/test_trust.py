"""Every status a reader sees is sourced, dated, honest about its age and about who said it
(issue 13).

- Who said it: a status without the city's own words is the site's assessment, decided by one
  rule from the bar's percent and pace line (derive.assess), so badge and bar never disagree;
  a percent of one stage of the work is never the item's completion.
- Freshness: a status is stale when its information predates a deadline that has passed, or
  is older than derive.STALE_AFTER_DAYS, at the build date (SOURCE_DATE_EPOCH, else the
  newest date in the data) — never the clock.
- Sources: every archived capture is a page of the site (generator/site/captures.py), and every
  item page links it at the line that holds the quoted text.
- The official summary sits beside our counts; inferred facts say 本站推定; citations carry
  the status and its date and name each document once.

Browser tests build the real data with a later SOURCE_DATE_EPOCH, so that every list has
stale items, and look at the labels where readers see them.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest

from conftest import FIXTURES, ROOT, all_items, build_site, copy_data_root, serve_folder
from generator import derive
from generator.core import model, urls
from generator.data import verbatim
from generator.data.dataset import load_dataset, walk_items
from generator.site import captures, pages
from generator.site.pages import sources

MINI = FIXTURES / "mini"
LATER = dt.date(2025, 6, 30)  # after every deadline in the data: every list has stale items
LATER_EPOCH = str(int(dt.datetime(LATER.year, LATER.month, LATER.day, tzinfo=dt.UTC).timestamp()))


def find(items, item_id):
    return next(item for item, _, _ in walk_items(items) if item.id == item_id)


def entry_of(ds, city, year, item_id):
    pl = ds.lists[(city, year)].data
    item, parent = next((i, p) for i, _, p in walk_items(pl.items) if i.id == item_id)
    return pl, item, parent


# --- who said it: the assessment rule --------------------------------------------------------

AS_OF, DEADLINE = dt.date(2024, 6, 30), dt.date(2024, 12, 31)


@pytest.mark.parametrize(
    "percent, pace, as_of, recorded, status",
    [
        (10, 49.5, AS_OF, "on_track", "behind"),  # far below the pace line: 滞后, whatever the data said
        (41.3, 49.5, AS_OF, "behind", "on_track"),  # 8.2 points below: within the tolerance
        (39.5, 49.5, AS_OF, "on_track", "on_track"),  # exactly 10 points below: not behind
        (39.4, 49.5, AS_OF, "on_track", "behind"),
        (100, 49.5, AS_OF, "done", "ahead"),  # the number reached before the deadline: never 已完成
        (144, 49.5, AS_OF, "done", "ahead"),
        (100, 100, DEADLINE, "on_track", "done"),  # at the deadline it is
        (60, None, AS_OF, "on_track", "on_track"),  # no pace line: the words decide
        (None, 49.5, AS_OF, "on_track", "on_track"),  # no percent: the words decide
        (None, 49.5, AS_OF, "unknown", "unknown"),
        (80, 49.5, AS_OF, "not_started", "not_started"),  # no number decides 未启动, 已调整, 已取消, 情况不明
        (0, 49.5, AS_OF, "cancelled", "cancelled"),
    ],
)
def test_the_assessment_rule_decides_the_status_from_percent_and_pace(percent, pace, as_of, recorded, status):
    got, reason = derive.assess(percent, pace, as_of, DEADLINE, recorded)
    assert got == status
    assert reason and "\n" not in reason  # the one line shown beside the label
    assert ("据报告文字判断" in reason) == (percent is None or recorded not in ("done", "ahead", "on_track", "behind") or (pace is None and percent < 100))


def test_badge_and_bar_never_contradict_each_other_in_the_data(ds):
    """Wherever the site assesses a status from a percent and a pace line, 滞后 means more than
    PACE_TOLERANCE points below the line, 超前/已完成 means 100 % or more, 按计划推进 neither."""
    checked = 0
    for (_city, _year), lf in ds.lists.items():
        for item, _, parent in walk_items(lf.data.items):
            for entry in item.progress:
                j = derive.judge(item, entry, lf.data, parent)
                if j.basis != derive.ASSESSED or j.percent is None or j.pace is None:
                    continue
                checked += 1
                below = j.pace - j.percent > derive.PACE_TOLERANCE
                assert (j.status == "behind") == below, (item.id, j)
                assert (j.status in ("ahead", "done")) == (j.percent >= 100), (item.id, j)
    assert checked >= 20, "青岛 2021 alone has more than 20 assessed entries with a percent"


def test_qingdao_2021_statuses_are_the_sites_assessment_by_the_rule(ds):
    expected = {"9-29": "behind", "6-20": "behind", "4-12": "on_track", "3-8": "ahead", "4-10": "ahead", "7-24": "ahead"}
    for item_id, status in expected.items():
        pl, item, parent = entry_of(ds, "qingdao", 2021, item_id)
        lt = derive.latest(item, pl, parent)
        assert (lt.status, lt.basis) == (status, derive.ASSESSED), item_id
        assert lt.reason and lt.rule == derive.RULE_ASSESSMENT
    pl = ds.lists[("qingdao", 2021)].data
    assert all(derive.latest(i, pl, p).status != "done" for i, p in derive.leaves(pl.items)), "no 已完成 before the deadline from numbers alone"


def test_the_citys_own_words_stay_the_official_status(ds):
    pl = ds.lists[("qixia", 2024)].data
    for item in pl.items:
        lt = derive.latest(item, pl)
        assert lt.basis == derive.OFFICIAL and lt.status == item.progress[0].status.value and lt.reason is None


def test_an_official_status_the_pace_line_seems_to_contradict_gets_a_note():
    pl = copy.deepcopy(load_dataset(MINI).lists[("ceshi", 2024)].data)
    item = find(pl.items, "1-2")  # official 未完成二季度任务 (behind) at 20 %
    item.progress[0].percent = 60  # above the pace line (49.6 %)
    j = derive.judge(item, item.progress[0], pl, find(pl.items, "1"))
    assert j.status == "behind" and j.basis == derive.OFFICIAL
    assert "以官方表述为准" in j.note


def test_a_report_after_the_deadline_that_does_not_say_done_says_the_deadline_passed(ds, rendered):
    """栖霞 2024 item 1 was due on 2024-05-31; the report as of 2024-06-30 says 已完成二季度任务
    (on track): the city's words stay the status, and the page says the deadline has passed."""
    pl, item, parent = entry_of(ds, "qixia", 2024, "1")
    lt = derive.latest(item, pl, parent)
    assert (lt.status, lt.basis) == ("on_track", derive.OFFICIAL)
    assert lt.note == "官方称“已完成二季度任务”，但报告截至2024年6月30日，已过完成期限2024年5月31日，报告没有说已完成；以官方表述为准"
    assert lt.rule == derive.RULE_ASSESSMENT
    md = rendered[urls.item_src("qixia", 2024, "1")]
    assert md.count("已过完成期限2024年5月31日") == 2, "beside the status and on the report's entry in the timeline"
    # the items whose report is not later than their deadline get no such note
    for other in pl.items[1:]:
        assert "已过完成期限" not in (derive.latest(other, pl).note or ""), other.id


@pytest.mark.parametrize(
    "recorded, words, noted",
    [
        ("on_track", "已完成二季度任务", True),
        ("behind", "未完成二季度任务", True),
        ("done", "已完成", False),  # finished: nothing is late
        ("ahead", "超额完成", False),  # after the deadline 超额 is more than done
        ("adjusted", "已调整", False),  # an adjusted item may have a new deadline
        ("on_track", None, True),  # our assessment says it as well
    ],
)
def test_the_deadline_note_names_only_unfinished_statuses(recorded, words, noted):
    pl = copy.deepcopy(load_dataset(MINI).lists[("ceshi", 2024)].data)
    item = find(pl.items, "1-2")
    entry = item.progress[0]
    item.deadline = dt.date(2024, 3, 31)  # before the report's as_of
    entry.status, entry.status_text, entry.percent = model.Status(recorded), words, None
    j = derive.judge(item, entry, pl, find(pl.items, "1"))
    assert ("已过完成期限2024年3月31日" in (j.note or "")) == noted, j
    assert (j.note or "").endswith("以官方表述为准") == (noted and words is not None)


def test_a_parent_without_its_own_progress_is_the_sites_summary(ds):
    pl = ds.lists[("qingdao", 2021)].data
    lt = derive.latest(pl.items[0], pl)
    assert lt.basis == derive.SUMMARY and "子项" in lt.reason and lt.rule == derive.RULE_SUBITEMS


# --- a percent of one stage of the work --------------------------------------------------------


def test_a_completion_figure_that_is_the_lowest_of_several_says_so(ds, rendered):
    """青岛 2021 item 1-1 reports five figures (52.7 % … 112.7 %); 完成 44.1 % is the lowest,
    and the item page, its embed card and the bars' labels say so beside it."""
    pl, item, parent = entry_of(ds, "qingdao", 2021, "1-1")
    lt = derive.latest(item, pl, parent)
    assert (lt.percent, lt.lowest_of) == (44.1, 5)
    page, card = rendered[urls.item_src("qingdao", 2021, "1-1")], rendered[urls.item_embed_src("qingdao", 2021, "1-1")]
    assert page.count("（5个指标中最低的）") == 3, "the summary, its bar's label (read by screen readers) and the timeline"
    assert 'aria-label="已报告完成 44.1%（5个指标中最低的），序时进度' in page
    assert 'aria-label="已报告完成 44.1%（5个指标中最低的）' in rendered[urls.city_year_src("qingdao", 2021)], "the list table's bar too"
    assert 'class="ml-bar__num">44.1%</span><span class="ml-muted ml-lowest">（5个指标中最低的）' in page
    assert "完成 44.1%（5个指标中最低的）" in page
    assert "完成 44.1%（5个指标中最低的）" in card
    one = copy.deepcopy(item.progress[-1])
    one.measures = one.measures[:1]
    assert derive.judge(item, one, pl, parent).lowest_of is None, "one figure is simply the figure"
    one.percent = 60
    assert derive.judge(item, one, pl, parent).lowest_of is None, "the report's own overall percent is not a lowest"


def test_stage_percents_are_not_the_items_completion(ds):
    pl = ds.lists[("qixia", 2024)].data
    for item_id in ("8", "12"):
        item = find(pl.items, item_id)
        assert all(m.stage for m in item.progress[0].measures), item_id
        assert derive.latest(item, pl).percent is None, f"qixia {item_id}: a stage percent shown as completion"
    five = find(pl.items, "5")  # 累计已完成工程总量的92%: the whole work, not a stage
    assert not any(m.stage for m in five.progress[0].measures)
    assert derive.latest(five, pl).percent == 92


def test_only_a_measure_the_data_marks_as_a_stage_is_left_out_of_the_completion():
    item = model.Item(id="1", text="x", targets=[model.Target(text="新增托位6000个", metric="新增托位", value=6000)])
    stage = model.Measure(metric="主体结构施工", percent=90, text="主体结构施工完成90%", stage=True)
    whole = model.Measure(metric="新增托位", value=3300, percent=55, text="新增托位3300个,占年计划的55%")
    assert stage.stage and not whole.stage
    entry = model.Progress(report="h1", status="on_track", measures=[stage, whole])
    assert derive.entry_percent(item, entry) == 55


# --- freshness ---------------------------------------------------------------------------------


def test_the_build_date_is_source_date_epoch_else_the_newest_date_in_the_data(ds):
    lists = [lf.data for lf in ds.lists.values()]
    assert derive.build_date(lists, LATER_EPOCH) == LATER
    newest = derive.newest_data_date(lists)
    assert derive.build_date(lists, None) == derive.build_date(lists, "") == newest
    # never before the newest report: a site dated 2023 would show its 2024 reports as news
    assert derive.build_date(lists, "1700000000") == newest  # 2023-11-14
    assert newest == max(r.published for pl in lists for r in pl.reports)  # 2024-07-10 today


def test_the_newest_official_document_date_ignores_when_we_copied_a_page(ds):
    """The footer's 收录的最新官方文件: a capture retrieved today of a 2024 notice is no newer
    official document."""
    pl = ds.lists[("qixia", 2024)].data
    copied_later = pl.model_copy(update={"sources": [s.model_copy(update={"retrieved": dt.date(2026, 11, 27)}) for s in pl.sources]})
    assert derive.newest_data_date([copied_later]) == derive.newest_data_date([pl]) == dt.date(2024, 7, 10)


def test_a_status_is_stale_when_its_deadline_passed_without_a_newer_report(ds):
    pl, item, parent = entry_of(ds, "qixia", 2024, "6")
    lt = derive.latest(item, pl, parent)
    fresh = derive.freshness(item, pl, parent, lt, dt.date(2024, 7, 10))
    assert not fresh.stale and fresh.label == "最新官方信息截至2024年6月30日"
    fresh = derive.freshness(item, pl, parent, lt, dt.date(2025, 1, 2))
    assert fresh.why == "deadline"
    assert fresh.label == "最新官方信息截至2024年6月30日；完成期限2024年12月31日（本站推定）已过，尚未见年终报告"


def test_a_status_is_stale_when_older_than_the_documented_age():
    pl = copy.deepcopy(load_dataset(MINI).lists[("ceshi", 2024)].data)
    item, parent = find(pl.items, "1-3"), find(pl.items, "1")
    item.deadline = dt.date(2026, 12, 31)
    lt = derive.latest(item, pl, parent)  # as of 2024-09-30
    assert not derive.freshness(item, pl, parent, lt, dt.date(2024, 9, 30) + dt.timedelta(days=derive.STALE_AFTER_DAYS)).stale
    fresh = derive.freshness(item, pl, parent, lt, dt.date(2024, 9, 30) + dt.timedelta(days=derive.STALE_AFTER_DAYS + 1))
    assert fresh.why == "age" and fresh.label == f"最新官方信息截至2024年9月30日；此后{derive.STALE_AFTER_DAYS + 1}天未见新的官方信息"
    assert derive.STALE_AFTER_DAYS == 200


def test_never_reported_items_count_from_the_lists_publication_and_finished_ones_are_never_stale(ds):
    pl, item, parent = entry_of(ds, "zibo", 2022, "49")
    fresh = derive.freshness(item, pl, parent, derive.latest(item, pl, parent), dt.date(2024, 7, 10))
    assert fresh.as_of is None and fresh.why == "age" and fresh.since == pl.published
    assert fresh.final_report == "期满后的报告"  # a three-year plan
    pl, item, parent = entry_of(ds, "qixia", 2024, "7")  # 已完成
    assert not derive.freshness(item, pl, parent, derive.latest(item, pl, parent), dt.date(2030, 1, 1)).stale


def test_stale_items_are_counted_per_list(ds):
    for key, lf in ds.lists.items():
        n = derive.stale_count(lf.data, LATER)
        statuses = [derive.latest(i, lf.data, p).status for i, p in derive.leaves(lf.data.items)]
        done = sum(1 for s in statuses if s in derive.FINISHED)
        unreported = statuses.count("none")  # counted once, as 暂无进展报告, not again as stale
        assert n == len(statuses) - done - unreported, key  # after every deadline: all reported but the finished
    assert derive.stale_count(ds.lists[("zibo", 2022)].data, LATER) == 0  # no report at all: nothing stale to count


def test_an_inferred_deadline_is_known_as_such(ds):
    pl, item, parent = entry_of(ds, "qingdao", 2021, "9-29")
    assert derive.deadline_inferred(item, pl, parent) == pl.inferred["deadline"]
    pl, item, parent = entry_of(ds, "qixia", 2024, "1")  # its own deadline (预计2024年5月完工)
    assert item.deadline and derive.deadline_inferred(item, pl, parent) is None


# --- the official summary beside our counts -----------------------------------------------------


def test_the_notices_totals_sit_beside_the_tables_counts(ds):
    pl = ds.lists[("qixia", 2024)].data
    (report,) = derive.summarised_reports(pl)
    rc = derive.reconcile(pl, report)
    assert [(r.wording, r.official, r.status, r.ours, r.difference) for r in rc.rows] == [
        ("已完成", 6, "done", 6, 0),
        ("按计划推进", 18, "on_track", 13, -5),
        ("进展较为缓慢", 6, "behind", 11, 5),
    ]
    assert rc.disagrees and rc.mentioned == 30 and rc.bases == {derive.OFFICIAL: 30}


@pytest.mark.parametrize(
    "wording, status",
    [("已完成", "done"), ("已实现年度目标", "done"), ("超额完成上半年计划任务", "ahead"), ("按计划推进", "on_track"),
     ("进展较为缓慢", "behind"), ("未完成二季度任务", "behind"), ("其他", None)],
)
def test_count_wording_maps_to_our_scale(wording, status):
    assert derive.count_status(wording) == status


# --- archived captures ---------------------------------------------------------------------------


def test_a_quote_is_found_by_normalised_text_and_lands_on_its_own_line():
    cap = captures.Capture("sources/x.txt", ["网页导航 登录", "", "第一件 实现城镇新增就业35万人,扶持创业3万人", "", "1.实现城镇新增就业35万人", "说明文字，分两行", "写成。"], False)
    assert cap.find("实现城镇新增就业35万人") == (5, 5)  # its own heading, not its mention in the parent's line
    assert cap.find("实现城镇新增就业 35万人") == (5, 5)  # whitespace does not count
    assert cap.find("说明文字,分两行写成。") == (6, 7)  # NFKC: full/half-width punctuation; across lines
    assert cap.find("实现城镇新增就业36万人") is None
    assert cap.line_of("不在这里", "扶持创业3万人") == 3
    span = captures.published_span(cap, ["第一件 实现城镇新增就业35万人,扶持创业3万人", "说明文字，分两行写成。", "登录"])
    assert (span.first, span.last) == (3, 7), "a short word (登录) marks a line but does not stretch the span"


def test_a_traditional_capture_is_searched_in_simplified_characters(ds):
    pl = ds.lists[("qixia", 2024)].data
    src = pl.sources[0]
    cap = captures.load(ROOT, src.archive, traditional=True)
    assert "棲霞市人民政府辦公室" in "".join(cap.lines), "the page shows the capture as stored"
    assert cap.find(find(pl.items, "6").text) == (14, 14)


# --- the pages ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(ds):
    return pages.Site(ds, edit_base="https://example.org/repo/blob/main", site_url="https://example.org/", build_date=LATER)


@pytest.fixture(scope="module")
def rendered(site):
    return {p.src: p.content for p in site.pages()}


def test_every_archived_capture_has_a_page_with_its_facts(ds, rendered):
    archives = {s.archive for lf in ds.lists.values() for s in lf.data.sources if s.archive}
    assert len(archives) == 5
    for archive in archives:
        md = rendered[urls.source_src(urls.capture_stem(archive))]
        assert "<strong>本站存档副本</strong>" in md
        assert "<dt>存档日期</dt><dd>未记录</dd>" in md or "<dt>存档日期</dt><dd>20" in md
        assert "<dt>原始网址</dt><dd>未记录</dd>" in md or 'rel="nofollow noopener">http' in md
        assert "search:\n  exclude: true" in md, "the captures repeat the items' text: keep them out of search"
    yichang = rendered["sources/003_b32ee5a4fa5c90c7.md"]
    assert "<dt>文号</dt><dd>宜府办发〔2024〕21号</dd>" in yichang
    assert "本页发布存档的第 2—198 行" in yichang and "此前 1 行、此后 5 行" in yichang
    assert '<li id="L198">  宜昌市人民政府办公室 2024年4月3日印发</li>' in yichang, "the document's closing line is part of it"
    assert "侦策百科" not in yichang.split("## 存档文字")[1], "page furniture after the document is left out"
    assert "原文为繁体" in rendered["sources/004_5b83448298b42065.md"]


def test_every_item_page_links_its_archived_source_at_the_quoted_line(ds, rendered):
    line_ids = {}
    for src, md in rendered.items():
        if src.startswith("sources/") and src != urls.sources_index_src():
            line_ids[urls.from_src(src)] = set(re.findall(r'<li id="(L[0-9]+)"', md))
    for city, year, item in all_items(ds):
        md = rendered[urls.item_src(city, year, item.id)]
        links = re.findall(r'<a class="ml-archive-link" href="([^"]+)"', md)
        assert links, f"{city}/{year}/{item.id}: no link to an archived source"
        for href in links:
            target, _, fragment = urljoin("/" + urls.item(city, year, item.id), href).lstrip("/").partition("#")
            assert target in line_ids, href
            assert fragment in line_ids[target], f"{city}/{year}/{item.id}: {href} names no line of {target}"


def test_list_pages_link_their_sources_and_show_the_official_totals_first(ds, rendered):
    for (city, year), lf in ds.lists.items():
        md = rendered[urls.city_year_src(city, year)]
        assert 'class="ml-archive-link"' in md.split("## ")[0], f"{city}/{year}: no archived source among the facts"
        for field, reason in lf.data.inferred.items():
            assert reason in md, f"{city}/{year}: inferred {field} not shown with its reason"
        assert md.count('<span class="ml-ours ml-inferred">本站推定</span>') >= len(lf.data.inferred)
    qixia = rendered["qixia/2024/index.md"]
    assert qixia.index("{#official}") < qixia.index("{#overview}") < qixia.index("{#items}")
    official = qixia[qixia.index("{#official}"): qixia.index("{#overview}")]
    assert "“按计划推进”</th><td>18 项</td>" in official and '<td>13 项（<strong class="ml-diff">-5</strong>）</td>' in official
    assert "报告的汇总数与它自己逐项的表述不一致" in official


def test_stale_and_assessed_statuses_are_labelled_in_lists_and_counted(ds, rendered):
    for (city, year), lf in ds.lists.items():
        md = rendered[urls.city_year_src(city, year)]
        n = derive.stale_count(lf.data, LATER)
        assert (f"其中信息已过时 <strong>{n}</strong> 项" in md) if n else ("其中信息已过时" not in md), (city, year)
        rows = [r for r in md.splitlines() if r.startswith('<tr class="ml-ptable__row ')]
        flat = list(walk_items(lf.data.items))
        assert len(rows) == len(flat)
        for row, (item, _, parent) in zip(rows, flat, strict=True):
            lt = derive.latest(item, lf.data, parent)
            assert ('class="ml-stale"' in row) == derive.freshness(item, lf.data, parent, lt, LATER).stale, (city, year, item.id)
            assert ('class="ml-assessed"' in row) == lt.assessed, (city, year, item.id)
    assert "其中信息已过时" in rendered["index.md"] and "其中信息已过时" in rendered["qingdao/index.md"]
    # a list no report mentions says so once: 暂无进展报告 113, not also 信息已过时 113 (淄博 2022)
    zibo = rendered["index.md"].split('aria-label="淄博2022年状态分布', 1)[1].split("</ul>", 1)[0]
    assert "暂无进展报告 <strong>113</strong>" in zibo and "过时" not in zibo


def test_citations_carry_status_and_date_and_name_each_document_once(ds, rendered):
    for city, year, item in all_items(ds):
        md = rendered[urls.item_src(city, year, item.id)]
        cite = re.search(r'<p class="ml-cite__text" id="ml-cite-text">(.*?)</p>', md).group(1)
        assert "状态：" in cite and "数据更新于2025年6月30日" in cite
        assert "。”。" not in cite and "；”" not in cite
        titles = [s.title for s in ds.lists[(city, year)].data.sources]
        for title in titles:
            assert cite.count(f"{title}（") <= 1, f"{city}/{year}/{item.id}: {title} cited twice"
    description = re.search(r"^description: (.*)$", rendered["qixia/2024/6.md"], re.M).group(1)
    assert description.startswith('"滞后（官方表述“未完成二季度任务”，截至2024年6月30日，信息已过时）｜')


def test_every_generated_page_says_when_the_data_was_updated(rendered):
    for src, md in rendered.items():
        if src == urls.search_src():  # the search page shows no data of its own
            continue
        assert '<p class="ml-updated" data-search-exclude>数据更新于2025年6月30日' in md, src


def test_capture_text_is_escaped_and_stays_on_one_markdown_line(tmp_path):
    """A capture is untrusted text: markup, Markdown and template syntax in it arrive as text."""
    root = copy_data_root(tmp_path, MINI)
    ds0 = load_dataset(root)
    pl = ds0.lists[("ceshi", 2024)].data
    hostile = ["<script>window.__pwned=1</script>", "```", "# 标题 {#x}", "[点我](javascript:alert(1))", "{{ 7*7 }}", "&amp; <!--", "| a | b |"]
    quoted = list(verbatim.cited_texts(pl))
    (root / "sources" / "captures").mkdir(parents=True, exist_ok=True)
    lines = ["网页导航"] + quoted[:1] + hostile + quoted[1:] + ["相关新闻"]  # the hostile lines inside the published span
    (root / "sources" / "captures" / "ceshi.txt").write_text("\n".join(lines), encoding="utf-8")
    path = root / "data" / "ceshi" / "2024.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    obtained: 测试数据\n", "    obtained: 测试数据\n    archive: sources/captures/ceshi.txt\n", 1), encoding="utf-8")
    ds = load_dataset(root)
    assert ds.errors == [], "\n".join(map(str, ds.errors))
    md = sources.source_page(pages.Site(ds), "sources/captures/ceshi.txt", pages.Site(ds).citing()["sources/captures/ceshi.txt"]).content
    body = md.split("## 存档文字")[1]
    assert "<script>" not in body and "&lt;script&gt;" in body
    capture_line = next(line for line in body.splitlines() if line.startswith('<ol class="ml-capture"'))
    assert "```" in capture_line and "{{ 7*7 }}" in capture_line, "the capture is one Markdown line, printed as text"
    out = tmp_path / "site"
    result = build_site(out, root)
    assert result.returncode == 0, result.stderr[-3000:]
    tree = lxml.html.fromstring((out / "sources" / "ceshi" / "index.html").read_bytes())
    items = tree.xpath("//ol[contains(@class,'ml-capture')]/li")
    texts = [li.text_content() for li in items]
    assert all(h in texts for h in hostile if h.strip()), "some lines of the capture did not arrive as literal text"
    assert not tree.xpath("//ol[contains(@class,'ml-capture')]//script | //ol[contains(@class,'ml-capture')]//a | //ol[contains(@class,'ml-capture')]//h1")


# --- in the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def later_site(tmp_path_factory):
    """The real data built as if on LATER (SOURCE_DATE_EPOCH): every list has stale items."""
    out = tmp_path_factory.mktemp("later") / "site"
    result = build_site(out, ROOT, {"SOURCE_DATE_EPOCH": LATER_EPOCH})
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="module")
def later_server(later_site):
    with serve_folder(later_site) as base:
        yield base


@pytest.mark.browser
@pytest.mark.parametrize("key", [("qingdao", 2021), ("qingdao", 2024), ("qixia", 2024), ("yichang", 2024), ("zibo", 2022)], ids=lambda k: f"{k[0]}-{k[1]}")
def test_stale_and_assessment_labels_show_on_the_affected_items_of_every_list(browser, later_server, ds, key):
    city, year = key
    pl = ds.lists[key].data
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.goto(later_server + urls.city_year(city, year))
        rows = pg.locator("table.ml-ptable tr.ml-ptable__row")
        flat = list(walk_items(pl.items))
        assert rows.count() == len(flat)
        n_stale = n_assessed = 0
        for i, (item, _, parent) in enumerate(flat):
            row = rows.nth(i)
            assert row.locator(".ml-ptable__title a").get_attribute("href") == f"{item.id}/"
            lt = derive.latest(item, pl, parent)
            stale = derive.freshness(item, pl, parent, lt, LATER).stale
            label = row.locator(".ml-stale")
            assert (label.count() == 1 and label.is_visible()) == stale, f"{city}/{year}/{item.id}: stale label"
            if stale:
                assert "信息已过时" in label.inner_text()
                n_stale += 1
            assessed = row.locator(".ml-assessed")
            assert (assessed.count() == 1 and assessed.is_visible()) == lt.assessed, f"{city}/{year}/{item.id}: assessment label"
            n_assessed += lt.assessed
        assert n_stale, f"{city}/{year}: no stale item at {LATER}"
        legend, n = pg.locator(".ml-legend__stale"), derive.stale_count(pl, LATER)
        assert legend.count() == (1 if n else 0), f"{city}/{year}: 其中信息已过时 only for reported items"
        assert not n or (legend.is_visible() and str(n) in legend.inner_text())
        if key == ("qingdao", 2021):
            assert n_assessed == len(flat), "every status of 青岛 2021 is the site's assessment or summary"
        # the item page says why, in words, with the rule one click away
        item, _, parent = next((i, x, p) for i, x, p in walk_items(pl.items) if derive.freshness(i, pl, p, derive.latest(i, pl, p), LATER).stale)
        pg.goto(later_server + urls.item(city, year, item.id))
        fresh = pg.locator(".ml-fresh--stale")
        assert fresh.is_visible() and "信息已过时" in fresh.inner_text()
        assert fresh.locator("a", has_text="怎样算过时").get_attribute("href").endswith("about/methodology/#stale")
    finally:
        context.close()


def test_every_built_item_page_links_an_archived_source_line_that_exists(later_site, ds):
    """In the built HTML: every item page's sources name an archived copy, at a line it has."""
    missing = []
    for city, year, item in all_items(ds):
        page_url = urls.item(city, year, item.id)
        tree = lxml.html.fromstring((later_site / page_url / "index.html").read_bytes())
        hrefs = tree.xpath("//ul[contains(@class,'ml-sources')]//a[contains(@class,'ml-archive-link')]/@href")
        if not hrefs:
            missing.append(page_url)
        for href in hrefs:
            url = urlsplit(urljoin("http://site.invalid/" + page_url, href))
            target = lxml.html.fromstring((later_site / unquote(url.path).lstrip("/") / "index.html").read_bytes())
            assert target.xpath(f"//ol[contains(@class,'ml-capture')]/li[@id='{url.fragment}']"), f"{page_url}: {href}"
    assert not missing, f"item pages without a link to an archived source: {missing[:10]}"


@pytest.mark.browser
@pytest.mark.parametrize("key", [("qingdao", 2021), ("qingdao", 2024), ("qixia", 2024), ("yichang", 2024), ("zibo", 2022)], ids=lambda k: f"{k[0]}-{k[1]}")
def test_an_item_pages_source_link_opens_the_archived_copy_at_the_quoted_line(browser, later_server, ds, key):
    city, year = key
    pl = ds.lists[key].data
    item = list(walk_items(pl.items))[-1][0]  # the last item: far down the page, so landing on it is not luck
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.goto(later_server + urls.item(city, year, item.id))
        link = pg.locator("ul.ml-sources a.ml-archive-link").first
        assert link.is_visible()
        link.click()
        pg.wait_for_load_state("load")
        assert "/sources/" in pg.url
        assert "本站存档副本" in pg.locator(".ml-archive-note").inner_text()
        target = pg.locator("ol.ml-capture li:target")
        assert target.count() == 1 and target.is_visible(), f"{city}/{year}/{item.id}: no line targeted on {pg.url}"
        box = target.bounding_box()
        assert box and 0 <= box["y"] < 900, f"{city}/{year}/{item.id}: the quoted line is not in view"
        text = verbatim.normalise(target.inner_text())
        if pl.sources[0].script == model.Script.traditional_converted:
            from opencc import OpenCC

            text = OpenCC("t2s").convert(text)
        assert verbatim.normalise(item.text)[:10] in text, f"{city}/{year}/{item.id}: the targeted line does not hold the pledge"
    finally:
        context.close()


@pytest.mark.browser
def test_the_new_pages_and_labels_pass_axe(browser, later_server):
    """Source pages, the official-summary table, the stale and assessment labels: no serious
    accessibility violation (axe-core), the same bar as tests/test_a11y.py."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    report = []
    try:
        pg = context.new_page()
        for url in ["sources/", "sources/004_5b83448298b42065/#L14", "qingdao/2021/", "qixia/2024/", "qingdao/2021/9-29/", "qingdao/2021/changes/"]:
            pg.goto(later_server + url)
            pg.wait_for_load_state("load")
            # a #L14 link scrolls the page, and Material fades its tabs out while scrolling:
            # judge the colours once every transition has ended, not halfway through a fade
            pg.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
            for v in axe.run(pg).response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                    report.append(f"{url}: {v['impact']} {v['id']}: {v['help']} — e.g. {targets}")
    finally:
        context.close()
    assert not report, "axe-core violations:\n" + "\n".join(report)
