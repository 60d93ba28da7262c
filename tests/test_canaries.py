"""Canary builds: the docs tree that `python -m generator pages` writes, built by other engines.

MkDocs 1.x is unmaintained and Material is in maintenance until its end of life, so the site
must not depend on one engine. `make pages` writes the generated site as plain files and a
mkdocs.yml without our plugin; here it is built with Zensical and with ProperDocs, each from
its own venv pinned by canaries/<name>.txt (`make test` sets them up under .canary/), and
each result gets the checks that matter to readers:

- every item page at its permanent URL, with its verbatim pledge;
- the list pages' progress tables, one row per item;
- our own search finding known words, in Chromium;
- no request leaving the site;
- no HTML error of ours (the Nu HTML Checker, Material's known errors aside).

What an engine cannot do yet is a KNOWN_DIFFERENCES entry, checked to still be a
difference: when an engine catches up, the test says so and content/about/dependencies.md
(the switch plan) is brought up to date.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from test_markup import _vnu_jar, material_error

from benchmarks.harness import ROOT, serve_folder
from conftest import all_items

pytestmark = pytest.mark.browser

ENGINES = {
    # name: the command that builds <tree>/mkdocs.yml into <out>
    "zensical": lambda tree, out: [str(ROOT / ".canary/zensical/bin/zensical"), "build", "-f", str(tree / "mkdocs.yml")],
    "properdocs": lambda tree, out: [str(ROOT / ".canary/properdocs/bin/properdocs"), "build", "--strict", "-q", "-f", str(tree / "mkdocs.yml"), "-d", str(out)],
}

# What an engine renders differently from the default build, and why; each is checked below.
KNOWN_DIFFERENCES = {
    "zensical": {
        "404": "Zensical renders its 404 page with a page object, so main.html's Chinese 404 text "
        "(shown where Material renders 404.html without one) is replaced by Zensical's '404 - Not found'",
    },
    "properdocs": {},
}


def norm(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(text))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pages") / "pages"
    result = subprocess.run([sys.executable, "-m", "generator", "pages", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module", params=sorted(ENGINES))
def built(request, tree, tmp_path_factory) -> tuple[str, Path]:
    """(engine, the folder it built) from a copy of the tree (an engine may write into it)."""
    name = request.param
    exe = Path(ENGINES[name](tree, tree)[0])
    if not exe.exists():
        pytest.fail(f"{exe} not found: `make test` sets up the canary venvs (.canary/, pinned by canaries/{name}.txt)")
    work = tmp_path_factory.mktemp(name)
    shutil.copytree(tree, work / "pages")
    out = work / "pages" / "site"  # Zensical writes to the config's site_dir; ProperDocs is told the same place
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    result = subprocess.run(ENGINES[name](work / "pages", out), cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{name} build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert (out / "index.html").is_file()
    return name, out


def test_the_tree_is_the_plugins_site_on_plain_mkdocs(tree, built_site, tmp_path):
    """The stage is the plugin's: built by plain MkDocs without our plugin, every item page is
    the default build's, byte for byte but for runs of white space (the tree's mkdocs.yml turns
    the builders' own search off by name, and Material's header leaves blank lines for it); the
    about page names the same repository (Stage.fill_in)."""
    out = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(tree / "mkdocs.yml"), "-d", str(out)], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    ours = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file() and p.name != "sitemap.xml.gz")
    theirs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != "sitemap.xml.gz")
    assert ours == theirs
    items = [p for p in ours if p.count("/") == 3 and p.endswith("/index.html")]
    assert len(items) > 100
    differ = [p for p in [*items, "about/index.html"] if _squash((built_site / p).read_bytes()) != _squash((out / p).read_bytes())]
    assert not differ, differ[:5]


def _squash(data: bytes) -> bytes:
    return re.sub(rb"\s+", b" ", data)


def test_every_item_page_is_at_its_permanent_url_with_its_verbatim_pledge(built, ds):
    name, site = built
    missing, wrong = [], []
    for city, year, item in all_items(ds):
        page = site / city / str(year) / item.id / "index.html"
        if not page.is_file():
            missing.append(page.relative_to(site).as_posix())
            continue
        doc = lxml.html.fromstring(page.read_bytes())
        quotes = [norm(b.text_content()) for b in doc.xpath("//*[contains(@class,'ml-pledge')]//blockquote")]
        headings = [norm(h.text_content()) for h in doc.xpath("//h1")]
        if norm(item.text) not in quotes and norm(item.text) not in headings:
            wrong.append(f"{city}/{year}/{item.id}")
    assert not missing, f"{name}: {len(missing)} item pages missing, e.g. {missing[:5]}"
    assert not wrong, f"{name}: the verbatim pledge is not on {len(wrong)} item pages, e.g. {wrong[:5]}"


def test_list_pages_render_their_progress_tables(built, ds):
    name, site = built
    for (city, year), lf in sorted(ds.lists.items()):
        doc = lxml.html.fromstring((site / city / str(year) / "index.html").read_bytes())
        rows = doc.xpath("//table[contains(@class,'ml-ptable')]//tr[contains(@class,'ml-ptable__row')]")
        assert len(rows) >= len(lf.data.items), f"{name}: {city}/{year}: {len(rows)} table rows for {len(lf.data.items)} items"


def test_search_finds_known_words_and_no_request_leaves_the_site(built, browser):
    name, site = built
    with serve_folder(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        pg = context.new_page()
        outside, errors = [], []
        pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        try:
            for path in ("", "qingdao/2024/", "qingdao/2024/6-3/"):
                pg.goto(base + path)
                pg.wait_for_load_state("networkidle")
            found = {}
            for word in ("停车", "老旧小区", "托育"):
                pg.goto(base + "search/?q=" + word)
                pg.wait_for_function("() => document.querySelector('#ml-search-results').dataset.state === 'done'", timeout=15000)
                texts = pg.locator("#ml-search-results li").all_inner_texts()
                found[word] = len(texts)
                assert texts and all(word in norm(t) for t in texts[:10]), f"{name}: search for {word}: {texts[:3]}"
            pg.wait_for_load_state("networkidle")
        finally:
            context.close()
    assert all(found.values()), found
    assert not outside, f"{name}: requests left the site: {sorted(set(outside))[:10]}"
    assert not errors, f"{name}: page errors: {errors[:5]}"


def test_no_html_error_of_ours(built):
    name, site = built
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: the Nu HTML Checker needs Java 17 (.ci/run installs default-jre-headless)")
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(_vnu_jar()), "--errors-only", "--format", "json", "--stdout", "--skip-non-html", str(site)],
        capture_output=True, text=True, timeout=900,
    )
    messages = json.loads(result.stdout)["messages"]
    ours = [f"{m.get('url', '').rsplit('/pages/site/', 1)[-1]}: {m.get('message')}" for m in messages if not material_error(m)]
    assert not ours, f"{name}: {len(ours)} HTML errors:\n" + "\n".join(ours[:20])


def test_known_differences_are_still_differences(built):
    """Each KNOWN_DIFFERENCES entry, checked: when it stops being one, update this list and the
    switch plan in content/about/dependencies.md."""
    name, site = built
    known = KNOWN_DIFFERENCES[name]
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert ("页面不存在" not in not_found) == ("404" in known), f"{name}: the 404 page's Chinese text: update KNOWN_DIFFERENCES"
    header = lxml.html.fromstring((site / "index.html").read_bytes()).xpath("//header//form[contains(@class,'ml-hsearch')]")
    assert header, f"{name}: the header has no search box of ours"
