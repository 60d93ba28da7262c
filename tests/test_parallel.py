"""Work done in forked workers gives exactly the serial result: pages and downloads.

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
from generator.core import parallel
from generator.exports import downloads
from generator.site import pages
from generator.data.dataset import load_dataset

parallel.FROM_ITEMS = 0  # the real data is small: fork anyway
ds = load_dataset(sys.argv[1])
workers = int(sys.argv[2])
out = {"pids": sorted(set(parallel.ordered_map(lambda x: (time.sleep(0.05), os.getpid())[1], range(40), 0, workers))), "parent": os.getpid()}
out["order"] = parallel.ordered_map(lambda x: x * x, range(100), 0, workers)
site_pages = pages.Site(ds, site_url="https://example.org/", workers=workers).pages()
out["pages"] = [(p.src, hashlib.sha256(p.content.encode()).hexdigest()) for p in site_pages]
files = downloads.export_files(ds, "https://example.org/", workers)
out["files"] = [(name, hashlib.sha256(data).hexdigest()) for name, data in files.items()]
print(json.dumps(out))
"""


def _run(workers: str) -> dict:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT), workers], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_forked_workers_give_the_serial_result_in_order():
    serial, forked = _run("1"), _run("2")
    assert serial["pids"] == [serial["parent"]]  # workers=1: no fork
    assert len(forked["pids"]) == 2 and forked["parent"] not in forked["pids"], "the work was not spread over two processes"
    assert forked["order"] == serial["order"] == [x * x for x in range(100)]
    assert forked["pages"] == serial["pages"] and len(serial["pages"]) > 300
    assert forked["files"] == serial["files"] and len(serial["files"]) > 300

