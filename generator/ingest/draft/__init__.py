"""`python -m generator draft`: being split along its sections; for now all of it is in text.py."""

from generator.ingest.draft.text import *  # noqa: F403
from generator.ingest.draft.text import _walk_nodes  # noqa: F401
