"""`python -m generator import-progress`: being split along its sections; for now all of it is in entries.py."""

from generator.ingest.importer.entries import *  # noqa: F403
from generator.ingest.importer.entries import _dump, _yaml_for  # noqa: F401
