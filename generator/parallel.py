"""Spread data reading, page and download generation over the machine's cores.

Workers are forked, so they share the already validated data instead of receiving it
pickled; only their results (Markdown text, file bytes) travel back, in order. It is used
only where it pays and is safe: enough work, a platform with fork, and no other thread
running (`mkdocs serve` runs server threads, and forking a threaded process can deadlock).
`MINSHENG_WORKERS=1` turns it off; the output is the same either way (tests/test_parallel.py).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import shutil
import signal
import tempfile
import threading

ENV = "MINSHENG_WORKERS"
# Below this many top-level items, forking workers costs more than it saves.
FROM_ITEMS = 1000
_task = None  # the function the forked workers run: set just before forking


def workers() -> int:
    """How many processes to use: $MINSHENG_WORKERS, else the cores (at most 4)."""
    wanted = os.environ.get(ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return min(4, os.cpu_count() or 1)


def _can_fork() -> bool:
    """Forking copies only the calling thread: in a process with other threads running
    (`mkdocs serve`, pytest-xdist) a lock one of them holds would never be released."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _run(chunk: list) -> list:
    return [_task(x) for x in chunk]


def ordered_map(fn, items, n_items: int) -> list:
    """[fn(x) for x in items], computed by forked workers when the work covers at least
    FROM_ITEMS top-level items (`n_items`) and forking is safe.

    `items` travel to the workers pickled: pass keys, not the data itself."""
    global _task
    items = list(items)
    n = min(workers(), len(items))
    if n_items < FROM_ITEMS or n < 2 or not _can_fork():
        return [fn(x) for x in items]
    size = max(1, len(items) // (n * 4))  # small chunks even out lists of unequal length
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _task = fn
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            done = pool.map(_run, chunks)
    finally:
        _task = None
    return [result for chunk in done for result in chunk]


def read_ahead(fn, items, worth: bool, lost=None):
    """An iterator of fn(x) for x in items, in order, computed by forked workers that run
    ahead while the caller works on each result; None when that is not worth it (`worth`)
    or not safe: then the caller computes in-process. The caller is busy too, so it keeps
    one core to itself (`MINSHENG_WORKERS` counts it). The results of a worker that dies
    (a crash in native code) are `lost`.

    `items` travel pickled: pass file names, not data."""
    items = list(items)
    n = min(2, workers() - 1, len(items))
    if not worth or n < 1 or not _can_fork():
        return None
    try:
        tmp = tempfile.mkdtemp(prefix="minsheng-")
    except OSError:  # no writable temporary folder: work alone
        return None
    return _read_ahead(fn, items, n, lost, tmp)


def _read_ahead(fn, items, n, lost, tmp):
    """Worker k computes items k, k+n, k+2n …, writes each result to a file of its own in
    `tmp` and one byte to its pipe. Results go through files, not the pipe, so that a
    worker never waits for the caller (a pipe holds 64 KB, and the caller holds the GIL
    while it works; a thread to drain pipes would compete with it for the GIL)."""
    workers_ = []
    try:
        try:
            for k in range(n):
                read_end, write_end = os.pipe()
                pid = os.fork()
                if pid == 0:  # the worker
                    os.close(read_end)
                    _work(fn, items, range(k, len(items), n), tmp, write_end)
                os.close(write_end)
                workers_.append((pid, read_end))
            for i in range(len(items)):
                _, read_end = workers_[i % n]
                if os.read(read_end, 1) != b"+":  # it failed on this item, or died
                    yield lost
                    continue
                try:
                    with open(os.path.join(tmp, str(i)), "rb") as f:
                        result = pickle.load(f)
                except (OSError, pickle.UnpicklingError, EOFError):  # the temporary file went missing
                    result = lost
                yield result
        finally:
            for pid, read_end in workers_:
                os.close(read_end)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)  # gone already, unless the caller stopped early
                os.waitpid(pid, 0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _work(fn, items, indexes, tmp, write_end):
    try:
        for i in indexes:
            try:
                with open(os.path.join(tmp, str(i)), "wb") as f:
                    pickle.dump(fn(items[i]), f, protocol=pickle.HIGHEST_PROTOCOL)
                done = b"+"
            except Exception:  # noqa: BLE001 - the caller computes this one itself
                done = b"-"
            os.write(write_end, done)
    finally:
        os._exit(0)  # no cleanup that belongs to the parent (atexit, temp directories)
