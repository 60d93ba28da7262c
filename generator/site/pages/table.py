"""The progress table (templates/_table.j2, worked by assets/ptable.js): its rows, groups,
filters and sorts, and the inferred deadline said once above it.

A list page shows its sections as groups of rows, an item page its sub-items, a topic page
one group per list (topics.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator import derive
from generator.core import model
from generator.core.model import walk_items
from generator.site import wording
from generator.site.pages.rows import DeadlineNote, FilterOption, Filters, Group, TableGroup, TableRow

if TYPE_CHECKING:
    from generator.site.pages import Site

# Sorts a progress table may offer (ptable.js sortKey): short labels, a 390 px screen shows them whole.
SORT_BY_STATUS = ("rank", "已完成在前")
SORT_BY_PERCENT = (("percent-desc", "完成率从高到低"), ("percent-asc", "完成率从低到高"))


def table_row(site: Site, pl: model.PledgeList, item: model.Item, parent: model.Item | None = None, leads: dict | None = None, children: tuple = ()) -> TableRow:
    """An item as a progress table shows it: the facts of one row or one phone card."""
    facts = derive.item_facts(item, pl, parent, site.build_date)
    own = wording.own_label(item)
    return TableRow(
        pl.city,
        pl.year,
        item,
        parent,
        facts.latest,
        facts.fresh,
        own if wording.item_unit(item) == "件" else wording.plain_number(item),
        [wording.plain_target(t) for t in item.targets],
        facts.lead,
        facts.deadline,
        facts.deadline_inferred,
        derive.STATUS_ORDER.index(facts.latest.status),
        " ".join(str(leads[u]) for u in facts.lead if u in leads) if leads else "",
        children,
        facts.rollup,
        facts.investment,
    )


def _rows(site: Site, pl: model.PledgeList, items: list, leads: dict | None) -> list:
    return [table_row(site, pl, i, None, leads, tuple(table_row(site, pl, c, i, leads) for c in i.subitems)) for i in items]


def _grouped(pl: model.PledgeList) -> list[Group]:
    """The list's sections in source order, each with its items."""
    children: dict = {}
    for s in pl.sections:
        children.setdefault(s.parent, []).append(s)
    items_in: dict = {}
    for item in pl.items:
        items_in.setdefault(item.section, []).append(item)

    out = []

    def visit(section, level):
        out.append(Group(level, section, items_in.get(section.id, [])))
        for child in children.get(section.id, []):
            visit(child, level + 1)

    if items_in.get(None):
        out.append(Group(2, None, items_in[None]))
    for top in children.get(None, []):
        visit(top, 2)
    return out


def list_table(site: Site, pl: model.PledgeList, leads: dict) -> list[TableGroup]:
    """The list's sections in source order, as groups of a progress table."""
    return [TableGroup(g.level, (g.section.label + g.section.title) if g.section else None, None, _rows(site, pl, g.items, leads)) for g in _grouped(pl)]


def lead_index(pl: model.PledgeList) -> dict:
    """Each lead unit of a list → a short filter key (its first appearance in source order)."""
    found: dict = {}
    for item, _, parent in walk_items(pl.items):
        for u in derive.item_lead(item, parent):
            found.setdefault(u, len(found))
    return found


def table_filters(site: Site, table: list, leads: dict) -> Filters:
    """The options of a table's filters: the statuses, topics and lead units its rows have."""
    rows = [r for g in table for r in leaf_rows(g.rows)]
    statuses: dict = {}
    topics: dict = {}
    units: dict = {}
    for r in rows:
        statuses[r.latest.status] = statuses.get(r.latest.status, 0) + 1
        for t in r.item.topics:
            topics[t] = topics.get(t, 0) + 1
        for u in r.lead:
            units[u] = units.get(u, 0) + 1
    return Filters(
        [FilterOption(s, derive.STATUS_LABELS[s], statuses[s]) for s in derive.STATUS_ORDER if s in statuses],
        [FilterOption(t, site.ds.topics[t].name, n) for t, n in sorted(topics.items(), key=lambda tn: (-tn[1], tn[0])) if t in site.ds.topics],
        [FilterOption(str(leads[u]), u, n) for u, n in sorted(units.items(), key=lambda un: (-un[1], leads[un[0]])) if u in leads],
        table_sorts(rows),
    )


def table_sorts(rows: list) -> tuple:
    """The sorts that change something in a table of `rows` (its leaf rows): by status when the
    rows have more than one, by completion when some row has a figure (a list without any
    progress offers neither)."""
    sorts: tuple = ()
    if len({r.rank for r in rows}) > 1:
        sorts += (SORT_BY_STATUS,)
    if any(r.latest.percent is not None for r in rows):
        sorts += SORT_BY_PERCENT
    return sorts


def deadline_note(pl: model.PledgeList, table: list) -> DeadlineNote | None:
    """The list's inferred deadline, said once above its table, when some row has it."""
    common = wording.common_deadline(pl)
    rows = [r for g in table for r in all_rows(g.rows)]
    if common is None or not any(r.deadline_inferred for r in rows):
        return None
    return DeadlineNote(common[0], common[1], all(r.deadline_inferred for r in rows))


def all_rows(rows) -> list:
    """Every row of a table: items, the parents and their sub-items."""
    return [r for row in rows for r in (row, *row.children)]


def leaf_rows(rows) -> list:
    """The rows a table counts and filters: an item with sub-items only heads them."""
    return [c for r in rows for c in (r.children or (r,))]
