"""The theme overrides (theme_overrides/) add to Material without copying its templates.

A copied Material partial silently forks when Material is upgraded. So main.html extends
Material's blocks, and the header block adds our search box to the text Material renders.
These tests build a one-page site with Material alone and with our overrides and check that
the headers differ by exactly that addition; a Material release that changes the markup the
addition relies on fails them.
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


def _header(tmp_path: Path, *, overrides: bool) -> str:
    """The <header> of a one-page site built with the project's theme settings."""
    theme = dict(yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["theme"])
    theme.pop("custom_dir")
    if overrides:
        theme["custom_dir"] = str(OVERRIDES)
    folder = tmp_path / ("ours" if overrides else "material")
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# 民生实事台账\n", encoding="utf-8")
    config = {
        "site_name": "民生实事台账",
        "theme": theme,
        "plugins": [],  # as mkdocs.yml: no Material search (generator/site/searchindex.py is ours)
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
    """"ours" | "material" → the rendered header."""
    tmp = tmp_path_factory.mktemp("theme")
    return {side: _header(tmp, overrides=side == "ours") for side in ("ours", "material")}


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


def test_the_header_ends_with_our_search_box(headers):
    ours, theirs = headers["ours"], headers["material"]
    tree = lxml.html.fragment_fromstring(ours)
    bar = tree.xpath("self::header/nav[contains(concat(' ', @class, ' '), ' md-header__inner ')]")
    assert len(bar) == 1, "Material's header bar (nav.md-header__inner) is not where main.html expects it"
    forms = tree.xpath("//form[contains(@class, 'ml-hsearch')]")
    assert len(forms) == 1 and forms[0].getparent() is bar[0] and bar[0][-1] is forms[0], "the search box must end the header bar"
    assert forms[0].get("action") == "search/" and forms[0].get("method") == "get"
    assert forms[0].xpath(".//input[@name='q']"), "the search page reads its query from ?q="
    assert not tree.xpath("//*[@data-md-component='search'] | //label[@for='__search']"), "Material's disabled search still shows"
    assert SEARCH_BOX.sub("", ours, count=1) == theirs, "the header differs from Material's by more than the search box"
