"""The pages about where the data comes from and where it goes: the sources index, a page
per archived source (its text, the lines our data quotes marked), and the data page with the
downloads, their sizes and a guide to the CSV columns.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.core import urls
from generator.core.model import walk_items
from generator.data import schema, verbatim
from generator.exports import datapackage, downloads, tables
from generator.site import captures, wording
from generator.site.feeds import SITE_NAME
from generator.site.pages.rows import ColumnExample, Download, ListDownloads, SourceLine

if TYPE_CHECKING:
    from generator.site.pages import Page, Site


def sources_index(site: Site, citing: dict) -> Page:
    rows = [(urls.capture_stem(a), site.captures[a], citing[a]) for a in sorted(citing)]
    return site.render("sources_index.md.j2", urls.sources_index_src(), rows=rows)


def source_page(site: Site, archive: str, citing: list) -> Page:
    """One archived source: what it is, who cites it, and its text from the first to the
    last line our data quotes (see generator/site/captures.py), each line with its own anchor."""
    capture = site.captures[archive]
    texts = [t for c in citing for t in verbatim.cited_texts(c.pl)]
    span = captures.published_span(capture, texts, [c.source.publisher for c in citing])
    first, last = (span.first, span.last) if span else (1, len(capture.lines))
    quoted = span.quoted if span else frozenset()
    lines = [SourceLine(n, capture.lines[n - 1], n in quoted) for n in range(first, last + 1)]
    return site.render(
        "source.md.j2",
        urls.source_src(urls.capture_stem(archive)),
        archive=archive,
        main=citing[0].source,
        citing=citing,
        lines=lines,
        first=first,
        last=last,
        total=len(capture.lines),
        traditional=capture.traditional,
        repository_url=urls.edit(site.edit_base, archive),
    )


def data_page(site: Site) -> Page:
    """The downloads, each with its size, and a plain guide to the CSV columns."""
    files = site.downloads if site.downloads is not None else downloads.summary_files(site.ds, site.site_url, site.build_date)

    sizes = getattr(files, "sizes", None)  # a Spool (core/spool.py) knows them without reading the files back

    def download(url: str) -> Download:
        if url not in files:
            return Download(url, None)
        return Download(url, sizes[url] if sizes is not None else len(files[url]))

    lists = []
    for (slug, year), lf in site.by_city_year():
        n = sum(1 for _ in walk_items(lf.data.items))
        csv_file, json_file = download(urls.list_csv(slug, year)), download(urls.list_json(slug, year))
        lists.append(ListDownloads(site.city_name(slug), lf.data, n, csv_file, json_file, wording.count_phrase(lf.data)))
    csvs = [files[urls.list_csv(slug, year)] for (slug, year), _ in site.by_city_year()]
    whole = [("表格压缩包（CSV，数据包）", download(urls.package_zip()), "application/zip"), ("数据库（SQLite）", download(urls.database()), "application/vnd.sqlite3"),
             ("全站数据（JSON）", download(urls.all_json()), "application/json"), ("数据包说明（datapackage.json）", download(urls.package_descriptor()), "application/json")]
    per_list = [(f"{row.city_name}{row.pl.year}年{row.pl.kind}（{kind}）", file, mime) for row in lists for kind, file, mime in (("CSV", row.csv, "text/csv"), ("JSON", row.json, "application/json"))]
    return site.render(
        "data.md.j2",
        urls.data_page_src(),
        lists=lists,
        package_zip=download(urls.package_zip()),
        database=download(urls.database()),
        all_json=download(urls.all_json()),
        descriptor=download(urls.package_descriptor()),
        columns=column_examples(csvs),
        tables=tables.TABLES,
        query=tables.BEHIND_BY_CITY,
        schemas=list(schema.SCHEMAS),
        preview=urls.database() not in files,
        dataset_jsonld=json_ld(dataset_description(site, whole + per_list)),
        licence=datapackage.LICENCE,
    )


def dataset_description(site: Site, files: list[tuple[str, Download, str]]) -> dict:
    """The downloads as a schema.org Dataset, for data catalogues and search engines: one
    DataDownload per file the page offers (a preview's missing whole-dataset files left out),
    the years and the cities covered, and the licence (datapackage.LICENCE)."""
    years = sorted({year for _, year in site.ds.lists})
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": SITE_NAME,
        "description": "各地政府公开承诺的民生实事、目标、进展报告和出处；状态、完成比例和序时进度由本站按方法说明计算。",
        "url": urls.absolute(site.site_url, urls.data_page()),
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "license": datapackage.LICENCE["path"],
        "creator": {"@type": "Organization", "name": SITE_NAME, "url": urls.absolute(site.site_url, urls.home())},
        "dateModified": site.newest.isoformat(),
        "temporalCoverage": f"{years[0]}/{years[-1]}" if years else None,
        "spatialCoverage": [
            {"@type": "Place", "name": city.name, "containedInPlace": {"@type": "Place", "name": city.province}} for _, city in sorted(site.ds.cities.items())
        ],
        "distribution": [
            {"@type": "DataDownload", "name": name, "encodingFormat": mime, "contentUrl": urls.absolute(site.site_url, file.url), "contentSize": f"{file.size} B"}
            for name, file, mime in files
            if file.size is not None
        ],
    }


def json_ld(value: dict) -> Markup:
    """JSON for a <script type="application/ld+json">: <, > and & written as \\u escapes (the
    same JSON to a parser), so no text from the data can end the script or look like markup."""
    text = json.dumps({k: v for k, v in value.items() if v is not None}, ensure_ascii=False, indent=1)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def column_examples(csvs: list[bytes]) -> list[ColumnExample]:
    """Each CSV column with its value in one real row: the row with the most filled-in
    cells of all the lists' CSVs (the first of them on a tie), so the examples go together."""
    best: list = []
    for data in csvs:
        for row in list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[1:]:
            if sum(1 for v in row if v) > sum(1 for v in best if v):
                best = row
    best = best or [""] * len(downloads.CSV_COLUMNS)
    return [ColumnExample(name, wording.short(value, 40)) for name, value in zip(downloads.CSV_COLUMNS, best, strict=True)]
