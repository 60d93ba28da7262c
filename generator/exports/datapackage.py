"""The whole dataset as a Frictionless Data Package: one CSV per table of tables.py and a
`datapackage.json` with a Table Schema for each (types, required/unique/enum, primary and
foreign keys), published unpacked under `data/all/` and zipped as one download.

The descriptor is written from our own model of the columns (tables.TABLES), so building
the site does not need the `frictionless` library; tests/test_datapackage.py validates the
built package with it. Output is deterministic like every download: fixed row order, no
timestamps (zip entries carry a fixed date).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from generator.core import urls
from generator.exports import tables

NAME = "minsheng-ledger"
TITLE = "民生实事台账：各地民生实事清单与进展"
# The dataset's licence, said once: the Data Package, the data page and its schema.org Dataset
# read it. CC BY 4.0 asks what the data page already asked of every reuse (say it comes from
# 民生实事台账, link the item); the official texts inside stay the issuers' (their sources are in
# the data), as the data page says.
LICENCE = {"name": "CC-BY-4.0", "title": "知识共享 署名 4.0 国际许可协议（CC BY 4.0）", "path": "https://creativecommons.org/licenses/by/4.0/"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry: the same bytes every build


def _cell(value, column: tables.Column) -> str:
    """One CSV cell: empty for None, `true`/`false`, plain numbers; text that a spreadsheet
    would run as a formula gets a leading `'` as in the per-list CSVs (exports._cell)."""
    if value is None:
        return ""
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "number":
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    text = str(value)
    if column.type == "string" and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def table_csv(table: tables.Table, rows: list[dict]) -> bytes:
    """A table as CSV: UTF-8 with BOM (Excel reads the Chinese), CRLF, a header row."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(table.column_names)
    for row in rows:
        writer.writerow([_cell(row[c.name], c) for c in table.columns])
    return buf.getvalue().encode("utf-8-sig")


def _field(column: tables.Column) -> dict:
    field: dict = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "boolean":
        field.update(trueValues=["true"], falseValues=["false"])
    constraints: dict = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        field["constraints"] = constraints
    return field


def _schema(table: tables.Table) -> dict:
    schema: dict = {"fields": [_field(c) for c in table.columns], "missingValues": [""], "primaryKey": list(table.primary_key)}
    if table.foreign_keys:
        schema["foreignKeys"] = [
            # a reference to the table itself is written with an empty resource name (Table Schema)
            {"fields": list(fk.fields), "reference": {"resource": "" if fk.table == table.name else fk.table, "fields": list(fk.to)}}
            for fk in table.foreign_keys
        ]
    return schema


# The Data Package standard's version this descriptor follows (v2.0, read by frictionless 5).
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def descriptor(site_url: str) -> dict:
    return {
        "$schema": PROFILE,
        "name": NAME,
        "title": TITLE,
        "description": "各地政府公开承诺的民生实事、目标、进展报告和出处；状态、完成比例和序时进度由本站按方法说明计算。",
        "homepage": urls.absolute(site_url, urls.home()),
        "licenses": [LICENCE],
        "resources": [
            {
                "name": t.name,
                "title": t.title,
                "path": urls.package_table_name(t.name),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": _schema(t),
            }
            for t in tables.TABLES
        ],
    }


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(f"{NAME}/{name}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def package_files(rows: dict[str, list[dict]], site_url: str) -> dict[str, bytes]:
    """{site-relative path: bytes}: the package's CSVs and descriptor under data/all/, and the
    same files zipped (data/minsheng-ledger.zip)."""
    members = {urls.package_table_name(t.name): table_csv(t, rows[t.name]) for t in tables.TABLES}
    members["datapackage.json"] = (json.dumps(descriptor(site_url), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out = {urls.package_file(name): data for name, data in members.items()}
    out[urls.package_zip()] = _zip(members)
    return out
