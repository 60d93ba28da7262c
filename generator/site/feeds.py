"""Atom feeds (RFC 4287) of new lists and progress reports, via feedgen.

- `feeds/all.atom`: every city; `feeds/<city>.atom`: one city; `feeds/<city>/<year>.atom`: one
  list; `feeds/<city>/<year>/<id>.atom`: one item (a parent's has its sub-items' entries too).
- Site, city and list feeds: one entry per published list and one per progress report (with
  the items whose status changed), newest first. An item feed: the list's publication, then
  one entry per report that mentions the item, saying whether its status changed (our
  classification beside the city's own words), with the as-of date and the source.
- Entry ids are tag: URIs that depend only on the data (city, year, report id), so they
  stay the same when the site moves; links are absolute URLs built from `site_url`.
- Every date comes from the data (feed `updated` = newest entry), so two builds of the
  same data are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from generator import derive
from generator.core import model, urls
from generator.core.kept import Kept, reuse
from generator.core.model import walk_items
from generator.data.dataset import Dataset, ListFile
from generator.site import wording

SITE_NAME = "民生实事台账"
CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
FEED_STATUSES = ("behind", "done")  # what a report entry lists: news is what fell behind or finished
MAX_ITEMS_PER_STATUS = 30
FALLBACK_DATE = dt.date(2024, 1, 1)  # `updated` of a feed with no entries in an empty dataset


@dataclass
class Entry:
    id: str
    title: str
    date: dt.date
    link: str
    content: str  # HTML
    city: str
    sort_key: tuple


def _stamp(day: dt.date) -> dt.datetime:
    """A data date as an Atom timestamp: midnight, China Standard Time."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ)


def _quote(text: str) -> str:
    """Verbatim text as an HTML blockquote, one paragraph per line."""
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    return "<blockquote>" + "".join(f"<p>{html.escape(p)}</p>" for p in paras) + "</blockquote>"


def _city_short(ds: Dataset, slug: str) -> str:
    city = ds.cities.get(slug)
    return city.short_name if city else slug


def list_date(pl: model.PledgeList) -> dt.date:
    """When the list was published; without `published`, the date of the list's source."""
    return pl.published or derive.list_source(pl).date


def _list_entry(ds: Dataset, lf: ListFile, site_url: str) -> Entry:
    pl = lf.data
    name = _city_short(ds, pl.city)
    n_sub = sum(1 for _ in walk_items(pl.items)) - len(pl.items)
    parts = [f"<p>{html.escape(pl.issuer)}：{html.escape(pl.title)}，共 {len(pl.items)} 项"
             + (f"（含子项 {n_sub} 项）" if n_sub else "") + "。</p>"]
    if pl.summary:
        parts.append(_quote(pl.summary))
    src = derive.list_source(pl)
    parts.append(f"<p>来源：{html.escape(src.title)}，{html.escape(src.publisher)}，{src.date.isoformat()}</p>")
    date = list_date(pl)
    return Entry(
        id=urls.list_entry_id(pl.city, pl.year),
        title=f"{name} {pl.year} {pl.kind}：{len(pl.items)} 项",
        date=date,
        link=urls.absolute(site_url, urls.city_year(pl.city, pl.year)),
        content="\n".join(parts),
        city=pl.city,
        sort_key=(date, 0, pl.city, pl.year, ""),
    )


def _source_line(source: model.Source | None, report: model.Report) -> str:
    cite = f"{html.escape(source.title)}，{html.escape(source.publisher)}，{source.date.isoformat()}" if source else html.escape(report.title)
    return f"<p>来源：{cite}（报告发布于 {report.published.isoformat()}）</p>"




def _label(change: derive.ItemChange) -> str:
    return change.item.title or wording.short(change.item.text, 30)


def _status_changes(rc: derive.ReportChanges | None, site_url: str, pl: model.PledgeList) -> str:
    """The items whose status (our classification) this report changed, as an HTML list."""
    rows = [c for c in (rc.changed if rc else []) if c.status_changed]
    if rc is None or not rows:
        return ""
    lis = []
    for c in rows[:MAX_ITEMS_PER_STATUS]:
        href = urls.absolute(site_url, urls.progress(pl.city, pl.year, c.item.id, rc.report.id))
        assert c.before is not None and c.after is not None  # a status change has both
        words = f"（原文：{html.escape(c.after.status_text)}）" if c.after.status_text else f"（{derive.BASIS_LABELS[c.after.basis]}）"
        assert c.before is not None and c.after is not None  # a status change has both
        lis.append(f'<li><a href="{html.escape(href, quote=True)}">{html.escape(c.item.id)} {html.escape(_label(c))}</a>：'
                   f"{derive.STATUS_LABELS[c.before.status]} → {derive.STATUS_LABELS[c.after.status]}{words}</li>")
    if len(rows) > MAX_ITEMS_PER_STATUS:
        lis.append(f"<li>……另有 {len(rows) - MAX_ITEMS_PER_STATUS} 项，见进展变化页</li>")
    return f"<p>与上一期相比，本站归类有变化的事项（{len(rows)} 项）：</p><ul>" + "".join(lis) + "</ul>"


def _report_entry(ds: Dataset, lf: ListFile, report: model.Report, site_url: str, rc: derive.ReportChanges | None = None) -> Entry:
    pl = lf.data
    name = _city_short(ds, pl.city)
    found: dict = {s: [] for s in FEED_STATUSES}
    for item, _, parent in walk_items(pl.items):
        for entry in item.progress:
            if entry.report == report.id:
                j = derive.judge(item, entry, pl, parent)
                if j.status in found:
                    found[j.status].append((item, entry, j))
    parts = [f"<p>{html.escape(report.title)}（截至 {report.as_of.isoformat()}，发布于 {report.published.isoformat()}）</p>"]
    if report.summary:
        parts.append(_quote(report.summary))
    for status in FEED_STATUSES:
        rows = found[status]
        if not rows:
            continue
        parts.append(f"<p>本站归类为“{derive.STATUS_LABELS[status]}”的事项（{len(rows)} 项）：</p>")
        lis = []
        for item, entry, j in rows[:MAX_ITEMS_PER_STATUS]:
            href = urls.absolute(site_url, urls.progress(pl.city, pl.year, item.id, report.id))
            label = item.title or wording.short(item.text, 30)
            extra = f"（原文：{html.escape(entry.status_text)}）" if entry.status_text else f"（{derive.BASIS_LABELS[j.basis]}）"
            lis.append(f'<li><a href="{html.escape(href, quote=True)}">{html.escape(item.id)} {html.escape(label)}</a>{extra}</li>')
        if len(rows) > MAX_ITEMS_PER_STATUS:
            lis.append(f"<li>……另有 {len(rows) - MAX_ITEMS_PER_STATUS} 项，见清单页</li>")
        parts.append("<ul>" + "".join(lis) + "</ul>")
    changed = _status_changes(rc, site_url, pl)
    if changed:
        parts.append(changed)
    return Entry(
        id=urls.report_entry_id(pl.city, pl.year, report.id),
        title=f"{name} {pl.year} {pl.kind} · {report.title}",
        date=report.published,
        link=urls.absolute(site_url, urls.changes_report(pl.city, pl.year, report.id)),  # what this report changed
        content="\n".join(parts),
        city=pl.city,
        sort_key=(report.published, 1, pl.city, pl.year, report.id),
    )


def _item_entry(ds: Dataset, lf: ListFile, change: derive.ItemChange, rc: derive.ReportChanges, site_url: str) -> Entry:
    """One report's news of one item: a new report, and whether the status changed."""
    pl, report, now, before = lf.data, rc.report, change.after, change.before
    assert now is not None  # changed, new and unchanged items all have an entry in this report
    name = _city_short(ds, pl.city)
    label = f"{wording.item_label(change.item, change.parent)} {_label(change)}"
    status = derive.STATUS_LABELS[now.status]
    if before is None:
        title, head = f"{label}：首次报告进展，{status}", "本期报告首次提到此项。"
    elif change.status_changed:
        title, head = f"{label}：{derive.STATUS_LABELS[before.status]} → {status}", f"状态有变化：上一期为“{derive.STATUS_LABELS[before.status]}”，本期为“{status}”（本站归类）。"
    else:
        title, head = f"{label}：新进展，仍为{status}", f"状态未变，仍为“{status}”（本站归类）。"
    parts = [f"<p>{html.escape(report.title)}（截至 {report.as_of.isoformat()}）。{head}</p>"]
    if now.status_text:
        parts.append(f"<p>官方表述：“{html.escape(now.status_text)}”；本站归类：{status}。</p>")
    else:
        parts.append(f"<p>{derive.BASIS_LABELS[now.basis]}：{status}" + (f"（依据：{html.escape(now.reason)}）" if now.reason else "") + "。</p>")
    if now.percent is not None:
        was = f"（上一期 {before.percent:g}%）" if before is not None and before.percent is not None and change.percent_changed else ""
        parts.append(f"<p>完成比例：{now.percent:g}%{was}</p>")
    entry = next((e for e in change.item.progress if e.report == report.id), None)
    if entry is not None and entry.text:
        parts.append(_quote(entry.text))
    parts.append(_source_line(rc.source, report))
    return Entry(
        id=urls.progress_entry_id(pl.city, pl.year, change.item.id, report.id),
        title=f"{name} {pl.year} · {title}",
        date=report.published,
        link=urls.absolute(site_url, urls.progress(pl.city, pl.year, change.item.id, report.id)),
        content="\n".join(parts),
        city=pl.city,
        sort_key=(report.published, 1, pl.city, pl.year, report.id, change.item.id),
    )


def _published_entry(ds: Dataset, lf: ListFile, item: model.Item, parent: model.Item | None, site_url: str) -> Entry:
    """An item feed's first entry: the pledge as the list published it."""
    pl = lf.data
    src = derive.list_source(pl)
    date = list_date(pl)
    label = f"{wording.item_label(item, parent)} {item.title or wording.short(item.text, 30)}"
    parts = [f"<p>{html.escape(pl.issuer)}发布{html.escape(pl.title)}，此项承诺原文：</p>", _quote(item.text)]
    parts.append(f"<p>来源：{html.escape(src.title)}，{html.escape(src.publisher)}，{src.date.isoformat()}</p>")
    return Entry(
        id=urls.item_entry_id(pl.city, pl.year, item.id),
        title=f"{_city_short(ds, pl.city)} {pl.year} · {label}：清单发布",
        date=date,
        link=urls.absolute(site_url, urls.item(pl.city, pl.year, item.id)),
        content="\n".join(parts),
        city=pl.city,
        sort_key=(date, 0, pl.city, pl.year, item.id),
    )


def _newest_first(items: list[Entry]) -> list[Entry]:
    return sorted(items, key=lambda e: e.sort_key, reverse=True)


def list_entries(ds: Dataset, lf: ListFile, site_url: str, changes: list | None = None) -> list[Entry]:
    """A list's entries in the site, city and list feeds: its publication and its reports."""
    by_report = {rc.report.id: rc for rc in (changes if changes is not None else derive.changes(lf.data))}
    return [_list_entry(ds, lf, site_url)] + [_report_entry(ds, lf, r, site_url, by_report.get(r.id)) for r in lf.data.reports]


def item_entries(ds: Dataset, lf: ListFile, site_url: str, changes: list | None = None) -> dict[str, list[Entry]]:
    """{item id: its feed's entries, newest first}: the list's publication, and each report's
    news of the item (a parent's feed also has its sub-items')."""
    pl = lf.data
    news: dict[str, list[Entry]] = {}
    for rc in changes if changes is not None else derive.changes(pl):
        for change in rc.changed + rc.new + rc.unchanged:
            news.setdefault(change.item.id, []).append(_item_entry(ds, lf, change, rc, site_url))
    out = {}
    for item, _, parent in walk_items(pl.items):
        own = news.get(item.id, [])
        for child in item.subitems:
            own = own + news.get(child.id, [])
        out[item.id] = _newest_first(own) + [_published_entry(ds, lf, item, parent, site_url)]
    return out


def entries(ds: Dataset, site_url: str) -> list[Entry]:
    """Every entry of the site-wide feed, newest first (ties broken by city, year, id)."""
    out = []
    for key in sorted(ds.lists):
        out += list_entries(ds, ds.lists[key], site_url)
    return _newest_first(out)


def _render(site_url: str, feed_id: str, title: str, subtitle: str, feed: str, page: str, items: list[Entry], fallback: dt.date) -> bytes:
    """One Atom feed: `feed` its own address, `page` the page it follows (both site paths)."""
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.subtitle(subtitle)
    fg.author({"name": SITE_NAME})
    fg.link(href=urls.absolute(site_url, page), rel="alternate", type="text/html")
    fg.link(href=urls.absolute(site_url, feed), rel="self", type="application/atom+xml")
    fg.icon(urls.absolute(site_url, urls.favicon()))  # the site's icon, as a feed reader shows it beside the feed
    fg.language("zh")
    fg.generator(SITE_NAME)  # fixed: the feedgen version must not change the bytes
    fg.updated(_stamp(items[0].date if items else fallback))
    for e in items:
        fe = fg.add_entry(order="append")
        fe.id(e.id)
        fe.title(e.title)
        fe.updated(_stamp(e.date))
        fe.published(_stamp(e.date))
        fe.link(href=e.link, rel="alternate", type="text/html")
        fe.content(e.content, type="html")
    return fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def feed_files(ds: Dataset, site_url: str, stamps: dict | None = None, kept: Kept | None = None) -> dict[str, bytes]:
    """{site-relative path: bytes}: `feeds/all.atom`, `feeds/<city>.atom` for every city, and a
    feed per list and per item. A preview passes each list's stamp and what it `kept` (core.kept):
    an unchanged list keeps its entries and its own feeds."""
    everything: list[Entry] = []
    own: dict[str, bytes] = {}
    for key in sorted(ds.lists):
        in_list, files = reuse(kept, key, stamps[key] if stamps else None, functools.partial(_list_feeds, ds, ds.lists[key], site_url))
        everything += in_list
        own.update(files)
    if kept is not None:
        kept.forget_unused()
    everything = _newest_first(everything)
    newest = everything[0].date if everything else FALLBACK_DATE
    out = {
        urls.feed_all(): _render(
            site_url,
            urls.feed_id("all"),
            f"{SITE_NAME}：新清单与进展报告",
            "各地民生实事清单和进展报告的更新",
            urls.feed_all(),
            urls.home(),
            everything,
            newest,
        )
    }
    for slug in sorted(set(ds.cities) | {city for city, _ in ds.lists}):
        name = _city_short(ds, slug)
        out[urls.feed_city(slug)] = _render(
            site_url,
            urls.feed_id(slug),
            f"{SITE_NAME}：{name}",
            f"{name}民生实事清单和进展报告的更新",
            urls.feed_city(slug),
            urls.city(slug),
            [e for e in everything if e.city == slug],
            newest,
        )
    return out | own


def _list_feeds(ds: Dataset, lf: ListFile, site_url: str) -> tuple[list[Entry], dict[str, bytes]]:
    """A list's entries in the site and city feeds, and its own feed and its items' feeds
    (never empty: the list's and each item's publication is an entry, so no fallback date)."""
    slug, year = lf.data.city, lf.data.year
    changes = derive.changes(lf.data)
    in_list, by_item = list_entries(ds, lf, site_url, changes), item_entries(ds, lf, site_url, changes)
    name = f"{_city_short(ds, slug)} {year} {lf.data.kind}"
    files = {
        urls.feed_list(slug, year): _render(
            site_url,
            urls.feed_list_id(slug, year),
            f"{SITE_NAME}：{name}",
            f"{name}的进展报告和状态变化",
            urls.feed_list(slug, year),
            urls.city_year(slug, year),
            _newest_first(in_list),
            FALLBACK_DATE,
        )
    }
    for item, _, parent in walk_items(lf.data.items):
        title = f"{name} · {wording.item_label(item, parent)} {item.title or wording.short(item.text, 30)}"
        files[urls.feed_item(slug, year, item.id)] = _render(
            site_url,
            urls.feed_item_id(slug, year, item.id),
            f"{SITE_NAME}：{title}",
            "此项的每期进展和状态变化",
            urls.feed_item(slug, year, item.id),
            urls.item(slug, year, item.id),
            by_item[item.id],
            FALLBACK_DATE,
        )
    return in_list, files
