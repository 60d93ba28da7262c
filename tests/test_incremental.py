"""Quick previews under `mkdocs serve --dirty` (generator/incremental.py).

After an edit, only the pages whose Markdown changed are rendered again, only the edited
year file is parsed again, and the search index still holds every page exactly once.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import ROOT
from generator import incremental
from generator.reading import load_yaml
from generator.synthetic import write_dataset


def edit_first_item(path, marker: str) -> None:
    """Put `marker` at the start of item 1's pledge text, however the file writes it."""
    text = path.read_text(encoding="utf-8")
    first = load_yaml(text).data["items"][0]["text"][:12]
    assert text.count(first) >= 1
    path.write_text(text.replace(first, marker + first, 1), encoding="utf-8")


@pytest.fixture
def dirty_serve(monkeypatch):
    """In-process builds the way `mkdocs serve --dirty` runs them."""
    monkeypatch.chdir(ROOT)
    yield
    from mkdocs.config import load_config

    plugins = load_config(config_file=str(ROOT / "mkdocs.yml")).plugins  # instances are kept for the whole process
    plugins["ledger"].on_startup(command="build", dirty=False)
    plugins["material/search"].search_index_prev = None


def test_material_search_still_has_the_state_the_dirty_build_carries_over():
    """`incremental.carry_search_entries` is our one use of Material's private search state:
    a Material upgrade that renames it must fail here."""
    from material.plugins.search.plugin import SearchPlugin

    plugin = SearchPlugin()
    plugin.on_startup(command="serve", dirty=True)
    plugin.load_config({})
    plugin.on_config(load_config_for_search())
    for name in incremental.MATERIAL_SEARCH_STATE:
        assert hasattr(plugin, name), f"Material's search plugin has no `{name}` any more"
    assert hasattr(plugin.search_index, "entries")


def load_config_for_search():
    from mkdocs.config import load_config

    return load_config(config_file=str(ROOT / "mkdocs.yml"))


def test_dirty_rebuild_renders_only_changed_pages_and_keeps_the_search_index_whole(tmp_path, monkeypatch, dirty_serve):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path / "root"
    write_dataset(root, 30)
    monkeypatch.setenv("MINSHENG_ROOT", str(root))
    monkeypatch.setenv("MINSHENG_SEARCH", "material")
    site = tmp_path / "site"

    def run(first=False):
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
        if first:  # as `mkdocs serve --dirty`: once, then a build per edit
            config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)

    run(first=True)
    pages = {p: p.stat().st_mtime_ns for p in site.rglob("index.html")}
    index_before = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    edit_first_item(root / "data" / "dongyang" / "2022.yml", "改动标记")
    run()

    changed = {p.relative_to(site).as_posix() for p, t in pages.items() if p.stat().st_mtime_ns != t}
    assert "dongyang/2022/1/index.html" in changed
    assert "改动标记" in (site / "dongyang" / "2022" / "1" / "index.html").read_text(encoding="utf-8")
    assert "dongshan/2024/1/index.html" not in changed, "an unrelated page was rendered again"
    assert len(changed) < len(pages) / 2, f"{len(changed)} of {len(pages)} pages rendered again"

    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = Counter(d["location"] for d in docs)
    assert [loc for loc, n in locations.items() if n > 1] == [], "search entries duplicated"
    assert set(locations) == {d["location"] for d in index_before}
    item = [d for d in docs if d["location"].startswith("dongyang/2022/1/")]
    assert any("改动标记" in (d["title"] + d["text"]).replace("\u200b", "") for d in item), "the search index has the old text"
