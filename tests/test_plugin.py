"""The MkDocs plugin's own decisions (generator/site/plugin.py): where a copy of the site points."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.site.stage import NO_REPOSITORY, REPOSITORY_MARK, Stage, repository_blob_url

ABOUT = Path(__file__).resolve().parent.parent / "content" / "about" / "index.md"


def test_in_ci_edit_links_point_at_the_repository_being_built(tmp_path):
    env = {"GITHUB_REPOSITORY": "yantai-volunteers/minsheng-ledger", "GITHUB_REF_NAME": "main"}
    assert repository_blob_url(tmp_path, env) == "https://github.com/yantai-volunteers/minsheng-ledger/blob/main"
    pull_request = {"GITHUB_REPOSITORY": "a/b", "GITHUB_REF_NAME": "7/merge", "GITHUB_BASE_REF": "main"}
    assert repository_blob_url(tmp_path, pull_request) == "https://github.com/a/b/blob/main"


@pytest.mark.parametrize(
    "remote, expected",
    [
        ("https://github.com/fork-owner/ledger.git", "https://github.com/fork-owner/ledger/blob/main"),
        ("git@github.com:fork-owner/ledger.git", "https://github.com/fork-owner/ledger/blob/main"),
        ("https://gitee.com/someone/ledger.git", None),
    ],
)
def test_a_local_copy_links_to_its_own_github_remote_or_nowhere(tmp_path, remote, expected):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", remote], check=True)
    assert repository_blob_url(tmp_path, {}) == expected


def test_without_git_or_ci_there_are_no_edit_links(tmp_path):
    assert repository_blob_url(tmp_path, {}) is None


def test_the_about_page_names_the_repository_the_copy_is_built_from(built_site):
    """content/about/index.md names no repository itself: a fork's site names the fork, and a
    copy that knows none says so (the 报错 links fall back to this page)."""
    page = ABOUT.read_text(encoding="utf-8")
    assert REPOSITORY_MARK in page and "github.com" not in page
    fork = Stage(None, None, "", [], {}, repository="https://github.com/fork-owner/ledger")
    assert "仓库地址：<https://github.com/fork-owner/ledger>" in fork.fill_in(page)
    assert f"仓库地址：{NO_REPOSITORY}" in Stage(None, None, "", [], {}).fill_in(page)
    assert fork.fill_in("no mark") == "no mark"
    built = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "ledger:repository" not in built and "仓库地址：" in built


def test_a_full_build_sets_the_list_pages_html_aside_until_mkdocs_writes_each_page(tmp_path, monkeypatch):
    """With a spool (every full build), each list page's HTML waits on disk (Page.set_aside),
    not in memory, and reads back as the very HTML made without it; MkDocs gets a generated
    page's HTML only in on_page_context, just before it renders that page."""
    from mkdocs.config import load_config

    from benchmarks.synthetic import write_dataset
    from conftest import ROOT
    from generator.core.spool import Spool
    from generator.site import plugin, stage

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = tmp_path / "root"
    write_dataset(root, 30)
    to_html = plugin.markdown_converter(load_config(config_file=str(ROOT / "mkdocs.yml")))
    in_memory = {p.src: p.html for p in stage.prepare(root, to_html=to_html).pages}
    (tmp_path / "spool").mkdir()
    made = stage.prepare(root, to_html=to_html, spool=Spool(tmp_path / "spool"))
    aside = [p for p in made.pages if p.set_aside is not None]
    assert len(aside) > 30 and all(p.html is None for p in aside)  # every item page of the 30 items, and the lists' pages
    assert all(p.body() == in_memory[p.src] for p in made.pages)

    ledger = plugin.LedgerPlugin()
    ledger.made_html = {p.src: p for p in aside}

    class _File:
        src_uri = aside[0].src

    class _Page:
        file, content, toc, present_anchor_ids = _File(), None, None, None

    page = _Page()
    assert ledger.on_page_content("", page, None, None) == ""
    assert page.toc is not None
    ledger.on_page_context({}, page, None, None)
    assert page.content == in_memory[aside[0].src]
    assert page.present_anchor_ids  # for MkDocs' check of links to anchors, after every page is written
    assert aside[0].set_aside is None  # a full build renders each page once: nothing left to hold
