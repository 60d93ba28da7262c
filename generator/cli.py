"""Command line: `python -m generator validate|schema|pages …` (see --help)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import published, schema
from .validate import load_dataset, problems_in, walk_items


def cmd_validate(args) -> int:
    started = time.perf_counter()
    ds = load_dataset(args.root, only=args.paths or None)
    if not args.no_published_check:
        try:
            gone = published.check_against_git(ds, Path(args.root), args.since or None)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        ds.problems.extend(problems_in(gone, args.root, args.paths) if args.paths else gone)
    for p in sorted(ds.problems, key=lambda p: (p.file, p.line, p.col)):
        print(p, file=sys.stderr if p.severity == "error" else sys.stdout)
        if args.github:
            level = "error" if p.severity == "error" else "warning"
            print(f"::{level} file={p.file},line={p.line},col={p.col}::{p.path}: {p.message}")
    n_items = sum(1 for lf in ds.lists.values() for _ in walk_items(lf.data.items))
    elapsed = time.perf_counter() - started
    summary = f"{len(ds.lists)} lists, {n_items} items: {len(ds.errors)} errors, {len(ds.warnings)} warnings ({elapsed:.2f} s)"
    print(summary, file=sys.stderr if ds.errors else sys.stdout)
    if ds.errors:
        print("Fix the errors above (file:line:col: field: what is wrong) and run `make validate` again.", file=sys.stderr)
    return 1 if ds.errors else 0


def cmd_schema(args) -> int:
    for path in schema.write_all(args.out):
        print(f"wrote {path}")
    return 0


def cmd_new(args) -> int:
    import re

    from .scaffold import scaffold

    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", args.city):
        print(f"city slug {args.city!r}: use lowercase pinyin without tones, e.g. qingdao", file=sys.stderr)
        return 2
    try:
        written = scaffold(Path(args.root), args.city, args.year)
    except (FileExistsError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    print("Now replace every 待填写 with the source's text and run `make validate`.")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Minsheng Ledger data tools")
    parser.add_argument("--root", default=".", help="repository root (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the data; prints every problem as file:line:col: field: message")
    p.add_argument("paths", nargs="*", help="only report on these files or folders (all data is still loaded)")
    p.add_argument("--github", action="store_true", help="also print GitHub Actions annotations")
    p.add_argument("--since", action="append", metavar="REF", help="git revision(s) whose ids are published and must not vanish (default: origin/main and HEAD, where they exist)")
    p.add_argument("--no-published-check", action="store_true", help="skip the comparison with published ids in git")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="write the JSON Schema files for editors")
    p.add_argument("--out", default="schema")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", help="scaffold data/<city>/<year>.yml (and city.yml) that already validates")
    p.add_argument("city", help="city slug: lowercase pinyin, e.g. qingdao")
    p.add_argument("year", type=int)
    p.set_defaults(func=cmd_new)

    args = parser.parse_args(argv)
    return args.func(args)
