"""Atom feeds (RFC 4287) of new lists and progress reports, via feedgen.

- `feeds/all.atom`: every city; `feeds/<city>.atom`: one city.
- One entry per published list and one per progress report, newest first.
- Entry ids are tag: URIs that depend only on the data (city, year, report id), so they
  stay the same when the site moves; links are absolute URLs built from `site_url`.
- Every date comes from the data (feed `updated` = newest entry), so two builds of the
  same data are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from generator import derive
from generator.core import model, urls
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


def _report_entry(ds: Dataset, lf: ListFile, report: model.Report, site_url: str) -> Entry:
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
    return Entry(
        id=urls.report_entry_id(pl.city, pl.year, report.id),
        title=f"{name} {pl.year} {pl.kind} · {report.title}",
        date=report.published,
        link=urls.absolute(site_url, urls.changes_report(pl.city, pl.year, report.id)),  # what this report changed
        content="\n".join(parts),
        city=pl.city,
        sort_key=(report.published, 1, pl.city, pl.year, report.id),
    )


def entries(ds: Dataset, site_url: str) -> list[Entry]:
    """Every entry of the site-wide feed, newest first (ties broken by city, year, id)."""
    out = []
    for key in sorted(ds.lists):
        lf = ds.lists[key]
        out.append(_list_entry(ds, lf, site_url))
        for report in lf.data.reports:
            out.append(_report_entry(ds, lf, report, site_url))
    out.sort(key=lambda e: e.sort_key, reverse=True)
    return out


def _render(feed_id: str, title: str, subtitle: str, self_url: str, alternate: str, items: list[Entry], fallback: dt.date) -> bytes:
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.subtitle(subtitle)
    fg.author({"name": SITE_NAME})
    fg.link(href=alternate, rel="alternate", type="text/html")
    fg.link(href=self_url, rel="self", type="application/atom+xml")
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


def feed_files(ds: Dataset, site_url: str) -> dict[str, bytes]:
    """{site-relative path: bytes}: `feeds/all.atom` and `feeds/<city>.atom` for every city."""
    everything = entries(ds, site_url)
    newest = everything[0].date if everything else FALLBACK_DATE
    out = {
        urls.feed_all(): _render(
            urls.feed_id("all"),
            f"{SITE_NAME}：新清单与进展报告",
            "各地民生实事清单和进展报告的更新",
            urls.absolute(site_url, urls.feed_all()),
            urls.absolute(site_url, urls.home()),
            everything,
            newest,
        )
    }
    for slug in sorted(set(ds.cities) | {city for city, _ in ds.lists}):
        name = _city_short(ds, slug)
        out[urls.feed_city(slug)] = _render(
            urls.feed_id(slug),
            f"{SITE_NAME}：{name}",
            f"{name}民生实事清单和进展报告的更新",
            urls.absolute(site_url, urls.feed_city(slug)),
            urls.absolute(site_url, urls.city(slug)),
            [e for e in everything if e.city == slug],
            newest,
        )
    return out
