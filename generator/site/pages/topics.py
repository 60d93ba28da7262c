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
    for (city, year), (lf, found) in sorted(by_list.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        pl = lf.data
        rows: list = []
        for item, parent in found:
            if parent is None:
                rows.append(table_row(site, pl, item))
            elif rows and rows[-1].item is parent:
                rows[-1] = rows[-1]._replace(children=rows[-1].children + (table_row(site, pl, item, parent),))
            else:
                rows.append(table_row(site, pl, parent, None, None, (table_row(site, pl, item, parent),)))
        heading = f"{site.city_name(city)} {year}年{pl.kind}"
        lists.append(TopicList(city, site.city_name(city), pl, TableGroup(2, heading, urls.city_year(city, year), rows)))
    return site.render(
        "topic.md.j2",
        urls.topic_src(topic_id),
        topic=site.ds.topics[topic_id],
        lists=lists,
        n_pledges=len(pledges),
        n_cities=len({tl.city for tl in lists}),
        comparisons=compare_targets([(site.city_name(lf.data.city), lf.data.year, item) for lf, item, _ in pledges]),
        show_lead=any(r.lead for tl in lists for r in leaf_rows(tl.group.rows)),
    )


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
