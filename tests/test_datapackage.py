"""The Frictionless Data Package of the whole dataset (generator/exports/datapackage.py, tables.py).

The package is written without the `frictionless` library; here frictionless validates it
(types, required/unique/enum constraints, primary and foreign keys across the tables), on
the small fixture, the real data and the built site, and a package broken on purpose must
fail, so the validation is known to look.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from frictionless import Package, validate

from conftest import FIXTURES, ROOT
from generator.core import urls
from generator.data.dataset import load_dataset, walk_items
from generator.exports import datapackage, downloads, tables

SITE = "https://example.org/ledger/"


def _write(files: dict[str, bytes], out: Path) -> Path:
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return out / urls.package_descriptor()


def _errors(descriptor: Path) -> list:
    report = validate(str(descriptor))
    return report.flatten(["type", "note"])


@pytest.fixture(scope="module", params=["mini", "verdict", "real"])
def ds(request):
    ds = load_dataset(ROOT if request.param == "real" else FIXTURES / request.param)
    assert ds.errors == []
    return ds


@pytest.fixture(scope="module")
def files(ds):
    return downloads.dataset_files(ds, SITE)


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_package_validates_with_frictionless(files, tmp_path):
    assert _errors(_write(files, tmp_path)) == []


def test_the_descriptor_describes_every_table_with_its_keys(files):
    doc = json.loads(files[urls.package_descriptor()])
    assert [r["name"] for r in doc["resources"]] == [t.name for t in tables.TABLES]
    for resource, table in zip(doc["resources"], tables.TABLES, strict=True):
        schema = resource["schema"]
        assert [f["name"] for f in schema["fields"]] == list(table.column_names)
        assert all(f["description"] for f in schema["fields"])
        assert schema["primaryKey"] == list(table.primary_key)
        assert len(schema.get("foreignKeys", [])) == len(table.foreign_keys)
    items = next(r for r in doc["resources"] if r["name"] == "items")["schema"]
    assert {"fields": ["parent"], "reference": {"resource": "", "fields": ["item"]}} in items["foreignKeys"]
    assert {"fields": ["list"], "reference": {"resource": "lists", "fields": ["list"]}} in items["foreignKeys"]
    status = next(f for f in items["fields"] if f["name"] == "status")
    assert status["constraints"] == {"required": True, "enum": list(tables.STATUSES)}


def test_every_csv_has_its_columns_and_one_row_per_record(ds, files):
    n_items = sum(1 for lf in ds.lists.values() for _ in walk_items(lf.data.items))
    n_progress = sum(len(i.progress) for lf in ds.lists.values() for i, _, _ in walk_items(lf.data.items))
    counts = {"lists": len(ds.lists), "items": n_items, "progress": n_progress}
    for table in tables.TABLES:
        data = files[urls.package_file(urls.package_table_name(table.name))]
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # Excel reads the Chinese; like the per-list CSVs
        rows = _rows(data)
        assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == list(table.column_names)  # (the header, also of a table without rows)
        if table.name in counts:
            assert len(rows) == counts[table.name], table.name


def test_the_zip_holds_the_same_files_and_is_reproducible(ds, files):
    with zipfile.ZipFile(io.BytesIO(files[urls.package_zip()])) as zf:
        names = zf.namelist()
        assert names == [f"{datapackage.NAME}/{urls.package_table_name(t.name)}" for t in tables.TABLES] + [f"{datapackage.NAME}/datapackage.json"]
        for name in names:
            assert zf.read(name) == files[urls.package_file(name.split("/", 1)[1])]
            assert zf.getinfo(name).date_time == datapackage.ZIP_DATE
    again = downloads.dataset_files(load_dataset(ds.root), SITE)
    assert again[urls.package_zip()] == files[urls.package_zip()]


@pytest.mark.parametrize(
    "table, column, value, error",
    [
        ("items", "list", "nowhere/1900", "foreign-key"),  # an item of a list that does not exist
        ("progress", "report", "nowhere/1900/h1", "foreign-key"),
        ("items", "status", "late", "constraint-error"),  # not on the status scale
        ("targets", "value", "many", "type-error"),
    ],
)
def test_a_broken_package_fails_validation(files, tmp_path, table, column, value, error):
    name = urls.package_file(urls.package_table_name(table))
    rows = _rows(files[name])
    assert rows, f"the fixture has no {table}"
    rows[0][column] = value
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    broken = {**files, name: buf.getvalue().encode("utf-8-sig")}
    assert error in [t for t, _ in _errors(_write(broken, tmp_path))]


def test_the_package_reads_back_with_its_types(files, tmp_path):
    package = Package(str(_write(files, tmp_path)))
    items = package.get_resource("items").read_rows()
    first = items[0]
    assert isinstance(first["year"], int) and isinstance(first["stale"], bool)
    assert first["item"] == urls.record_key(first["city"], first["year"], first["id"])


@pytest.mark.slow
def test_the_built_sites_package_validates_and_matches_its_zip(built_site):
    descriptor = built_site / urls.package_descriptor()
    assert _errors(descriptor) == []
    with zipfile.ZipFile(built_site / urls.package_zip()) as zf:
        for name in zf.namelist():
            assert zf.read(name) == (built_site / urls.package_file(name.split("/", 1)[1])).read_bytes()
