"""The SQLite database of the whole dataset (generator/exports/database.py, tables.py).

Its tables, keys and indexes; the data page's example query (按城市列出进度滞后的事项)
answered from the file and checked against the model (derive.behind_pace, the rule the
changes pages use); and reproducible bytes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_data_root, load_clean
from generator import derive
from generator.core import urls
from generator.data.dataset import walk_items
from generator.exports import database, downloads, tables

SITE = "https://example.org/ledger/"


@pytest.fixture(scope="module", params=["mini", "verdict", "real"])
def ds(request):
    return load_clean(ROOT if request.param == "real" else FIXTURES / request.param)


def _db_file(data: bytes, path: Path) -> sqlite3.Connection:
    path.write_bytes(data)
    return sqlite3.connect(path)


@pytest.fixture
def conn(ds, tmp_path):
    c = _db_file(downloads.dataset_files(ds, SITE)[urls.database()], tmp_path / "ledger.sqlite")
    yield c
    c.close()


def expected_behind(ds, site_url: str) -> list[tuple]:
    """What the example query must answer, from the model: every list's behind_pace items,
    ordered by city, year and source order."""
    out = []
    for city, year in sorted(ds.lists):
        pl = ds.lists[(city, year)].data
        order = {item.id: n for n, (item, _, _) in enumerate(walk_items(pl.items))}
        for f in sorted(derive.behind_pace(pl), key=lambda f: order[f.item.id]):
            out.append((ds.cities[city].name, year, f.item.id, urls.absolute(site_url, urls.item(city, year, f.item.id))))
    return out


def answer(conn) -> list[tuple]:
    cur = conn.execute(tables.BEHIND_BY_CITY)
    names = [d[0] for d in cur.description]
    return [(r[names.index("城市")], r[names.index("年份")], r[names.index("编号")], r[names.index("链接")]) for r in cur.fetchall()]


def test_the_example_query_lists_the_items_behind_pace_by_city(ds, conn):
    assert answer(conn) == expected_behind(ds, SITE)


def test_the_real_data_has_items_behind_pace_so_the_query_is_tried():
    ds = load_clean(ROOT)
    found = expected_behind(ds, SITE)
    assert len({city for city, *_ in found}) >= 2, found
    # one of them is behind only by the pace line: the city's own words say otherwise
    assert any(derive.latest(f.item, ds.lists[k].data, f.parent).status != "behind" for k in ds.lists for f in derive.behind_pace(ds.lists[k].data))


def test_the_query_follows_the_model_when_a_status_changes(tmp_path):
    """Behind in the data → in the answer; the same item on track → not (a query that ignored
    the data would pass the test above only by luck)."""
    root = copy_data_root(tmp_path, FIXTURES / "mini")
    ds = load_clean(root)
    before = answer(_db_file(downloads.dataset_files(ds, SITE)[urls.database()], tmp_path / "before.sqlite"))
    assert before == expected_behind(ds, SITE)
    year_file = next((root / "data").glob("*/2024.yml"))
    text = year_file.read_text(encoding="utf-8")
    flipped = text.replace("status: on_track", "status: behind") if "status: on_track" in text else text.replace("status: behind", "status: on_track")
    assert flipped != text
    year_file.write_text(flipped, encoding="utf-8")
    ds2 = load_clean(root)
    after = answer(_db_file(downloads.dataset_files(ds2, SITE)[urls.database()], tmp_path / "after.sqlite"))
    assert after == expected_behind(ds2, SITE)
    assert after != before


def test_every_table_has_its_keys_and_indexes(conn):
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {t.name for t in tables.TABLES} | {"columns"}
    for t in tables.TABLES:
        info = conn.execute(f"PRAGMA table_info({t.name})").fetchall()
        assert [r[1] for r in info] == list(t.column_names)
        assert [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])] == list(t.primary_key)
        assert {r[1] for r in info if r[3]} >= {c.name for c in t.columns if c.required}
        fks = {(r[3], r[2], r[4]) for r in conn.execute(f"PRAGMA foreign_key_list({t.name})")}
        assert fks == {(fk.fields[0], fk.table, fk.to[0]) for fk in t.foreign_keys}
        indexed = {tuple(r[2] for r in conn.execute(f"PRAGMA index_info('{i[1]}')")) for i in conn.execute(f"PRAGMA index_list({t.name})")}
        assert set(t.indexes) <= indexed, t.name
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA user_version").fetchone() == (database.SCHEMA_VERSION,)


def test_the_columns_table_explains_every_column(conn):
    rows = conn.execute("SELECT table_name, column_name, description FROM columns").fetchall()
    assert {(t, c) for t, c, _ in rows} == {(t.name, c.name) for t in tables.TABLES for c in t.columns}
    assert all(d for _, _, d in rows)


def test_rows_match_the_model(ds, conn):
    n_items = sum(1 for lf in ds.lists.values() for _ in walk_items(lf.data.items))
    assert conn.execute("SELECT count(*) FROM items").fetchone() == (n_items,)
    for (city, year), lf in ds.lists.items():
        for item, _, parent in walk_items(lf.data.items):
            lt = derive.latest(item, lf.data, parent)
            row = conn.execute("SELECT status, percent, expected_pace, status_basis FROM items WHERE item = ?", (urls.record_key(city, year, item.id),)).fetchone()
            assert row == (lt.status, lt.percent, lt.pace, lt.basis)


def test_the_same_data_gives_the_same_bytes_and_other_data_others():
    a = downloads.dataset_files(load_clean(ROOT), SITE)[urls.database()]
    b = downloads.dataset_files(load_clean(ROOT), SITE)[urls.database()]
    assert a == b
    assert downloads.dataset_files(load_clean(FIXTURES / "mini"), SITE)[urls.database()] != a
    assert a[:16] == b"SQLite format 3\x00"


@pytest.mark.slow
def test_the_built_sites_database_answers_the_example_query(built_site):
    """The file the site publishes, as a reader downloads it (links under the site's own address)."""
    conn = sqlite3.connect(f"file:{built_site / urls.database()}?mode=ro", uri=True)
    try:
        got = answer(conn)
    finally:
        conn.close()
    expected = expected_behind(load_clean(ROOT), "")
    assert [row[:3] for row in got] == [row[:3] for row in expected]
    assert all(link.endswith(want) for (*_, link), (*_, want) in zip(got, expected, strict=True))
