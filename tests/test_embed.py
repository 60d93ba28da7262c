"""An embeddable card (issue 24, point 6): `/<city>/<year>/<id>/embed/` is a small page of its
own — short title, status badge with its as-of date, every target beside its latest figure, permanent
link — without Material's chrome, that another site puts in an iframe. Tested in Chromium inside
an iframe of a page on another origin, 320 and 600 px wide, at the snippet's height, the reader's
system light and dark: it fits without a scroll bar or an empty band, it is light unless the
address asks for #dark, and no request leaves our site (the favicon included)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html
import pytest

from benchmarks.harness import serve_folder
from conftest import all_items
from generator.site import wording
from generator.site.pages import embed


@pytest.fixture(scope="module")
def card_item(ds):
    """An item with a target and a reported figure on it, and the status said by the city."""
    for city, year, item in all_items(ds):
        if item.targets and item.progress and any(m.value is not None for p in item.progress for m in p.measures) and any(p.status_text for p in item.progress):
            return city, year, item
    raise AssertionError("no item with a target, a figure and the city's status words")


def test_the_card_is_a_page_of_its_own_with_title_status_figure_and_permalink(built_site, card_item):
    city, year, item = card_item
    html = (built_site / city / str(year) / item.id / "embed" / "index.html").read_bytes()
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//*[contains(@class, 'md-header') or contains(@class, 'md-sidebar') or contains(@class, 'md-footer')]")
    assert not tree.xpath("//script")
    sheets = tree.xpath("//link[@rel='stylesheet']/@href")
    assert len(sheets) == 1 and sheets[0].endswith("assets/embed.css")
    assert (built_site / city / str(year) / item.id / "embed" / sheets[0]).resolve().is_file()
    assert tree.xpath("//h1/a/@href")[0].endswith(f"/{city}/{year}/{item.id}/")
    text = tree.text_content()
    assert "截至" in text and "官方表述" in text and "目标：" in text and "最新报告：" in text
    assert tree.xpath("//*[contains(@class, 'ml-embed__badge')]")
    assert tree.xpath("//link[@rel='canonical']/@href")[0].endswith(f"/{city}/{year}/{item.id}/")
    [icon] = tree.xpath("//link[@rel='icon']/@href")  # else a browser asks the host for /favicon.ico
    assert (built_site / city / str(year) / item.id / "embed" / icon).resolve().is_file()


def test_the_card_names_every_target_with_its_latest_figure(built_site, ds):
    """Not only the first: an item that promises five things shows five (青岛 2021 1-1), each with
    the latest figure reported on it; the item's percent is a line of its own."""
    seen = 0
    for city, year, item in all_items(ds):
        if not item.targets or item.subitems:  # an item with sub-items shows their counts instead
            continue
        tree = lxml.html.fromstring((built_site / city / str(year) / item.id / "embed" / "index.html").read_bytes())
        [shown] = [p.text_content() for p in tree.xpath("//p[@class='ml-embed__figure']") if p.text_content().startswith("目标：")]
        for t in item.targets:
            assert wording.plain_target(t) in shown, (city, year, item.id, t.text)
        seen += len(item.targets) > 1
    assert seen, "the data has items with several targets"
    tree = lxml.html.fromstring((built_site / "qingdao" / "2021" / "1-1" / "embed" / "index.html").read_bytes())
    figures = [p.text_content() for p in tree.xpath("//p[@class='ml-embed__figure']")]
    assert figures[0].count("（最新报告：") == 5 and figures[0].startswith("目标：城镇新增就业35万人（最新报告：")
    assert figures[1].startswith("完成 ")


def test_files_without_a_head_have_the_favicon_at_the_site_root(built_site):
    """A feed opened in a browser (or a redirect stub) links no icon: the browser asks for /favicon.ico."""
    assert (built_site / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file


def snippet(built_site, city, year, item) -> lxml.html.HtmlElement:
    """The iframe of the snippet the item page offers, parsed."""
    tree = lxml.html.fromstring((built_site / city / str(year) / item.id / "index.html").read_bytes())
    return lxml.html.fragment_fromstring(tree.xpath("//code[@id='ml-embed-code']")[0].text_content())


def test_the_item_page_offers_the_snippet_to_copy(built_site, card_item, ds):
    city, year, item = card_item
    tree = lxml.html.fromstring((built_site / city / str(year) / item.id / "index.html").read_bytes())
    code = tree.xpath("//code[@id='ml-embed-code']")[0].text_content()
    assert code.startswith("<iframe src=") and f"/{city}/{year}/{item.id}/embed/" in code and code.endswith("</iframe>")
    assert tree.xpath("//button[@data-copy-target='ml-embed-code']")
    frame = snippet(built_site, city, year, item)
    name = ds.cities[city].short_name
    assert f"· {name} {year} ·" in frame.get("title") and city not in frame.get("title")  # 青岛, not qingdao
    card = (built_site / city / str(year) / item.id / "embed" / "index.html").read_text(encoding="utf-8")
    assert frame.get("height") == str(embed.card_height(card))
    help_text = tree.xpath("//*[contains(@class, 'ml-embed-box')]")[0].text_content()
    assert "#dark" in help_text and "浅色" in help_text


def test_the_height_counts_wrapped_lines():
    assert embed.lines("一" * 10, 15) == 1 and embed.lines("一" * 30, 15) == 2
    assert embed.lines("一" * 20, 14) == 1 and embed.lines("一" * 19 + "2500", 14) == 2  # at 14 px, 286 px hold 20 characters, not 19 and a number
    short = '<p class="ml-embed__title">短</p>'
    assert embed.card_height(short.replace("短", "长" * 40)) > embed.card_height(short)


@pytest.fixture(scope="module")
def sized_cards(built_site, card_item):
    """The card of card_item, and the cards whose snippet is the shortest and the tallest."""
    heights = {}
    for path in built_site.glob("*/*/*/embed/index.html"):
        heights[path.parent.parent.relative_to(built_site).as_posix()] = embed.card_height(path.read_text(encoding="utf-8"))
    city, year, item = card_item
    return sorted({f"{city}/{year}/{item.id}", min(heights, key=heights.get), max(heights, key=heights.get)})


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 600])
def test_the_snippet_height_fits_the_card(browser, site_server, built_site, sized_cards, width):
    """At the snippet's height the card shows whole (no scroll bar) and fills the frame (no empty
    band under it): at 320 px it is about as tall as its content, wider it stretches."""
    problems = []
    context = browser.new_context(locale="zh-CN")
    try:
        pg = context.new_page()
        for ref in sized_cards:
            html = (built_site / ref / "index.html").read_text(encoding="utf-8")
            height = int(re.search(r'&lt;iframe[^&]*?height="(\d+)"', html).group(1))
            pg.set_viewport_size({"width": width, "height": height})
            pg.goto(f"{site_server}{ref}/embed/")
            m = pg.evaluate("""() => {
                const d = document.documentElement, r = document.querySelector('.ml-embed').getBoundingClientRect();
                const last = document.querySelector('.ml-embed > :last-child').getBoundingClientRect();
                return {scroll: d.scrollHeight, client: d.clientHeight, bottom: r.bottom, last: last.bottom};
            }""")
            if m["scroll"] > m["client"]:
                problems.append(f"{ref}: the card is {m['scroll'] - m['client']} px taller than the snippet's {height} px")
            if height - m["bottom"] > 6:
                problems.append(f"{ref}: {height - m['bottom']:.0f} px empty under the card")
            if width == 320 and m["bottom"] - m["last"] > 40:
                problems.append(f"{ref}: {m['bottom'] - m['last']:.0f} px empty inside the card at 320 px")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("asked", ["", "#dark"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 600])
def test_the_card_renders_in_an_iframe_of_another_site(browser, site_server, card_item, tmp_path, width, scheme, asked):
    """The reader's system scheme (`scheme`) does not decide: a light news page gets a light card;
    the host asks for a dark one with #dark."""
    city, year, item = card_item
    src = f"{site_server}{city}/{year}/{item.id}/embed/{asked}"
    (tmp_path / "index.html").write_text(
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>新闻</title></head><body style="margin:0">'
        f'<iframe src="{src}" title="卡片" width="{width}" height="260" style="border:0;display:block"></iframe></body></html>',
        encoding="utf-8",
    )
    with serve_folder(tmp_path) as host:
        context = browser.new_context(viewport={"width": width + 40, "height": 700}, locale="zh-CN", color_scheme=scheme)
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        try:
            pg = context.new_page()
            errors: list[str] = []
            pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            pg.goto(host)
            frame = pg.frame_locator("iframe")
            title = frame.locator("h1")
            title.wait_for()
            assert title.inner_text().strip() == (item.title or title.inner_text().strip())
            inner = next(f for f in pg.frames if f.url == src)
            inner.wait_for_load_state("load")
            metrics = inner.evaluate("""() => {
                const d = document.documentElement, card = document.querySelector('.ml-embed');
                const bg = getComputedStyle(document.body).backgroundColor;
                const r = card.getBoundingClientRect();
                return {scroll: d.scrollWidth, client: d.clientWidth, bg, right: r.right, height: r.height,
                        sheets: document.styleSheets.length};
            }""")
            assert metrics["sheets"] == 1, "the card's own stylesheet did not load"
            assert metrics["scroll"] <= metrics["client"], f"{width}px: the card scrolls sideways"
            assert metrics["right"] <= width, f"{width}px: the card is wider than the iframe"
            dark = asked == "#dark"
            channels = [int(x) for x in metrics["bg"][metrics["bg"].index("(") + 1 : -1].split(",")[:3]]
            assert (sum(channels) < 200) == dark, f"{scheme} system, {asked or 'no #dark'}: background {metrics['bg']}"
            assert not errors, errors
        finally:
            context.close()
    ours = {urlsplit(site_server).netloc, urlsplit(host).netloc}
    assert requests and all(urlsplit(u).netloc in ours for u in requests), [u for u in requests if urlsplit(u).netloc not in ours]
    assert any("/embed/" in u for u in requests)
