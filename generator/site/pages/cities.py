"""The city pages, the cities index and the home page, and the one order of cities they and
the navigation share: by province in pinyin order, then by slug.

A city page shows each of its lists as a year card and compares consecutive years
(year_pair); the home page shows each city with its newest list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import escape

from generator import derive
from generator.core import model, urls
from generator.core.model import walk_items
from generator.data.dataset import Dataset
from generator.site import wording
from generator.site.pages.lists import related_key
from generator.site.pages.rows import CityCard, CityEntry, Continued, ProvinceGroup, RecentReport, SharedTopic, YearCard, YearPair

if TYPE_CHECKING:
    from generator.site.pages import Page, Site


def home(site: Site) -> Page:
    cities = []
    for slug in cities_in_order(site.ds):
        years = site.years_of(slug)
        if years:
            card = year_card(site, years[0].data)
            city = site.ds.cities[slug]
            cities.append(CityCard(city, card.pl, card.counts, card.total, len(years), card.stale, card.size, card.basis, region_of(city), card.latest_report))
    n_items = sum(wording.counting(lf.data).leaves for lf in site.ds.lists.values())  # each pledge once, as status counts count
    return site.render(
        "home.md.j2",
        urls.home_src(),
        cities=cities,
        reports=latest_reports(site),
        n_items=n_items,
        n_lists=len(site.ds.lists),
    )


def city_page(site: Site, slug: str) -> Page:
    cards = [year_card(site, lf.data) for lf in site.years_of(slug)]
    pairs = [year_pair(site, older, newer) for newer, older in zip(cards, cards[1:], strict=False)]  # newest first: each with the one before it
    return site.render("city.md.j2", urls.city_src(slug), city=site.ds.cities[slug], years=cards, pairs=pairs)


def year_card(site: Site, pl: model.PledgeList) -> YearCard:
    """A list's card, for the home page, the cities index and its city's page. A preview keeps
    its counts by the list's stamp: the cities index shows every list, and counting them all
    again was a tenth of an edit at 10,000 items."""
    key = (pl.city, pl.year)
    counts, stale = site.reuse(("card", key), [key], lambda: (derive.status_counts(pl), derive.stale_count(pl, site.build_date)))
    return YearCard(pl, counts, sum(counts.values()), stale, wording.count_phrase(pl), wording.latest_report_date(pl), wording.count_basis(pl))


def year_pair(site: Site, older: YearCard, newer: YearCard) -> YearPair:
    """Two consecutive lists of a city: the pledges the data links across them (`related`,
    either direction), and the topics both have items in (our grouping, said as such)."""
    old_items = {i.id: i for i, _, _ in walk_items(older.pl.items)}
    new_items = {i.id: i for i, _, _ in walk_items(newer.pl.items)}
    links: dict = {}
    for item in old_items.values():
        for city, year, item_id in map(related_key, item.related):
            if (city, year) == (newer.pl.city, newer.pl.year) and item_id in new_items:
                links[(item.id, item_id)] = Continued(item, new_items[item_id])
    for item in new_items.values():
        for city, year, item_id in map(related_key, item.related):
            if (city, year) == (older.pl.city, older.pl.year) and item_id in old_items:
                links[(item_id, item.id)] = Continued(old_items[item_id], item)
    shared = []
    for topic in site.ds.topics.values():
        old = [i for i, _ in derive.leaves(older.pl.items) if topic.id in i.topics]
        new = [i for i, _ in derive.leaves(newer.pl.items) if topic.id in i.topics]
        if old and new:
            shared.append(SharedTopic(topic, old, new))
    return YearPair(older, newer, list(links.values()), shared)


def cities_index(site: Site) -> Page:
    """Every city by province, both in pinyin order (one rule with the nav and the home page)."""
    groups: dict = {}
    for slug in cities_in_order(site.ds):
        city = site.ds.cities[slug]
        cards = [year_card(site, lf.data) for lf in site.years_of(slug)]
        latest = max((c.latest_report for c in cards if c.latest_report), default=None)
        name, municipal = province_of(city)
        groups.setdefault((name, municipal), []).append(CityEntry(city, cards, latest))
    provinces = [ProvinceGroup(name, municipal, entries) for (name, municipal), entries in groups.items()]
    return site.render("cities.md.j2", urls.cities_src(), provinces=provinces, n_cities=len(site.ds.cities))


def latest_reports(site: Site, limit: int = 10) -> list[RecentReport]:
    found = []
    for (slug, year), lf in site.ds.lists.items():
        for r in lf.data.reports:
            found.append((r.published, r.as_of, slug, year, r))
    found.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
    return [RecentReport(slug, site.city_name(slug), year, r) for _, _, slug, year, r in found[:limit]]


# Provinces in pinyin order, the order of city slugs (cities are sorted by their pinyin slug
# within a province): readers find a name where they look for it in a Chinese index. A province
# not listed here comes after them, by its name.
PROVINCE_PINYIN = {
    "安徽": "anhui", "澳门": "aomen", "北京": "beijing", "重庆": "chongqing", "福建": "fujian",
    "甘肃": "gansu", "广东": "guangdong", "广西": "guangxi", "贵州": "guizhou", "海南": "hainan",
    "河北": "hebei", "河南": "henan", "黑龙江": "heilongjiang", "湖北": "hubei", "湖南": "hunan",
    "吉林": "jilin", "江苏": "jiangsu", "江西": "jiangxi", "辽宁": "liaoning", "内蒙古": "neimenggu",
    "宁夏": "ningxia", "青海": "qinghai", "山东": "shandong", "山西": "shanxi", "陕西": "shanxi",
    "上海": "shanghai", "四川": "sichuan", "台湾": "taiwan", "天津": "tianjin", "西藏": "xizang",
    "香港": "xianggang", "新疆": "xinjiang", "云南": "yunnan", "浙江": "zhejiang",
}


def province_key(province: str) -> tuple:
    """Sort key of a province name (山东省, 重庆市): its pinyin; 山西 before 陕西 by the name."""
    short = next((k for k in sorted(PROVINCE_PINYIN, key=len, reverse=True) if province.startswith(k)), None)
    return (0, PROVINCE_PINYIN[short], province) if short else (1, "", province)


def province_of(city: model.City) -> tuple:
    """(the heading a city is listed under, whether it is a 直辖市): a 直辖市 is its own province,
    listed under its own name rather than as "重庆市 · 重庆市"."""
    municipal = city.level == model.CityLevel.municipality
    return (city.name if municipal else city.province), municipal


def region_of(city: model.City) -> str:
    """Where a city is, in a few words: 山东省 · 烟台市代管; a 直辖市 says so instead of naming
    itself as its province."""
    if city.level == model.CityLevel.municipality:
        return derive.CITY_LEVEL_LABELS["municipality"]
    return city.province + (f" · {city.parent}代管" if city.parent else "")


def cities_in_order(ds: Dataset) -> list[str]:
    """City slugs by province and then by slug (pinyin): the one order of the nav, the cities
    index and the home page."""
    return sorted(ds.cities, key=lambda slug: (province_key(province_of(ds.cities[slug])[0]), slug))


def nav_entries(ds: Dataset) -> list:
    """The navigation: the cities index, then cities grouped by province (a 直辖市 as a link of
    its own). Item pages stay out of it: Material renders
    the nav into every page, so with them build time and site size would grow with the square
    of the number of items. With Material's navigation.prune, a page carries the province
    list and the cities of its own province only, so pages do not grow with the number of
    cities either."""
    out: list = [{"全部城市": urls.cities_src()}]
    groups: dict = {}
    for slug in cities_in_order(ds):
        city = ds.cities[slug]
        name, municipal = province_of(city)
        entry = {str(escape(city.short_name if not municipal else city.name)): urls.city_src(slug)}  # Material prints nav titles unescaped
        if municipal:
            out.append(entry)
        else:
            if name not in groups:
                groups[name] = []
                out.append({str(escape(name)): groups[name]})
            groups[name].append(entry)
    return out
