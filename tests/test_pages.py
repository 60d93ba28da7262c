"""Generated Markdown: golden files for sample items, escaping, links."""

from __future__ import annotations

import os
import posixpath
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pages
from conftest import ROOT, all_items

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
    out = str(pages.md_text(text))
    assert "<" not in out and ">" not in out
    bare = re.sub(r"&#[0-9]+;", "", out)
    for ch in "[]()*`#|":
        assert ch not in bare.replace("\\" + ch, "")
    assert "\n" not in out


@pytest.mark.parametrize(
    "src, to, expected",
    [
        ("qingdao/2024/6-3/", "qingdao/2024/", "../"),
        ("qingdao/2024/6-3/", "qingdao/2024/6-4/", "../6-4/"),
        ("", "qingdao/", "qingdao/"),
        ("qingdao/", "", "../"),
        ("topics/tuoyu/", "qingdao/2024/3-1/#progress-h1", "../../qingdao/2024/3-1/#progress-h1"),
    ],
)
def test_relative_links(src, to, expected):
    assert pages.relative(src, to) == expected


segment = st.sampled_from(["qingdao", "2024", "6-3", "data", "a.csv", "topics"])


@settings(max_examples=500, deadline=None)
@given(st.lists(segment, max_size=4), st.lists(segment, max_size=4), st.booleans(), st.sampled_from(["", "#progress-h1"]))
def test_relative_links_agree_with_posixpath(here, there, file_target, fragment):
    """`relative` is a fast posixpath.relpath for page URLs (directories ending in /)."""
    from_url = "".join(p + "/" for p in here)
    target = "/".join(there) + ("" if file_target or not there else "/")
    expected = posixpath.relpath("/" + target, "/" + from_url)
    expected = "./" if expected == "." else expected + ("/" if target.endswith("/") or target == "" else "")
    assert pages.relative(from_url, target + fragment) == expected + fragment


def test_page_url():
    assert pages.page_url("index.md") == ""
    assert pages.page_url("qingdao/index.md") == "qingdao/"
    assert pages.page_url("qingdao/2024/6-3.md") == "qingdao/2024/6-3/"
