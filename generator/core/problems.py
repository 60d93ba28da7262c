"""A problem found in the data: where it is, what is wrong, how to fix it, and a stable code.

Messages are written for maintainers and may be reworded; the code never changes, so tests,
CI annotations and the format page (content/about/format.md, "Problem codes") refer to it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

# Invisible control characters (only reachable through escapes like "\0" or "\x1b" in double
# quotes: YAML refuses them raw): they corrupt pages and feeds, and in a message they could
# rewrite the terminal or a CI log. Bidirectional overrides and isolates (U+202A–202E,
# U+2066–2069) reorder the text around them. Neither is ever in a source text.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def visible(text: str) -> str:
    """Text with its invisible and direction characters shown as escapes (\\u001b)."""
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class Severity(str, enum.Enum):
    ERROR = "error"  # nothing is published until it is fixed
    WARNING = "warning"  # shown, but the site is still built


class Code(str, enum.Enum):
    """Every kind of problem. content/about/format.md#problem-codes explains each one to
    maintainers (tests/test_validate.py checks that it lists exactly these)."""

    # reading a file
    NO_DATA_FOLDER = "no-data-folder"  # there is no data/ folder where the tools were run
    FILE_MISSING = "file-missing"  # a file every city (or the data) needs is missing
    FILE_UNEXPECTED = "file-unexpected"  # a file in data/ that is not city.yml or <year>.yml
    FILE_UNREADABLE = "file-unreadable"  # the file cannot be read (permissions, a broken link)
    FILE_TOO_LARGE = "file-too-large"  # the file is larger than the limit; split it
    FILE_EMPTY = "file-empty"  # the file holds no data
    FILE_NOT_MAPPING = "file-not-mapping"  # the top level of the file is not a mapping of fields
    ENCODING = "encoding"  # the file is not UTF-8 text (UTF-16, GBK, a NUL byte)
    YAML_SYNTAX = "yaml-syntax"  # the YAML cannot be parsed (indentation, quotes, a colon in plain text)
    YAML_TOO_BIG = "yaml-too-big"  # nested too deeply or too many values for a pledge list
    DUPLICATE_KEY = "duplicate-key"  # a key is written twice in one mapping
    AMBIGUOUS_VALUE = "ambiguous-value"  # yes/no/on/off, 08, 0x1F, 1_000, 1:30 … read differently by YAML versions
    NUMBER_TOO_LARGE = "number-too-large"  # a number too large to be a number (1e400)
    CONTROL_CHARACTER = "control-character"  # an invisible control character (an escape such as \\0 or \\x1b)
    PLACEHOLDER = "placeholder"  # 待填写 left by `generator new` or `draft`
    YAML_FEATURE = "yaml-feature"  # anchors, aliases, merge keys, custom tags or complex keys, which the format does not use
    # the schema
    FIELD_MISSING = "field-missing"  # a required field is missing
    FIELD_UNKNOWN = "field-unknown"  # a field the format does not have (often a typo)
    WRONG_TYPE = "wrong-type"  # a value of the wrong kind: text, number, true/false, list or mapping
    BAD_FORMAT = "bad-format"  # a value not in the expected form: an id, a slug, a date, a web address
    NOT_ALLOWED = "not-allowed"  # a value outside the allowed choices (a status, a comparator …)
    INVALID_VALUE = "invalid-value"  # a value the format refuses for another stated reason
    # references and plausibility within the data
    DUPLICATE_ID = "duplicate-id"  # an id is used twice (items, reports, sources, sections, topics)
    UNKNOWN_REFERENCE = "unknown-reference"  # a reference to a source, report, section, topic, city or item that does not exist
    NAME_MISMATCH = "name-mismatch"  # a city slug or year that does not match its folder or file name
    BAD_ITEM_ID = "bad-item-id"  # a sub-item id that does not start with its parent's, or a top-level id with `-`
    DATE_IMPLAUSIBLE = "date-implausible"  # a date in the future, out of order, or outside the list's period
    TARGET_INCOMPLETE = "target-incomplete"  # a target without a value, with a value although qualitative, or a broken range
    PERCENT_MISMATCH = "percent-mismatch"  # a reported percent that disagrees with value / target
    COMPARATOR_MISMATCH = "comparator-mismatch"  # 以上/约/余/以内 … in a target's text but another comparator (or none)
    VALUE_MISMATCH = "value-mismatch"  # a target's, a measure's or an investment's value that is none of the figures its own text states
    UNIT_MISMATCH = "unit-mismatch"  # a target's or a measure's unit that its own text does not count in
    STATUS_DISAGREES = "status-disagrees"  # a status without the city's words that the site's rule would not give
    PERCENT_IMPLAUSIBLE = "percent-implausible"  # value / target far above 100 % (a unit such as 万 left out)
    SECTION_CYCLE = "section-cycle"  # sections whose parents lead back to themselves
    NOT_VERBATIM = "not-verbatim"  # official text that is not in the list's archived source
    PROGRESS_ORDER = "progress-order"  # progress entries not in date order, or two for one report
    LOOKS_LIKE_HTML = "looks-like-html"  # text that contains an HTML tag (it is shown as text, never run)
    REDIRECT_CONFLICT = "redirect-conflict"  # a redirect that would hide a page that exists, point at itself, or is claimed twice
    RESERVED_NAME = "reserved-name"  # a city slug, old slug or topic id that the site's own pages use (about, data, topics …)
    # permanent URLs (compared with git)
    PUBLISHED_GONE = "published-gone"  # a published city, list or item that is gone without redirect_from or removed_ids
    # the maintainer tools (draft, import-progress) refuse, and write nothing
    FILE_EXISTS = "file-exists"  # the year file to draft is there already (draft again over it with --force)
    NO_ITEMS = "no-items"  # a source in which draft finds no items: no numbering, no table, no run of sentences
    COLUMN_MISSING = "column-missing"  # a table without a column the tool needs (the pledges, item numbers, status), or one named with --…-column
    COLUMN_REPEATED = "column-repeated"  # two columns of a table with the same header: the tool cannot tell which is meant
    ROW_TOO_LONG = "row-too-long"  # a table row with more cells than its header (a delimiter or a quote out of place)
    AMBIGUOUS_CELL = "ambiguous-cell"  # a cell the import will not guess at: a name that fits several items, a status wording with several meanings


@dataclass(frozen=True)
class Problem:
    file: str  # relative to the repository root, with forward slashes
    line: int
    col: int
    path: str  # the field, as items[3].targets[0].value ("" for the whole file)
    code: Code
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        field_path = f" {self.path}:" if self.path else ""
        tag = "" if self.severity == Severity.ERROR else " warning:"
        return visible(f"{where}:{tag}{field_path} {self.message} [{self.code.value}]")  # keys and values come from the data


def format_path(path: tuple) -> str:
    """("items", 3, "targets", 0, "value") → `items[3].targets[0].value`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
