"""The cities index (the 城市 tab), city pages comparing years, the home page's counts, and the
colour schemes.

- Provinces and cities come in one order everywhere (pinyin: the nav, the index, the home page);
  a 直辖市 is listed as such, never as "重庆市 · 重庆市" or "所属省份 重庆市".
- A list's size is said in its own unit ("15件"), with what its status counts count.
- City pages compare consecutive years: sizes, counts by status, the pledges the data links
  (`related`) and the topics both years share (said to be our grouping).
- In the browser: the index at 1280 and 390 px without horizontal scrolling; the dark scheme
  follows the system setting and the header toggle switches it.
"""

from __future__ import annotations

import dataclasses
import re

import lxml.html
import pytest

from generator import derive
from generator.core import model, urls
from generator.data.dataset import walk_items
from generator.site import pages, wording
from generator.site.pages import cities, sources

PHONE = {"width": 390, "height": 844}


def norm(text) -> str:
    return " ".join(str(text).split())


@pytest.fixture(scope="module")
def with_municipality(ds):
    """The real data with 淄博 turned into a 直辖市 named 重庆市 (its province is itself)."""
    zibo = ds.cities["zibo"]
    chongqing = zibo.model_copy(update={"name": "重庆市", "short_name": "重庆", "province": "重庆市", "level": model.CityLevel.municipality})
    return dataclasses.replace(ds, cities=dict(ds.cities, zibo=chongqing))


# --- order ------------------------------------------------------------------------------------


def test_provinces_sort_by_pinyin():
    names = ["山东省", "湖北省", "重庆市", "北京市", "陕西省", "山西省", "上海市", "安徽省", "测试省"]
    assert sorted(names, key=cities.province_key) == ["安徽省", "北京市", "重庆市", "湖北省", "山东省", "上海市", "山西省", "陕西省", "测试省"]


def test_nav_index_and_home_share_one_order(ds, built_site):
    order = cities.cities_in_order(ds)
    provinces = [cities.province_of(ds.cities[s])[0] for s in order]
    assert provinces == sorted(provinces, key=cities.province_key)
    for province in set(provinces):
        slugs = [s for s in order if cities.province_of(ds.cities[s])[0] == province]
        assert slugs == sorted(slugs), "cities within a province by pinyin (their slugs)"
    names = [ds.cities[s].name for s in order]
    home = lxml.html.fromstring((built_site / "index.html").read_bytes())
    assert [norm(a.text_content()) for a in home.xpath("//h3[contains(@class, 'ml-card__title')]/a")] == names
    index = lxml.html.fromstring((built_site / "cities" / "index.html").read_bytes())
    content = index.xpath("//article")[0]
    assert [norm(h.text_content()) for h in content.xpath(".//h2")] == list(dict.fromkeys(provinces))
    assert [norm(a.text_content()) for a in content.xpath(".//h3/a")] == names
    # the nav: the index first, then the provinces in the same order
    nav = cities.nav_entries(ds)
    assert nav[0] == {"全部城市": urls.cities_src()}
    assert [next(iter(e)) for e in nav[1:]] == list(dict.fromkeys(provinces))


def test_the_cities_tab_opens_the_index(built_site):
    home = lxml.html.fromstring((built_site / "index.html").read_bytes())
    tab = home.xpath("//nav[contains(@class, 'md-tabs')]//a[normalize-space()='城市']")
    assert tab and tab[0].get("href").rstrip("/").endswith("cities"), [t.get("href") for t in tab]


def test_a_municipality_is_shown_as_such(with_municipality):
    site = pages.Site(with_municipality)
    nav = cities.nav_entries(with_municipality)
    assert {"重庆市": urls.city_src("zibo")} in nav, "a 直辖市 is a link of its own in the nav, not a province of one city"
    index = cities.cities_index(site).content
    assert "## 重庆市" in index and "直辖市" in index
    assert "重庆市 · 重庆市" not in index
    city = cities.city_page(site, "zibo").content
    assert "所属省份" not in city and "<dd>直辖市</dd>" in city
    home = cities.home(site).content
    assert "重庆市 · " not in home and "直辖市 · 共" in home


# --- counts in the list's own unit ------------------------------------------------------------


def test_counts_are_in_the_lists_own_unit(ds):
    qingdao = ds.lists[("qingdao", 2024)].data
    assert wording.list_unit(qingdao) == "件"
    leaves = len(derive.leaves(qingdao.items))
    assert wording.count_phrase(qingdao) == f"{len(qingdao.items)}件（细分为{leaves}项）"
    assert wording.count_basis(qingdao) == f"状态按细分的{leaves}项统计"
    qixia = ds.lists[("qixia", 2024)].data
    assert wording.list_unit(qixia) == "项" and wording.count_phrase(qixia) == f"{len(qixia.items)}项"


def test_home_says_what_it_counts_and_charts_have_their_own_names(built_site, ds):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    qingdao = ds.lists[("qingdao", 2024)].data
    assert f"{len(qingdao.items)}件" in html
    tree = lxml.html.fromstring(html)
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids)), "repeated ids on the home page"
    names = [c.get("aria-label") for c in tree.xpath("//*[contains(@class, 'ml-stack')][@role='img']")]
    assert len(names) == len(ds.cities) and len(set(names)) == len(names), names
    assert tree.xpath("string(//title)") == "民生实事台账"


# --- city pages compare years -----------------------------------------------------------------


def test_city_page_compares_consecutive_years(ds):
    site = pages.Site(ds)
    older, newer = (cities.year_card(site, ds.lists[("qingdao", y)].data) for y in (2021, 2024))
    pair = cities.year_pair(site, older, newer)
    linked = {(c.older.id, c.newer.id) for c in pair.continued}
    expected = set()
    for item, _, _ in walk_items(older.pl.items):
        for ref in item.related:
            city, year, item_id = ref.split("/")
            if (city, int(year)) == ("qingdao", 2024):
                expected.add((item.id, item_id))
    assert expected and linked == expected
    assert pair.shared and all(t.older and t.newer for t in pair.shared)
    md = cities.city_page(site, "qingdao").content
    assert "## 年度对比" in md and "前后延续的承诺" in md and "本站归类" in md
    for old_id, new_id in expected:
        assert urls.relative(urls.city("qingdao"), urls.item("qingdao", 2024, new_id)) in md
        assert urls.relative(urls.city("qingdao"), urls.item("qingdao", 2021, old_id)) in md


def test_a_city_with_one_list_has_no_comparison(ds):
    md = cities.city_page(pages.Site(ds), "qixia").content
    assert "年度对比" not in md


def test_404_page_is_chinese(built_site):
    tree = lxml.html.fromstring((built_site / "404.html").read_bytes())
    assert norm(tree.xpath("string(//article//h1)")) == "页面不存在"
    assert "Not found" not in tree.text_content()


# --- in the browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_cities_index_in_the_browser(browser, site_server, ds, viewport, tmp_path):
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    try:
        pg = context.new_page()
        for url in (urls.cities(), urls.city("qingdao"), urls.home()):
            pg.goto(site_server + url)
            pg.wait_for_load_state("load")
            pg.screenshot(path=str(tmp_path / f"{url.strip('/') or 'home'}.png"), full_page=True)
            width = pg.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{url or '/'}: horizontal scrolling at {viewport['width']} px ({width})"
        pg.goto(site_server + urls.cities())
        cards = pg.locator("article .ml-citycard")
        assert cards.count() == len(ds.cities)
        for slug in ds.cities:
            card = pg.locator("article .ml-citycard", has=pg.locator(f"a[href$='{slug}/']"))
            assert card.first.is_visible(), slug
            assert "最新进展报告" in card.first.inner_text()
            assert card.first.locator(".ml-stack").count() == len([k for k in ds.lists if k[0] == slug])
        pg.locator("article .ml-citycard a", has_text=ds.cities["qingdao"].name).first.click()
        pg.wait_for_url(re.compile(r"/qingdao/$"))
    finally:
        context.close()


@pytest.mark.browser
def test_dark_scheme_follows_the_system_and_the_toggle_switches_it(browser, site_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", color_scheme="dark")
    try:
        pg = context.new_page()
        pg.goto(site_server + urls.cities())
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        assert pg.evaluate(scheme) == "slate"
        dark_bg = pg.evaluate("getComputedStyle(document.body).backgroundColor")
        done = pg.evaluate("getComputedStyle(document.body).getPropertyValue('--ml-done').trim()")
        toggle = pg.locator("form[data-md-component='palette'] label:visible").first
        assert toggle.get_attribute("title") == "切换到浅色模式"
        toggle.click()
        pg.wait_for_function(f"{scheme} === 'default'")
        assert pg.evaluate("getComputedStyle(document.body).backgroundColor") != dark_bg
        assert pg.evaluate("getComputedStyle(document.body).getPropertyValue('--ml-done').trim()") != done, "status colours differ by scheme"
        pg.reload()  # the choice is kept
        assert pg.evaluate(scheme) == "default"
    finally:
        context.close()


# --- issue 15 polish: the home page and the data page count as list pages do ---------------------


def test_home_total_counts_each_pledge_once(ds):
    site = pages.Site(ds)
    home = cities.home(site).content
    leaves = sum(len(derive.leaves(lf.data.items)) for lf in ds.lists.values())
    rows = sum(1 for lf in ds.lists.values() for _ in walk_items(lf.data.items))
    assert leaves != rows, "the data has split items: the test can tell the two counts apart"
    assert f"<strong>{leaves}</strong> 项承诺" in home and "每项只计一次" in home
    assert f"<strong>{rows}</strong>" not in home and "含细分事项" not in home


def test_home_cards_date_their_status_counts(ds):
    site = pages.Site(ds)
    home = cities.home(site).content
    cards = home.split('<section class="ml-card">')[1:]
    dated = 0
    for card in cards:
        slug = re.search(r'href="([a-z]+)/"', card).group(1)
        pl = site.years_of(slug)[0].data
        latest = wording.latest_report_date(pl)
        if latest:
            dated += 1
            assert f"状态截至{derive.cn_date(latest)}" in card, slug
        else:
            assert "状态截至" not in card, slug
    assert dated, "some newest list has a report"


def test_data_page_says_its_rows_are_rows(ds):
    site = pages.Site(ds)
    md = sources.data_page(site).content
    assert "<th scope=\"col\">表格行数</th>" in md and "件和细分项各占一行" in md
    for lf in ds.lists.values():
        rows = sum(1 for _ in walk_items(lf.data.items))
        assert f"<td>{wording.count_phrase(lf.data)}</td><td>{rows} 行</td>" in md
