"""Building and serving the site as `make site` does: one helper for the tests
(tests/conftest.py) and the benchmarks, so what the benchmarks measure is what the tests check.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_command(site_dir: Path) -> list[str]:
    """The real `mkdocs build --strict` as `make site` runs it (through generator/site/build.py,
    which tells a full disk or a read-only folder in a sentence), into `site_dir`."""
    return [sys.executable, "-m", "generator.site.build", "--strict", "--site-dir", str(site_dir), "-f", str(ROOT / "mkdocs.yml")]


def build_env(data_root: Path = ROOT, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a build of the data under `data_root` (the plugin reads MINSHENG_ROOT)."""
    return dict(os.environ, MINSHENG_ROOT=str(data_root), **(extra_env or {}))


def build_site(out_dir: Path, data_root: Path = ROOT, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Build the site of the data under `data_root` into `out_dir`; the output is captured."""
    return subprocess.run(build_command(out_dir), cwd=ROOT, env=build_env(data_root, extra_env), capture_output=True, text=True, timeout=600)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test and benchmark output clean
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) while the block runs; gives the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
