"""The counts a report states (`reports[].counts`, {已完成: 6}) beside the entries an import
would leave for that report.

The comparison is the site's own (derive/reconcile.py: the wording → status rule COUNT_WORDING,
each entry's status as the site shows it), made on the merged file: the import is refused where
the list page would show the report's count and ours apart, unless the maintainer accepts it
(--accept-counts-mismatch), which writes the difference into the report's `note`. A count
whose wording no rule reads is not compared, and said.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.core import model
from generator.derive import judge, reconcile, tracked_items


def counted_but(counted: str, verb: str, found: list) -> str:
    """'counts 2件 but names 3 items (8, 9, 6)': how every count the importer checks is said."""
    listed = f" ({', '.join(found)})" if found else ""
    return f"counts {counted} but {verb} {len(found)} item{'' if len(found) == 1 else 's'}{listed}"


@dataclass
class Disagreement:
    wording: str
    stated: int
    status: str  # ours, for the wording (COUNT_WORDING)
    found: list  # ids of the report's entries with that status

    def statement(self) -> str:
        return counted_but(f"{self.wording}: {self.stated}", f"its entries give {self.status} (the site's reading of {self.wording}) to", self.found)

    def message(self, report: str) -> str:
        return (
            f"report `{report}` {self.statement()}; check the names and numbers matched and the items left out, "
            "or write it all the same with --accept-counts-mismatch (the report's note then says so)"
        )

    def note(self) -> str:
        """The sentence added to the report's `note` (ours, in the site's language)."""
        listed = f"（{'、'.join(self.found)}）" if self.found else ""
        return f"报告称“{self.wording}”{self.stated}项，逐项进展中为{len(self.found)}项{listed}。"


def disagreements(pl: model.PledgeList, report_id: str) -> tuple:
    """(disagreements, wordings not compared) of the report's counts and its entries in `pl`."""
    report = next(r for r in pl.reports if r.id == report_id)
    if not report.counts:
        return [], []
    by_status: dict = {}
    for item, parent in tracked_items(pl.items):  # what reconcile counts, by id
        for entry in item.progress:
            if entry.report == report_id:
                by_status.setdefault(judge(item, entry, pl, parent).status, []).append(item.id)
    found, unread = [], []
    for row in reconcile(pl, report).rows:
        if row.wording is None:
            continue
        if row.status is None:
            unread.append(row.wording)
        elif row.difference:
            found.append(Disagreement(row.wording, row.official, row.status, by_status.get(row.status, [])))
    return found, unread


def with_note(note: str | None, disagreements: list) -> str | None:
    """The report's note with each disagreement's sentence it does not already hold; None when
    nothing is to be added."""
    text = note or ""
    added = [d.note() for d in disagreements if d.note() not in text]
    if not added:
        return None
    return text + ("" if not text or text.endswith(("。", "；", ".")) else "。") + "".join(added)
