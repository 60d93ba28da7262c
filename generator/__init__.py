"""Minsheng Ledger generator: YAML data → validated model → Markdown pages and exports."""
