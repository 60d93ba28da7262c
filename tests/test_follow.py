"""Follow an item, a list, a city (issue 24, point 1): an Atom feed per item page, per list and
per city, linked from each page with a 订阅更新 button and explained once on the data page.

A status change is planted in a copy of the data (栖霞 2024 item 8: 滞后 in the second
quarter, 已完成 in a third-quarter report we add) and found with feedparser in the built feeds."""

from __future__ import annotations

from pathlib import Path

import feedparser
import lxml.html
import pytest

from benchmarks.harness import build_site
from tests.conftest import copy_data_root

SITE_URL = "https://example.org/ledger/"

SOURCE = """  - id: tongbao-2024-q3
    title: 2024年三季度30项重点民生实事进展情况表
    publisher: 栖霞市人民政府办公室
    date: 2024-10-12
    obtained: 网页存档
    archive: sources/captures/planted-qixia-2024-q3.txt
"""
CAPTURE = "2024年三季度30项重点民生实事进展情况表\n8 古镇南苑(古镇都棚改区域)安置区项目 主体验收已完成,正在进行室外配套施工。 住建局 已完成主体验收\n"
REPORT = """  - id: 2024-q3
    title: 2024年三季度30项重点民生实事进展情况
    kind: quarterly
    as_of: 2024-09-30
    published: 2024-10-12
    source: tongbao-2024-q3
"""
ENTRY = """      - report: 2024-q3
        status_text: 已完成主体验收
        status: done
        text: 主体验收已完成,正在进行室外配套施工。
"""


def plant_status_change(root: Path) -> None:
    """栖霞 2024: a third-quarter report in which item 8 (滞后 in the second quarter) is done."""
    (root / "sources" / "captures" / "planted-qixia-2024-q3.txt").write_text(CAPTURE, encoding="utf-8")
    path = root / "data" / "qixia" / "2024.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nsources:\n", "\nsources:\n" + SOURCE, 1).replace("\nreports:\n", "\nreports:\n" + REPORT, 1)
    head, tail = text.split('\n  - id: "8"\n', 1)
    before, after = tail.split("\n    progress:\n", 1)
    path.write_text(head + '\n  - id: "8"\n' + before + "\n    progress:\n" + ENTRY + after, encoding="utf-8")


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("planted")
    root = copy_data_root(tmp)
    plant_status_change(root)
    out = tmp / "site"
    result = build_site(out, root, {"SITE_URL": SITE_URL})
    assert result.returncode == 0, f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return out


def _feed(site: Path, rel: str):
    parsed = feedparser.parse((site / rel).read_bytes())
    assert not parsed.bozo, f"{rel}: {parsed.get('bozo_exception')}"
    assert parsed.version == "atom10"
    return parsed


def test_the_item_feed_has_the_planted_status_change_with_its_date_and_source(planted_site):
    feed = _feed(planted_site, "feeds/qixia/2024/8.atom")
    newest = feed.entries[0]
    assert "滞后 → 已完成" in newest.title, [e.title for e in feed.entries]
    assert newest.updated.startswith("2024-10-12")
    assert newest.link.endswith("qixia/2024/8/#progress-2024-q3")
    assert "截至 2024-09-30" in newest.summary
    assert "官方表述：“已完成主体验收”" in newest.summary  # the city's words, apart from our classification
    assert "本站归类" in newest.summary
    assert "2024年三季度30项重点民生实事进展情况表" in newest.summary and "栖霞市人民政府办公室" in newest.summary
    assert "主体验收已完成" in newest.summary  # the report's verbatim text
    # then the second quarter's report (its first) and the pledge as published
    assert "首次报告进展" in feed.entries[1].title
    assert feed.entries[-1].title.endswith("清单发布")
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_the_list_and_city_feeds_name_the_status_change(planted_site):
    for rel in ("feeds/qixia/2024.atom", "feeds/qixia.atom", "feeds/all.atom"):
        feed = _feed(planted_site, rel)
        report = next(e for e in feed.entries if "三季度" in e.title)
        assert "本站归类有变化的事项（1 项）" in report.summary, rel
        assert "滞后 → 已完成" in report.summary, rel


def test_a_parent_feed_has_its_sub_items_entries(planted_site):
    feed = _feed(planted_site, "feeds/qingdao/2021/1.atom")
    assert any("1-1" in e.link for e in feed.entries), [e.link for e in feed.entries]


def test_pages_link_their_feed_with_a_button(planted_site):
    for page, feed in (
        ("qixia/2024/8/index.html", "feeds/qixia/2024/8.atom"),
        ("qixia/2024/index.html", "feeds/qixia/2024.atom"),
        ("qixia/index.html", "feeds/qixia.atom"),
    ):
        tree = lxml.html.fromstring((planted_site / page).read_bytes())
        button = tree.xpath("//a[contains(@class, 'ml-follow__button')]")
        assert button and button[0].text_content() == "订阅更新", page
        # no <link rel="alternate"> in the head: Material reads those as other languages of the site
        # and fetches a sitemap.xml next to each
        assert not tree.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
        for href in (button[0].get("href"),):
            assert (planted_site / page).parent.joinpath(href).resolve() == (planted_site / feed).resolve(), (page, href)
        help_link = tree.xpath("//p[contains(@class, 'ml-follow')]//a[text()='什么是订阅']/@href")
        assert help_link and help_link[0].endswith("data/#feeds")


def test_the_data_page_explains_feeds_once(planted_site):
    tree = lxml.html.fromstring((planted_site / "data" / "index.html").read_bytes())
    section = tree.xpath("//h2[@id='feeds']/following-sibling::*[position() < 6]")
    text = " ".join(el.text_content() for el in section)
    assert "订阅阅读器" in text and "不知道谁订阅了什么" in text


def test_every_feed_names_the_sites_icon_and_the_icon_is_served(planted_site):
    """A feed reader shows the site's icon beside the feed (Atom <icon>): the file every page
    links, at its absolute address."""
    for rel in ("feeds/all.atom", "feeds/qixia.atom", "feeds/qixia/2024.atom", "feeds/qixia/2024/8.atom"):
        assert _feed(planted_site, rel).feed.icon == SITE_URL + "assets/images/favicon.png", rel
    assert (planted_site / "assets" / "images" / "favicon.png").is_file()
