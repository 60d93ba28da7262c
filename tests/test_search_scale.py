"""Search at scale: beyond a few thousand item pages the site is indexed with Pagefind.

Material's search ships one index of the whole site that every reader downloads first
(~4.5 KB per page); Pagefind fetches only the chunks a query needs. The switch is a
threshold (`MINSHENG_SEARCH=auto`) that the first tests check without building anything;
the others force Pagefind on a small synthetic site, so they stay fast: the bundle the build
writes must be complete, and the header's search box must find items in the browser.
"""

from __future__ import annotations

import gzip
import json
import shutil
import zlib
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from conftest import ROOT, build_site, serve_folder
from generator import sitesearch
from generator.dataset import load_dataset, walk_items
from generator.synthetic import write_dataset

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


# --- a Pagefind build, and its search in the browser ---------------------------------------


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


def _incomplete_bundle(folder: Path) -> list[str]:
    """What is missing or cut short in the Pagefind bundle: its entry file must parse and name
    an index that exists, and every compressed file (index, fragments, WebAssembly) must
    decompress. The search UI never retries a load, so one cut-short file breaks search."""
    problems = [f"{p.name}: empty" for p in sorted(folder.rglob("*")) if p.is_file() and p.stat().st_size == 0]
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        problems += [f"pagefind.{lang['hash']}.pf_meta: missing" for lang in entry["languages"].values() if not (folder / f"pagefind.{lang['hash']}.pf_meta").is_file()]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problems.append(f"pagefind-entry.json: {exc!r}")
    for path in sorted(folder.rglob("*")):
        if path.is_file() and (path.suffix.startswith(".pf_") or path.suffix == ".pagefind"):
            try:
                gzip.decompress(path.read_bytes())
            except (OSError, EOFError, zlib.error) as exc:
                problems.append(f"{path.relative_to(folder)}: {exc}")
    return problems


def test_the_build_writes_a_complete_pagefind_bundle(pagefind_site):
    site, _ = pagefind_site
    assert not (site / "search" / "search_index.json").exists(), "Material's search index was built too"
    for name in ("pagefind-entry.json", "pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css"):
        assert (site / "pagefind" / name).is_file(), name
    problems = _incomplete_bundle(site / "pagefind")
    assert not problems, "the build left the Pagefind bundle incomplete (generator/sitesearch.py):\n" + "\n".join(problems)


def test_an_incomplete_pagefind_bundle_is_noticed(pagefind_site, tmp_path):
    site, _ = pagefind_site
    copy = tmp_path / "pagefind"
    shutil.copytree(site / "pagefind", copy)
    wasm = next(copy.glob("wasm.*.pagefind"))
    wasm.write_bytes(wasm.read_bytes()[:-100])  # cut short
    (copy / "pagefind-worker.js").write_bytes(b"")
    (copy / "pagefind-entry.json").write_bytes(b"")
    flagged = {p.split(":")[0] for p in _incomplete_bundle(copy)}
    assert {wasm.name, "pagefind-worker.js", "pagefind-entry.json"} <= flagged, flagged


@pytest.fixture(scope="module")
def pagefind_server(pagefind_site):
    with serve_folder(pagefind_site[0]) as base:
        yield base


def _watch(page) -> tuple[list, list]:
    """Every URL the page and its workers request, and everything that went wrong loading."""
    requests: list[str] = []
    problems: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    # (net::ERR_ABORTED: the browser dropped a request because the page was left; no failure)
    page.context.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})") if r.failure != "net::ERR_ABORTED" else None)
    page.context.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return requests, problems


@pytest.mark.browser
def test_the_header_search_box_finds_chinese_words_with_pagefind(pagefind_site, pagefind_server, page):
    site, ds = pagefind_site
    assert not _incomplete_bundle(site / "pagefind"), "the Pagefind bundle is incomplete: see test_the_build_writes_a_complete_pagefind_bundle"
    expected = {
        f"/{city}/{year}/{item.id}/"
        for (city, year), lf in ds.lists.items()
        for item, _, _ in walk_items(lf.data.items)
        if "tuoyu" in item.topics
    }
    assert expected, "the synthetic data has no 托育 item (generator/synthetic.py cycles through all topics)"

    requests, problems = _watch(page)
    page.goto(pagefind_server)
    box = page.locator(".ml-hsearch__input")  # the header's search box opens the search page
    box.fill("托育")
    box.press("Enter")
    page.wait_for_url(f"{pagefind_server}search/?q={quote('托育')}")
    # Pagefind's UI loads its script, worker, WebAssembly and index chunks, then the fragments
    # of the first results. A load that fails leaves it waiting for good (it never retries),
    # so a missing result is reported with what failed, not as a bare timeout.
    links = page.locator(".pagefind-ui__result-link")
    try:
        links.first.wait_for(state="attached")
    except PlaywrightTimeoutError:
        message = page.locator(".pagefind-ui__message").all_inner_texts()
        pytest.fail(f"no Pagefind result for 托育 (message: {message}); went wrong: {problems or 'nothing reported'}")
    hrefs = links.evaluate_all("els => els.map(a => a.getAttribute('href'))")
    found = [h for h in hrefs if h in expected]
    assert found, f"searching 托育 found none of the 托育 item pages; results: {hrefs}"
    page.goto(pagefind_server + found[0].lstrip("/"))
    assert "托育" in page.locator("[data-pagefind-body]").inner_text()

    assert not problems, "\n".join(problems)
    hosts = {urlsplit(u).netloc for u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {urlsplit(pagefind_server).netloc}, f"requests to other hosts: {hosts}"
