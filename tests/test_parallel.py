"""Work done in forked workers gives exactly the serial result: pages, downloads and the
data read ahead while validating.

The checks run in a fresh Python process: pytest-xdist's workers run threads, and
`parallel` (rightly) never forks a threaded process.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

SCRIPT = r"""
import hashlib, json, os, sys, time
from generator import exports, pages, parallel
from generator.validate import load_dataset

parallel.FROM_ITEMS = 0  # the real data is small: fork anyway
ds = load_dataset(sys.argv[1])
out = {"pids": sorted(set(parallel.ordered_map(lambda x: (time.sleep(0.05), os.getpid())[1], range(40), 0))), "parent": os.getpid()}
out["order"] = parallel.ordered_map(lambda x: x * x, range(100), 0)
site_pages = pages.Site(ds, site_url="https://example.org/").pages()
out["pages"] = [(p.src, hashlib.sha256(p.content.encode()).hexdigest()) for p in site_pages]
files = exports.export_files(ds, "https://example.org/")
out["files"] = [(name, hashlib.sha256(data).hexdigest()) for name, data in files.items()]
print(json.dumps(out))
"""


def _run(workers: str) -> dict:
    env = {"PATH": "/usr/bin:/bin", "MINSHENG_WORKERS": workers, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_forked_workers_give_the_serial_result_in_order():
    serial, forked = _run("1"), _run("2")
    assert serial["pids"] == [serial["parent"]]  # MINSHENG_WORKERS=1: no fork
    assert len(forked["pids"]) == 2 and forked["parent"] not in forked["pids"], "the work was not spread over two processes"
    assert forked["order"] == serial["order"] == [x * x for x in range(100)]
    assert forked["pages"] == serial["pages"] and len(serial["pages"]) > 300
    assert forked["files"] == serial["files"] and len(serial["files"]) > 300


AHEAD = r"""
import datetime as dt, json, os, sys
from generator import parallel, validate

def snapshot(root):
    ds = validate.load_dataset(root, today=dt.date(2026, 1, 1))
    lists = {"/".join(map(str, key)): (lf.data.model_dump(mode="json"), sorted(map(str, lf.lines.items()))) for key, lf in ds.lists.items()}
    return lists, [str(p) for p in ds.problems]

def crash_at_7(x):
    if x == 7:
        os._exit(3)  # as a crash in native code would
    return x

def fail_at_5(x):
    if x == 5:
        raise ValueError(x)
    return x

def listed(results):
    return None if results is None else list(results)  # None: the caller would work alone

out = {"parent": os.getpid()}
out["squares"] = listed(parallel.read_ahead(lambda x: (x * x, os.getpid()), range(50), True))
out["crash"] = listed(parallel.read_ahead(crash_at_7, range(20), True, lost="lost"))
out["fail"] = listed(parallel.read_ahead(fail_at_5, range(10), True, lost="lost"))
out["not worth it"] = parallel.read_ahead(abs, range(10), False)
validate.AHEAD_FROM_BYTES = 0  # the test data is small: read ahead anyway
out["data"] = {root: snapshot(root) for root in sys.argv[1:]}
print(json.dumps(out))
"""


def _ahead(workers: str) -> dict:
    env = {"PATH": "/usr/bin:/bin", "MINSHENG_WORKERS": workers, "PYTHONPATH": str(ROOT)}
    roots = [str(ROOT), str(ROOT / "tests/fixtures/mini"), str(ROOT / "tests/fixtures/hostile")]
    result = subprocess.run([sys.executable, "-c", AHEAD, *roots], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_reading_ahead_in_workers_gives_the_serial_result():
    serial, ahead = _ahead("1"), _ahead("3")  # 3: this process and two readers
    assert serial["squares"] is None  # MINSHENG_WORKERS=1: no worker, the caller reads itself
    assert [square for square, _ in ahead["squares"]] == [x * x for x in range(50)]
    assert len({pid for _, pid in ahead["squares"]}) == 2 and ahead["parent"] not in {pid for _, pid in ahead["squares"]}
    assert ahead["not worth it"] is None
    assert ahead["data"] == serial["data"]
    assert len(serial["data"][str(ROOT)][0]) >= 3


def test_a_worker_that_dies_loses_only_its_own_results():
    ahead = _ahead("3")
    # worker 0 reads 0, 2, 4 …, worker 1 reads 1, 3, 5 … and dies at 7
    assert ahead["crash"] == [x if x % 2 == 0 or x < 7 else "lost" for x in range(20)]
    assert ahead["fail"] == [x if x != 5 else "lost" for x in range(10)]
