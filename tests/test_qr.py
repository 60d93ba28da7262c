"""QR codes of item pages (generator/site/qr.py, templates/_qr.md.j2) and the data page's buttons.

A QR code is checked by decoding it with an independent reader (zxing-cpp): the SVG path is
drawn back into pixels, so the encoder, the fixed mask and our SVG writer are all tried.
In the browser: the code shows, small, on a phone and in print; every download button of the
data page fetches a file of the size it states.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import zxingcpp

from conftest import all_items
from generator.core import urls
from generator.site import pages, qr
from generator.site.pages import markup

RUN = re.compile(r"M(\d+) (\d+)\.5h(\d+)")
SVG = re.compile(r'<svg class="ml-qr__code" viewBox="0 0 (\d+) \1"[^>]*aria-label="([^"]+)"[^>]*>.*?<path stroke="#000" d="([^"]+)"/></svg>')


def decode(svg: str, scale: int = 4) -> list[str]:
    """Read a QR code drawn by qr.svg: its path of runs becomes a grey image for zxing."""
    found = SVG.search(svg)
    assert found, svg[:200]
    size = int(found.group(1))
    width = size * scale
    pixels = bytearray([255]) * (width * width)
    for x, y, n in (map(int, m) for m in RUN.findall(found.group(3))):
        for dy in range(scale):
            start = (y * scale + dy) * width + x * scale
            pixels[start : start + n * scale] = bytes(n * scale)
    image = memoryview(bytes(pixels)).cast("B", shape=[width, width])
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize(
    "url",
    [
        "https://minsheng-ledger.github.io/qingdao/2024/6-3/",
        "https://example.org/a/much/longer/sub/path/for/a/fork/zibo/2022/49-12/",
        "http://127.0.0.1:8000/qixia/2024/20/",
    ],
)
def test_a_qr_code_reads_back_as_its_url(url):
    assert decode(str(qr.svg(url))) == [url]


def test_the_reader_is_not_fooled_by_a_damaged_code():
    """The check can fail: a code with its finder pattern wiped reads as nothing."""
    svg = str(qr.svg("https://example.org/qingdao/2024/6-3/"))
    damaged = re.sub(r'd="((?:M\d+ \d+\.5h\d+){12})', 'd="', svg)
    assert decode(damaged) != ["https://example.org/qingdao/2024/6-3/"]


def test_the_qr_code_has_an_accessible_name_and_a_quiet_zone():
    svg = str(qr.svg("https://example.org/x/", label="本页永久链接的二维码"))
    assert 'role="img"' in svg and 'aria-label="本页永久链接的二维码"' in svg
    n = len(qr.modules("https://example.org/x/"))
    assert f'viewBox="0 0 {n + 2 * qr.QUIET_ZONE} {n + 2 * qr.QUIET_ZONE}"' in svg
    xs = [int(x) for x, _, _ in RUN.findall(svg)]
    assert min(xs) == qr.QUIET_ZONE


def test_every_item_page_has_the_qr_code_of_its_permanent_url(ds):
    site = pages.Site(ds, site_url="https://example.org/ledger/")
    by_src = {p.src: p.content for p in site.pages()}
    for city, year, item in all_items(ds):
        md = by_src[urls.item_src(city, year, item.id)]
        assert md.count('class="ml-qr"') == 1
        assert "扫码在手机上打开本页" in md
        assert decode(md) == [urls.absolute("https://example.org/ledger/", urls.item(city, year, item.id))]


# --- in the browser -------------------------------------------------------------------------


@pytest.mark.browser
def test_the_qr_code_shows_small_on_a_phone_and_stays_in_print(browser, site_server, ds):
    city, year, item = next(all_items(ds))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(site_server + urls.item(city, year, item.id))
        code = page.locator("figure.ml-qr svg")
        code.scroll_into_view_if_needed()
        assert code.is_visible()
        box = code.bounding_box()
        assert box and 60 <= box["width"] <= 140 and box["width"] == pytest.approx(box["height"])
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.locator("figure.ml-qr figcaption").inner_text().startswith("扫码在手机上打开本页")
        assert code.get_attribute("aria-label")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.emulate_media(media="print")
        assert code.is_visible()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_every_download_button_on_the_data_page_fetches_its_file(browser, site_server, built_site, ds, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(site_server + urls.data_page())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        links = page.locator("a[download]")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        texts = [links.nth(i).inner_text() for i in range(links.count())]
        expected = {urls.package_zip(), urls.database(), urls.all_json()}
        expected |= {u for c, y in ds.lists for u in (urls.list_csv(c, y), urls.list_json(c, y))}
        resolved = [urljoin(page.url, h) for h in hrefs]
        assert {r.removeprefix(site_server) for r in resolved} == expected
        for url, text in zip(resolved, texts, strict=True):
            rel = url.removeprefix(site_server)
            response = page.request.get(url)
            assert response.status == 200, url
            body = response.body()
            assert body == (built_site / rel).read_bytes()
            assert markup.file_size(len(body)) in " ".join(text.split()), (rel, text)
        assert page.locator(".ml-downloads .md-button").first.is_visible()
    finally:
        context.close()


def test_a_code_kept_on_disk_is_the_code_drawn_afresh(tmp_path, monkeypatch):
    """qr.cache_in: the second build reads each code back instead of drawing it, byte for byte
    the same, and a URL never gets another URL's code."""
    url, other = "https://example.org/qingdao/2024/6-3/", "https://example.org/qingdao/2024/6-4/"
    fresh = qr.svg.__wrapped__(url)
    qr.cache_in(tmp_path / "qr")
    try:
        assert qr.svg.__wrapped__(url) == fresh  # drawn, then kept
        assert len(list((tmp_path / "qr").iterdir())) == 1
        monkeypatch.setattr(qr, "modules", lambda u: pytest.fail(f"{u} drawn again"))
        assert qr.svg.__wrapped__(url) == fresh  # read back
        assert decode(qr.svg.__wrapped__(url)) == [url]
        monkeypatch.undo()
        assert decode(qr.svg.__wrapped__(other)) == [other]
    finally:
        qr.cache_in(None)


def test_a_folder_the_codes_cannot_be_kept_in_only_means_drawing_them(tmp_path):
    """As the data's content cache: an unwritable cache folder costs time, never the build."""
    blocker = tmp_path / "qr"
    blocker.write_text("a file where the folder would be", encoding="utf-8")
    url = "https://example.org/qingdao/2024/6-3/"
    qr.cache_in(blocker / "codes")
    try:
        assert decode(qr.svg.__wrapped__(url)) == [url]
    finally:
        qr.cache_in(None)
