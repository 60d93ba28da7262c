"""Download files (JSON, CSV, JSON Schema) built from the validated model.

Everything here is produced from the pydantic objects in a `Dataset` — JSON with
`json.dumps(model_dump(mode="json"))`, CSV with the `csv` module — never from hand-built
strings, so a download can never disagree with the site or with the data format.

Output is deterministic: the same data gives byte-identical files (no timestamps other
than the data's own dates; dictionaries are built in a fixed order).

The files are listed for readers on the data page (templates/data.md.j2, with their sizes
and a plain guide to the CSV columns); the technical details of every file and column are
in content/about/format.md. Change them together. The whole dataset is also written as
related tables: a Data Package (datapackage.py) and a SQLite database (database.py), both
from tables.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
from collections.abc import MutableMapping

from generator import derive
from generator.core import model, parallel, urls
from generator.core.kept import Kept
from generator.core.model import walk_items
from generator.data import schema
from generator.data.dataset import Dataset, ListFile
from generator.exports import database, datapackage, tables

CSV_COLUMNS = [
    "city",
    "city_name",
    "year",
    "id",
    "parent_id",
    "label",
    "section",
    "title",
    "text",
    "lead",
    "topics",
    "deadline",
    "targets",
    "latest_status",
    "latest_status_label",
    "latest_status_text",
    "latest_status_basis",
    "latest_status_reason",
    "latest_percent",
    "expected_pace",
    "latest_as_of",
    "latest_report",
    "stale",
    "stale_reason",
    "deadline_inferred",
    "progress_count",
    "subitems_total",
    "subitems_done",
    "subitems_behind",
    "subitems_not_reported",
    "url",
    "source_title",
    "source_date",
    "source_archive_url",
    *tables.MONEY_AND_VERDICT_COLUMNS,
]


# --- small helpers ------------------------------------------------------------------


def _json(obj) -> bytes:
    """Compact JSON: without `indent`, `json` uses its C encoder (5× faster for the
    thousands of per-item files) and the files are a third smaller."""
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")  # never a bare Infinity


def _cell(value):
    """A CSV cell that a spreadsheet will not run: text starting with = + - @ (or a tab or
    carriage return) is a formula to Excel and LibreOffice, so it gets a leading `'` (OWASP)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _number(value) -> str:
    """A plain, machine-readable number: 20000.0 → `20000`, 1.5 → `1.5`, None → ``."""
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def target_text(t: model.Target) -> str:
    """metric + comparator + value + unit: `新增托位≥6000个`, `道路约2.5公里`, `口袋公园2–3处`."""
    if t.qualitative or t.value is None:
        return f"{t.metric}（定性）"
    unit = t.unit or ""
    if t.comparator == model.Comparator.range and t.value_max is not None:
        return f"{t.metric}{_number(t.value)}–{_number(t.value_max)}{unit}"
    symbol = derive.COMPARATOR_SYMBOLS[t.comparator.value] if t.comparator else ""
    return f"{t.metric}{symbol}{_number(t.value)}{unit}"


def _rollup(r: derive.Rollup | None) -> dict | None:
    """A parent's sub-items counted (derive.rollup), for the JSON; None without sub-items."""
    if r is None:
        return None
    return {"total": r.total, "by_status": r.by_status, "done": r.done, "behind": r.behind, "not_reported": r.not_reported, "as_of": r.as_of.isoformat() if r.as_of else None}


def _investment(m: derive.Investment | None) -> dict | None:
    """An item's money (derive.investment), for the JSON; None when nothing states any."""
    if m is None:
        return None
    report = m.completed_report
    return {"planned": m.planned, "planned_text": m.planned_text, "completed": m.completed, "completed_text": m.completed_text,
            "completed_as_of": report.as_of.isoformat() if report else None, "completed_report": report.id if report else None}


def _list_investment(m: derive.ListInvestment | None) -> dict | None:
    """How many of a list's items state a planned investment, and the total when all do."""
    return None if m is None else {"items": m.items, "stated": m.stated, "total": m.total}


def _rollup_cells(r: derive.Rollup | None) -> dict:
    """The same as CSV cells: empty for an item without sub-items."""
    if r is None:
        return dict.fromkeys(("subitems_total", "subitems_done", "subitems_behind", "subitems_not_reported"), "")
    return {"subitems_total": r.total, "subitems_done": r.done, "subitems_behind": r.behind, "subitems_not_reported": r.not_reported}


def derived_figures(item: model.Item, pl: model.PledgeList, parent: model.Item | None, site_url: str, on: dt.date) -> dict:
    """Our computed figures for one item (the same ones the item page shows); `on` is the
    build date staleness is judged at (derive.build_date)."""
    facts = derive.item_facts(item, pl, parent, on)
    lt, fresh = facts.latest, facts.fresh
    return {
        "status": lt.status,
        "status_label": derive.STATUS_LABELS[lt.status],
        "status_basis": lt.basis,
        "status_reason": lt.reason,
        "percent": lt.percent,
        "expected_pace": lt.pace,
        "as_of": lt.report.as_of.isoformat() if lt.report else None,
        "stale": fresh.stale,
        "stale_reason": fresh.label if fresh.stale else None,
        "deadline": facts.deadline.isoformat() if facts.deadline else None,
        "deadline_inferred": facts.deadline_inferred,
        "lead": facts.lead,
        "subitems": _rollup(facts.rollup),
        "investment": _investment(facts.investment),
        "url": urls.absolute(site_url, urls.item(pl.city, pl.year, item.id)),
    }


def archive_url(site_url: str, source: model.Source) -> str | None:
    """The full URL of the page of a source's archived copy, when it has one."""
    return urls.absolute(site_url, urls.source(urls.capture_stem(source.archive))) if source.archive else None


def _city_dump(ds: Dataset, slug: str):
    city = ds.cities.get(slug)
    return city.model_dump(mode="json") if city else None


# --- the files ------------------------------------------------------------------------


def _on(ds: Dataset, on: dt.date | None) -> dt.date:
    """The build date staleness is judged at: given, else the newest date in the data."""
    return on or derive.newest_data_date(lf.data for lf in ds.lists.values())


def list_json(ds: Dataset, lf: ListFile, site_url: str, on: dt.date | None = None) -> bytes:
    pl = lf.data
    on = _on(ds, on)
    derived = {item.id: derived_figures(item, pl, parent, site_url, on) for item, _, parent in walk_items(pl.items)}
    return _json(
        {
            "city": _city_dump(ds, pl.city),
            "list": pl.model_dump(mode="json"),
            "derived": derived,
            "investment": _list_investment(derive.list_investment(pl)),
            "generated_from": lf.path,
        }
    )


def list_csv(ds: Dataset, lf: ListFile, site_url: str, on: dt.date | None = None) -> bytes:
    """One row per item and sub-item, in source order; UTF-8 with BOM so Excel reads it."""
    pl = lf.data
    city = ds.cities.get(pl.city)
    src = derive.list_source(pl)
    on = _on(ds, on)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item, _, parent in walk_items(pl.items):
        facts = derive.item_facts(item, pl, parent, on)
        lt, fresh, deadline = facts.latest, facts.fresh, facts.deadline
        row = {
            "city": pl.city,
            "city_name": city.name if city else pl.city,
            "year": pl.year,
            "id": item.id,
            "parent_id": parent.id if parent else "",
            "label": item.label or "",
            "section": facts.section_path,
            "title": item.title or "",
            "text": item.text,
            "lead": "、".join(facts.lead),
            "topics": ";".join(item.topics),
            "deadline": deadline.isoformat() if deadline else "",
            "targets": "; ".join(target_text(t) for t in item.targets),
            "latest_status": lt.status,
            "latest_status_label": derive.STATUS_LABELS[lt.status],
            "latest_status_text": lt.status_text or "",
            "latest_status_basis": lt.basis,
            "latest_status_reason": lt.reason or "",
            "latest_percent": _number(lt.percent),
            "expected_pace": _number(lt.pace),
            "latest_as_of": lt.report.as_of.isoformat() if lt.report else "",
            "latest_report": lt.report.id if lt.report else "",
            "stale": "yes" if fresh.stale else "no",
            "stale_reason": fresh.label if fresh.stale else "",
            "deadline_inferred": facts.deadline_inferred or "",
            "progress_count": len(item.progress),
            **_rollup_cells(facts.rollup),
            "url": urls.absolute(site_url, urls.item(pl.city, pl.year, item.id)),
            "source_title": src.title,
            "source_date": src.date.isoformat(),
            "source_archive_url": archive_url(site_url, src) or "",
            **{k: _number(v) if isinstance(v, float) else ("" if v is None else v) for k, v in tables.item_money_and_verdicts(item, facts.investment).items()},
        }
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def item_json(ds: Dataset, lf: ListFile, item: model.Item, parent: model.Item | None, site_url: str, on: dt.date | None = None) -> bytes:
    """One item with its sub-items, our figures for each, and the sources a citation needs."""
    pl = lf.data
    city = ds.cities.get(pl.city)
    family = [(item, parent)] + [(sub, par) for sub, _, par in walk_items(item.subitems, parent=item)]
    used_reports = {p.report for it, _ in family for p in it.progress}
    reports = [r for r in pl.reports if r.id in used_reports]
    report_source_ids = {r.source for r in reports}
    src = derive.list_source(pl)
    on = _on(ds, on)
    return _json(
        {
            "city": pl.city,
            "city_name": city.name if city else pl.city,
            "year": pl.year,
            "id": item.id,
            "parent_id": parent.id if parent else None,
            "url": urls.absolute(site_url, urls.item(pl.city, pl.year, item.id)),
            "list_url": urls.absolute(site_url, urls.city_year(pl.city, pl.year)),
            "list_title": pl.title,
            "item": item.model_dump(mode="json"),
            "derived": {it.id: derived_figures(it, pl, par, site_url, on) for it, par in family},
            "source": src.model_dump(mode="json"),
            "source_archive_url": archive_url(site_url, src),
            "reports": [r.model_dump(mode="json") for r in reports],
            "report_sources": [s.model_dump(mode="json") for s in pl.sources if s.id in report_source_ids],
            "generated_from": lf.path,
        }
    )


def all_json(ds: Dataset) -> bytes:
    return _json(
        {
            "cities": [ds.cities[s].model_dump(mode="json") for s in sorted(ds.cities)],
            "topics": [t.model_dump(mode="json") for t in ds.topics.values()],
            "lists": [ds.lists[k].data.model_dump(mode="json") for k in sorted(ds.lists)],
        }
    )


def dataset_files(ds: Dataset, site_url: str, on: dt.date | None = None) -> dict[str, bytes]:
    """The whole dataset in one download each: JSON, the Data Package (CSV tables, unpacked
    and zipped) and the SQLite database, the last two from the same rows (tables.py)."""
    rows = tables.rows(ds, site_url, _on(ds, on))
    return {urls.all_json(): all_json(ds), **datapackage.package_files(rows, site_url), urls.database(): database.database(rows)}


def summary_files(ds: Dataset, site_url: str, on: dt.date | None = None) -> dict[str, bytes]:
    """What the data page lists with its size: each list's CSV and JSON, and the whole-dataset
    files (for a Site built without the downloads at hand, e.g. in tests and the benchmark)."""
    out: dict[str, bytes] = {}
    for key in sorted(ds.lists):
        lf = ds.lists[key]
        out[urls.list_csv(lf.data.city, lf.data.year)] = list_csv(ds, lf, site_url, on)
        out[urls.list_json(lf.data.city, lf.data.year)] = list_json(ds, lf, site_url, on)
    out.update(dataset_files(ds, site_url, on))
    return out


def list_files(ds: Dataset, lf: ListFile, site_url: str, on: dt.date | None = None) -> dict[str, bytes]:
    """The downloads of one list: its JSON and CSV, and one JSON per item."""
    pl = lf.data
    out = {
        urls.list_json(pl.city, pl.year): list_json(ds, lf, site_url, on),
        urls.list_csv(pl.city, pl.year): list_csv(ds, lf, site_url, on),
    }
    for item, _, parent in walk_items(pl.items):
        out[urls.item_json(pl.city, pl.year, item.id)] = item_json(ds, lf, item, parent, site_url, on)
    return out


def export_files(
    ds: Dataset, site_url: str, workers: int = 0, on: dt.date | None = None, stamps: dict | None = None, kept: Kept | None = None, out: MutableMapping | None = None
) -> MutableMapping[str, bytes]:
    """All download files: {site-relative path: bytes}, in a fixed order (`workers`: see parallel.py).

    A preview passes `stamps` ({list key: what its files depend on}) and `kept` (core.kept,
    held between its builds): a list whose stamp is unchanged keeps its files,
    and the whole-dataset files are not made (they are `make site`'s; the data page says so).
    With `out` (a core.spool.Spool), each list's files are handed over as they are made.
    Write them under the built site's directory (e.g. in MkDocs' on_post_build)."""
    out = {} if out is None else out
    on = _on(ds, on)
    if stamps is not None and kept is not None:
        for key in sorted(ds.lists):
            out.update(kept.get(key, stamps[key], functools.partial(list_files, ds, ds.lists[key], site_url, on)))
        kept.forget_unused()
    else:
        n_items = sum(len(lf.data.items) for lf in ds.lists.values())
        for files in parallel.ordered_imap(lambda key: list_files(ds, ds.lists[key], site_url, on), sorted(ds.lists), n_items, workers):
            out.update(files)
        out.update(dataset_files(ds, site_url, on))
    for name in schema.SCHEMAS:
        out[urls.schema(name)] = schema.render(name).encode("utf-8")
    return out
