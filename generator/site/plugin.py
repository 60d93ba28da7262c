"""The MkDocs plugin (`ledger` in mkdocs.yml): an adapter from MkDocs' events to the pages
stage (generator/site/stage.py), which makes everything. What is left here is MkDocs' own:

- on_config: run the stage (any data error stops the build before anything is written),
  give mkdocs-redirects its map and the navigation its cities;
- on_files: add the generated pages in memory (`File.generated`: the fast path, no stale
  files on disk);
- on_page_content / on_page_context: a generated page's HTML is made already; MkDocs gets
  it only just before it renders that page (a full build keeps the list pages' HTML on disk
  until then, Page.set_aside);
- on_serve: watch data/ so that editing YAML re-renders the site, and make a failed rebuild
  show its problems in the browser instead of leaving requests waiting (serving.py);
- on_post_build: write the downloads, feeds and the search index next to the pages, and
  read the index back: a broken index fails the build.

`python -m generator pages OUT/` writes the same stage to disk for other builders instead.
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
import tempfile
import time
from pathlib import Path

import markdown
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

from generator import derive
from generator.core import urls
from generator.core.spool import Spool
from generator.site import incremental, rawblocks, searchindex, serving, shards, stage

log = logging.getLogger("mkdocs.plugins.ledger")


class LedgerConfig(base.Config):
    data_dir = c.Dir(exists=True, default=".")  # the folder that holds data/ (and sources/)
    workers = c.Type(int, default=0)  # processes for pages and downloads; 0: one per core, at most 4 (parallel.py)
    edit_base = c.Optional(c.Type(str))  # where "edit this data" links point (a repository blob URL)
    shard = c.Type(str, default="")  # a sharded build's part: K/N or `site` (generator/site/shards.py); "": all


class LedgerPlugin(BasePlugin[LedgerConfig]):
    def __init__(self):
        self.incremental = incremental.Incremental()
        self.stage: stage.Stage | None = None
        self.dirty = False
        self._written: dict = {}  # under `mkdocs serve`: kind → {path: bytes} of the files the last build wrote
        self.made_html: dict = {}  # src → generated Page whose HTML the stage made (markdown_converter)
        self.spool: Spool | None = None  # where this build's downloads and list pages' HTML wait (_spool)
        self._epoch_before: str | None = None
        self._epoch_set = False  # whether SOURCE_DATE_EPOCH is ours until restored
        self.code = ""  # under `mkdocs serve`: serving.code_digest() at start

    def on_startup(self, *, command, dirty):
        self.incremental = incremental.Incremental(command, dirty)
        self.dirty = dirty
        if self.incremental.serving:
            self.code = serving.code_digest()

    def on_config(self, config):
        self.incremental.pause_collector()
        try:
            shard = shards.parse(self.config.shard)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        if shard is not None and not self.dirty:
            raise PluginError("a shard is built with --dirty, so that MkDocs skips the pages of the other shards (python -m generator.site.shards does)")
        if shard is not None:
            incremental.quiet_dirty_warning()
        self.spool = self._spool()
        try:
            made = stage.prepare(
                Path(self.config.data_dir),
                site_url=config.get("site_url") or "",
                workers=self.config.workers,
                edit_base=self.config.edit_base,
                preview=self.incremental.preview,
                to_html=markdown_converter(config),
                shard=shard,
                spool=self.spool,
            )
        except stage.Refused as exc:
            self._discard_spool()
            for p in exc.problems:
                log.error("%s", p)
            raise PluginError(str(exc)) from None
        except BaseException:
            self._discard_spool()
            raise
        for p in made.ds.warnings:
            log.info("data: %s", p)
        self.stage = made
        self.made_html = {page.src: page for page in made.pages if page.html is not None or page.set_aside is not None}
        self._set_source_date_epoch(made.build_date)
        if not self.incremental.serving:  # one build per process: the data and pages live until the end,
            gc.freeze()  # so keep the cycle collector from walking them on every pass
        redirects = config["plugins"].get("redirects")
        if redirects is None:
            raise PluginError("mkdocs.yml must list the `redirects` plugin: old item URLs would break.")
        redirects.config["redirect_maps"] = {**redirects.config.get("redirect_maps", {}), **made.redirects()}
        config["nav"] = made.nav(config.get("nav"))
        return config

    def _spool(self) -> Spool | None:
        """Where a build's downloads wait for on_post_build, on disk (a preview keeps them in
        memory, to reuse them): .cache/ledger/ of the data folder."""
        if self.incremental.serving:
            return None
        cache = Path(self.config.data_dir) / ".cache" / "ledger"
        cache.mkdir(parents=True, exist_ok=True)
        return Spool(Path(tempfile.mkdtemp(prefix="downloads-", dir=cache)))

    def _discard_spool(self) -> None:
        if self.spool is not None:
            self.spool.discard()

    def _set_source_date_epoch(self, day: dt.date) -> None:
        """Reproducible builds: MkDocs dates the sitemap (and sitemap.xml.gz's header) from the
        SOURCE_DATE_EPOCH environment variable, else from the clock, and offers no other way
        to set it. So it is set to the build's date (derive.build_date: the variable's own
        date, never earlier than the newest in the data) for this build, and put back afterwards."""
        self._epoch_before = os.environ.get("SOURCE_DATE_EPOCH")
        given = derive.epoch_date(self._epoch_before)
        if given is not None and given < day:
            log.info("SOURCE_DATE_EPOCH is %s, before the newest official document in the data: the site is dated %s", given, day)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))
        self._epoch_set = True

    def _restore_source_date_epoch(self) -> None:
        if not self._epoch_set:
            return
        self._epoch_set = False
        if self._epoch_before:
            os.environ["SOURCE_DATE_EPOCH"] = self._epoch_before
        else:
            os.environ.pop("SOURCE_DATE_EPOCH", None)

    @event_priority(50)  # before other plugins (mkdocs-redirects checks its targets among the files)
    def on_files(self, files, config):
        if self.stage is None:
            return files
        others_only = isinstance(self.stage.shard, tuple)  # a part of cities: the site-wide shard has the rest
        if others_only:
            for f in files:  # hand-written pages, theme and static files
                incremental.leave_unbuilt(f)
        for page in self.stage.pages:
            if page.file:  # a finished HTML file (the embed cards): written in on_post_build
                continue
            if page.src in files.src_uris:  # (src_uris: get_file_from_path makes a PurePath of each of 10,000 addresses)
                raise PluginError(stage.clash(Path(config["docs_dir"]).name, page))
            f = File.generated(config, page.src, content=page.content)
            if not page.made:  # another shard's page: listed (nav, sitemap), not built here
                incremental.leave_unbuilt(f)
            files.append(f)
        self.incremental.mark_unchanged(files, self.stage.pages, config)  # `mkdocs serve --dirty`
        return files

    def on_page_markdown(self, markdown, page, config, files):
        """A generated page's HTML is made already: MkDocs has nothing to convert. A hand-written
        page may name the repository (Stage.fill_in)."""
        if page.file.src_uri in self.made_html:
            return ""
        return self.stage.fill_in(markdown) if self.stage else markdown

    def on_page_content(self, html, page, config, files):
        """A generated page's HTML is not given to MkDocs yet: MkDocs reads every page before it
        writes any, and would hold the whole site's HTML at once. Only its headings."""
        made = self.made_html.get(page.file.src_uri)
        if made is None:
            return html
        page.toc = get_toc(made.toc or [])
        if not self.incremental.serving:
            made.toc = None
        return ""

    def on_page_context(self, context, page, config, nav):
        """Just before MkDocs renders a generated page: its HTML, from the stage (or from the
        disk, where a full build set the list pages' HTML aside), read once, and its ids for
        MkDocs' check of links to anchors (which runs after every page is written)."""
        made = self.made_html.get(page.file.src_uri)
        if made is not None:
            page.content = made.body()
            page.present_anchor_ids = set(_ID.findall(page.content or ""))
            if not self.incremental.serving:  # a full build writes each page once; a preview keeps it for the next build
                made.html = made.set_aside = None
        return context

    def on_post_page(self, output, page, config):
        """A page written is a page MkDocs no longer needs the HTML of (the nav holds titles)."""
        page.content = None
        return output

    def on_env(self, env, config, files):
        return self.incremental.on_env(env)

    def on_serve(self, server, config, builder):
        server.watch(str(Path(self.config.data_dir) / "data"))
        server.watch(str(Path(__file__).parent.parent))  # the generator: its code and templates
        serving.Guard(server, self.code)
        return server

    def on_post_build(self, config):
        """Write the downloads (made in on_config), the Atom feeds and the search index next to
        the pages; the index is read back before the build counts as done."""
        try:
            self._write_other_files(config)
        finally:
            self._discard_spool()  # what is left of it: the pages' HTML, and all of it in a part of cities
            self.incremental.collect_later()

    def _write_other_files(self, config) -> None:
        self._restore_source_date_epoch()
        if self.stage is None:
            return
        out = Path(config["site_dir"])
        self._write_files(out, {page.src: page.content.encode("utf-8") for page in self.stage.pages if page.file and page.made}, "pages")
        if not self.stage.site_wide:
            return
        started = time.perf_counter()
        index = self.stage.search_index()
        index_s = time.perf_counter() - started
        written = None
        if self.incremental.serving:
            written = self._write_files(out, {**self.stage.downloads, **self.stage.feed_files(), **index}, "other")
        else:
            self.stage.write_other_files(out, index)
        try:
            searchindex.verify(out, written)
        except searchindex.IndexBroken as exc:
            raise PluginError(f"the search index written to {out / urls.search_data()} is broken: {exc}") from None
        n_docs = json.loads(index[urls.search_meta()])["docs"]
        log.info("search: indexed %d pages in %.1f s", n_docs, index_s)

    def _write_files(self, out: Path, files: dict[str, bytes], kind: str) -> set[str]:
        """Write files under the site; a preview rewrites only those an edit changed. Returns
        the paths written."""
        before = self._written.get(kind, {}) if self.incremental.serving else {}
        written = set()
        for rel, data in sorted(files.items()):
            path = os.path.join(out, rel)  # os.path, not pathlib: 20,000 files an edit at 10,000 items
            if before.get(rel) == data and os.path.exists(path):
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            written.add(rel)
        if self.incremental.serving:
            self._written[kind] = files
        return written

    def on_build_error(self, *, error):  # MkDocs calls it for an error in any event from on_config on
        self.incremental.collect_later()
        self._restore_source_date_epoch()
        self._discard_spool()


_ID = re.compile(r'\bid="([^"]+)"')


def markdown_converter(config):
    """Site.to_html: a generated page's Markdown → (its front matter, its body as HTML, its
    toc tokens), converted as MkDocs would (the same extensions and settings; MkDocs' own
    link rewriting has nothing to do on pages whose links urls.relative made), with the
    templates' HTML blocks set aside whole (rawblocks.py) instead of parsed again. The
    generator calls it where it makes each page (in the workers of parallel.py)."""
    converter: list = []

    def to_html(text: str) -> tuple[str, str, list]:
        if not converter:  # one per process: a forked worker makes its own
            extensions = [*config["markdown_extensions"], rawblocks.GeneratedHtml()]
            converter.append(markdown.Markdown(extensions=extensions, extension_configs=config["mdx_configs"] or {}))
        md = converter[0]
        md.reset()
        body, _ = get_data(text)
        return text[: len(text) - len(body)], md.convert(body), list(getattr(md, "toc_tokens", []))

    return to_html
