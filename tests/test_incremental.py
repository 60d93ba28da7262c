"""Quick previews under `mkdocs serve --dirty` (generator/incremental.py).

After an edit, only the pages whose Markdown changed are rendered again, only the edited
year file is parsed again, and the search index still holds every page exactly once.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from conftest import ROOT
from generator import incremental
from generator.synthetic import write_dataset
from generator.dataset import load_dataset


def edit_first_item(path, marker: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(r'(\n  - id: "1"\n(?:    .*\n)*?    text: ")', lambda m: m.group(1) + marker, text, count=1)
    assert new != text
    path.write_text(new, encoding="utf-8")


@pytest.fixture
def dirty_serve(monkeypatch):
    """In-process builds the way `mkdocs serve --dirty` runs them."""
    monkeypatch.chdir(ROOT)
    yield
    incremental.on_startup("build", False)
    from mkdocs.config import load_config

    plugin = load_config(config_file=str(ROOT / "mkdocs.yml")).plugins["material/search"]
    plugin.search_index_prev = None  # plugin instances are cached for the whole process


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
