"""The built site in a real browser (Debian chromium, headless, served from 127.0.0.1).

What a reader sees: an item page with its pledge, targets, sources and progress timeline;
no horizontal scrolling on a phone; no request to any
other host; no console errors.
"""

from __future__ import annotations

import pytest

from conftest import all_items
from generator.data.dataset import walk_items

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def norm(text: str) -> str:
    return " ".join(str(text).split())


def url_of(city, year, item=None) -> str:
    return f"{city}/{year}/{item.id}/" if item is not None else f"{city}/{year}/"


@pytest.fixture(scope="module")
def item_with_targets(ds):
    """qingdao/2024/6-3 when it exists, else the first item with targets."""
    for city, year, item in all_items(ds):
        if (city, year, item.id) == ("qingdao", 2024, "6-3"):
            return city, year, item
    return next((c, y, i) for c, y, i in all_items(ds) if i.targets)


@pytest.fixture(scope="module")
def item_with_progress(ds):
    """The first item with a verbatim progress text in qixia 2024 or qingdao 2021 (else anywhere)."""
    preferred = [("qixia", 2024), ("qingdao", 2021)]
    candidates = [(c, y, i) for c, y, i in all_items(ds) if any(p.text for p in i.progress)]
    candidates.sort(key=lambda t: preferred.index((t[0], t[1])) if (t[0], t[1]) in preferred else len(preferred))
    assert candidates, "no item with progress text in the data"
    return candidates[0]


@pytest.fixture(scope="module")
def biggest_list(ds):
    return max(ds.lists, key=lambda k: (sum(1 for _ in walk_items(ds.lists[k].data.items)), k))


@pytest.fixture(scope="module")
def topic_with_items(ds):
    counts = {}
    for _, _, item in all_items(ds):
        for t in item.topics:
            counts[t] = counts.get(t, 0) + 1
    return max(counts, key=counts.get)


# --- item pages ------------------------------------------------------------------------


def test_item_page_shows_pledge_targets_and_sources(page, site_server, item_with_targets):
    city, year, item = item_with_targets
    page.goto(site_server + url_of(city, year, item))
    h1 = page.locator(".md-content h1")
    assert h1.count() == 1
    assert norm(h1.inner_text()) == norm(item.title or item.text)
    assert h1.is_visible()
    if item.title:
        pledge = page.locator("h1 + .ml-pledge blockquote")
        assert pledge.is_visible() and norm(pledge.inner_text()) == norm(item.text), "the verbatim pledge right under the title"
    if item.targets:
        table = page.locator("table.ml-targets")
        assert table.is_visible()
        assert table.locator("tbody tr").count() == len(item.targets)
        table_text = norm(table.inner_text())
        for target in item.targets:
            assert norm(target.metric) in table_text
            assert norm(target.text) in table_text, "the original wording is shown beside the target"
    sources = page.locator("h2#sources")
    assert sources.is_visible() and "来源" in sources.inner_text()
    assert page.locator("ul.ml-sources > li").count() >= 1
    assert page.locator("ul.ml-sources").is_visible()


def test_item_page_timeline_entry_has_permanent_anchor_and_verbatim_text(page, site_server, item_with_progress):
    city, year, item = item_with_progress
    entry = next(p for p in item.progress if p.text)
    anchor = f"progress-{entry.report}"
    page.goto(site_server + url_of(city, year, item) + "#" + anchor)
    li = page.locator(f"li.ml-timeline__entry#{anchor}")
    assert li.count() == 1
    assert li.is_visible()
    assert norm(entry.text) in norm(li.inner_text())
    # The permalink scrolls the entry into view (below the sticky header).
    box = li.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    assert li.locator("a.ml-anchor").get_attribute("href") == f"#{anchor}"


# --- phone width -----------------------------------------------------------------------


def test_table_headings_do_not_break_a_character_a_line_on_a_phone(browser, site_server, item_with_targets):
    """The targets table's 最新报告值 and 完成比例 stay on one line at 390 px (they broke 最新/报告/值)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.goto(site_server + url_of(*item_with_targets))
        heads = pg.evaluate("""() => [...document.querySelectorAll('table.ml-targets thead th')].map(th => {
            const range = document.createRange(); range.selectNodeContents(th);
            return [th.textContent, range.getClientRects().length];
        })""")
    finally:
        context.close()
    assert [h for h, _ in heads] == ["指标", "目标", "最新报告值", "完成比例"]
    assert all(n == 1 for _, n in heads), f"headings on more than one line: {heads}"



def test_no_horizontal_scroll_at_phone_width(browser, site_server, tmp_path, biggest_list, item_with_targets):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN")
    try:
        pg = context.new_page()
        city, year, item = item_with_targets
        wide = []
        for name, url in [
            ("home", ""),
            ("city-year", url_of(*biggest_list)),
            ("item", url_of(city, year, item)),
        ]:
            pg.goto(site_server + url)
            pg.wait_for_load_state("load")
            width = pg.evaluate("document.documentElement.scrollWidth")
            pg.screenshot(path=str(tmp_path / f"phone-{name}.png"), full_page=True)
            if width > PHONE["width"]:
                wide.append(f"{name} ({url or '/'}): scrollWidth {width}")
        # Search from the header button at this width, and its results page.
        pg.goto(site_server)
        pg.locator(".ml-hsearch__button").click()
        pg.wait_for_url("**/search/**")
        pg.locator("#ml-search-input").fill("托位")
        pg.wait_for_function("() => document.querySelector('#ml-search-results').dataset.query === '托位' && document.querySelector('#ml-search-results').dataset.state === 'done'")
        pg.screenshot(path=str(tmp_path / "phone-search.png"))
        assert pg.locator("li.ml-result").count() > 0
        width = pg.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"search results: scrollWidth {width}")
        assert not wide, f"horizontal scrolling at {PHONE['width']} px (screenshots in {tmp_path}):\n" + "\n".join(wide)
    finally:
        context.close()


# --- no third parties, no errors -------------------------------------------------------


@pytest.fixture(scope="module")
def tour(browser, site_server, biggest_list, item_with_progress, topic_with_items):
    """Visit the main kinds of page and run a search, recording requests and errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    requests, errors = [], []
    context.on("request", lambda r: requests.append(r.url))
    context.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    pg = context.new_page()
    pg.on("console", lambda m: errors.append(f"console {m.type}: {m.text} ({pg.url})") if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(f"pageerror: {e} ({pg.url})"))
    city, year, item = item_with_progress
    try:
        for url in ["", url_of(*biggest_list), url_of(city, year, item), f"topics/{topic_with_items}/", "topics/"]:
            pg.goto(site_server + url)
            pg.wait_for_load_state("networkidle")
        pg.goto(site_server + "search/?q=" + "民生")
        pg.wait_for_function("() => document.querySelector('#ml-search-results').dataset.state === 'done'")
        pg.wait_for_load_state("networkidle")
    finally:
        context.close()
    return requests, errors


def test_no_request_leaves_the_local_server(tour, site_server):
    requests, _ = tour
    assert any("search/data/meta.json" in u for u in requests), "the search index was never loaded"
    outside = sorted({u for u in requests if not u.startswith(site_server) and not u.startswith(("data:", "blob:"))})
    assert not outside, outside


def test_no_console_errors(tour):
    _, errors = tour
    assert not errors, "\n".join(errors)
