"""Search at scale: beyond a few thousand item pages the site is indexed with Pagefind.

Material's search ships one index of the whole site that every reader downloads first
(~4.5 KB per page); Pagefind fetches only the chunks a query needs. The switch is a
threshold (`MINSHENG_SEARCH=auto`) that the first tests check without building anything;
the browser test forces Pagefind on a small synthetic site, so it stays fast.
"""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlsplit

import pytest

from conftest import build_site
from generator import sitesearch
from generator.synthetic import write_dataset
from conftest import ROOT
from generator.dataset import load_dataset, walk_items

# --- the threshold -----------------------------------------------------------------------


def test_auto_keeps_material_search_at_the_threshold_and_switches_one_page_past_it():
    at = sitesearch.PAGEFIND_THRESHOLD
    assert (sitesearch.choose_engine(at, "auto"), sitesearch.choose_engine(at + 1, "auto")) == ("material", "pagefind")
    assert (sitesearch.choose_engine(0, "auto"), sitesearch.choose_engine(30000, "auto")) == ("material", "pagefind")
    assert (sitesearch.choose_engine(at, ""), sitesearch.choose_engine(at + 1, "")) == ("material", "pagefind")  # empty means auto


def test_the_setting_forces_either_engine():
    assert sitesearch.choose_engine(10, "pagefind") == "pagefind"
    assert sitesearch.choose_engine(30000, "Material") == "material"
    assert sitesearch.choose_engine(10) == "material"


def test_mkdocs_yml_reads_the_setting_and_the_data_folder_from_the_environment(monkeypatch, tmp_path):
    """`MINSHENG_SEARCH` and `MINSHENG_ROOT` reach the plugin through mkdocs.yml's `!ENV` tags."""
    from mkdocs.config import load_config

    monkeypatch.setenv("MINSHENG_SEARCH", "pagefind")
    monkeypatch.setenv("MINSHENG_ROOT", str(tmp_path))
    options = load_config(config_file=str(ROOT / "mkdocs.yml")).plugins["ledger"].config
    assert (options.search, options.data_dir) == ("pagefind", str(tmp_path))
    monkeypatch.delenv("MINSHENG_SEARCH")
    monkeypatch.delenv("MINSHENG_ROOT")
    options = load_config(config_file=str(ROOT / "mkdocs.yml")).plugins["ledger"].config
    assert (options.search, options.data_dir) == ("auto", str(ROOT))


def test_an_unknown_engine_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="auto, material, pagefind"):
        sitesearch.choose_engine(10, "lunr")


# --- a Pagefind build in the browser --------------------------------------------------------


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory):
    """60 synthetic item pages built with MINSHENG_SEARCH=pagefind; yields (site dir, dataset)."""
    root = tmp_path_factory.mktemp("scale") / "root"
    write_dataset(root, 60)
    ds = load_dataset(root)
    assert ds.errors == [], "\n".join(map(str, ds.errors))
    out = root.parent / "site"
    result = build_site(out, root, extra_env={"MINSHENG_SEARCH": "pagefind"})
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return out, ds


@pytest.fixture(scope="module")
def pagefind_server(pagefind_site):
    site, _ = pagefind_site

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.browser
def test_pagefind_build_has_no_material_index_and_finds_chinese_words(pagefind_site, pagefind_server, page):
    site, ds = pagefind_site
    assert not (site / "search" / "search_index.json").exists(), "Material's search index was built too"
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    expected = {
        f"/{city}/{year}/{item.id}/"
        for (city, year), lf in ds.lists.items()
        for item, _, _ in walk_items(lf.data.items)
        if "tuoyu" in item.topics
    }
    assert expected, "the synthetic data has no 托育 item (generator/synthetic.py cycles through all topics)"

    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(pagefind_server)
    box = page.locator(".ml-hsearch__input")  # the header's search box opens the search page
    box.fill("托育")
    box.press("Enter")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=20000)
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(a => a.getAttribute('href'))")
    found = [h for h in hrefs if h in expected]
    assert found, f"searching 托育 found none of the 托育 item pages; results: {hrefs}"
    page.goto(pagefind_server + found[0].lstrip("/"))
    assert "托育" in page.locator("[data-pagefind-body]").inner_text()

    hosts = {urlsplit(u).netloc for u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {urlsplit(pagefind_server).netloc}, f"requests to other hosts: {hosts}"
