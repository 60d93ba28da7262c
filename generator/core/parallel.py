"""Spread page and download generation over the machine's cores.

Workers are forked, so they share the already validated data instead of receiving it
pickled; only their results (Markdown text, file bytes) travel back, in order. It is used
only where it pays and is safe: enough work, a platform with fork, and no other thread
running (`mkdocs serve` runs server threads, and forking a threaded process can deadlock).
`workers=1` (the plugin's `workers` option, MINSHENG_WORKERS=1 in mkdocs.yml) turns it off;
the output is the same either way (tests/test_parallel.py).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many top-level items, forking workers costs more than it saves.
FROM_ITEMS = 1000
_task: Callable | None = None  # the function the forked workers run: set just before forking


def workers(wanted: int = 0) -> int:
    """How many processes to use: `wanted`, or with 0 the cores (at most 4)."""
    return wanted if wanted > 0 else min(4, os.cpu_count() or 1)


def _can_fork() -> bool:
    """Forking copies only the calling thread: in a process with other threads running
    (`mkdocs serve`, pytest-xdist) a lock one of them holds would never be released."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _run(chunk: list[Any]) -> list[Any]:
    assert _task is not None
    return [_task(x) for x in chunk]


def ordered_map(fn: Callable[[Any], T], items: Iterable[Any], n_items: int, wanted: int = 0) -> list[T]:
    """[fn(x) for x in items], computed by forked workers when the work covers at least
    FROM_ITEMS top-level items (`n_items`) and forking is safe.

    `items` travel to the workers pickled: pass keys, not the data itself."""
    return list(ordered_imap(fn, items, n_items, wanted))


def ordered_imap(fn: Callable[[Any], T], items: Iterable[Any], n_items: int, wanted: int = 0) -> Iterator[T]:
    """ordered_map, one result at a time as the workers finish them (in order): a caller that
    writes each result away holds one chunk at a time, not all of them."""
    global _task
    items = list(items)
    n = min(workers(wanted), len(items))
    if n_items < FROM_ITEMS or n < 2 or not _can_fork():
        yield from (fn(x) for x in items)
        return
    size = max(1, len(items) // (n * 4))  # small chunks even out lists of unequal length
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _task = fn
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            for chunk in pool.imap(_run, chunks):
                yield from chunk
    finally:
        _task = None
