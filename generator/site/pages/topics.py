"""The topics index and the topic pages: a topic's pledges across cities and years, each
pledge once, one progress table group per list, and the targets lists share (compare_targets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.core import model, urls
from generator.site import wording
from generator.site.pages.rows import TableGroup, TargetComparison, TopicCount, TopicList
from generator.site.pages.table import leaf_rows, table_row

if TYPE_CHECKING:
    from generator.site.pages import Page, Site


def topics_index(site: Site) -> Page:
    counts = []
    for t in site.ds.topics.values():
        pledges = topic_pledges(site.topic_items.get(t.id, []))
        counts.append(TopicCount(t, len(pledges), len({lf.data.city for lf, _, _ in pledges})))
    return site.render("topics_index.md.j2", urls.topics_src(), topics=counts)


def topic_page(site: Site, topic_id: str) -> Page:
    """A topic across cities and years: per list, its pledges at the finest level (sub-items
    grouped under their parent, which is not counted again), and the targets lists share."""
    pledges = topic_pledges(site.topic_items.get(topic_id, []))
    by_list: dict = {}
    for lf, item, parent in pledges:
        by_list.setdefault((lf.data.city, lf.data.year), (lf, []))[1].append((item, parent))
    lists = []
    for key, (lf, found) in sorted(by_list.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        group = site.reuse(("topic-rows", topic_id, key), [key], lambda lf=lf, found=found: _list_group(site, lf, found))
        lists.append(TopicList(key[0], site.city_name(key[0]), lf.data, group))
    cols = ["no", "title", "targets"] + (["lead"] if any(r.lead for tl in lists for r in leaf_rows(tl.group.rows)) else []) + ["status", "percent"]
    tables = site.macros("_table.j2", urls.topic_src(topic_id))
    bodies = [site.reuse(("topic-table", topic_id, (tl.city, tl.pl.year), *cols), [(tl.city, tl.pl.year)], lambda tl=tl: tables.table_group(tl.group, cols)) for tl in lists]
    return site.render(
        "topic.md.j2",
        urls.topic_src(topic_id),
        topic=site.ds.topics[topic_id],
        lists=lists,
        bodies=bodies,
        cols=cols,
        n_pledges=len(pledges),
        n_cities=len({tl.city for tl in lists}),
        comparisons=compare_targets([(site.city_name(lf.data.city), lf.data.year, item) for lf, item, _ in pledges]),
    )


def _list_group(site: Site, lf, found: list) -> TableGroup:
    """One list's rows on a topic page, under a heading that links to the list: sub-items
    grouped under their parent. A preview keeps it, and its table HTML, until the list changes."""
    pl = lf.data
    rows: list = []
    for item, parent in found:
        if parent is None:
            rows.append(table_row(site, pl, item))
        elif rows and rows[-1].item is parent:
            rows[-1] = rows[-1]._replace(children=rows[-1].children + (table_row(site, pl, item, parent),))
        else:
            rows.append(table_row(site, pl, parent, None, None, (table_row(site, pl, item, parent),)))
    return TableGroup(2, f"{site.city_name(pl.city)} {pl.year}年{pl.kind}", urls.city_year(pl.city, pl.year), rows)


def topic_pledges(found: list) -> list:
    """The pledges of a topic, each once: (list file, item, parent) in source order, where a
    parent whose own sub-items are in the topic too gives way to them (6 and 6-3 both name the
    20,000 parking spaces: only 6-3 counts)."""
    split = {(lf.data.city, lf.data.year, parent.id) for lf, _, parent in found if parent is not None}
    return [(lf, item, parent) for lf, item, parent in found if not (item.subitems and (lf.data.city, lf.data.year, item.id) in split)]


_RATES = ("%", "个百分点")


def compare_targets(pledges: list) -> list[TargetComparison]:
    """Metrics with a number that pledges of two or more lists share: (city name, year, item)
    → each list's target in words. Within a list, targets of the same metric add up, each
    pledge once (pass topic_pledges); rates and ranges are listed, not added."""
    per: dict = {}
    for city_name, year, item in pledges:
        for t in item.targets:
            if not t.qualitative and t.value is not None:
                per.setdefault((t.metric, t.unit), {}).setdefault((city_name, year), []).append(t)
    out = []
    for (metric, unit), by_list in per.items():
        if len(by_list) < 2:
            continue
        shown = []
        for (city_name, year), targets in by_list.items():
            comparators = {t.comparator for t in targets}
            if len(targets) > 1 and unit not in _RATES and len(comparators) == 1 and model.Comparator.range not in comparators:
                words = "合计" + wording.plain_quantity(sum(t.value for t in targets), unit, targets[0].comparator)
            else:
                words = "、".join(wording.plain_quantity(t.value, unit, t.comparator, t.value_max) for t in targets)
            shown.append((city_name, year, words))
        out.append(TargetComparison(metric, unit, shown))
    return out
