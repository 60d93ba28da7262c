"""Shared fixtures: the repository root, a built site, a local HTTP server, a browser.

The site is built and served by benchmarks/harness.py, as the benchmarks build it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, build_site, serve_folder

FIXTURES = Path(__file__).resolve().parent / "fixtures"

@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built from the real data, once per test session (and per xdist worker)."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = build_site(out)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return out


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


@pytest.fixture
def root(tmp_path) -> Path:
    """A repository with no data but the topics: where the drafting tests start (a test file
    that needs another root defines its own)."""
    dest = tmp_path / "root"
    (dest / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "topics.yml", dest / "data" / "topics.yml")
    return dest


def copy_data_root(tmp_path: Path, source: Path = ROOT) -> Path:
    """A writable copy of data/ and sources/ for tests that modify data."""
    dest = tmp_path / "root"
    shutil.copytree(source / "data", dest / "data")
    if (source / "sources").exists():
        shutil.copytree(source / "sources", dest / "sources")
    return dest
