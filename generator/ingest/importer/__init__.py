"""`python -m generator import-progress`: a city's progress table → `progress` entries.

Cities publish progress as a table (序号, 项目名称, 进展情况, 完成状态 …) or as prose (其中，…等11件
超额完成全年目标任务). Typing it in by hand is slow and error-prone, so this package does one job:
read the table or the text, match each row or named thing to an item of one year file, map the city's status wording to our scale, and add one `progress`
entry per row for one report. It refuses rather than guesses, and the year file is replaced
(atomically) only after the merged text passes validation. Its modules:

- columns.py: the table read, its columns found (and the command's options)
- statuses.py: the city's status wording → our status
- names.py: a name the report gives an item (its short title, part of its text) → its id
- entries.py: rows → entries, matched to items; every problem collected
- prose.py: a report written as prose (statuses by group, a paragraph or sentence per item) → entries
- numbers.py: items a report names by number (第三件, 第1、3、5项, （三）) → their ids
- counts.py: the report's stated `counts` beside the entries the import leaves (the site's rule)
- yearfile.py: entries merged into the year file, its comments and quoting kept
- __init__.py: the command (`import_progress`), validation, writing
The measures proposed from a progress text's figures are ../measures.py's.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from generator.core import model
from generator.core.problems import Code, Problem, Severity
from generator.data.dataset import load_dataset
from generator.ingest import Refused
from generator.ingest.importer.columns import Options, choose_columns, read_table
from generator.ingest.importer.counts import disagreements, with_note
from generator.ingest.importer.entries import read_entries
from generator.ingest.importer.names import parse_aliases
from generator.ingest.importer.prose import PROSE_SUFFIXES, prose_entries
from generator.ingest.importer.yearfile import REPORT_ORDER, dump, items_by_id, merge, set_field, yaml_for
from generator.ingest.measures import propose_measures, targets_of


@dataclass
class Outcome:
    """What an import would do; the caller decides whether to write `after`."""

    year_file: str
    before: str
    after: str
    added: list
    replaced: list
    absent: list  # ids of items the table does not mention
    skipped_lines: list  # empty or heading rows
    warnings: list  # new validator warnings after the merge
    measures_written: bool = True
    notes: list = field(default_factory=list)
    prose: bool = False
    refused: list = field(default_factory=list)  # a partial dry run: what was refused (the outcome must not be written)  # a prose report: groups named in part, whole-list statements, names left out

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True), self.after.splitlines(keepends=True), f"a/{self.year_file}", f"b/{self.year_file}"
            )
        )

    def summary(self, report: str) -> str:
        entries = self.added + self.replaced
        counts: dict = {}
        for e in entries:
            counts[e.status.value] = counts.get(e.status.value, 0) + 1
        by_status = ", ".join(f"{s.value} {counts[s.value]}" for s in model.Status if s.value in counts)
        lines = [f"{self.year_file}: report {report}: added {len(self.added)}, replaced {len(self.replaced)} ({by_status or 'none'})"]
        if self.absent:
            lines.append(f"not in the {'report' if self.prose else 'table'} ({len(self.absent)}; fine if the report does not mention them): {', '.join(self.absent)}")
        if self.skipped_lines:
            lines.append(f"skipped rows without id or content (headings, blank): lines {', '.join(map(str, self.skipped_lines))}")
        if self.notes:
            lines.append(f"about the report's wording ({len(self.notes)}; check each):")
            lines.extend(f"  {note}" for note in self.notes)
        table_figures = [(e.item_id, f) for e in entries for f in e.measures or ()]
        if table_figures:
            lines.append(f"measures from the table ({len(table_figures)}):")
            lines.extend(f"  {item_id}: {f.describe()}" + (" (no target matched: a metric of the report's own)" if f.new_metric else "") for item_id, f in table_figures)
        proposed = [(e.item_id, f) for e in entries for f in e.proposed]
        if proposed:
            written = "written into the entries" if self.measures_written else "not written"
            lines.append(f"measures proposed from the progress texts ({len(proposed)}, {written}; check each, and delete any that does not measure its target):")
            lines.extend(f"  {item_id}: {f.describe()}" for item_id, f in proposed)
        lines.extend(self.warnings)
        return "\n".join(lines)


def year_file_root(year_path: Path) -> tuple:
    """(repository root, 'data/<city>/<year>.yml') for a year file."""
    full = year_path.resolve()
    if full.parent.parent.name != "data" or not re.fullmatch(r"[0-9]{4}\.yml", full.name):
        raise Refused([Problem(str(year_path), 0, 0, "", Code.FILE_UNEXPECTED, "expected a year file data/<city>/<year>.yml")])
    return full.parents[2], f"data/{full.parent.name}/{full.name}"


def check_merged(root: Path, rel: str, text: str | None = None) -> list:
    """All validator problems for `rel`, as it is on disk or, given `text`, as if it held
    `text` (nothing is written: the dataset reads `text` in its place)."""
    return merged_dataset(root, rel, text).problems


def merged_dataset(root: Path, rel: str, text: str | None = None):
    return load_dataset(root, only=[str(root / rel)], overrides={rel: text} if text is not None else None)


def list_of(dataset, rel: str):
    """The validated list of `rel` (data/<city>/<year>.yml) in a dataset without errors."""
    _, city, year = rel.removesuffix(".yml").split("/")
    return dataset.lists[(city, int(year))].data


def write_atomically(path: Path, text: str) -> None:
    """Write next to the file and rename over it: a crash never leaves half a year file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def import_progress(year_path: Path, table_path: Path, options: Options, table_label: Optional[str] = None, partial: bool = False) -> Outcome:
    """Everything but writing: returns the merged text, or raises Refused. `partial` (a dry run):
    when some rows or names are refused, the outcome of the others comes back with the refusals
    in `refused`, to show as a diff — it must never be written."""
    root, rel = year_file_root(year_path)
    table_label = table_label or str(table_path)
    raw = year_path.read_bytes()
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    try:
        before = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused([Problem(rel, 0, 0, "", Code.ENCODING, "the file is not valid UTF-8; run make validate to see where")]) from None
    before_problems = check_merged(root, rel)
    errors = [p for p in before_problems if p.severity == Severity.ERROR]
    if errors:
        raise Refused(errors, f"{rel} has errors before the import; fix them first (make validate)")
    yaml = yaml_for(before)
    doc = yaml.load(before)
    reports = {str(r.get("id")): r.get("as_of") for r in doc.get("reports") or ()}
    if options.report not in reports:
        known = ", ".join(reports) or "none yet"
        message = f"no report `{options.report}` in `reports` (known: {known}); add it first (id, title, kind, as_of, published, source), see CONTRIBUTING.md"
        raise Refused([Problem(rel, 0, 0, "", Code.UNKNOWN_REFERENCE, message)])
    items = items_by_id(doc.get("items"))
    aliases = parse_aliases(options.aliases, items)
    prose = is_prose(table_path)
    notes: list = []
    if prose:
        found = prose_entries(table_path, table_label, items, options, aliases)
        entries, skipped, problems, notes = found.entries, [], found.problems, found.notes
    else:
        table = read_table(table_path, table_label)
        columns = choose_columns(table, options)
        entries, skipped, problems = read_entries(table, columns, items, options, rel, aliases)
    if problems and not (partial and entries):
        raise Refused(problems)
    for entry in entries:
        if entry.text and entry.measures is None:
            entry.proposed = propose_measures(targets_of(items[entry.item_id]), entry.text)
    if not options.propose_measures:  # listed in the summary only
        proposals = {id(e): e.proposed for e in entries}
        for entry in entries:
            entry.proposed = []
    as_of = {k: str(v) for k, v in reports.items()}
    added, replaced = merge(doc, entries, options.report, as_of, options.replace, table_label, rel)
    after = _text_of(yaml, doc, before)
    merged = _validated(root, rel, after)
    counted, count_notes, noted = check_counts(doc, list_of(merged, rel), options, rel)
    notes += count_notes
    if noted:  # the report's note now says where its counts and its entries disagree
        after = _text_of(yaml, doc, before)
        merged = _validated(root, rel, after)
    if counted and not partial:
        raise Refused(counted)
    problems = problems + counted
    after_problems = merged.problems
    known_warnings = {(p.path, p.message) for p in before_problems}
    warnings = [str(p) for p in after_problems if (p.path, p.message) not in known_warnings]
    matched = {e.item_id for e in entries}
    absent = [i for i in items if i not in matched]
    if not options.propose_measures:
        for entry in entries:
            entry.proposed = proposals[id(entry)]
    return Outcome(rel, bom + before, bom + after, added, replaced, absent, skipped, warnings, measures_written=options.propose_measures, notes=notes, prose=prose, refused=problems)


def _text_of(yaml, doc, before: str) -> str:
    after = dump(yaml, doc)
    if "\r\n" in before:  # keep Windows line ends when the file has them
        after = after.replace("\r\n", "\n").replace("\n", "\r\n")
    return after


def _validated(root: Path, rel: str, text: str):
    """The dataset with `rel` holding `text`; refused if that does not validate."""
    merged = merged_dataset(root, rel, text)
    errors = [p for p in merged.problems if p.severity == Severity.ERROR]
    if errors:
        raise Refused(errors, f"the merged {rel} would not validate (line numbers are in the merged file); nothing was written. Fix the table or the options")
    return merged


def check_counts(doc, pl: model.PledgeList, options: Options, rel: str) -> tuple:
    """(problems, notes, whether the report's note was changed) of the report's stated `counts`
    beside its entries in the merged list `pl` (counts.py); with --accept-counts-mismatch the
    disagreements go into the report's note (in `doc`) instead of being refused."""
    index, report = next((i, r) for i, r in enumerate(doc.get("reports") or ()) if str(r.get("id")) == options.report)
    found, unread = disagreements(pl, options.report)
    notes = [f"{rel}: report `{options.report}` counts {w}: {report['counts'][w]}, a wording no status is read from (derive/reconcile.py COUNT_WORDING): not compared" for w in unread]
    if not found:
        return [], notes, False
    if not options.accept_counts_mismatch:
        where = report["counts"].lc
        return [Problem(rel, where.key(d.wording)[0] + 1, 0, f"reports[{index}].counts.{d.wording}", Code.INVALID_VALUE, d.message(options.report)) for d in found], notes, False
    note = with_note(report.get("note"), found)
    done = "added to the report's note" if note is not None else "the report's note already says so"
    notes += [f"{rel}: report `{options.report}` {d.statement()}: written all the same (--accept-counts-mismatch); {done}" for d in found]
    if note is not None:
        set_field(report, "note", note, REPORT_ORDER)
    return [], notes, note is not None


def is_prose(path: Path) -> bool:
    """A report as text, a saved page, a PDF or a Word file (a .csv/.tsv is a table)."""
    return path.suffix.lower() in PROSE_SUFFIXES
