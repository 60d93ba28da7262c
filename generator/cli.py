"""Command line: `python -m generator validate|schema|new|import-progress …` (see --help)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator.core import model
from generator.core.problems import Code, Severity, visible
from generator.data import published, schema
from generator.data.dataset import load_dataset, problems_in


def cmd_validate(args) -> int:
    started = time.perf_counter()
    ds = load_dataset(args.root, only=args.paths or None, cache=not args.no_cache, read_lists=False)
    if not args.no_published_check:
        try:
            gone = published.check_against_git(ds, Path(args.root), args.since or None)
        except (ValueError, published.GitError) as exc:
            print(exc, file=sys.stderr)
            return 2
        ds.problems.extend(problems_in(gone, args.root, args.paths) if args.paths else gone)
    for p in sorted(ds.problems, key=lambda p: (p.file, p.line, p.col)):
        print(p, file=sys.stderr if p.severity == Severity.ERROR else sys.stdout)
        if args.github:
            print(github_annotation(p))
    n_items = sum(len(lf.links.ids) for lf in ds.lists.values())
    elapsed = time.perf_counter() - started
    summary = f"{len(ds.lists)} lists, {n_items} items: {len(ds.errors)} errors, {len(ds.warnings)} warnings ({elapsed:.2f} s)"
    print(summary, file=sys.stderr if ds.errors else sys.stdout)
    if ds.errors:
        print("Fix the errors above (file:line:col: field: what is wrong) and run `make validate` again.", file=sys.stderr)
    return 1 if ds.errors else 0


def github_annotation(p) -> str:
    """A GitHub Actions workflow command for one problem. Data text can hold `::` or line
    breaks: escaped as the format requires, it cannot start a command of its own."""

    def data(text: str) -> str:
        return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    message = f"{p.path}: {p.message}" if p.path else p.message
    return f"::{p.severity.value} file={prop(p.file)},line={p.line},col={p.col},title={prop(p.code.value)}::{data(message)}"


def cmd_schema(args) -> int:
    for path in schema.write_all(args.out):
        print(f"wrote {path}")
    return 0


def cmd_new(args) -> int:
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


def cmd_import_progress(args) -> int:
    from generator.ingest import Refused
    from generator.ingest.importer import import_progress, write_atomically
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
        )
        outcome = import_progress(year_path, table_path, options, table_label=args.table)
    except Refused as refused:
        for line in refused.lines():
            print(line, file=sys.stderr)
        print(f"Nothing was written to {args.year_file}.", file=sys.stderr)
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


def cmd_draft(args) -> int:
    from generator.ingest import Refused
    from generator.ingest.draft import draft_year_file

    try:
        outcome = draft_year_file(Path(args.root), args.city, args.year, Path(args.file), force=args.force, url=args.url, split=args.split, from_explanation=not args.no_explanation_targets)
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
    p.add_argument("--no-cache", action="store_true", help="read every file again instead of taking unchanged ones from .cache/")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("schema", help="write the JSON Schema files for editors")
    p.add_argument("--out", default="schema")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("new", help="scaffold data/<city>/<year>.yml (and city.yml) that already validates")
    p.add_argument("city", help="city slug: lowercase pinyin, e.g. qingdao")
    p.add_argument("year", type=int)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import-progress", help="add one report's progress entries from a city's CSV/TSV table (see CONTRIBUTING.md)")
    p.add_argument("year_file", help="the year file to add to: data/<city>/<year>.yml")
    p.add_argument("table", help="the city's progress table as .csv or .tsv (UTF-8, with or without BOM)")
    p.add_argument("--report", required=True, help="id of the report in the file's `reports` (add it there first)")
    p.add_argument("--match-by", choices=("id", "name"), default="id", help="match rows to items by number (default) or by item text/title")
    p.add_argument("--id-column", help="column with the item numbers (default: 序号 or 编号)")
    p.add_argument("--name-column", help="column with the item names, for --match-by name (default: 事项名称, 项目名称 or 名称)")
    p.add_argument("--status-column", help="column with the city's status wording (default: 完成状态, 状态, 进展状态 or 完成情况)")
    p.add_argument("--text-column", help="column with the progress text (default: 进展情况, 工作进展, 进展 or 完成情况)")
    p.add_argument("--percent-column", help="column with a reported percent (default: 完成比例, 完成进度, 进度 or 完成率)")
    p.add_argument("--status-map", action="append", metavar="WORDING=STATUS,…", help="extra or overriding status wordings, e.g. 基本完成=on_track (repeatable)")
    p.add_argument("--replace", action="store_true", help="overwrite entries that already exist for this report")
    p.add_argument("--no-measures", action="store_true", help="do not write the measures proposed from the figures in progress texts")
    p.add_argument("--dry-run", action="store_true", help="print the change as a diff; write nothing")
    p.set_defaults(func=cmd_import_progress)

    p = sub.add_parser("draft", help="draft data/<city>/<year>.yml from an official text, HTML page or table (see CONTRIBUTING.md)")
    p.add_argument("city", help="city slug: lowercase pinyin, e.g. qingdao")
    p.add_argument("year", type=int, help="the year the list was published")
    p.add_argument("file", help="the source: pasted text (.txt), a saved page (.html), or a table (.csv, .tsv, .md)")
    p.add_argument("--force", action="store_true", help="write over an existing year file")
    p.add_argument("--url", help="the source's web address, for its `sources` entry")
    p.add_argument("--split", choices=("auto", "always", "never"), default="auto", help="turn a pledge listing several with ；into sub-items (auto: when every part is short)")
    p.add_argument("--no-explanation-targets", action="store_true", help="take targets from the pledges only, not from their explanations")
    p.set_defaults(func=cmd_draft)

    args = parser.parse_args(argv)
    return args.func(args)
