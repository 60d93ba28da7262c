"""The pages as a stage of their own: from the data folder to everything a site builder needs.

`prepare()` loads and checks the data and makes the generated pages (Markdown, in memory),
the downloads, the feeds and the search index: this is the whole generator, and it knows
nothing of MkDocs. Two callers use it:

- the MkDocs plugin (plugin.py), the default build: it hands the pages to MkDocs in memory
  (the fast path) and writes the other files next to the built pages;
- `python -m generator pages OUT/` (`make pages`, `write_tree()`): the complete docs tree
  on disk: OUT/docs/ (content/, the generated pages, downloads, feeds, search index),
  OUT/overrides/ (theme_overrides/) and OUT/mkdocs.yml without our plugin, so that any
  builder that reads mkdocs.yml (MkDocs, ProperDocs, Zensical) can build the site from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import derive
from generator.core import urls
from generator.core.kept import Kept
from generator.core.problems import Problem
from generator.core.spool import Spool
from generator.data import published
from generator.data.dataset import CACHE_FOLDER, Dataset, load_dataset
from generator.exports import downloads as downloads_mod
from generator.site import feeds, qr, searchindex
from generator.site import pages as pages_mod

REPOSITORY_MARK = "<!-- ledger:repository -->"  # in a hand-written page: Stage.fill_in
NO_REPOSITORY = "这个网站副本生成时不知道它来自哪个 GitHub 仓库，请向发布它的人询问。"
HTML_WAITING = ".pages-html"  # in a build's spool folder: never moved into the site (Spool.move_into moves the downloads)


class Refused(Exception):
    """The data cannot be published: `problems` say why (nothing was generated)."""

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


@dataclass
class Stage:
    """Everything the generator makes for one build."""

    ds: Dataset
    build_date: dt.date
    site_url: str
    pages: list[pages_mod.Page]  # every generated page, the search page among them
    downloads: MutableMapping[str, bytes]  # path under the site → bytes (a dict, or a Spool on disk); the data page lists their sizes
    shard: tuple[int, int] | str | None = None  # shards.parse: None, "site" or (k, n)
    preview: Preview | None = None  # what a preview keeps between builds, with each list's stamp
    stamps: dict | None = None
    repository: str | None = None  # the GitHub repository the site is built from (urls.repository), if known

    @property
    def site_wide(self) -> bool:
        """Whether this build writes the files that need the whole dataset (downloads, feeds, index)."""
        return self.shard is None or self.shard == "site"

    def fill_in(self, markdown: str) -> str:
        """A hand-written page with the address of the repository this copy is built from in
        place of REPOSITORY_MARK (content/about/index.md): a fork's site names the fork."""
        if REPOSITORY_MARK not in markdown:
            return markdown
        named = f"<{self.repository}>" if self.repository else NO_REPOSITORY
        return markdown.replace(REPOSITORY_MARK, named)

    def redirects(self) -> dict[str, str]:
        """mkdocs-redirects' map: old item and city addresses → their pages."""
        return published.redirect_map(self.ds)

    def nav(self, nav: list | None) -> list | None:
        """mkdocs.yml's nav with its `CITIES` placeholder replaced by one entry per city."""
        return None if nav is None else _expand_nav(nav, pages_mod.nav_entries(self.ds))

    def feed_files(self) -> dict[str, bytes]:
        return feeds.feed_files(self.ds, self.site_url, self.stamps, self.preview.feeds if self.preview else None)

    def search_index(self) -> dict[str, bytes]:
        return searchindex.build(self.ds, self.build_date, self.stamps, self.preview.search if self.preview else None)

    def other_files(self) -> dict[str, bytes]:
        """The files besides the pages: downloads, Atom feeds and the search index."""
        return {**self.downloads, **self.feed_files(), **self.search_index()}

    def write_other_files(self, out: Path, index: dict[str, bytes] | None = None) -> None:
        """Write the downloads, feeds and search index (`index`, when made already) under
        `out`; spooled downloads are moved there."""
        index = self.search_index() if index is None else index
        files: dict[str, bytes] = {**self.feed_files(), **index}
        if isinstance(self.downloads, Spool):
            self.downloads.move_into(out)
        else:
            files = {**self.downloads, **files}
        for rel, data in sorted(files.items()):
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


@dataclass
class Preview:
    """What a preview (`mkdocs serve`) keeps between its builds, so that an edit makes again
    only what it touches: each list's pages, downloads, feeds and search documents, with the
    stamp they were made for."""

    pages: Kept = field(default_factory=Kept)  # ("list", key) → [Page]; city and topic pages, topic pages' table groups
    downloads: Kept = field(default_factory=Kept)  # list key → {path: bytes}
    feeds: Kept = field(default_factory=Kept)  # list key → its entries in the site and city feeds, and its own feeds
    search: Kept = field(default_factory=Kept)  # list key → its items' search documents
    converted: dict = field(default_factory=dict)  # src → (digest of its Markdown, Page with its HTML): pages made again but unchanged
    lists: dict = field(default_factory=dict)  # the content cache's entries and lists as read (ListCache memo): unchanged files are not read again


def prepare(
    root: Path, *, site_url: str = "", workers: int = 0, edit_base: str | None = None, preview: Preview | None = None, to_html=None, shard=None, spool: Spool | None = None, env=os.environ
) -> Stage:
    """Load and check the data under `root`, then generate. Raises Refused on any data error
    or a published page that would disappear: nothing is made from data that fails a check.
    With `preview`, unchanged lists keep their pages and downloads from the previous build,
    and the whole-dataset downloads are left to `make site`. With `to_html` (Site.to_html),
    every page comes with its HTML, made where the page is made. With `shard` (shards.parse),
    only that shard's pages are made, the others are placeholders; downloads are the site-wide
    shard's. With `spool`, the downloads go to disk as they are made (only sizes stay in memory),
    and so does the list pages' HTML (Page.set_aside), removed with the spool."""
    ds = load_dataset(root, freeze=preview is None, memo=preview.lists if preview else None)  # a preview loads the data again and again
    if ds.errors:
        raise Refused(f"{len(ds.errors)} data error(s): fix them (see above, or run `make validate`) — nothing was built.", ds.errors)
    try:
        gone = published.check_against_git(ds, Path(root))
    except published.GitError as exc:
        raise Refused(f"{exc} — nothing was built.", []) from None
    if gone:  # checked again here: a file can change between `make validate` and the build
        raise Refused(f"{len(gone)} published page(s) would disappear: fix them (see above, or run `make validate`) — nothing was built.", gone)
    edit_base = edit_base or repository_blob_url(Path(root), env)
    build_date = derive.build_date([lf.data for lf in ds.lists.values()], env.get("SOURCE_DATE_EPOCH"))
    site = pages_mod.Site(ds, edit_base=edit_base, site_url=site_url, workers=workers, build_date=build_date)
    site.to_html = to_html
    qr.cache_in(Path(root) / CACHE_FOLDER / "qr")  # beside the data's content cache
    stamps = list_stamps(site, Path(root)) if preview is not None else None
    # the downloads are made before the pages: the data page lists each with its size
    made = downloads_mod.export_files(ds, site_url, workers, build_date, stamps, preview.downloads if preview else None, spool) if shard in (None, "site") else {}
    site.downloads = made
    if preview is not None:
        site.stamps, site.kept, site.converted = stamps, preview.pages, preview.converted
    if spool is not None and to_html is not None:  # the list pages' HTML waits beside the downloads (Page.set_aside)
        site.html_folder = str(spool.folder / HTML_WAITING)
        os.makedirs(site.html_folder, exist_ok=True)
    pages = site.pages(shard)
    return Stage(ds, build_date, site_url, pages, made, shard, preview, stamps, urls.repository(edit_base))


def list_stamps(site: pages_mod.Site, root: Path) -> dict:
    """{list key: a digest of everything its pages and downloads are made from}: its year file,
    its city's city.yml, the lists its items name or are named by, its archived sources,
    topics.yml, the templates, and the build's own settings and dates."""
    templates = Path(pages_mod.__file__).parent.parent / "templates"
    common = hashlib.sha256(repr((site.build_date, site.newest, site.edit_base, site.site_url)).encode())
    for path in sorted(templates.rglob("*")):
        common.update(f"{path.name}:{path.stat().st_mtime_ns}".encode())
    topics = root / "data" / "topics.yml"
    common.update(topics.read_bytes() if topics.exists() else b"")
    out = {}
    for key, lf in site.ds.lists.items():
        digest = common.copy()
        paths = [lf.path, f"data/{key[0]}/city.yml"]
        paths += [site.ds.lists[k].path for k in sorted(site.related_lists(key)) if k in site.ds.lists]
        paths += sorted({s.archive for s in lf.data.sources if s.archive})
        for rel in paths:
            file = root / rel
            digest.update(rel.encode() + b"\0" + (file.read_bytes() if file.is_file() else b""))
        out[key] = digest.hexdigest()
    return out


# --- the docs tree on disk -----------------------------------------------------------


def write_tree(stage: Stage, config_file: Path, out: Path) -> Path:
    """Write the complete docs tree into `out` (emptied first) and return its mkdocs.yml.
    Hand-written pages and generated ones share one folder, as in the plugin's build: an
    address taken by both is refused, never silently overwritten."""
    config = read_config(config_file)
    base = config_file.parent
    docs_dir = base / config.get("docs_dir", "docs")
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    shutil.copytree(docs_dir, docs)
    for path in docs.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if REPOSITORY_MARK in text:
            path.write_text(stage.fill_in(text), encoding="utf-8")
    for page in stage.pages:
        path = docs / page.src
        if path.exists():
            raise Refused(clash(docs_dir.name, page), [])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.content, encoding="utf-8")
    stage.write_other_files(docs)
    searchindex.verify(docs)  # raises searchindex.IndexBroken
    theme = config.get("theme", {})
    if theme.get("custom_dir"):
        shutil.copytree(base / theme["custom_dir"], out / "overrides")
        theme["custom_dir"] = "overrides"
    config["docs_dir"], config["site_dir"] = "docs", "site"
    config["nav"] = stage.nav(config.get("nav"))
    config["plugins"] = [_plugin_entry(p, stage) for p in config.get("plugins", []) if _plugin_name(p) != "ledger"]
    # our own search (searchindex.py) is the site's search: a builder's own (Zensical's is on
    # unless told otherwise) would put a second search box in the header
    if not any(_plugin_name(p) == "search" for p in config["plugins"]):
        config["plugins"].append({"search": {"enabled": False}})
    target = out / "mkdocs.yml"
    header = "# Written by `python -m generator pages` from the project's mkdocs.yml: the generated site without\n# the ledger plugin, for any builder that reads mkdocs.yml. Do not edit: it is made again.\n"
    target.write_text(header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return target


def clash(docs_name: str, page: pages_mod.Page) -> str:
    """The message for a hand-written page at the address of a generated one."""
    first = page.src.split("/", 1)[0]
    origin = "data/topics.yml" if first == urls.topics().strip("/") else f"data/{first.removesuffix('.md')}/"
    return f"{docs_name}/{page.src} and the page generated from {origin} have the same address /{page.url}: move or rename {docs_name}/{page.src}"


def read_config(path: Path) -> dict:
    """mkdocs.yml as plain data, its `!ENV [NAME, default]` tags resolved from the environment."""

    class Loader(yaml.SafeLoader):
        pass

    def env_tag(loader, node):
        names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node), None]
        *variables, default = names
        for name in variables:
            if name in os.environ:
                return yaml.safe_load(os.environ[name]) if os.environ[name] else os.environ[name]
        return default

    Loader.add_constructor("!ENV", env_tag)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # a SafeLoader with one tag more


def _plugin_name(entry) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else entry


def _plugin_entry(entry, stage: Stage):
    if _plugin_name(entry) != "redirects":
        return entry
    options = dict(entry.get("redirects") or {}) if isinstance(entry, dict) else {}
    options["redirect_maps"] = {**options.get("redirect_maps", {}), **stage.redirects()}
    return {"redirects": options}


def _expand_nav(nav, cities):
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
