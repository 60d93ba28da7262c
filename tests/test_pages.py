"""Generated Markdown: golden files for sample items, escaping. (Links: tests/test_urls.py.)"""

from __future__ import annotations

import os
import re

import pytest

from conftest import ROOT, all_items
from generator.site import pages
from generator.site.pages import markup

GOLDEN = ROOT / "tests" / "golden"
SAMPLES = ["qingdao/2024/6-3", "qingdao/2021/1-1", "qixia/2024/6", "zibo/2022/49"]


@pytest.fixture(scope="module")
def rendered(ds):
    site = pages.Site(ds, edit_base="https://example.org/repo/blob/main", site_url="https://example.org/")
    return {p.src: p.content for p in site.pages()}


@pytest.mark.parametrize("ref", SAMPLES)
def test_golden_markdown(rendered, ref):
    """Set UPDATE_GOLDEN=1 to rewrite the files after an intended change, then review the diff."""
    content = rendered[f"{ref}.md"]
    path = GOLDEN / (ref.replace("/", "_") + ".md")
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(content, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}: run UPDATE_GOLDEN=1 pytest tests/test_pages.py"
    assert content == path.read_text(encoding="utf-8")


def test_every_item_has_a_page_at_its_permanent_path(rendered, ds):
    for city, year in ds.lists:
        assert f"{city}/{year}/index.md" in rendered
    for city, year, item in all_items(ds):
        assert f"{city}/{year}/{item.id}.md" in rendered


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[点我](javascript:alert(1))", "{{ 7*7 }} {% raw %}", "# 标题\n---\n| a | b |", "*强调* `代码` <!-- 注释 -->"],
)
def test_md_text_leaves_no_markup(text):
    out = str(markup.md_text(text))
    assert "<" not in out and ">" not in out
    bare = re.sub(r"&#[0-9]+;", "", out)
    for ch in "[]()*`#|":
        assert ch not in bare.replace("\\" + ch, "")
    assert "\n" not in out


def test_a_value_we_explain_shows_our_reason_marked_as_ours(tmp_path):
    """value_differs is our word on a figure (Say who said it): the item page shows it as 本站注,
    beside the target and beside the reported figure, as text."""
    from conftest import FIXTURES, copy_data_root, load_clean
    from generator.core import urls

    root = copy_data_root(tmp_path, FIXTURES / "mini")
    path = root / "data" / "ceshi" / "2024.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("        value: 6000\n", "        value: 6000\n        value_differs: 原文的<b>6000</b>含改扩建\n", 1)
    text = text.replace("                value: 3300\n", "                value: 3300\n                value_differs: 报告另表给出\n", 1)
    path.write_text(text, encoding="utf-8")
    built = {p.src: p.content for p in pages.Site(load_clean(root), site_url="https://example.org/").pages()}
    parent, sub = built[urls.item_src("ceshi", 2024, "1")], built[urls.item_src("ceshi", 2024, "1-1")]
    assert '<span class="ml-ours">本站注</span> 原文的&lt;b&gt;6000&lt;/b&gt;含改扩建' in parent
    assert '<span class="ml-ours">本站注</span> 报告另表给出' in sub
