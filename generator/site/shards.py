"""Sharded builds: the site built in independent parts, merged into one `site/`.

A shard is named by MINSHENG_SHARD (the plugin's `shard` option):
- `K/N` (1 ≤ K ≤ N): the list, item and city pages of the cities assigned to part K
  (cities go to the part with the fewest items so far, the largest city first);
- `site`: every other page (home, cities index, topics, sources, data, search) and all the
  downloads, feeds and the search index, which need the whole dataset.

Every shard loads and checks the whole data and knows every page's address (the nav, the
sitemap and the redirects are the same in each), but renders only its own: the others are
in MkDocs' file list unmodified, and the build is a `--dirty` one, so MkDocs skips them.
The parts are disjoint but for the files every MkDocs build writes (theme assets, sitemap,
404 page, redirect pages), which are the same bytes in each; `merge` checks that.

    python -m generator.site.shards build N --site-dir site.new   # N + 1 builds on this machine
    python -m generator.site.shards merge site.new part-1 part-2 … # what CI's last job runs

On GitHub Actions each part is a job of a matrix (.github/workflows/site.yml) and the merge
is the job after it: Actions is the scheduler, not this module.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SITE = "site"


def parse(spec: str | None) -> tuple[int, int] | str | None:
    """`K/N` → (K, N); `site` → "site"; "" or None → None (the whole site). ValueError otherwise."""
    if not spec:
        return None
    if spec == SITE:
        return SITE
    k, sep, n = spec.partition("/")
    if not sep or not k.isdigit() or not n.isdigit() or not 1 <= int(k) <= int(n):
        raise ValueError(f"shard {spec!r}: write K/N with 1 ≤ K ≤ N (e.g. 2/4), or `site` for the site-wide pages")
    return int(k), int(n)


def assign(items_per_city: dict[str, int], n: int) -> dict[str, int]:
    """City slug → its part (1…n): the largest city first, each to the part with the fewest
    items so far (ties: the lower part), so that parts take about the same time."""
    load = [0] * n
    out = {}
    for slug, count in sorted(items_per_city.items(), key=lambda kv: (-kv[1], kv[0])):
        part = min(range(n), key=lambda i: (load[i], i))
        out[slug] = part + 1
        load[part] += count
    return out


def merge(out: Path, parts: list[Path]) -> int:
    """Copy the parts into `out` (made anew); a path two parts both hold must have the same
    bytes (they are the files every build writes). Returns the number of files."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    n = 0
    conflicts = []
    for part in parts:
        for path in sorted(part.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(part)
            target = out / rel
            if target.exists():
                if not filecmp.cmp(path, target, shallow=False):
                    conflicts.append(rel.as_posix())
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            n += 1
    if conflicts:
        raise SystemExit(f"the parts disagree on {len(conflicts)} file(s), e.g. {conflicts[:5]}: build them from the same commit and settings")
    return n


def build(n: int, site_dir: Path, extra: list[str]) -> int:
    """Build the N parts and the site-wide part at once (one process each), then merge."""
    work = Path(tempfile.mkdtemp(prefix=site_dir.name + ".parts-", dir=site_dir.parent))
    specs = [f"{k}/{n}" for k in range(1, n + 1)] + [SITE]
    runs = []
    for i, spec in enumerate(specs):
        env = dict(os.environ, MINSHENG_SHARD=spec, MINSHENG_WORKERS="1")
        command = [sys.executable, "-m", "generator.site.build", "--strict", "--dirty", "--quiet", "--site-dir", str(work / str(i)), *extra]
        runs.append((spec, subprocess.Popen(command, env=env)))
    failed = [spec for spec, run in runs if run.wait() != 0]
    try:
        if failed:
            print(f"shard(s) {', '.join(failed)} failed (see above); nothing was merged.", file=sys.stderr)
            return 1
        count = merge(site_dir, [work / str(i) for i in range(len(specs))])
        print(f"merged {len(specs)} parts ({n} of cities, 1 site-wide) into {site_dir}/: {count} files")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.site.shards", description="build the site in parts and merge them")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="build N parts of cities and the site-wide part here, then merge")
    p.add_argument("n", type=int)
    p.add_argument("--site-dir", default="site", type=Path)
    p = sub.add_parser("merge", help="merge built parts into one site")
    p.add_argument("out", type=Path)
    p.add_argument("parts", nargs="+", type=Path)
    args, extra = parser.parse_known_args(argv)
    if args.command == "build":
        if args.n < 1:
            parser.error("N must be at least 1")
        return build(args.n, args.site_dir, extra)
    count = merge(args.out, args.parts)
    print(f"merged {len(args.parts)} parts into {args.out}/: {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
