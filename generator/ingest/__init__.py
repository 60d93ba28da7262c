"""Maintainer tools that write YAML for a pull request: draft a year file from an official
text (draft/), import a progress report (importer/), scaffold a new city (scaffold.py); what
they share: reading the text they are given (textinput.py), the figures in Chinese text
(quantities.py) and the measures a progress text's figures give (measures.py). The
commands that run them for `python -m generator` are in commands.py.

May import core, derive and data; never the site or the exports.
"""

from __future__ import annotations

from generator.core.problems import Problem, Severity, visible


class Refused(Exception):
    """A tool will not go ahead and has written nothing: `problems` says why, coded like the
    validator's, and `advice` (if any) what to do once they are fixed.

    It lives here, in the package, and not in one tool: draft, import-progress and the input
    they share (textinput.py) all refuse the same way, and the command line prints any
    refusal the same way (`lines`)."""

    def __init__(self, problems: list[Problem], advice: str = ""):
        self.problems = list(problems)
        self.advice = advice
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line a problem (as `describe` writes it), then the advice."""
        return [describe(p) for p in self.problems] + ([self.advice] if self.advice else [])


def describe(p: Problem) -> str:
    """A problem as the validator prints it (file:line:col: field: message [code]), without
    the line and column a refusal may not have (a table's line has no column; a wrong option
    has no file)."""
    where = ":".join([p.file, *(str(n) for n in (p.line, p.col) if n)]) if p.file else ""
    tag = "" if p.severity == Severity.ERROR else " warning:"
    field_path = f" {p.path}:" if p.path else ""
    head = f"{where}:{tag}{field_path}" if where else f"{tag}{field_path}".strip()
    return visible(f"{head} {p.message} [{p.code.value}]".strip())
