"""Maintainer tools that write YAML for a pull request: draft a year file from an official
text (draft.py), import a progress report (importer.py), scaffold a new city (scaffold.py);
the figures they read out of Chinese text (quantities.py).

May import core, derive and data; never the site or the exports.
"""
