"""The core: the data model (model.py), coded problems (problems.py), every URL of the site
(urls.py) and the worker pool (parallel.py).

Imports nothing else from the generator: every other layer builds on it.
"""
