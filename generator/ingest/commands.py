"""The maintainer commands (`python -m generator new|draft|import-progress`): run a tool,
print what it wrote and what to do next, and turn a refusal into its problems, one a line,
with nothing written. cli.py parses the arguments and calls these.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.core import model
from generator.core.problems import Code, Severity


def new(args) -> int:
    import re

    from generator.ingest.scaffold import scaffold

    if not re.fullmatch(model.SLUG_PATTERN, args.city):
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


def import_progress(args) -> int:
    from generator.ingest import Refused
    from generator.ingest.importer import import_progress as run_import
    from generator.ingest.importer import write_atomically
    from generator.ingest.importer.columns import Options
    from generator.ingest.importer.statuses import parse_status_map

    year_path, table_path = Path(args.year_file), Path(args.table)
    for path in (year_path, table_path):
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
    try:
        options = Options(
            report=args.report,
            match_by=args.match_by,
            id_column=args.id_column,
            name_column=args.name_column,
            status_column=args.status_column,
            text_column=args.text_column,
            percent_column=args.percent_column,
            status_map=parse_status_map(args.status_map),
            replace=args.replace,
            propose_measures=not args.no_measures,
            aliases=args.alias or [],
            accept_counts_mismatch=args.accept_counts_mismatch,
        )
        outcome = run_import(year_path, table_path, options, table_label=args.table, partial=args.dry_run)
    except Refused as refused:
        for line in refused.lines():
            print(line, file=sys.stderr)
        print(f"Nothing was written to {args.year_file}.", file=sys.stderr)
        return 1
    if outcome.refused:  # a dry run shows what the rest would add, and refuses all the same
        from generator.ingest import describe

        print(outcome.diff(), end="")
        print(outcome.summary(args.report))
        for problem in outcome.refused:
            print(describe(problem), file=sys.stderr)
        print(f"dry run: the diff above leaves out what is refused; without --dry-run nothing would be written to {args.year_file} until it is resolved.", file=sys.stderr)
        return 1
    if args.dry_run:
        print(outcome.diff(), end="")
    else:
        write_atomically(year_path, outcome.after)
    print(outcome.summary(args.report))
    print("dry run: nothing written" if args.dry_run else f"wrote {args.year_file}; {_how_to_review(year_path)}")
    return 0


def _how_to_review(path: Path) -> str:
    """`git diff` shows nothing for a file git does not track yet: say what shows the change."""
    import subprocess

    try:
        tracked = subprocess.run(["git", "-C", str(path.parent), "ls-files", "--error-unmatch", path.name], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        tracked = False
    if tracked:
        return f"review the change with: git diff {path}"
    return "the file is not in git yet, so git diff shows nothing for it: open it to review what was added"


def draft(args) -> int:
    from generator.ingest import Refused
    from generator.ingest.draft import draft_year_file

    try:
        source = Path(args.file) if args.file else None  # none: download --url
        outcome = draft_year_file(Path(args.root), args.city, args.year, source, force=args.force, url=args.url, split=args.split, from_explanation=not args.no_explanation_targets, retrieved=getattr(args, "retrieved", None))
    except Refused as refused:
        for line in refused.lines():
            print(line, file=sys.stderr)
        return 1
    rel = f"data/{args.city}/{args.year}.yml"
    if outcome.city_written:
        print(f"wrote data/{args.city}/city.yml (new city: fill in its 待填写 fields)")
    print(f"wrote {rel}")
    print(outcome.summary(rel))
    placeholders = [p for p in outcome.problems if p.code == Code.PLACEHOLDER]
    others = [p for p in outcome.problems if p.code != Code.PLACEHOLDER]
    errors = [p for p in others if p.severity == Severity.ERROR]
    for p in others:
        print(p, file=sys.stderr if p.severity == Severity.ERROR else sys.stdout)
    print(
        f"validate: {len(errors)} errors, {len(others) - len(errors)} warnings, and {len(placeholders)} 待填写 placeholders to fill in "
        "(make validate lists them; the site is not built while any is left). Next: fill in every TODO, then make validate and make serve."
    )
    print(f"make review CITY={args.city} YEAR={args.year} shows each item beside its source passage, the unsure parts marked.")
    print(outcome.decisions().sentence())
    return 0


def iso_date(text: str):
    """An argument given as YYYY-MM-DD (argparse says which one is wrong otherwise)."""
    import argparse
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give a date as YYYY-MM-DD") from None


def review(args) -> int:
    from generator.ingest import Refused
    from generator.ingest.review import write_review

    try:
        out, counts = write_review(Path(args.root), args.city, args.year, Path(args.out) if args.out else None)
    except Refused as refused:
        for line in refused.lines():
            print(line, file=sys.stderr)
        return 1
    left = sum(n for k, n in counts.items() if k != "accept")
    print(f"wrote {out} — open it in a browser: file://{out.resolve()}")
    print(f"{left} decisions left in data/{args.city}/{args.year}.yml" + (f" (and {counts['accept']} suggestions to accept)" if counts.get("accept") else ""))
    return 0
