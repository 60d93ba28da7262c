"""Minsheng Ledger generator: YAML data → validated model → Markdown pages and exports.

One layer a folder; a layer imports only from the layers before it (tests/test_layers.py
checks this):

    core     the data model, coded problems, URLs, the worker pool
    derive   the rules: status, dates and pace, changes, reconciliation of counts
    data     reading and checking the YAML into a Dataset; published ids; JSON Schema
    exports  downloads (JSON, CSV), related tables, Data Package, SQLite
    ingest   maintainer tools: draft a year file, import progress, scaffold a city
    site     the MkDocs plugin and the pages, feeds and search index it serves

`cli.py` (`python -m generator …`) sits on top and may use every layer.
"""
