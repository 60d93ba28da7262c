"""`make serve` when a rebuild fails (generator/site/serving.py): a real `mkdocs serve --dirty
--livereload` answers at once with a page that shows the build's problems, and the site comes
back when they are fixed; when the generator's code changed under it, it says to restart.

The server runs a copy of generator/ (so that a test can edit its code) on synthetic data.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.harness import build_env
from benchmarks.synthetic import write_dataset
from conftest import ROOT
from generator.core import urls

ANSWER_WITHIN_S = 5  # a request that takes longer counts as hanging


class Served:
    def __init__(self, base: str, root: Path, code: Path):
        self.base, self.root, self.code = base, root, code
        self.year_file = sorted((root / "data").glob("*/20*.yml"))[0]
        self.item = urls.absolute(base, urls.item(self.year_file.parent.name, int(self.year_file.stem), "1"))

    def get(self, url: str) -> tuple[int, str]:
        """(status, body); fails the test when the server does not answer in time."""
        try:
            with urllib.request.urlopen(url, timeout=ANSWER_WITHIN_S) as resp:
                return resp.status, resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")
        except TimeoutError:
            pytest.fail(f"{url} did not answer within {ANSWER_WITHIN_S} s: the server hangs")

    def wait_for(self, status: int, text: str, url: str | None = None) -> str:
        """The body of `url` (the item page) once it answers `status` with `text` in it."""
        deadline = time.monotonic() + 60
        while True:
            code, body = self.get(url or self.item)
            if code == status and text in body:
                return body
            assert time.monotonic() < deadline, f"still {code} after 60 s:\n{body[:2000]}"
            time.sleep(0.2)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    root, code = tmp / "root", tmp / "code"
    write_dataset(root, 30)
    shutil.copytree(ROOT / "generator", code / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = build_env(root, {"PYTHONPATH": str(code)})  # and the working folder: `python -m` puts it first
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload", "--dev-addr", f"127.0.0.1:{port}", "-f", str(ROOT / "mkdocs.yml")]
    log = tmp / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=code, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        site = Served(f"http://127.0.0.1:{port}", root, code)
        deadline = time.monotonic() + 300
        while True:
            try:
                site.get(site.item)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.3)
        yield site
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # our own process group (start_new_session)
        proc.wait(timeout=30)


def test_broken_data_gives_its_problems_at_once_and_the_fix_brings_the_page_back(served):
    original = served.year_file.read_text(encoding="utf-8")
    value = re.search(r"^( +value: )\d+$", original, re.M)
    assert value
    line = original.count("\n", 0, value.start()) + 1
    try:
        served.year_file.write_text(original.replace(value[0], value[1] + '"<b>abc</b>"', 1), encoding="utf-8")
        body = served.wait_for(500, "构建失败")
        assert f"{served.year_file.name}:{line}:" in body and "[wrong-type]" in body, body
        assert "&lt;b&gt;abc&lt;/b&gt;" in body and "<b>abc" not in body, "the data's text must be escaped"
        assert "/livereload/" in body, "the error page must reload by itself"
        # every page, not only the one that was open, says it (none of the last good site is served)
        assert "构建失败" in served.wait_for(500, "构建失败", served.base + "/")

        duplicated = original.replace("\nkind: ", "\nkind: 民生实事\nkind: ", 1)
        served.year_file.write_text(duplicated, encoding="utf-8")
        served.wait_for(500, "[duplicate-key]")
    finally:
        served.year_file.write_text(original, encoding="utf-8")
    served.wait_for(200, "</html>")


def test_changed_generator_code_says_to_restart(served):
    module = served.code / "generator" / "site" / "wording.py"
    original = module.read_text(encoding="utf-8")
    try:
        module.write_text(original + "\n# pulled a new version\n", encoding="utf-8")
        body = served.wait_for(500, "请重启 make serve")
        assert "Ctrl-C" in body and "generator" in body
    finally:
        module.write_text(original, encoding="utf-8")
    served.wait_for(200, "</html>")


def test_an_open_page_turns_into_the_error_page_and_back_by_itself(served, page):
    original = served.year_file.read_text(encoding="utf-8")
    page.goto(served.item)
    title = page.title()
    try:
        served.year_file.write_text(original.replace("\nkind: ", "\nkind: 民生实事\nkind: ", 1), encoding="utf-8")
        page.locator("h1", has_text="构建失败").wait_for(timeout=60_000)  # livereload, no navigation by the test
        assert "[duplicate-key]" in page.locator("#problems").inner_text()
    finally:
        served.year_file.write_text(original, encoding="utf-8")
    page.wait_for_function("t => document.title === t", arg=title, timeout=60_000)
