"""TEMPORARY during the split of this module (issue 11): import from generator.dataset."""
from .dataset import Dataset, ListFile, load_dataset, problems_in, walk_items  # noqa: F401
from .problems import Problem, Severity  # noqa: F401

ERROR, WARNING = Severity.ERROR, Severity.WARNING
