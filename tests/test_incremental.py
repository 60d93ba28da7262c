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


# --- the preview's kept pages and downloads (generator/site/stage.py Preview) -------------------


def _by_src(made) -> dict:
    return {p.src: p for p in made.pages}


def test_a_preview_makes_again_only_what_an_edit_touches_and_the_result_is_the_full_builds(tmp_path):
    """After an edit, the edited list's pages are new, an untouched list's are the very objects
    of the previous build; and every page equals what a full build of the edited data makes
    (the data page aside: a preview says which whole-dataset files it leaves out)."""
    from generator.site import stage

    root = tmp_path / "root"
    write_dataset(root, 60)
    preview = stage.Preview()
    before = _by_src(stage.prepare(root, preview=preview))
    edited = sorted((root / "data").glob("*/20*.yml"))[0]
    city, year = edited.parent.name, int(edited.stem)
    untouched = next(p for p in sorted((root / "data").glob("*/20*.yml")) if p.parent.name != city)
    edit_first_item(edited, "改动标记")
    after = _by_src(stage.prepare(root, preview=preview))
    full = _by_src(stage.prepare(root))

    assert any("改动标记" in page.content for src, page in after.items() if src.startswith(f"{city}/{year}/"))
    same = urls.city_year_src(untouched.parent.name, int(untouched.stem))
    assert after[same] is before[same], "an untouched list's pages were made again"
    assert after.keys() == full.keys()
    differ = [src for src in full if after[src].content != full[src].content and src != urls.data_page_src()]
    assert not differ, differ[:5]


def test_a_preview_sees_edits_to_what_a_list_is_made_from(tmp_path):
    """city.yml and topics.yml are in each list's stamp (and so are the lists it names by
    `related`, and its archived sources: stage.list_stamps)."""
    from generator.site import stage

    root = tmp_path / "root"
    write_dataset(root, 30)
    preview = stage.Preview()
    stage.prepare(root, preview=preview)
    city_file = sorted((root / "data").glob("*/city.yml"))[0]
    slug = city_file.parent.name
    text = city_file.read_text(encoding="utf-8")
    name = load_yaml(text).data["short_name"]
    city_file.write_text(text.replace(f"short_name: {name}\n", f"short_name: {name}新\n", 1), encoding="utf-8")
    year = int(sorted(city_file.parent.glob("20*.yml"))[0].stem)
    after = _by_src(stage.prepare(root, preview=preview))
    assert name + "新" in after[urls.city_year_src(slug, year)].content
    assert after == _by_src(stage.prepare(root)) | {urls.data_page_src(): after[urls.data_page_src()]}

    topics_file = root / "data" / "topics.yml"
    topics_file.write_text(topics_file.read_text(encoding="utf-8").replace("name: 就业创业\n", "name: 就业与创业\n", 1), encoding="utf-8")
    after = _by_src(stage.prepare(root, preview=preview))
    assert any("就业与创业" in page.content for src, page in after.items() if src.startswith(f"{slug}/"))
    assert after == _by_src(stage.prepare(root)) | {urls.data_page_src(): after[urls.data_page_src()]}


def test_a_preview_leaves_the_whole_dataset_files_to_make_site_and_says_so(tmp_path):
    from generator.site import stage

    root = tmp_path / "root"
    write_dataset(root, 30)
    made = stage.prepare(root, preview=stage.Preview())
    assert urls.database() not in made.downloads and urls.all_json() not in made.downloads
    assert any(path.endswith(".csv") for path in made.downloads), "each list's own files are still made"
    data_page = _by_src(made)[urls.data_page_src()].content
    assert "预览中不生成" in data_page and "make site" in data_page
    full = stage.prepare(root)
    assert urls.database() in full.downloads and "预览中不生成" not in _by_src(full)[urls.data_page_src()].content


def test_a_previews_topic_pages_feeds_and_search_index_after_an_edit_are_the_full_builds(tmp_path):
    """A preview keeps each list's part of the topic pages (its table group), its feeds and its
    items' search documents (core/kept.py): after an edit to an item's title and pledge, every
    one of them equals what a full build of the edited data makes, and an untouched list's
    feeds are the very bytes of the previous build."""
    from generator.site import stage

    root = tmp_path / "root"
    write_dataset(root, 90)
    preview = stage.Preview()
    before = stage.prepare(root, preview=preview)
    before_feeds = before.feed_files()
    before.search_index()
    edited = sorted((root / "data").glob("*/20*.yml"))[0]
    untouched = next(p for p in sorted((root / "data").glob("*/20*.yml")) if p.parent.name != edited.parent.name)
    title = load_yaml(edited.read_text(encoding="utf-8")).data["items"][0]["title"]
    edit_first_item(edited, "改动标记")
    edited.write_text(edited.read_text(encoding="utf-8").replace(f"title: {title}\n", f"title: 新{title}\n", 1), encoding="utf-8")
    after = stage.prepare(root, preview=preview)
    full = stage.prepare(root)

    topics = {p.src: p.content for p in after.pages if p.src.startswith("topics/")}
    assert any(f"新{title}" in text for text in topics.values()), "the edited title is on no topic page"
    assert topics == {p.src: p.content for p in full.pages if p.src.startswith("topics/")}
    feeds = after.feed_files()
    assert feeds == full.feed_files()
    assert any("改动标记" in data.decode() for data in feeds.values())
    kept = urls.feed_list(untouched.parent.name, int(untouched.stem))
    assert feeds[kept] is before_feeds[kept], "an untouched list's feed was made again"
    index = after.search_index()
    assert index == full.search_index()
    assert any("改动标记" in data.decode() for path, data in index.items() if "/d/" in path)


def test_a_previews_builds_after_the_first_leave_the_cycle_collector_until_the_page_is_served(monkeypatch):
    """incremental.py: a preview's build after the first runs without cycle collection, which
    runs a moment after it (COLLECT_AFTER_S), unless another build has started by then; a
    plain build and a preview's first build (it makes everything) collect as usual."""
    import gc

    from generator.site import incremental

    monkeypatch.setattr(incremental, "COLLECT_AFTER_S", 0.05)
    try:
        build = incremental.Incremental("build", False)
        build.pause_collector()
        assert gc.isenabled() and build.collector is None
        serve = incremental.Incremental("serve", True)
        serve.pause_collector()
        assert gc.isenabled(), "the first build of a preview paused the collector"
        serve.collect_later()
        serve.pause_collector()
        assert not gc.isenabled()
        serve.collect_later()
        serve.collector.join(5)
        assert gc.isenabled(), "the collector did not run after the build"
        serve.pause_collector()
        serve.collect_later()
        stale = serve.collector
        serve.pause_collector()  # the next edit's build starts before the collection
        stale.join(5)
        assert not gc.isenabled(), "a collection meant for an earlier build ran during the next"
        serve.collect_later()
        serve.collector.join(5)
        assert gc.isenabled()
    finally:
        gc.enable()
