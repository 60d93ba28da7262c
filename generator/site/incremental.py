"""Quick previews: under `mkdocs serve --dirty`, render again only the pages that changed.

MkDocs' `--dirty` skips a page when its output is newer than its source file, but our pages
are generated in memory (`File.generated`), which MkDocs always counts as modified: every
edit re-rendered the whole site (300 items: ~10 s). Here the Markdown of each generated
page is compared with what the previous build in the same `mkdocs serve` process produced,
and unchanged pages report `is_modified() == False`, so MkDocs leaves their HTML in place.

What a dirty build would otherwise get wrong, and how it is kept right:
- the navigation and the theme are in every page: when the nav changes (a city added or
  renamed), or a file in the theme folder or mkdocs.yml changed, everything is rendered again;
- MkDocs warns about dirty builds in general, which `strict: true` turns into a failure; the
  warning is filtered only when a build runs with these guarantees (`on_startup`).

Before MkDocs renders anything, the generator itself makes again only what an edit touches:
`stage.Preview` keeps each list's pages and downloads (and the city and topic pages) with
a stamp of the files they are made from (stage.list_stamps); the whole-dataset downloads
(zip, SQLite, all.json) are left to `make site`, and the data page says so.

Python's cycle collector waits while a preview builds again after an edit: one full pass over
what the preview keeps took a third of an edit's time at 10,000 items (2 of 6 s). It runs a
moment after the build, once the browser has the new page (COLLECT_AFTER_S); reference
counting frees most memory meanwhile, so a build holds at most its own cyclic garbage.

The state lives on an `Incremental` object that the plugin (generator/site/plugin.py) creates
in `on_startup`; MkDocs keeps plugins that have `on_startup` for the whole serve process.
"""

from __future__ import annotations

import gc
import logging
import threading
from pathlib import Path

import jinja2

from generator.site import stage

COLLECT_AFTER_S = 2.0  # after a preview's build: the browser has reloaded the page by then


class _DirtyWarning(logging.Filter):
    """Drop MkDocs' generic "A 'dirty' build is being performed" warning (see module doc)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled theme templates kept for the whole `mkdocs serve` process. MkDocs makes a new
    Jinja environment for every build, which compiled Material's templates again each time;
    the cache checks each template's source checksum, so edits still take effect."""

    def __init__(self):
        self.store: dict = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class Incremental:
    """The state of one `mkdocs serve` process between its builds (held by the plugin,
    which MkDocs keeps for the whole process)."""

    def __init__(self, command: str = "build", dirty: bool = False):
        self.serving = command == "serve"
        self.active = self.serving and bool(dirty)  # `mkdocs serve --dirty`
        self.pages: dict = {}  # src → Markdown of the previous build
        self.site_key: str | None = None
        self.bytecode = _MemoryBytecodeCache()
        self.builds = 0  # the number of preview builds started (collect_later)
        self.collector: threading.Timer | None = None
        # each list's pages and downloads, kept between the builds of `mkdocs serve`
        self.preview = stage.Preview() if self.serving else None
        if self.active:
            quiet_dirty_warning()

    def pause_collector(self) -> None:
        """At the start of a preview's build: no cycle collection until collect_later."""
        if self.serving and self.builds:  # not the first build, which makes everything (and much cyclic garbage)
            gc.disable()
        self.builds += 1

    def collect_later(self) -> None:
        """At the end of a preview's build (or its failure): collect cycles in a moment, unless
        another build has started by then (it will do the same when it ends)."""
        if not self.serving:
            return
        build = self.builds

        def collect() -> None:
            if self.builds == build:
                gc.enable()
                gc.collect()

        timer = threading.Timer(COLLECT_AFTER_S, collect)
        timer.daemon = True
        timer.start()
        self.collector = timer

    def on_env(self, env):
        if self.active:
            env.bytecode_cache = self.bytecode
        return env

    def mark_unchanged(self, files, generated, config) -> None:
        """Make generated pages whose Markdown is the same as in the previous build unmodified."""
        if not self.active:
            return
        key = _site_key(config)
        if key == self.site_key:
            for page in generated:
                if self.pages.get(page.src) == (page.content, page.html):
                    f = files.src_uris.get(page.src)
                    if f is not None:
                        leave_unbuilt(f)
        elif self.pages:  # nav or theme changed: hand-written pages need rendering again too
            for f in files.documentation_pages():
                f.is_modified = _modified
        self.pages = {page.src: (page.content, page.html) for page in generated}
        self.site_key = key


def _site_key(config) -> str:
    """What every page shows besides its own content: the nav, the theme files, mkdocs.yml."""
    stamps = []
    for folder in config["theme"].dirs[:1] if config["theme"].custom_dir else []:
        stamps += sorted((str(p), p.stat().st_mtime_ns) for p in Path(folder).rglob("*") if p.is_file())
    if config.config_file_path:
        stamps.append((config.config_file_path, Path(config.config_file_path).stat().st_mtime_ns))
    return repr((config.get("nav"), stamps))


def quiet_dirty_warning() -> None:
    """Drop MkDocs' generic dirty-build warning, for builds that keep the guarantees above
    (and shards, which skip only other shards' pages: generator/site/shards.py)."""
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _DirtyWarning) for f in logger.filters):
        logger.addFilter(_DirtyWarning())


def leave_unbuilt(f) -> None:
    """Make MkDocs' dirty build skip this file (an instance attribute: only this File)."""
    f.is_modified = _unmodified


def _unmodified() -> bool:
    return False


def _modified() -> bool:
    return True
