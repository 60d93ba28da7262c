"""The site: the MkDocs plugin (plugin.py) and what it serves — the Markdown pages (pages/,
one module a kind of page, and templates/), how they word things (wording.py), capture
pages of the sources (captures.py), feeds (feeds.py), the search index (searchindex.py),
QR codes (qr.py) — and edit-to-reload (incremental.py).

May import every other layer except ingest.
"""
