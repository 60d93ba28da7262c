"""Command line: `python -m generator validate|schema|pages|new|draft|import-progress …` (see --help).
The maintainer commands themselves are in ingest/commands.py."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator.core.problems import Severity, visible
from generator.data import published, schema
from generator.data.dataset import load_dataset, problems_in
from generator.ingest import commands
from generator.ingest.textinput import ID_HEADERS
from generator.site import searchindex, stage


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


def cmd_pages(args) -> int:
    """Write the docs tree (generator/site/stage.py) for any builder that reads mkdocs.yml."""
    started = time.perf_counter()
    root, out = Path(args.root), Path(args.out)
    config_file = root / args.config
    try:
        made = stage.prepare(root, site_url=stage.read_config(config_file).get("site_url") or "")
        config = stage.write_tree(made, config_file, out)
    except stage.Refused as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(exc, file=sys.stderr)
        return 1
    except searchindex.IndexBroken as exc:
        print(f"the search index written to {out / 'docs'} is broken: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {out}/ ({len(made.pages)} generated pages) in {time.perf_counter() - started:.1f} s. Build it with any builder that reads mkdocs.yml, e.g. `mkdocs build -f {config}`.")
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

    p = sub.add_parser("pages", help="write the complete docs tree (generated pages, content/, theme overrides, downloads) and a mkdocs.yml without our plugin")
    p.add_argument("out", help="the folder to write (emptied first), e.g. build/pages")
    p.add_argument("--config", default="mkdocs.yml", help="the project's MkDocs config, relative to --root")
    p.set_defaults(func=cmd_pages)

    p = sub.add_parser("new", help="scaffold data/<city>/<year>.yml (and city.yml) that already validates")
    p.add_argument("city", help="city slug: lowercase pinyin, e.g. qingdao")
    p.add_argument("year", type=int)
    p.set_defaults(func=commands.new)

    p = sub.add_parser("import-progress", help="add one report's progress entries from a city's CSV/TSV table or prose report (see CONTRIBUTING.md)")
    p.add_argument("year_file", help="the year file to add to: data/<city>/<year>.yml")
    p.add_argument("table", help="the city's progress table as .csv or .tsv (UTF-8 or GB18030/GBK), or its report as prose: .txt, a saved .html page, a PDF or a .docx")
    p.add_argument("--report", required=True, help="id of the report in the file's `reports` (add it there first)")
    p.add_argument("--match-by", choices=("id", "name"), default="id", help="match rows to items by number (default) or by item text/title")
    p.add_argument("--id-column", help=f"column with the item numbers (default: {', '.join(ID_HEADERS[:-1])} or {ID_HEADERS[-1]})")
    p.add_argument("--name-column", help="column with the item names, for --match-by name (default: 事项名称, 项目名称 or 名称)")
    p.add_argument("--status-column", help="column with the city's status wording (default: 完成状态, 状态, 进展状态 or 完成情况)")
    p.add_argument("--text-column", help="column with the progress text (default: 进展情况, 工作进展, 进展 or 完成情况)")
    p.add_argument("--percent-column", help="column with a reported percent (default: 完成比例, 完成进度, 进度 or 完成率)")
    p.add_argument("--status-map", action="append", metavar="WORDING=STATUS,…", help="extra or overriding status wordings, e.g. 基本完成=on_track (repeatable)")
    p.add_argument("--alias", action="append", metavar="NAME=ID,…", help="the item a name of the report means, e.g. 加装电梯=9-1; NAME= for a name that is no item of this list (repeatable)")
    p.add_argument("--replace", action="store_true", help="overwrite entries that already exist for this report")
    p.add_argument("--no-measures", action="store_true", help="do not write the measures proposed from the figures in progress texts")
    p.add_argument("--accept-counts-mismatch", action="store_true", help="write even where the report's `counts` disagree with its entries; the report's note then says so")
    p.add_argument("--dry-run", action="store_true", help="print the change as a diff; write nothing")
    p.set_defaults(func=commands.import_progress)

    p = sub.add_parser("draft", help="draft data/<city>/<year>.yml from an official text, HTML page or table (see CONTRIBUTING.md)")
    p.add_argument("city", help="city slug: lowercase pinyin, e.g. qingdao")
    p.add_argument("year", type=int, help="the year the list was published")
    p.add_argument("file", nargs="?", help="the source: pasted text (.txt), a saved page (.html), a PDF, a Word file (.docx), or a table (.csv, .tsv, .md); without it, --url is downloaded")
    p.add_argument("--force", action="store_true", help="write over an existing year file")
    p.add_argument("--url", help="the source's web address, for its `sources` entry; without a file, the page, PDF, .docx or text downloaded from it")
    p.add_argument("--split", choices=("auto", "always", "never"), default="auto", help="turn a pledge listing several with ；into sub-items (auto: when every part is short)")
    p.add_argument("--no-explanation-targets", action="store_true", help="take targets from the pledges only, not from their explanations")
    p.add_argument("--retrieved", type=commands.iso_date, metavar="YYYY-MM-DD", help="the day the copy was taken (the source's `retrieved`)")
    p.set_defaults(func=commands.draft)

    p = sub.add_parser("review", help="write a review page of data/<city>/<year>.yml: each item beside its source passage, what is left to decide marked")
    p.add_argument("city", help="city slug: lowercase pinyin, e.g. qingdao")
    p.add_argument("year", type=int)
    p.add_argument("--out", help="the page to write (default: .cache/review/<city>-<year>.html)")
    p.set_defaults(func=commands.review)

    args = parser.parse_args(argv)
    return args.func(args)
