"""The data layer: read the YAML under data/ (reading.py), check it (checks.py, messages.py)
and hold it as one Dataset (dataset.py); the ids already published (published.py) and the
JSON Schema of the format (schema.py).

May import core and derive.
"""
