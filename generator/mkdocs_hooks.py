"""MkDocs hooks: run the generator inside `mkdocs build` / `mkdocs serve`.

- on_startup/on_config: check jieba (Chinese search) and load + validate the data; any data
  error stops the build before anything is written;
- on_files: add the generated pages in memory (`File.generated`), so no stale files exist;
- on_serve: watch data/ so that editing YAML re-renders the site.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs imports hook files by path, not as package modules
    sys.path.insert(0, str(ROOT))

from generator import exports, feeds, published  # noqa: E402
from generator import pages as pages_mod  # noqa: E402
from generator.validate import load_dataset  # noqa: E402

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
    ds = load_dataset(root)
    for p in ds.warnings:
        log.info("data: %s", p)
    if ds.errors:
        for p in ds.errors:
            log.error("%s", p)
        raise PluginError(f"{len(ds.errors)} data error(s): fix them (see above, or run `make validate`) — nothing was built.")
    for word in search_words(ds):  # our domain words as single search tokens
        jieba.add_word(word, freq=2000)
    extra = config["extra"]
    site = pages_mod.Site(ds, edit_base=extra.get("data_edit_base"), site_url=config.get("site_url") or "")
    generated = site.pages()
    _state.update(ds=ds, site=site, pages=generated)
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
    return files


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
