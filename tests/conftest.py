"""Shared fixtures: the repository root, a built site, a local HTTP server, a browser."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_site(out_dir: Path, data_root: Path = ROOT, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict` (the same command `make site` runs)."""
    env = dict(os.environ, MINSHENG_ROOT=str(data_root), **(extra_env or {}))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out_dir), "-f", str(ROOT / "mkdocs.yml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built from the real data, once per test session (and per xdist worker)."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = build_site(out)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@contextlib.contextmanager
def serve_folder(folder):
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


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site, served; yields the base URL."""
    with serve_folder(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def ds():
    """The real data in data/, loaded once; tests that need it must not see errors."""
    from generator.data.dataset import load_dataset

    dataset = load_dataset(ROOT)
    assert dataset.errors == [], "\n".join(map(str, dataset.errors))
    assert dataset.lists, "no data/<city>/<year>.yml files found"
    return dataset


def load_clean(root: Path):
    """The data under root, loaded; a test that builds on it must not see errors."""
    from generator.data.dataset import load_dataset

    ds = load_dataset(root)
    assert ds.errors == [], "\n".join(map(str, ds.errors))
    return ds


def all_items(ds):
    """(city, year, item) for every item and sub-item in the data."""
    from generator.data.dataset import walk_items

    for (city, year), lf in sorted(ds.lists.items()):
        for item, _, _ in walk_items(lf.data.items):
            yield city, year, item


def copy_data_root(tmp_path: Path, source: Path = ROOT) -> Path:
    """A writable copy of data/ and sources/ for tests that modify data."""
    dest = tmp_path / "root"
    shutil.copytree(source / "data", dest / "data")
    if (source / "sources").exists():
        shutil.copytree(source / "sources", dest / "sources")
    return dest
