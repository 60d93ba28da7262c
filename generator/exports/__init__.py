"""Machine-readable exports: the download files (downloads.py), the dataset as related tables
(tables.py), written as a Data Package (datapackage.py) and a SQLite database (database.py).

May import core, derive and data.
"""
