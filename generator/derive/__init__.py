"""The rules: figures we compute from the data (never typed by hand). How the pages phrase
them is site/wording.py's job.

    status.py     the newest progress, percent and pace line, who said a status
    dates.py      deadlines (and whether we inferred them), expected pace, the build date
    facts.py      how old a status is; one fact sheet per item for every page and download
    changes.py    what changed between reports; items behind, below pace or stale
    reconcile.py  the city's own counts beside ours
    rollup.py     a parent's sub-items counted: done, behind, not reported
    money.py      planned and completed investment, and a list's total where every item states one

Callers use the names below (`derive.latest`, `derive.item_facts`): which module holds a
rule is this package's business. The rules are the ones the methodology page
(content/about/methodology.md) explains; change both together. Nothing here reads the
clock: ages are measured against a build date the caller passes in (`build_date`:
SOURCE_DATE_EPOCH, else the newest date in the data).

May import core only.
"""

from generator.derive.changes import (
    Flagged,
    ItemChange,
    ReportChanges,
    Snapshot,
    behind_pace,
    changes,
    reports_in_order,
    same_percent,
    snapshot,
    stale,
    tracked_items,
)
from generator.derive.dates import (
    STALE_AFTER_DAYS,
    build_date,
    cn_date,
    deadline_inferred,
    epoch_date,
    expected_pace,
    item_deadline,
    list_date,
    list_deadline_inferred,
    list_source,
    newest_data_date,
)
from generator.derive.facts import (
    Freshness,
    ItemFacts,
    freshness,
    item_facts,
    stale_count,
)
from generator.derive.money import Investment, ListInvestment, investment, list_investment, planned_investment
from generator.derive.reconcile import (
    COUNT_WORDING,
    CountRow,
    Reconciliation,
    count_status,
    reconcile,
    summarised_reports,
)
from generator.derive.rollup import Rollup, rollup
from generator.derive.status import (
    ASSESSED,
    BASIS_LABELS,
    CITY_LEVEL_LABELS,
    COMPARATOR_LABELS,
    COMPARATOR_SYMBOLS,
    FINISHED,
    OFFICIAL,
    PACE_TOLERANCE,
    RULE_ASSESSMENT,
    RULE_SUBITEMS,
    SCRIPT_NOTES,
    STATUS_LABELS,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    SUMMARY,
    Judgement,
    Latest,
    assess,
    entry_percent,
    format_measure,
    format_number,
    item_lead,
    item_sections,
    judge,
    latest,
    leaves,
    measure_percent,
    reports_by_id,
    section_chain,
    sorted_progress,
    status_counts,
    target_measure,
)

__all__ = [
    "assess",
    "ASSESSED",
    "BASIS_LABELS",
    "CITY_LEVEL_LABELS",
    "COMPARATOR_LABELS",
    "COMPARATOR_SYMBOLS",
    "entry_percent",
    "FINISHED",
    "format_measure",
    "format_number",
    "item_lead",
    "item_sections",
    "judge",
    "Judgement",
    "Latest",
    "latest",
    "leaves",
    "measure_percent",
    "OFFICIAL",
    "PACE_TOLERANCE",
    "reports_by_id",
    "RULE_ASSESSMENT",
    "RULE_SUBITEMS",
    "SCRIPT_NOTES",
    "section_chain",
    "sorted_progress",
    "status_counts",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "STATUS_SYMBOLS",
    "SUMMARY",
    "target_measure",
    "build_date",
    "cn_date",
    "deadline_inferred",
    "epoch_date",
    "expected_pace",
    "item_deadline",
    "list_date",
    "list_deadline_inferred",
    "list_source",
    "newest_data_date",
    "STALE_AFTER_DAYS",
    "Freshness",
    "freshness",
    "item_facts",
    "ItemFacts",
    "stale_count",
    "behind_pace",
    "changes",
    "Flagged",
    "ItemChange",
    "ReportChanges",
    "reports_in_order",
    "same_percent",
    "Snapshot",
    "snapshot",
    "stale",
    "tracked_items",
    "count_status",
    "COUNT_WORDING",
    "CountRow",
    "reconcile",
    "Reconciliation",
    "summarised_reports",
    "Rollup",
    "rollup",
    "Investment",
    "ListInvestment",
    "investment",
    "list_investment",
    "planned_investment",
]
