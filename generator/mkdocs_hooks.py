"""MkDocs hooks: run the generator inside `mkdocs build` / `mkdocs serve`.

- on_startup/on_config: check jieba (Chinese search) and load + validate the data; any data
  error stops the build before anything is written;
- on_files: add the generated pages in memory (`File.generated`), so no stale files exist;
- on_serve: watch data/ so that editing YAML re-renders the site.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs imports hook files by path, not as package modules
    sys.path.insert(0, str(ROOT))

from generator import exports, feeds, published  # noqa: E402
from generator import pages as pages_mod  # noqa: E402
from generator import incremental, sitesearch  # noqa: E402
from generator.dataset import load_dataset, walk_items  # noqa: E402

log = logging.getLogger("mkdocs.minsheng")
_state: dict = {}


def _require_jieba():
    try:
        import jieba
    except ImportError:  # Material would silently index Chinese as one long word
        raise PluginError("jieba is not installed: Chinese search would not work. Run `make venv` (pip install -r requirements.txt).") from None
    jieba.setLogLevel(logging.WARNING)
    return jieba


def on_config(config):
    jieba = _require_jieba()
    root = Path(os.environ.get("MINSHENG_ROOT", ROOT))
    # under `mkdocs serve --dirty`: parse only edited files; under any serve, data is loaded again and again
    ds = load_dataset(root, freeze=not incremental.serving())
    for p in ds.warnings:
        log.info("data: %s", p)
    if ds.errors:
        for p in ds.errors:
            log.error("%s", p)
        raise PluginError(f"{len(ds.errors)} data error(s): fix them (see above, or run `make validate`) — nothing was built.")
    _default_source_date_epoch(ds)
    for word in search_words(ds):  # our domain words as single search tokens
        jieba.add_word(word, freq=2000)
    extra = config["extra"]
    site = pages_mod.Site(ds, edit_base=extra.get("data_edit_base"), site_url=config.get("site_url") or "")
    generated = site.pages()
    _state.update(ds=ds, site=site, pages=generated)
    if not incremental.serving():  # one build per process: the data and pages live until the end,
        gc.freeze()  # so keep the cycle collector from walking them on every pass
    _choose_search(config, ds, generated)
    _add_redirects(config, ds)
    nav = config.get("nav")
    if nav is not None:
        config["nav"] = _expand_nav(nav, pages_mod.nav_entries(ds))
    return config


def _add_redirects(config, ds) -> None:
    """Give mkdocs-redirects the old → new page map declared in the data (`redirect_from`)."""
    plugin = config["plugins"].get("redirects")
    if plugin is None:
        raise PluginError("mkdocs.yml must list the `redirects` plugin: old item URLs would break.")
    plugin.config["redirect_maps"] = {**plugin.config.get("redirect_maps", {}), **published.redirect_map(ds)}


def _default_source_date_epoch(ds) -> None:
    """Reproducible builds: MkDocs dates the sitemap (and sitemap.xml.gz's header) from
    SOURCE_DATE_EPOCH, else from the clock. `make site` sets it from the last commit; when it
    is not set, the newest date in the data stands in, so the same data builds the same bytes."""
    if os.environ.get("SOURCE_DATE_EPOCH") and not _state.get("epoch_from_data"):
        return
    dates = [dt.date(1970, 1, 1)]
    for lf in ds.lists.values():
        pl = lf.data
        dates += [s.date for s in pl.sources] + [r.published for r in pl.reports] + ([pl.published] if pl.published else [])
    newest = max(dates)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone.utc).timestamp()))
    _state["epoch_from_data"] = True


def search_words(ds) -> list[str]:
    """Topic keywords that become single search tokens.

    A word that contains a shorter domain word (老年助餐 ⊃ 助餐) is left out: Material's
    search matches token prefixes only, so the compound would hide the shorter word.
    """
    userdict = ROOT / "search" / "userdict.txt"
    words = {line.split()[0] for line in userdict.read_text(encoding="utf-8").splitlines() if line.strip()}
    for topic in ds.topics.values():
        words.update(k for k in topic.keywords if len(k) > 1)
    return sorted(w for w in words if not any(o != w and o in w for o in words))


def _expand_nav(nav, cities):
    """Replace the `CITIES` placeholder in mkdocs.yml's nav with one entry per city."""
    out = []
    for entry in nav:
        if isinstance(entry, dict):
            (title, value), = entry.items()
            if value == "CITIES":
                out.append({title: cities})
                continue
            if isinstance(value, list):
                out.append({title: _expand_nav(value, cities)})
                continue
        out.append(entry)
    return out


@event_priority(50)  # before plugins (mkdocs-redirects checks its targets among the files)
def on_files(files, config):
    for page in _state.get("pages", []):
        existing = files.get_file_from_path(page.src)
        if existing is not None:
            raise PluginError(f"content/{page.src} would hide a generated page; rename it")
        files.append(File.generated(config, page.src, content=page.content))
    incremental.mark_unchanged(files, _state.get("pages", []), config)  # `mkdocs serve --dirty`
    incremental.carry_search_entries(files, config)
    return files


def _choose_search(config, ds, generated) -> None:
    """Material's search up to a few thousand item pages, Pagefind beyond (generator/sitesearch.py)."""
    n_item_pages = sum(1 for lf in ds.lists.values() for _ in walk_items(lf.data.items))
    try:
        engine = sitesearch.choose_engine(n_item_pages)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    sitesearch.configure(config, engine)
    _state["search"] = engine
    if engine == "pagefind":
        generated.append(pages_mod.Page(sitesearch.SEARCH_PAGE, sitesearch.search_page()))
    log.info("search: %s (%d item pages; %s=auto switches to Pagefind above %d)", engine, n_item_pages, sitesearch.ENV, sitesearch.PAGEFIND_THRESHOLD)


def on_startup(command, dirty):
    incremental.on_startup(command, dirty)


def on_env(env, config, files):
    return incremental.on_env(env)


def on_serve(server, config, builder):
    server.watch(str(Path(os.environ.get("MINSHENG_ROOT", ROOT)) / "data"))
    server.watch(str(Path(__file__).parent))
    return server


def on_post_build(config):
    """Write the downloads (JSON, CSV, schema) and Atom feeds next to the pages."""
    ds = _state.get("ds")
    if ds is None:
        return
    site_url = config.get("site_url") or ""
    out = Path(config["site_dir"])
    files = {**exports.export_files(ds, site_url), **feeds.feed_files(ds, site_url)}
    for rel, data in sorted(files.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if _state.get("search") == "pagefind":
        started = time.perf_counter()
        try:
            n = sitesearch.run_pagefind(out)
        except Exception as exc:  # the site would have no working search
            raise PluginError(f"Pagefind indexing failed: {exc}") from exc
        log.info("search: Pagefind indexed %d pages into %s in %.1f s", n, out / "pagefind", time.perf_counter() - started)
