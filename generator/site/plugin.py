"""The MkDocs plugin (`ledger` in mkdocs.yml): runs the generator inside `mkdocs build` and
`mkdocs serve`. It is glue only: every decision is made by the modules it calls.

- on_config: load and validate the data (any data error stops the build before anything is
  written), make the downloads (the data page gives their sizes), generate the pages (the
  search page among them), give mkdocs-redirects its map and the navigation its cities;
- on_files: add the generated pages in memory (`File.generated`): no stale files exist;
- on_serve: watch data/ so that editing YAML re-renders the site;
- on_post_build: write the downloads, feeds and the search index (generator/site/searchindex.py)
  next to the pages, and read the index back: a broken index fails the build.

Settings are the plugin's typed options in mkdocs.yml (tests and `make bench` point
`data_dir` elsewhere through MkDocs' own `!ENV` tags there). MkDocs keeps a
plugin with `on_startup` for the whole process, so the state between the builds of one
`mkdocs serve` (generator/site/incremental.py) lives on this object.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import os
import re
import subprocess
import time
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from generator import derive
from generator.core import urls
from generator.data import published
from generator.data.dataset import load_dataset
from generator.exports import downloads
from generator.site import feeds, incremental, searchindex
from generator.site import pages as pages_mod

log = logging.getLogger("mkdocs.plugins.ledger")


class LedgerConfig(base.Config):
    data_dir = c.Dir(exists=True, default=".")  # the folder that holds data/ (and sources/)
    workers = c.Type(int, default=0)  # processes for pages and downloads; 0: one per core, at most 4 (parallel.py)
    edit_base = c.Optional(c.Type(str))  # where "edit this data" links point (a repository blob URL)


class LedgerPlugin(BasePlugin[LedgerConfig]):
    def __init__(self):
        self.incremental = incremental.Incremental()
        self.ds = None
        self.generated: list = []
        self.downloads: dict = {}  # {path: bytes}: made in on_config, written in on_post_build
        self._epoch_before: str | None = None
        self.build_date: dt.date | None = None  # what ages are measured against (derive.build_date)

    def on_startup(self, *, command, dirty):
        self.incremental = incremental.Incremental(command, dirty)

    def on_config(self, config):
        # under `mkdocs serve`, data is loaded again and again: nothing may be frozen for good
        ds = load_dataset(self.config.data_dir, freeze=not self.incremental.serving)
        for p in ds.warnings:
            log.info("data: %s", p)
        if ds.errors:
            for p in ds.errors:
                log.error("%s", p)
            raise PluginError(f"{len(ds.errors)} data error(s): fix them (see above, or run `make validate`) — nothing was built.")
        self._check_published(ds)
        self._set_source_date_epoch(ds)
        edit_base = self.config.edit_base or repository_blob_url(Path(self.config.data_dir), os.environ)
        self.build_date = derive.build_date([lf.data for lf in ds.lists.values()], os.environ.get("SOURCE_DATE_EPOCH"))
        site_url = config.get("site_url") or ""
        # the downloads are made here, before the pages: the data page lists each with its size
        self.downloads = downloads.export_files(ds, site_url, self.config.workers, self.build_date)
        site = pages_mod.Site(ds, edit_base=edit_base, site_url=site_url, workers=self.config.workers, build_date=self.build_date, downloads=self.downloads)
        self.ds, self.generated = ds, site.pages()
        if not self.incremental.serving:  # one build per process: the data and pages live until the end,
            gc.freeze()  # so keep the cycle collector from walking them on every pass
        self.generated.append(pages_mod.Page(urls.search_src(), pages_mod.search_page()))
        redirects = config["plugins"].get("redirects")
        if redirects is None:
            raise PluginError("mkdocs.yml must list the `redirects` plugin: old item URLs would break.")
        redirects.config["redirect_maps"] = {**redirects.config.get("redirect_maps", {}), **published.redirect_map(ds)}
        if config.get("nav") is not None:
            config["nav"] = _expand_nav(config["nav"], pages_mod.nav_entries(ds))
        return config

    def _check_published(self, ds) -> None:
        """The build refuses a published id that vanished, as `make validate` does: a file can
        change between the two, and a page journalists link to must not quietly disappear."""
        try:
            gone = published.check_against_git(ds, Path(self.config.data_dir))
        except published.GitError as exc:
            raise PluginError(f"{exc} — nothing was built.") from None
        if gone:
            for p in gone:
                log.error("%s", p)
            raise PluginError(f"{len(gone)} published page(s) would disappear: fix them (see above, or run `make validate`) — nothing was built.")

    def _set_source_date_epoch(self, ds) -> None:
        """Reproducible builds: MkDocs dates the sitemap (and sitemap.xml.gz's header) from the
        SOURCE_DATE_EPOCH environment variable, else from the clock, and offers no other way
        to set it. `make site` sets it from the last commit; when it is not set, the newest
        date in the data stands in for this build, and the variable is put back afterwards."""
        self._epoch_before = os.environ.get("SOURCE_DATE_EPOCH")
        if self._epoch_before:
            return
        newest = derive.newest_data_date(lf.data for lf in ds.lists.values())
        os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp()))

    def _restore_source_date_epoch(self) -> None:
        if not self._epoch_before:
            os.environ.pop("SOURCE_DATE_EPOCH", None)

    @event_priority(50)  # before other plugins (mkdocs-redirects checks its targets among the files)
    def on_files(self, files, config):
        for page in self.generated:
            if files.get_file_from_path(page.src) is not None:
                raise PluginError(
                    f"content/{page.src} and the page generated from {_origin(page.src)} have the same address "
                    f"/{urls.from_src(page.src)}: move or rename content/{page.src}"
                )
            files.append(File.generated(config, page.src, content=page.content))
        self.incremental.mark_unchanged(files, self.generated, config)  # `mkdocs serve --dirty`
        return files

    def on_env(self, env, config, files):
        return self.incremental.on_env(env)

    def on_serve(self, server, config, builder):
        server.watch(str(Path(self.config.data_dir) / "data"))
        server.watch(str(Path(__file__).parent.parent))  # the generator: its code and templates
        return server

    def on_post_build(self, config):
        """Write the downloads (made in on_config), the Atom feeds and the search index next to
        the pages; the index is read back before the build counts as done."""
        self._restore_source_date_epoch()
        if self.ds is None:
            return
        site_url = config.get("site_url") or ""
        out = Path(config["site_dir"])
        started = time.perf_counter()
        index = searchindex.build(self.ds, self.build_date)
        index_s = time.perf_counter() - started
        for rel, data in sorted({**self.downloads, **feeds.feed_files(self.ds, site_url), **index}.items()):
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            searchindex.verify(out)
        except searchindex.IndexBroken as exc:
            raise PluginError(f"the search index written to {out / urls.search_data()} is broken: {exc}") from None
        n_docs = json.loads(index[urls.search_meta()])["docs"]
        log.info("search: indexed %d pages in %.1f s", n_docs, index_s)

    def on_build_error(self, *, error):
        self._restore_source_date_epoch()


_GITHUB_REMOTE = re.compile(r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def repository_blob_url(root: Path, env) -> str | None:
    """Where this copy's data files can be edited on GitHub: the repository CI builds
    (GITHUB_REPOSITORY, branch GITHUB_REF_NAME), else the git remote `origin`; None when
    neither is a GitHub repository. A fork's site thus links to the fork, not to us."""
    repo, branch = env.get("GITHUB_REPOSITORY"), env.get("GITHUB_BASE_REF") or env.get("GITHUB_REF_NAME") or "main"  # (a pull request: its base)
    if not repo:
        try:
            result = subprocess.run(["git", "-C", str(root), "remote", "get-url", "origin"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        found = _GITHUB_REMOTE.match(result.stdout.strip()) if result.returncode == 0 else None
        repo = found.group(1) if found else None
    return f"https://github.com/{repo}/blob/{branch}" if repo else None


def _origin(src: str) -> str:
    """The data a generated page comes from, for messages: data/topics.yml, data/<city>/…"""
    first = src.split("/", 1)[0]
    return "data/topics.yml" if first == urls.topics().strip("/") else f"data/{first.removesuffix('.md')}/"


def _expand_nav(nav, cities):
    """Replace the `CITIES` placeholder in mkdocs.yml's nav with one entry per city."""
    out = []
    for entry in nav:
        if isinstance(entry, dict):
            ((title, value),) = entry.items()
            if value == "CITIES":
                out.append({title: cities})
                continue
            if isinstance(value, list):
                out.append({title: _expand_nav(value, cities)})
                continue
        out.append(entry)
    return out
