"""The theme overrides (theme_overrides/) add to Material without copying its templates.

A copied Material partial silently forks when Material is upgraded. So main.html extends
Material's blocks, and the header block makes its two additions to the text Material
renders. These tests build a one-page site with Material alone and with our overrides, in
either search mode, and check that the headers differ by exactly those additions; a Material
release that changes the markup the additions rely on fails them.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import ROOT

OVERRIDES = ROOT / "theme_overrides"
HEADER = re.compile(r'<header class="md-header[^"]*".*?</header>', re.S)
SEARCH_BOX = re.compile(r'<form class="ml-hsearch".*?</form>', re.S)


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml's theme section; its `!ENV` values do not matter here."""


_Loader.add_constructor("!ENV", lambda loader, node: None)


def _header(tmp_path: Path, *, overrides: bool, engine: str) -> str:
    """The <header> of a one-page site built with the project's theme settings."""
    theme = dict(yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["theme"])
    theme.pop("custom_dir")
    if overrides:
        theme["custom_dir"] = str(OVERRIDES)
    folder = tmp_path / f"{engine}-{'ours' if overrides else 'material'}"
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# 民生实事台账\n", encoding="utf-8")
    config = {
        "site_name": "民生实事台账",
        "theme": theme,
        # as generator/sitesearch.py configures it: Material's search plugin off for Pagefind
        "plugins": [{"search": {"enabled": engine == "material"}}],
        "extra": {"ml_search": engine},
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(config_file=str(folder / "mkdocs.yml")))
    html = (folder / "site" / "index.html").read_text(encoding="utf-8")
    found = HEADER.findall(html)
    assert len(found) == 1, f"{folder}: expected one md-header, found {len(found)}"
    return found[0]


@pytest.fixture(scope="module")
def headers(tmp_path_factory) -> dict:
    """(engine, "ours" | "material") → the rendered header."""
    tmp = tmp_path_factory.mktemp("theme")
    return {
        (engine, side): _header(tmp, overrides=side == "ours", engine=engine)
        for engine in ("material", "pagefind")
        for side in ("ours", "material")
    }


def test_the_theme_overrides_copy_no_material_template():
    """Only main.html, Material's documented place for overrides, shares a path with Material."""
    import material

    theirs = Path(material.__file__).parent / "templates"
    shared = sorted(
        rel for rel in (p.relative_to(OVERRIDES).as_posix() for p in OVERRIDES.rglob("*") if p.is_file()) if (theirs / rel).exists()
    )
    assert shared == ["main.html"], (
        f"theme_overrides/ replaces Material's {shared}: extend a block in main.html instead "
        "(or, if a copy cannot be avoided, add a test that fails when Material's original changes)"
    )


def test_the_header_keeps_materials_search_and_names_its_dialog(headers):
    ours, theirs = headers["material", "ours"], headers["material", "material"]
    dialog = lxml.html.fragment_fromstring(ours).xpath("//div[@data-md-component='search']")
    assert len(dialog) == 1 and dialog[0].get("role") == "dialog"
    name = dialog[0].get("aria-label")
    assert name == "查找", "axe-core requires an accessible name on every role=dialog (Material's word for search)"
    assert ours.replace(f' aria-label="{name}">', ">", 1) == theirs, "the header differs from Material's by more than the dialog's name"
    assert 'role="dialog" aria-label' not in theirs, "Material names the dialog itself now: drop our addition in main.html"
    assert not SEARCH_BOX.search(ours), "the Pagefind search box appears on a site with Material's search"


def test_the_header_ends_with_the_pagefind_search_box_on_pagefind_sites(headers):
    ours, theirs = headers["pagefind", "ours"], headers["pagefind", "material"]
    tree = lxml.html.fragment_fromstring(ours)
    bar = tree.xpath("self::header/nav[contains(concat(' ', @class, ' '), ' md-header__inner ')]")
    assert len(bar) == 1, "Material's header bar (nav.md-header__inner) is not where main.html expects it"
    forms = tree.xpath("//form[contains(@class, 'ml-hsearch')]")
    assert len(forms) == 1 and forms[0].getparent() is bar[0] and bar[0][-1] is forms[0], "the search box must end the header bar"
    assert forms[0].get("action") == "search/" and forms[0].get("method") == "get"
    assert forms[0].xpath(".//input[@name='q']"), "the search page reads its query from ?q="
    assert not tree.xpath("//*[@data-md-component='search'] | //label[@for='__search']"), "Material's disabled search still shows"
    assert SEARCH_BOX.sub("", ours, count=1) == theirs, "the header differs from Material's by more than the search box"
