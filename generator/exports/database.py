"""The whole dataset as one SQLite database (the tables of tables.py), built with
sqlite-utils: primary and foreign keys, NOT NULL where a value is required, and indexes on
the keys and the columns people filter by. It opens as it is in Datasette, DB Browser for
SQLite or the `sqlite3` shell; a `columns` table says what every column means.

Reproducible: the same data gives the same bytes. Rows go in in a fixed order, nothing
records a time, and the file is written out by `VACUUM INTO`, which lays out every page
afresh, so nothing of how it was built (freed pages, the order of edits) stays in it.
tests/test_sqlite.py checks that two builds give identical bytes.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import sqlite_utils

from generator.exports import tables

SQL_TYPES = {"string": str, "integer": int, "number": float, "date": str, "boolean": int}
SCHEMA_VERSION = 2  # PRAGMA user_version: raise it when a table or column changes meaning


def _create(db: sqlite_utils.Database, table: tables.Table, rows: list[dict]) -> None:
    db[table.name].create(  # type: ignore[union-attr]
        {c.name: SQL_TYPES[c.type] for c in table.columns},
        pk=table.primary_key[0] if len(table.primary_key) == 1 else table.primary_key,
        not_null={c.name for c in table.columns if c.required},
    )
    db[table.name].insert_all(rows, batch_size=1000)  # type: ignore[union-attr]


def _guide(db: sqlite_utils.Database) -> None:
    """The `columns` table: what each column of every table means (as datapackage.json says)."""
    db["columns"].insert_all(  # type: ignore[union-attr]
        ({"table_name": t.name, "column_name": c.name, "type": c.type, "required": c.required, "description": c.description} for t in tables.TABLES for c in t.columns),
        pk=("table_name", "column_name"),
        not_null={"table_name", "column_name", "type", "required", "description"},
    )


def database(rows: dict[str, list[dict]]) -> bytes:
    """The SQLite file's bytes for the tables' rows (tables.rows). Built in memory and written
    out once without waiting for the disk (a temporary file: nothing to keep safe from a crash)."""
    with tempfile.TemporaryDirectory(prefix="ledger-db-") as tmp:
        final = Path(tmp) / "final.sqlite"
        conn = sqlite3.connect(":memory:")
        try:
            conn.execute("PRAGMA foreign_keys = OFF")  # lists and sources point at each other: check once, at the end
            conn.execute("PRAGMA synchronous = OFF")  # VACUUM INTO follows it: no fsync of the temporary file
            db = sqlite_utils.Database(conn)
            with conn:
                for table in tables.TABLES:
                    _create(db, table, rows[table.name])
                # added once every table exists: lists and sources point at each other, items at themselves
                db.add_foreign_keys([(t.name, fk.fields[0], fk.table, fk.to[0]) for t in tables.TABLES for fk in t.foreign_keys])
                for table in tables.TABLES:
                    for columns in table.indexes:
                        db[table.name].create_index(columns)  # type: ignore[union-attr]
                    for c in table.columns:
                        if c.unique and (c.name,) != table.primary_key:
                            db[table.name].create_index([c.name], unique=True)  # type: ignore[union-attr]
                _guide(db)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise ValueError(f"SQLite: {len(broken)} rows point at rows that do not exist, e.g. {broken[0]}")
            conn.execute("VACUUM INTO ?", (str(final),))
        finally:
            conn.close()
        return final.read_bytes()
