"""Permanent URLs: ids that are already public must not disappear without a redirect.

An item URL `/<city>/<year>/<id>/` is cited by journalists, so once an id has been
published it must keep working. "Published" means: present in the data of a git revision
that has landed (by default `origin/main` and `HEAD`, whichever exist). Comparing with git
needs no hand-kept registry that maintainers could forget to update.

For every id found there and missing now, the current data must either declare it in an
item's `redirect_from` (the id changed: the old URL redirects) or in the list's
`removed_ids` (removed on purpose). The same holds for city slugs (`redirect_from` in
city.yml) and whole year files.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from generator.core import urls
from generator.core.model import walk_items
from generator.core.problems import Code, Problem
from generator.data.dataset import Dataset, ListKey
from generator.data.reading import YamlProblem, decode_utf8, load_yaml

DEFAULT_REFS = ("origin/main", "HEAD")


@dataclass
class PublishedIds:
    """What a git revision published: city slugs and, per (city, year), item ids."""

    ref: str
    cities: set[str] = field(default_factory=set)
    lists: dict[ListKey, set[str]] = field(default_factory=dict)  # item ids of each list


class GitError(RuntimeError):
    """git failed where its answer is needed: the check cannot say what is published."""


def git(root: Path, *args: str, stdin: bytes | None = None, check: bool = True, timeout: int = 60) -> subprocess.CompletedProcess:
    """Run git in `root`; with `check`, a non-zero exit is a GitError naming the command."""
    result = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=timeout)
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or f"exit code {result.returncode}"
        raise GitError(f"`git {' '.join(args[:2])}` failed: {message}")
    return result


def available_refs(root: Path, refs=DEFAULT_REFS) -> list[str]:
    """The refs that exist in the repository at `root` (none outside a git checkout)."""
    found = []
    for ref in refs:
        try:
            ok = git(root, "rev-parse", "--verify", "--quiet", ref + "^{commit}", check=False).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return []
        if ok:
            found.append(ref)
    return found


def _item_ids(items: object) -> set[str]:
    """Ids in a raw (unvalidated) items list, sub-items included; junk is skipped."""
    ids = set()
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            if isinstance(item.get("id"), str):
                ids.add(item["id"])
            ids |= _item_ids(item.get("subitems"))
    return ids


# git blob id → item ids, for the whole process: a blob's content never changes, so the
# rebuilds of `mkdocs serve` read each committed file from git once
_READ: dict = {}


def published_at(root: Path, ref: str, known: dict | None = None) -> PublishedIds:
    """Read the year files of `ref` straight from git (the working tree is not touched).

    `known`: git blob id → item ids of files already read (the working tree's valid lists,
    other refs); files whose content is known are not parsed again, and the ones read here
    are added. Blobs are read through one `git cat-file --batch`, not a process per file."""
    known = {} if known is None else known
    out = PublishedIds(ref)
    listing = git(root, "ls-tree", "-r", "-z", ref, "--", "data/")
    unread = []
    for entry in listing.stdout.decode("utf-8", "replace").split("\0"):
        meta, _, name = entry.partition("\t")
        parts = name.split("/")
        if len(parts) != 3 or not parts[2].endswith(".yml") or len(meta.split()) != 3:
            continue
        slug, stem, blob = parts[1], parts[2][:-4], meta.split()[2]
        out.cities.add(slug)
        if not stem.isdigit():
            continue
        if blob in known or blob in _READ:
            out.lists[(slug, int(stem))] = known[blob] = known.get(blob) or _READ[blob]
        else:
            unread.append(((slug, int(stem)), blob))
    for (key, blob), raw in zip(unread, read_blobs(root, [blob for _, blob in unread]), strict=True):
        ids = _ids_in_file(raw)
        if ids is not None:  # a file that did not parse there was never published
            known[blob] = _READ[blob] = out.lists[key] = ids
    return out


def read_blobs(root: Path, blobs: list[str]) -> list[bytes]:
    """The contents of git blobs, in order, from one `git cat-file --batch` (one git can
    hold: a missing blob reads as empty). The corrections log reads its versions here too."""
    if not blobs:
        return []
    result = git(root, "cat-file", "--batch", stdin="\n".join(blobs).encode() + b"\n", timeout=600)
    out, at = [], 0
    for _ in blobs:
        end = result.stdout.index(b"\n", at)
        header = result.stdout[at:end].split()
        size = int(header[2]) if len(header) == 3 else 0  # "<id> missing": read as empty
        out.append(result.stdout[end + 1 : end + 1 + size])
        at = end + 1 + size + (1 if len(header) == 3 else 0)
    return out


def _ids_in_file(raw: bytes):
    try:
        data = load_yaml(decode_utf8(raw)).data
    except YamlProblem:
        return None
    return _item_ids(data.get("items")) if isinstance(data, dict) else None


def blob_id(raw: bytes) -> str:
    """The id git gives a file with these bytes (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def known_lists(ds: Dataset) -> dict[str, frozenset[str]]:
    """Blob id → item ids of the working tree's valid year files (to skip reading them from git)."""
    known = {}
    broken = ds.lists_with_errors()
    for key, lf in ds.lists.items():
        if key in broken:
            continue
        try:
            raw = (Path(ds.root) / lf.path).read_bytes()
        except OSError:
            continue
        known[blob_id(raw)] = ds.item_ids(key)
    return known


def check_published(ds: Dataset, published: list[PublishedIds]) -> list[Problem]:
    """Errors for every published city, list or item id that the data no longer provides."""
    cities: dict = {}  # slug -> first ref that published it
    lists: dict = {}  # (slug, year) -> {id: first ref}
    for pub in published:
        for slug in pub.cities:
            cities.setdefault(slug, pub.ref)
        for key, ids in pub.lists.items():
            for old in ids:
                lists.setdefault(key, {}).setdefault(old, pub.ref)
    renamed = {old: slug for slug, city in ds.cities.items() for old in city.redirect_from}
    broken = ds.lists_with_errors()
    problems = []
    for slug in sorted(set(cities) - set(ds.cities) - ds.folders - set(renamed)):  # (a broken city.yml has its own errors)
        problems.append(Problem(
            f"data/{slug}/city.yml", 1, 1, "", Code.PUBLISHED_GONE,
            f"city `{slug}` is published ({cities[slug]}) but its folder is gone: its URLs /{urls.city(slug)}… would break. "
            f"If the slug changed, add `redirect_from: [{slug}]` to the new city.yml.",
        ))
    for (old_slug, year), old_ids in sorted(lists.items()):
        slug = renamed.get(old_slug, old_slug)  # a renamed city's lists live under its new slug
        if slug not in ds.cities or (slug, year) in broken:  # (a broken city.yml has its own errors)
            continue  # a deleted city is reported above; a broken file by its own errors
        lf = ds.lists.get((slug, year))
        if lf is None:
            ref = next(iter(old_ids.values()), "git")
            problems.append(Problem(f"data/{slug}/{year}.yml", 1, 1, "", Code.PUBLISHED_GONE, f"this list is published ({ref}) but the file is gone: /{urls.city_year(slug, year)} and its items would break. Restore it."))
            continue
        problems.extend(_missing_items(lf, old_ids))
    return problems


def _missing_items(lf, old_ids: dict) -> list[Problem]:
    accounted, (city, year) = lf.links.accounted, (lf.links.city, lf.links.year)
    return [
        Problem(
            lf.path, lf.lines.get(("field", "items"), 1), 1, "items", Code.PUBLISHED_GONE,
            f"item `{old}` is published ({old_ids[old]}) at /{urls.item(city, year, old)} and is gone. "
            f"If its id changed, add `redirect_from: [\"{old}\"]` to the item under its new id; "
            f"if it was removed on purpose, add \"{old}\" to `removed_ids`.",
        )
        for old in sorted(set(old_ids) - accounted)
    ]


def check_against_git(ds: Dataset, root: Path, refs=None) -> list[Problem]:
    """`check_published` against the given refs, or the default ones that exist."""
    if refs:
        missing = sorted(set(refs) - set(available_refs(root, refs)))
        if missing:
            raise ValueError(f"unknown git revision(s): {', '.join(missing)} (fetch them first, e.g. `git fetch origin main`)")
    refs = list(refs) if refs else available_refs(root)
    known = known_lists(ds)
    return check_published(ds, [published_at(root, ref, known) for ref in refs])



def redirect_map(ds: Dataset) -> dict[str, str]:
    """Old page → current page (Markdown sources) for mkdocs-redirects, from `redirect_from`.

    A renamed city keeps its city page, its lists, their changes pages and every item page
    (removed ones too) working. (Its feed and downloads are files, not pages: mkdocs-redirects
    cannot redirect them.)
    """
    out = {}
    for (slug, year), lf in sorted(ds.lists.items()):
        for item, _, _ in walk_items(lf.data.items):
            for old in item.redirect_from:
                out[urls.item_src(slug, year, old)] = urls.item_src(slug, year, item.id)
    for slug, city in sorted(ds.cities.items()):
        for old in city.redirect_from:
            out[urls.city_src(old)] = urls.city_src(slug)
            for (s, year), lf in sorted(ds.lists.items()):
                if s != slug:
                    continue
                out[urls.city_year_src(old, year)] = urls.city_year_src(slug, year)
                out[urls.changes_src(old, year)] = urls.changes_src(slug, year)
                for removed in lf.data.removed_ids:  # the page saying so lives under the new slug
                    out[urls.item_src(old, year, removed)] = urls.item_src(slug, year, removed)
                for item, _, _ in walk_items(lf.data.items):
                    out[urls.item_src(old, year, item.id)] = urls.item_src(slug, year, item.id)
                    for former in item.redirect_from:
                        out[urls.item_src(old, year, former)] = urls.item_src(slug, year, item.id)
    return out
