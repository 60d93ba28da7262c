"""The pages of one city-year list: the list page with its progress table, what changed
between reports, an item page per item and sub-item, and a page per removed item.

Site.list_pages (pages/__init__.py) puts them together; the table's rows and filters are
table.py's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator import derive
from generator.core import model, urls
from generator.data.dataset import ListFile
from generator.site import wording
from generator.site.pages.embed import card_height
from generator.site.pages.rows import EmbedFigure, MeasureRow, Neighbour, OfficialSummary, RelatedItem, SourceRef, TargetRow, TimelineEntry, Verdict
from generator.site.pages.table import all_rows, deadline_note, lead_index, leaf_rows, list_table, table_filters, table_row

if TYPE_CHECKING:
    from generator.site.pages import Page, Site


def related_key(ref: str) -> tuple:
    """An item reference of the data (`related: [qingdao/2024/6]`) as (city, year, id)."""
    city, year, item_id = ref.split("/")
    return city, int(year), item_id


def _list_context(site: Site, lf: ListFile) -> dict:
    """What every page of one list shows about it."""
    pl = lf.data
    return {"lf": lf, "pl": pl, "city_name": site.city_name(pl.city)}


def list_heading(pl: model.PledgeList, city: model.City | None) -> str:
    """A list page's H1 names the city: 青岛市2024年市办实事项目 (the title as is when it names it)."""
    if city is None or city.short_name in pl.title:
        return pl.title
    return city.name + pl.title


def city_year_page(site: Site, lf: ListFile) -> Page:
    pl = lf.data
    leads = lead_index(pl)
    table = list_table(site, pl, leads)
    counts = derive.status_counts(pl)
    sources = {s.id: s for s in pl.sources}
    list_source = derive.list_source(pl)
    summaries = []
    for r in derive.summarised_reports(pl):
        first = (r.summary or "").split("\n")[0]
        summaries.append(OfficialSummary(derive.reconcile(pl, r), site.archived(sources.get(r.source), first, r.title)))
    return site.render(
        "city_year.md.j2",
        urls.city_year_src(pl.city, pl.year),
        **_list_context(site, lf),
        counts=counts,
        total=sum(counts.values()),
        stale=derive.stale_count(pl, site.build_date),
        counting=wording.counting(pl),
        heading=list_heading(pl, site.ds.cities.get(pl.city)),
        table=table,
        filters=table_filters(site, table, leads),
        show_lead=any(r.lead for g in table for r in leaf_rows(g.rows)),
        deadline_note=deadline_note(pl, table),
        has_summary=any(r.latest.basis == derive.SUMMARY for g in table for r in g.rows if r.children),
        has_pace=any(r.latest.pace is not None and r.latest.percent is not None for g in table for r in all_rows(g.rows)),
        list_source=list_source,
        list_archived=site.archived(list_source, pl.title, list_source.title),
        report_archived={r.id: site.archived(sources.get(r.source), r.title, (r.summary or "").split("\n")[0]) for r in pl.reports},
        summaries=summaries,
        investment=derive.list_investment(pl),
        verdict_rows=_verdict_rows(pl),
        vote_source=sources.get(pl.vote.source) if pl.vote else None,
        vote_archived=site.archived(sources.get(pl.vote.source)) if pl.vote else None,
        satisfaction_source=sources.get(pl.satisfaction.source) if pl.satisfaction else None,
        satisfaction_archived=site.archived(sources.get(pl.satisfaction.source)) if pl.satisfaction else None,
        edit_url=site.edit_url(lf),
    )


def _verdict_rows(pl: model.PledgeList) -> list:
    """(label, item, parent) of every item with votes or a 测评 result, in source order."""
    return [(wording.item_label(item, parent), item, parent) for item, _, parent in model.walk_items(pl.items) if item.vote or item.satisfaction]


def changes_page(site: Site, lf: ListFile) -> Page:
    """What changed between consecutive reports: journalists check it after each report."""
    pl = lf.data
    return site.render(
        "changes.md.j2",
        urls.changes_src(pl.city, pl.year),
        **_list_context(site, lf),
        reports=derive.changes(pl),
        behind=derive.behind_pace(pl),
        stale=derive.stale(pl, site.build_date),
        tolerance=derive.PACE_TOLERANCE,
        size=wording.count_phrase(pl),
    )


def removed_page(site: Site, lf: ListFile, item_id: str) -> Page:
    """A removed item's URL keeps answering (permanent URLs), saying it was removed."""
    pl = lf.data
    return site.render(
        "removed.md.j2",
        urls.item_src(pl.city, pl.year, item_id),
        **_list_context(site, lf),
        item_id=item_id,
        edit_url=site.edit_url(lf),
    )


def item_page(site: Site, lf: ListFile, item, parent, prev_item, next_item, card: Page | None = None) -> Page:
    """An item's page; `card`: its embed card (embed_page) when already made, for the snippet's height."""
    pl = lf.data
    reports = derive.reports_by_id(pl)
    sources = {s.id: s for s in pl.sources}
    timeline = []
    for e in derive.sorted_progress(item, reports):
        report = reports[e.report]
        source = sources.get(report.source)
        measures = [MeasureRow(m, derive.measure_percent(item, m), m.stage) for m in e.measures]
        j = derive.judge(item, e, pl, parent)
        texts = derive_texts(e)
        timeline.append(TimelineEntry(e, report, source, j.percent, measures, j, site.archived(source, *texts)))
    facts = derive.item_facts(item, pl, parent, site.build_date)
    latest = facts.latest
    verdicts = _verdicts(site, pl, item)
    targets = []
    for t in item.targets:
        m = derive.target_measure(t, latest.entry)
        targets.append(TargetRow(t, m, derive.measure_percent(item, m) if m else None))
    list_source = derive.list_source(pl)
    own = [related_key(r) for r in item.related]
    back = [k for k in site.related_back.get((pl.city, pl.year, item.id), []) if k not in own]
    related = []
    for found in map(site.find, own + back):
        if found:
            rlf, ritem, rparent = found
            related.append(RelatedItem(rlf.data.city, site.city_name(rlf.data.city), rlf.data.year, ritem, wording.item_label(ritem, rparent)))
    src = urls.item_src(pl.city, pl.year, item.id)
    permalink = urls.absolute(site.site_url, urls.from_src(src))
    issue_title, issue_body = wording.correction_issue(permalink, f"{site.city_name(pl.city)} {pl.year} · {wording.item_label(item, parent)} {item.title or wording.short(item.text, 30)}")
    return site.render(
        "item.md.j2",
        src,
        **_list_context(site, lf),
        city_full_name=site.city_full_name(pl.city),
        item=item,
        parent=parent,
        latest=latest,
        rollup=facts.rollup,
        money=facts.investment,
        verdicts=verdicts,
        children=[table_row(site, pl, c, item) for c in item.subitems],
        label=wording.item_label(item, parent),
        unit=wording.item_unit(item),
        targets=targets,
        timeline=timeline,
        cited=_cited(site, pl, item, timeline, latest.report, verdicts),
        section=facts.sections,
        deadline=facts.deadline,
        deadline_inferred=facts.deadline_inferred,
        fresh=facts.fresh,
        list_source=list_source,
        list_archived=site.archived(list_source, item.text, item.goal),
        latest_archived=next((t.archived for t in timeline if t.report is latest.report), None),
        quote=wording.in_quotes(wording.cite_quote(item.text)),
        topics=[site.ds.topics[t] for t in item.topics if t in site.ds.topics],
        related=related,
        prev_item=prev_item,
        next_item=next_item,
        permalink=permalink,
        edit_url=site.edit_url(lf, item.id),
        correction_url=urls.new_issue(site.edit_base, issue_title, issue_body),
        embed_url=urls.absolute(site.site_url, urls.item_embed(pl.city, pl.year, item.id)),
        embed_height=card_height((card or embed_page(site, lf, item, parent)).content),
    )


def embed_page(site: Site, lf: ListFile, item, parent) -> Page:
    """The item as a small card for other sites' iframes: a finished HTML file (templates/embed.html.j2)."""
    pl = lf.data
    facts = derive.item_facts(item, pl, parent, site.build_date)
    latest = facts.latest
    return site.render_file(
        "embed.html.j2",
        urls.item_embed_src(pl.city, pl.year, item.id),
        **_list_context(site, lf),
        city_full_name=site.city_full_name(pl.city),
        item=item,
        label=wording.item_label(item, parent),
        latest=latest,
        fresh=facts.fresh,
        rollup=facts.rollup,
        figures=embed_figures(item, latest),
        permalink=urls.absolute(site.site_url, urls.item(pl.city, pl.year, item.id)),
        build_date=site.build_date,
    )


def embed_figures(item: model.Item, latest: derive.Latest) -> list[EmbedFigure]:
    """Every target of the item, each with the latest figure reported on it: the card once showed
    only the first (or the first with a figure), which read as if the item promised one thing."""
    figures = []
    for t in item.targets:
        m = derive.target_measure(t, latest.entry)
        figures.append(EmbedFigure(wording.plain_target(t), derive.format_measure(m) if m else ""))
    return figures


VERDICT_USES = {"vote": "人大代表票决", "satisfaction": "满意度测评"}  # what an item page cites a verdict's source for


def _cited(site: Site, pl: model.PledgeList, item: model.Item, timeline: list, latest_report: model.Report | None, verdicts: list) -> list:
    """The documents an item page cites, each once: the list's source (at the pledge), then
    the sources of the reports, newest report first."""
    sources = {s.id: s for s in pl.sources}
    refs: dict = {}
    list_src = derive.list_source(pl)
    refs[list_src.id] = SourceRef(list_src, ["事项清单"], site.archived(list_src, item.text, item.goal))
    for t in sorted(timeline, key=lambda t: t.report is not latest_report):
        src = sources.get(t.report.source)
        if src is None:
            continue
        use = f"进展报告（截至{derive.cn_date(t.report.as_of)}）"
        if src.id in refs:
            refs[src.id].uses.append(use)
        else:
            refs[src.id] = SourceRef(src, [use], t.archived)
    for v in verdicts:
        name = VERDICT_USES[v.kind]
        if v.source is None:
            continue
        if v.source.id in refs:
            refs[v.source.id].uses.append(name)
        else:
            refs[v.source.id] = SourceRef(v.source, [name], v.archived)
    return [r._replace(absolute=urls.absolute(site.site_url, r.archived) if r.archived else None) for r in refs.values()]


def _verdicts(site: Site, pl: model.PledgeList, item: model.Item) -> list:
    """The people's verdict on an item as its page shows it: (what, the list's record of it,
    the item's numbers, the record's source, its archived copy), for 票决 and 测评."""
    sources = {s.id: s for s in pl.sources}
    out = []
    for name, event, numbers in (("vote", pl.vote, item.vote), ("satisfaction", pl.satisfaction, item.satisfaction)):
        if event is not None and numbers is not None:
            src = sources.get(event.source)
            out.append(Verdict(name, event, numbers, src, site.archived(src, item.text, item.title)))  # at the item's line
    return out


def derive_texts(entry: model.Progress) -> list:
    """The texts of a progress entry to look for in its archived source, most telling first."""
    return (
        [p for p in (entry.text or "").split("\n") if p.strip()]
        + [m.text for m in entry.measures if m.text]
        + [entry.investment.text if entry.investment else None, entry.status_text]
    )


def neighbour(found: tuple) -> Neighbour:
    item, _, parent = found
    return Neighbour(item, wording.item_label(item, parent))
