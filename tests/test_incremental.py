"""Quick previews under `mkdocs serve --dirty` (generator/site/incremental.py).

After an edit, only the pages whose Markdown changed are rendered again, only the edited
year file is parsed again, and the search index still holds every page exactly once, with the new text.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.synthetic import write_dataset
from conftest import ROOT
from generator.core import urls
from generator.data.reading import load_yaml
from generator.site import searchindex


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


def test_dirty_rebuild_renders_only_changed_pages_and_keeps_the_search_index_whole(tmp_path, monkeypatch, dirty_serve):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path / "root"
    write_dataset(root, 30)
    monkeypatch.setenv("MINSHENG_ROOT", str(root))
    site = tmp_path / "site"

    def run(first=False):
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
        if first:  # as `mkdocs serve --dirty`: once, then a build per edit
            config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)

    run(first=True)
    pages = {p: p.stat().st_mtime_ns for p in site.rglob("index.html")}
    urls_before = search_urls(site)
    edit_first_item(root / "data" / "dongyang" / "2022.yml", "改动标记")
    run()

    changed = {p.relative_to(site).as_posix() for p, t in pages.items() if p.stat().st_mtime_ns != t}
    assert "dongyang/2022/1/index.html" in changed
    assert "改动标记" in (site / "dongyang" / "2022" / "1" / "index.html").read_text(encoding="utf-8")
    assert "dongshan/2024/1/index.html" not in changed, "an unrelated page was rendered again"
    assert len(changed) < len(pages) / 2, f"{len(changed)} of {len(pages)} pages rendered again"

    assert searchindex.verify(site), "the search index written by the dirty build is incomplete"
    urls_after = search_urls(site)
    assert sorted(urls_after) == sorted(urls_before) and len(set(urls_after)) == len(urls_after), "search pages lost or duplicated"
    item = json.loads((site / urls.search_doc(urls_after.index("dongyang/2022/1/"))).read_text(encoding="utf-8"))
    assert any("改动标记" in text for text in item["f"]), "the search index has the old text"


def search_urls(site) -> list:
    """The page of every entry in the built search index, in index order."""
    n = json.loads((site / urls.search_meta()).read_text(encoding="utf-8"))["docs"]
    return [json.loads((site / urls.search_doc(i)).read_text(encoding="utf-8"))["u"] for i in range(n)]
