"""List pages as a progress table, item labels, topic pages that count each pledge once.

Unit tests for the counting and the labels, then the built site in headless Chromium at
1280 px and 390 px: the table without JavaScript is complete, filter and sort work with it,
a phone gets one card per item and never scrolls sideways.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from conftest import all_items
from generator import derive
from generator.core import model, urls
from generator.data.dataset import walk_items
from generator.site import pages, wording
from generator.site.pages import lists, table, topics


def norm(text: str) -> str:
    return " ".join(str(text).split())


def find(ds, city, year, item_id):
    for item, _, parent in walk_items(ds.lists[(city, year)].data.items):
        if item.id == item_id:
            return item, parent
    raise KeyError(item_id)


def make_item(item_id: str, label: str | None = None, **kw) -> model.Item:
    return model.Item(id=item_id, label=label, text="原文", **kw)


# --- labels -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "item_id", "expected"),
    [
        ("第六件", "6", "第六件"),
        ("4.", "6-4", "第4项"),
        ("(三)", "3", "第三项"),
        ("（十二）", "12", "第十二项"),
        ("49、", "49", "第49项"),
        ("①", "1-1", "第1项"),
        (None, "20", "第20项"),
        (None, "6-4", "第4项"),
        ("甲", "1", "甲"),  # a label of another shape is shown as the source writes it
    ],
)
def test_own_label_in_plain_words(label, item_id, expected):
    assert wording.own_label(make_item(item_id, label)) == expected


def test_item_unit():
    assert wording.item_unit(make_item("6", "第六件")) == "件"
    assert [wording.item_unit(make_item("1", label)) for label in ("第3项", "3.", None, "第六件事")] == ["项"] * 4


def test_item_label_names_the_parent_first(ds):
    item, parent = find(ds, "qingdao", 2024, "6-4")
    assert wording.item_label(item, parent) == "第六件 · 第4项"
    item, parent = find(ds, "qingdao", 2021, "2-3")  # 青岛 2021 numbers its 32 项 across the 10 件
    assert wording.item_label(item, parent) == "第二件 · 第3项"
    assert wording.item_label(*find(ds, "qixia", 2024, "20")) == "第20项"


def test_no_two_items_of_a_list_share_a_label(ds):
    for key, lf in ds.lists.items():
        labels = [wording.item_label(item, parent) for item, _, parent in walk_items(lf.data.items)]
        assert len(labels) == len(set(labels)), key


def test_item_page_uses_plain_labels(ds):
    site = pages.Site(ds)
    lf = ds.lists[("qingdao", 2024)]
    item, parent = find(ds, "qingdao", 2024, "6-4")
    md = lists.item_page(site, lf, item, parent, None, None).content
    kicker = next(line for line in md.splitlines() if "ml-kicker" in line)
    assert "第六件 · 第4项" in kicker and "编号" not in kicker and "4." not in kicker
    assert "› <span>第4项</span>" in md  # the breadcrumb ends with the plain label


# --- counting ---------------------------------------------------------------------------


def test_counting_in_the_lists_own_unit(ds):
    qingdao = wording.counting(ds.lists[("qingdao", 2024)].data)
    assert (qingdao.top, qingdao.top_unit, qingdao.split, qingdao.leaves) == (15, "件", 12, 36)
    assert qingdao.total == "共15件（细分为36项）" == "共" + wording.count_phrase(ds.lists[("qingdao", 2024)].data)  # as home and city pages say it
    assert "其余3件各算一项" in qingdao.basis and "每项只计一次" in qingdao.basis
    qixia = wording.counting(ds.lists[("qixia", 2024)].data)
    assert (qixia.total, qixia.leaf_unit) == ("共30项", "项")
    # what statuses count is what the basis says it counts
    for lf in ds.lists.values():
        c = wording.counting(lf.data)
        assert sum(derive.status_counts(lf.data).values()) == c.leaves
        assert str(c.leaves) in c.basis


def test_list_heading_names_the_city(ds):
    assert lists.list_heading(ds.lists[("qingdao", 2024)].data, ds.cities["qingdao"]) == "青岛市2024年市办实事项目"
    zibo = ds.lists[("zibo", 2022)].data
    assert lists.list_heading(zibo, ds.cities["zibo"]) == zibo.title  # it names the city already


# --- topics: each pledge once -----------------------------------------------------------


def test_topic_pledges_count_a_split_parent_never(ds):
    site = pages.Site(ds)
    found = site.topic_items["tingche"]
    assert {(lf.data.city, item.id) for lf, item, _ in found} >= {("qingdao", "6"), ("qingdao", "6-3")}
    pledges = topics.topic_pledges(found)
    ids = [(lf.data.city, item.id) for lf, item, _ in pledges]
    assert ("qingdao", "6-3") in ids and ("qingdao", "6") not in ids
    # a parent none of whose sub-items is in the topic stays (its own line is the pledge)
    for topic_id, found in site.topic_items.items():
        kept = topics.topic_pledges(found)
        for lf, item, parent in found:
            children_in = [c for c in item.subitems if topic_id in c.topics]
            assert ((lf, item, parent) in kept) == (not children_in), (topic_id, item.id)


def test_target_comparison_adds_each_pledge_once(ds):
    site = pages.Site(ds)
    pledges = topics.topic_pledges(site.topic_items["tuoyu"])
    comparisons = topics.compare_targets([(site.city_name(lf.data.city), lf.data.year, item) for lf, item, _ in pledges])
    places = {c.metric: c.lists for c in comparisons}
    # 3 and 3-1 both name the 6000 new places: counted once, not 12000
    assert places["新增托位"] == [("青岛", 2024, "6000个以上"), ("宜昌", 2024, "1680个")]


def test_target_comparison_adds_within_a_list_and_lists_rates():
    t = {"metric": "新增托位", "unit": "个", "value": 100.0, "comparator": model.Comparator.at_least}
    items = [
        ("甲", 2024, make_item("1", targets=[model.Target(text="a", **t)])),
        ("甲", 2024, make_item("2", targets=[model.Target(text="b", **t)])),
        ("乙", 2023, make_item("1", targets=[model.Target(text="c", **{**t, "value": 50.0})])),
        ("甲", 2024, make_item("3", targets=[model.Target(text="d", metric="覆盖率", unit="%", value=90.0)])),
        ("甲", 2024, make_item("4", targets=[model.Target(text="e", metric="覆盖率", unit="%", value=80.0)])),
        ("乙", 2023, make_item("2", targets=[model.Target(text="f", metric="覆盖率", unit="%", value=70.0)])),
    ]
    found = {c.metric: c.lists for c in topics.compare_targets(items)}
    assert found["新增托位"] == [("甲", 2024, "合计200个以上"), ("乙", 2023, "50个以上")]
    assert found["覆盖率"] == [("甲", 2024, "90%、80%"), ("乙", 2023, "70%")]


def test_topic_page_and_index_count_the_same_pledges(ds):
    site = pages.Site(ds)
    index = topics.topics_index(site).content
    for topic_id, found in site.topic_items.items():
        n = len(topics.topic_pledges(found))
        md = topics.topic_page(site, topic_id).content
        if n:
            assert f"共 <strong>{n}</strong> 项承诺" in md, topic_id
            assert md.count('class="ml-ptable__row ml-ptable__row--item"') + md.count('class="ml-ptable__row ml-ptable__row--child"') == n
        assert f"{n} 项承诺" in index
    assert "定性目标" not in "".join(topics.topic_page(site, t).content for t in site.topic_items)


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ({"metric": "新增停车泊位", "value": 20000.0, "unit": "个", "comparator": "at_least"}, "新增停车泊位2万个以上"),
        ({"metric": "新设岗位", "value": 16500.0, "unit": "个", "comparator": "at_least"}, "新设岗位1.65万个以上"),
        ({"metric": "两癌筛查", "value": 29410.0, "unit": "人"}, "两癌筛查29410人"),
        ({"metric": "投资", "value": 120000000.0, "unit": "元"}, "投资1.2亿元"),
        ({"metric": "示范点", "value": 3.0, "value_max": 4.0, "unit": "个", "comparator": "range"}, "示范点3至4个"),
        ({"metric": "费用", "value": 5.0, "unit": "%", "comparator": "at_most"}, "费用不超过5%"),
        ({"metric": "地铁开通", "qualitative": True}, "推动地铁6号线一期开通运营"),
    ],
)
def test_targets_in_words_readers_use(target, words):
    t = model.Target(text="推动地铁6号线一期开通运营", **target)
    assert wording.plain_target(t) == words


# --- the list page's Markdown -----------------------------------------------------------


def test_list_table_has_a_row_for_every_item_and_filters_for_what_it_holds(ds):
    site = pages.Site(ds)
    for lf in ds.lists.values():
        md = lists.city_year_page(site, lf).content
        n = sum(1 for _ in walk_items(lf.data.items))
        assert md.count('<tr class="ml-ptable__row ') == n
        forms = re.findall(r"<form class=\"ml-ptable-tools\"[^>]*>", md)
        assert len(forms) == 1 and " hidden " in forms[0], "one filter form, hidden until the script runs"
        has_lead = any(derive.item_lead(i, p) for i, _, p in walk_items(lf.data.items))
        assert ("data-ml-filter=\"lead\"" in md) == has_lead
        assert ('<th scope="col" class="ml-ptable__h--lead">' in md) == has_lead


# --- in the browser ---------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


def _visible_rows(pg):
    return pg.evaluate(
        """() => Array.from(document.querySelectorAll('table.ml-ptable tr.ml-ptable__row'))
             .filter(r => r.offsetParent !== null && !r.classList.contains('ml-ptable__row--parent'))
             .map(r => ({href: r.querySelector('a').getAttribute('href'), status: r.dataset.status,
                         percent: r.dataset.percent, rank: Number(r.dataset.rank), lead: r.dataset.lead, topics: r.dataset.topics}))"""
    )


@pytest.mark.browser
def test_list_table_without_javascript_is_plain_and_complete(browser, site_server, ds):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False, locale="zh-CN")
    try:
        pg = context.new_page()
        for (city, year), lf in sorted(ds.lists.items()):
            pg.goto(f"{site_server}{city}/{year}/")
            assert ds.cities[city].short_name in pg.locator("article h1").inner_text()
            assert not pg.locator("form.ml-ptable-tools").is_visible(), "the filter form shows only with the script"
            rows = pg.locator("table.ml-ptable tr.ml-ptable__row")
            items = list(walk_items(lf.data.items))
            assert rows.count() == len(items)
            hrefs = rows.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
            assert hrefs == [f"{item.id}/" for item, _, _ in items], "every item, in source order"
            assert all(r.is_visible() for r in rows.all()[:40])
            assert rows.locator(".ml-badge").count() == len(items), "a status on every row"
    finally:
        context.close()


@pytest.mark.browser
def test_list_table_filters_and_sorts(page, site_server, ds):
    city, year = "qixia", 2024
    pl = ds.lists[(city, year)].data
    page.goto(f"{site_server}{city}/{year}/")
    form = page.locator("form.ml-ptable-tools")
    assert form.is_visible()
    everything = _visible_rows(page)
    assert len(everything) == len(derive.leaves(pl.items))
    assert "显示 30 / 30 项" in form.inner_text()

    counts = derive.status_counts(pl)
    page.select_option("select[data-ml-filter=status]", "behind")
    shown = _visible_rows(page)
    assert shown and {r["status"] for r in shown} == {"behind"} and len(shown) == counts["behind"]
    assert f"显示 {counts['behind']} / 30 项" in form.inner_text()

    # status and lead unit together
    lead = page.locator("select[data-ml-filter=lead] option").nth(1)
    page.select_option("select[data-ml-filter=lead]", lead.get_attribute("value"))
    both = _visible_rows(page)
    assert all(r["status"] == "behind" and lead.get_attribute("value") in r["lead"].split() for r in both)
    if not both:
        assert page.locator("[data-ml-empty]").is_visible()

    page.click("form.ml-ptable-tools button[type=reset]")
    page.wait_for_function("document.querySelector('[data-ml-count]').textContent.includes('30 / 30')")
    page.select_option("select[data-ml-filter=topics]", "yiliao")
    shown = _visible_rows(page)
    assert shown and all("yiliao" in r["topics"].split() for r in shown)
    assert len(shown) == sum(1 for i, _ in derive.leaves(pl.items) if "yiliao" in i.topics)
    page.select_option("select[data-ml-filter=topics]", "")

    page.select_option("select[data-ml-sort]", "percent-desc")
    ordered = _visible_rows(page)
    figures = [float(r["percent"]) for r in ordered if r["percent"]]
    assert len(ordered) == 30 and figures == sorted(figures, reverse=True) and len(figures) > 1
    assert all(r["percent"] for r in ordered[: len(figures)]), "items without a figure come last"
    page.select_option("select[data-ml-sort]", "rank")
    ranks = [r["rank"] for r in _visible_rows(page)]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1
    page.select_option("select[data-ml-sort]", "")
    assert [r["href"] for r in _visible_rows(page)] == [r["href"] for r in everything], "back in source order"


@pytest.mark.browser
def test_list_filter_keeps_sub_items_under_their_parent(page, site_server, ds):
    page.goto(f"{site_server}qingdao/2024/")
    page.select_option("select[data-ml-filter=topics]", "tingche")
    visible = page.evaluate(
        """() => Array.from(document.querySelectorAll('table.ml-ptable tr.ml-ptable__row'))
             .filter(r => r.offsetParent !== null).map(r => r.querySelector('a').getAttribute('href'))"""
    )
    assert visible == ["6/", "6-3/"], "the 件 shows as the heading of its matching 项"
    assert not page.locator("select[data-ml-sort]").count(), "no progress yet: nothing to sort by"
    page.goto(f"{site_server}qingdao/2021/")
    page.select_option("select[data-ml-sort]", "rank")
    assert not page.locator("tr.ml-ptable__row--parent").first.is_visible(), "sorted, the table is flat"
    ctx = page.locator("tr.ml-ptable__row--child:not([hidden]) .ml-ptable__ctx").first
    assert ctx.is_visible() and re.match(r"第[一二三四五六七八九十]+件", ctx.inner_text()), "out of its group, a 项 names its 件"


@pytest.mark.browser
def test_phone_gets_one_card_per_item_without_horizontal_scroll(browser, site_server, ds, tmp_path):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        pg = context.new_page()
        for url in ["qixia/2024/", "zibo/2022/", "qingdao/2024/", "qingdao/2024/6/", "topics/tuoyu/", "topics/jiaoyu/", "topics/"]:
            pg.goto(site_server + url)
            pg.wait_for_load_state("load")
            pg.screenshot(path=str(tmp_path / (url.replace("/", "_") + ".png")), full_page=True)
            assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{url} scrolls sideways (screenshots in {tmp_path})"
            cards = pg.locator("table.ml-ptable tr.ml-ptable__row")
            if not cards.count():
                continue
            assert not pg.locator("table.ml-ptable thead").first.is_visible() or pg.locator("table.ml-ptable thead").first.bounding_box()["height"] <= 1
            problems = pg.evaluate(
                """() => {
                  const out = [];
                  for (const row of document.querySelectorAll('table.ml-ptable tr.ml-ptable__row')) {
                    if (getComputedStyle(row).display !== 'block') { out.push('not a card'); break; }
                    const box = row.getBoundingClientRect();
                    if (box.right > innerWidth + 0.5) out.push('card wider than the screen');
                    const title = row.querySelector('.ml-ptable__title a').getBoundingClientRect();
                    if (title.width < 60 && row.querySelector('.ml-ptable__title a').textContent.length > 3) out.push('title squeezed: ' + title.width);
                    for (const b of row.querySelectorAll('.ml-badge')) {
                      const bb = b.getBoundingClientRect();
                      if (bb.right > box.right + 0.5 || b.scrollWidth > b.clientWidth + 1) out.push('badge cut off');
                    }
                    const label = getComputedStyle(row.querySelector('.ml-ptable__status'), '::before').content;
                    if (label !== '"状态"') out.push('no label on the status line: ' + label);
                  }
                  return out;
                }"""
            )
            assert not problems, f"{url}: {sorted(set(problems))[:5]}"
    finally:
        context.close()


@pytest.mark.browser
def test_wide_screen_shows_a_table_with_all_columns(page, site_server):
    page.goto(site_server + "zibo/2022/")
    heads = page.locator("table.ml-ptable thead th").all_inner_texts()
    assert heads == ["序号", "事项", "目标", "牵头单位", "状态", "完成率", "期限"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    row = page.locator("tr.ml-ptable__row").first
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"


@pytest.mark.browser
def test_item_page_shows_sub_items_as_a_table_with_status(page, site_server, ds):
    item, _ = find(ds, "qingdao", 2024, "6")
    page.goto(site_server + "qingdao/2024/6/")
    assert norm(page.locator("article h1").inner_text()) == norm(item.title)
    assert norm(page.locator(".ml-pledge blockquote").inner_text()) == norm(item.text)
    rows = page.locator("#subitems ~ .ml-ptable-box tr.ml-ptable__row")
    assert rows.count() == len(item.subitems)
    assert rows.locator(".ml-badge").count() == len(item.subitems)
    assert "第六件" in page.locator(".ml-kicker").inner_text()


def test_every_item_appears_on_its_list_page_once(ds):
    site = pages.Site(ds)
    for (city, year), lf in ds.lists.items():
        md = lists.city_year_page(site, lf).content
        for c, y, item in all_items(ds):
            if (c, y) == (city, year):
                assert md.count(f'href="{item.id}/"') == 1, (city, year, item.id)


# --- issue 15 polish: what list and item pages say, and how little a phone repeats -------------

ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")


def test_list_and_item_pages_write_dates_in_chinese(built_site, ds):
    """Readers see 2024年6月30日 everywhere, never 2024-06-30 (the machine date stays in datetime=…)."""
    import lxml.html

    pages_seen = [built_site / "index.html", built_site / "cities" / "index.html"]
    for (city, year), lf in ds.lists.items():
        pages_seen += [built_site / city / "index.html", built_site / city / str(year) / "index.html"]
        pages_seen += [built_site / city / str(year) / item.id / "index.html" for item, _, _ in walk_items(lf.data.items)]
    for path in pages_seen:
        tree = lxml.html.fromstring(path.read_bytes())
        article = tree.xpath("//article")[0]
        for el in article.xpath(".//code | .//pre | .//script | .//style"):
            el.drop_tree()
        found = ISO_DATE.findall(article.text_content()) + [t for el in article.xpath(".//*[@title]") for t in ISO_DATE.findall(el.get("title"))]
        assert not found, f"{path.relative_to(built_site)}: {found[:3]}"


def test_list_legend_explains_what_the_table_shows(ds):
    site = pages.Site(ds)
    seen = set()
    for key, lf in ds.lists.items():
        md = lists.city_year_page(site, lf).content
        legend, table = md.split('<div class="ml-ptable-box"', 1)
        legend = legend.rsplit("## 全部事项", 1)[1]
        summary = '<span class="ml-assessed" title="本站按' in table  # a parent row's status, summarised by us
        assert ("本站概括</span>表示" in legend) == summary, key
        pace = 'class="ml-bar__pace"' in table
        assert ("竖线是序时进度" in legend) == pace, key
        seen |= {("summary", summary), ("pace", pace)}
    assert {("summary", True), ("pace", True), ("pace", False)} <= seen, "the data has lists of each kind"


def test_sorts_offered_only_where_they_change_something(ds):
    site = pages.Site(ds)
    for key in [("qingdao", 2024), ("yichang", 2024)]:  # no progress at all
        md = lists.city_year_page(site, ds.lists[key]).content
        assert "data-ml-sort" not in md and "完成率从高到低" not in md, key
    md = lists.city_year_page(site, ds.lists[("qixia", 2024)]).content
    options = re.findall(r'<option value="(rank|percent-desc|percent-asc)">([^<]+)</option>', md)
    assert [v for v, _ in options] == ["rank", "percent-desc", "percent-asc"]
    assert all(len(label) <= 7 for _, label in options), "short enough for a 390 px screen"
    for lf in ds.lists.values():
        md = lists.city_year_page(site, lf).content
        assert ">重置</button>" in md and "全部显示" not in md


def test_table_sorts_follow_the_rows(ds):
    site = pages.Site(ds)
    pl = ds.lists[("qixia", 2024)].data
    rows = [table.table_row(site, pl, i) for i in pl.items]
    assert table.table_sorts(rows) == (table.SORT_BY_STATUS, *table.SORT_BY_PERCENT)
    same = [r._replace(rank=0, latest=dataclasses.replace(r.latest, percent=None)) for r in rows]
    assert table.table_sorts(same) == ()
    one_figure = same[:1] + [same[1]._replace(latest=dataclasses.replace(same[1].latest, percent=50.0))]
    assert table.table_sorts(one_figure) == table.SORT_BY_PERCENT


def test_inferred_deadline_said_once_above_the_table(ds):
    site = pages.Site(ds)
    qingdao = lists.city_year_page(site, ds.lists[("qingdao", 2024)]).content
    note = next(line for line in qingdao.splitlines() if "ml-ptable-deadline" in line)
    assert "各项期限均为" in note and "本站推定" in note and "2024年12月31日" in note and "除另列" not in note
    table = qingdao.split('<table class="ml-ptable">', 1)[1]
    assert "本站推定" not in table, "not on every row"
    assert table.count("ml-ptable__deadline--common") == sum(1 for _ in walk_items(ds.lists[("qingdao", 2024)].data.items))
    assert table.count(">2024年12月31日</td>") == table.count("ml-ptable__deadline--common"), "the wide table keeps the date"
    # 栖霞: some items have their own deadline; they keep it on every row and card
    qixia = lists.city_year_page(site, ds.lists[("qixia", 2024)]).content
    assert "除另列期限的以外，各项期限均为" in qixia
    own = [i for i, _, _ in walk_items(ds.lists[("qixia", 2024)].data.items) if i.deadline]
    assert own and all(f'<td class="ml-ptable__deadline" data-label="期限">{derive.cn_date(i.deadline)}' in qixia for i in own)


def test_inferred_deadline_of_a_list_whose_deadline_is_stated(ds):
    pl = ds.lists[("qixia", 2024)].data
    stated = pl.model_copy(update={"inferred": {}})
    assert wording.common_deadline(stated) is None
    assert table.deadline_note(stated, table.list_table(pages.Site(ds), stated, {})) is None
    assert wording.common_deadline(pl)[0] == (pl.deadline or pl.period.end)


def test_quotes_never_nest():
    assert wording.in_quotes("新增停车泊位2万个以上") == "“新增停车泊位2万个以上”"
    assert wording.in_quotes("开展适龄妇女“两癌”筛查服务") == "「开展适龄妇女“两癌”筛查服务」", "the city's own marks stay as written"


def test_item_page_cites_and_links_neighbours_by_plain_labels(ds):
    site = pages.Site(ds)
    by_src = {p.src: p.content for p in site.list_pages(("qingdao", 2024))}
    md = by_src["qingdao/2024/6-3.md"]
    nav = md[md.index('<nav class="ml-prevnext"') :]
    assert "← 第六件 · 第2项 " in nav and "第六件 · 第4项 " in nav and "6-2 " not in nav
    related = {p.src: p.content for p in site.list_pages(("qingdao", 2021))}["qingdao/2021/1-1.md"]
    related = related[related.index('<ul class="ml-related">') :].split("</ul>", 1)[0]
    assert "青岛 2024 · 第一件 · 第1项 " in related and "· 1-1 " not in related, "related items by their plain labels too"
    first = by_src["qingdao/2024/1.md"]
    assert "← " not in first[first.index('<nav class="ml-prevnext"') :]
    yichang = {p.src: p.content for p in site.list_pages(("yichang", 2024))}
    cite = yichang["yichang/2024/30.md"]
    assert "“两癌”" in cite
    text = cite[cite.index("ml-cite__text") :].split("</p>", 1)[0]
    assert "「" in text and "““" not in text and not re.search(r"“[^”]*“", text), text


def test_list_breadcrumbs_pass_through_the_cities_index(ds):
    site = pages.Site(ds)
    for lf in ds.lists.values():
        md = lists.city_year_page(site, lf).content
        crumbs = next(line for line in md.splitlines() if "ml-crumbs" in line)
        here = urls.city_year(lf.data.city, lf.data.year)
        expected = f'首页</a> › <a href="{urls.relative(here, urls.cities())}">城市</a> › <a href="{urls.relative(here, urls.city(lf.data.city))}">'
        assert expected in crumbs, crumbs


@pytest.mark.browser
def test_phone_cards_leave_out_empty_lines_and_the_tools_fit(browser, site_server, tmp_path):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.goto(site_server + "qingdao/2024/")
        pg.wait_for_load_state("load")
        shown = pg.evaluate(
            """() => Array.from(document.querySelectorAll('tr.ml-ptable__row > td'))
                 .filter(td => td.offsetParent !== null).map(td => td.dataset.label)"""
        )
        assert "完成率" not in shown and "期限" not in shown, "no progress, one deadline: neither repeats on 36 cards"
        assert pg.locator(".ml-ptable-deadline").is_visible()
        pg.goto(site_server + "qixia/2024/")
        pg.wait_for_load_state("load")
        pg.screenshot(path=str(tmp_path / "qixia.png"), full_page=False)
        first = pg.locator("tr.ml-ptable__row").first  # 第1项 has its own deadline
        assert first.locator("td.ml-ptable__deadline").is_visible()
        cut = pg.evaluate(
            """() => {
                 const ctx = document.createElement('canvas').getContext('2d');
                 const out = [];
                 for (const s of document.querySelectorAll('form.ml-ptable-tools select')) {
                   ctx.font = getComputedStyle(s).font;
                   for (const o of s.options) {
                     if (ctx.measureText(o.text).width > s.clientWidth - 24) out.push(o.text);
                   }
                 }
                 return out;
               }"""
        )
        assert not [t for t in cut if "完成率" in t or "在前" in t], f"sort labels cut on a phone: {cut} (screenshot in {tmp_path})"
        pg.goto(site_server + "yichang/2024/30/")
        style = pg.locator(".ml-qr figcaption").evaluate("e => getComputedStyle(e).fontStyle")
        assert style == "normal", "no synthetic italics for Chinese"
    finally:
        context.close()
