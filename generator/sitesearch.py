"""Which search the built site gets: Material's built-in search, or Pagefind beyond a few
thousand item pages.

Material's search ships one lunr index for the whole site (measured: ~4.5 KB per page,
~20 s to load at 20,000 pages), which every reader downloads before the first result.
Pagefind (extended build: it segments Chinese) splits its index into chunks and fetches
only the ones a query needs. The switch:

- `search: auto` (the plugin's option in mkdocs.yml, default): Material up to
  PAGEFIND_THRESHOLD item pages, Pagefind above; `material` / `pagefind` force one.
- Pagefind mode disables Material's search plugin (its `enabled` option), tells the theme
  (`config.extra.ml_search`), adds the search page (`search/`), and after the build indexes
  what theme_overrides/main.html marks with `data-pagefind-body` (the page content, not
  nav, header or footer), leaving out `[data-search-exclude]` (breadcrumbs, prev/next,
  data links: the same parts Material's search leaves out). The default Pagefind UI is
  served from `site/pagefind/`: no third-party request.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from . import urls

ENGINES = ("auto", "material", "pagefind")
PAGEFIND_THRESHOLD = 2000  # item pages (items and sub-items) above which `auto` picks Pagefind
EXCLUDE_SELECTORS = ["[data-search-exclude]", "[data-pagefind-ignore]"]


def choose_engine(n_item_pages: int, setting: str = "auto") -> str:
    """`material` or `pagefind` for a site with this many item pages; `setting` is the
    plugin's `search` option (auto, material or pagefind; any case; empty means auto)."""
    setting = setting.strip().lower() or "auto"
    if setting not in ENGINES:
        raise ValueError(f"search: {setting!r}: use one of {', '.join(ENGINES)}")
    if setting == "auto":
        return "pagefind" if n_item_pages > PAGEFIND_THRESHOLD else "material"
    return setting


def configure(config, engine: str) -> None:
    """Switch Material's search plugin on or off and tell the theme which search to show."""
    config["extra"]["ml_search"] = engine
    plugin = config["plugins"].get("material/search") or config["plugins"].get("search")
    if plugin is not None:
        plugin.config.enabled = engine == "material"


def search_page() -> str:
    """Markdown of the Pagefind search page; theme_overrides/main.html loads the UI on it."""
    return (
        "---\n"
        'title: "搜索"\n'
        'description: "在全部城市、年份的民生实事中搜索。"\n'
        "ml_kind: search\n"
        "hide: [toc]\n"
        "---\n\n"
        "# 搜索\n\n"
        '<div id="ml-search" class="ml-search" data-pagefind-ignore></div>\n\n'
        f'<noscript><p class="ml-muted">站内搜索需要 JavaScript。也可以从<a href="{urls.relative(urls.search(), urls.home())}">首页</a>的城市列表和'
        f'<a href="{urls.relative(urls.search(), urls.topics())}">专题</a>逐级查找。</p></noscript>\n'
    )


def run_pagefind(site_dir: str | os.PathLike) -> int:
    """Index the built site with Pagefind (extended: Chinese segmentation); returns the page count.

    Writes `<site_dir>/pagefind/`: the index chunks, the fragments and the default UI.
    """
    try:
        from pagefind.service import get_executable
    except ImportError:  # pragma: no cover - depends on the environment
        raise RuntimeError("pagefind is not installed: run `make venv` (pip install -r requirements.txt)") from None
    executable = get_executable()
    if executable is None or "extended" not in Path(executable).name:
        raise RuntimeError(f"Pagefind's extended build (pagefind-bin-extended, which segments Chinese) was not found (found: {executable}); run `make venv`")
    site_dir = Path(site_dir).resolve()
    output = site_dir / "pagefind"
    # The command line, not pagefind's Python API: the API stops its indexer as soon as the
    # indexer answers "files written", before the last files are on disk; under load that
    # left empty or cut-short files (an empty pagefind-entry.json breaks all search).
    # The command line exits when everything is written, with the same bytes.
    command = [str(executable), "--site", str(site_dir), "--output-path", str(output), "--force-language", "zh"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True, cwd=site_dir)  # (no stray pagefind.yml is read)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind exited with {result.returncode}: {result.stderr.strip() or result.stdout.strip()}")
    entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(language["page_count"]) for language in entry["languages"].values())
