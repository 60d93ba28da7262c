"""Benchmark: how the generator and the MkDocs build scale with the number of items.

    make bench                        # 300, 3,000 and 30,000 item pages
    make bench SIZES=300,3000         # or: python -m benchmarks.bench --sizes 300,3000

For each size N, synthetic data (benchmarks/synthetic.py: realistic Chinese text, sections,
sub-items, 3–4 progress reports per list, topics from data/topics.yml, several cities and
years) is written to a temporary folder and:

1. loaded and validated (`load_dataset`): cold, in this process, with an empty content cache
   (what the first `make validate` feels, filling the cache); warm, in a new process that
   finds every file in the cache (every later run until a file changes);
2. turned into pages (`Site.pages()`) and downloads/feeds (`export_files`, `feed_files`);
3. built with `mkdocs build --strict`, as `make site` does (wall time, peak RSS of the build
   process and its children from os.wait4, site size, search index size and build time);
4. for the smallest size, served with `mkdocs serve`: the time from editing one YAML file
   to the served page showing the change.

Search quality and speed in the browser have their own benchmark: `make bench-search`
(benchmarks/bench_search.py).

This is a measurement, not a test: nothing fails on slow figures. The figures in README.md
("Performance") come from this script.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import floor, harness, synthetic
from generator.core import urls
from generator.data.dataset import CACHE_FOLDER, load_dataset
from generator.data.reading import load_yaml
from generator.exports import downloads
from generator.site import feeds, qr
from generator.site import pages as pages_mod

ROOT = harness.ROOT
DEFAULT_SIZES = (300, 3000, 10000)


@dataclass
class Result:
    n: int
    lists: int = 0
    yaml_mb: float = 0.0
    load_s: float = 0.0  # cold: empty content cache
    load_warm_s: float = 0.0  # a new process, every file in the cache
    pages_s: float = 0.0
    exports_s: float = 0.0
    build_s: float = 0.0
    index_s: float | None = None  # the search index (generator/site/searchindex.py), as the build logs it
    pages: int = 0
    rss_mb: float = 0.0  # the build process tree (os.wait4)
    rss_parts: dict = field(default_factory=dict)  # process name → peak RSS MB (sampled VmHWM)
    site_mb: float = 0.0
    index_mb: float = 0.0
    tree_mb: float = 0.0  # the largest sum of the build process tree's proportional set sizes (PSS) at one time
    serve_dirty_s: list = field(default_factory=list)  # `mkdocs serve --dirty`, as `make serve` runs it
    page_kb: float = 0.0  # mean size of a built item page
    floor_page_kb: float = 0.0
    floor_pages: int = 0  # the floor (benchmarks/floor.py): plain MkDocs + Material, built in the same run
    floor_build_s: float = 0.0
    floor_tree_mb: float = 0.0
    floor_serve_s: list = field(default_factory=list)
    shards_s: dict = field(default_factory=dict)  # N → wall time of `python -m generator.site.shards build N`
    notes: list = field(default_factory=list)

    @property
    def generator_share(self) -> float:
        return (self.load_s + self.pages_s + self.exports_s) / self.build_s if self.build_s else 0.0

    @property
    def ms_per_page(self) -> float:
        return self.build_s / self.pages * 1000 if self.pages else 0.0


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def dir_size(path: Path) -> int:
    total = 0
    for dirpath, _, names in os.walk(path):
        total += sum(os.path.getsize(os.path.join(dirpath, n)) for n in names)
    return total


# --- 1–2: the generator in this process --------------------------------------------------


# What `make validate` does once the cache is filled (it reads no list back: read_lists=False).
WARM_LOAD = "import sys, time; from generator.data.dataset import load_dataset; t = time.perf_counter(); ds = load_dataset(sys.argv[1], read_lists=False); print(time.perf_counter() - t, len(ds.errors))"


def measure_generator(root: Path, r: Result) -> None:
    shutil.rmtree(root / ".cache", ignore_errors=True)
    ds, r.load_s = timed(load_dataset, root)
    if ds.errors:
        raise SystemExit("synthetic data does not validate:\n" + "\n".join(map(str, ds.errors[:20])))
    warm = subprocess.run([sys.executable, "-c", WARM_LOAD, str(root)], cwd=ROOT, capture_output=True, text=True, check=True)
    seconds, errors = warm.stdout.split()
    r.load_warm_s = float(seconds)
    assert errors == "0", "the cached load found errors the first load did not"
    if ds.warnings:
        r.notes.append(f"{len(ds.warnings)} validator warnings")
    (files, _), r.exports_s = timed(lambda: (downloads.export_files(ds, "https://example.org/"), feeds.feed_files(ds, "https://example.org/")))
    site = pages_mod.Site(ds, site_url="https://example.org/", downloads=files)  # as the plugin does: the data page sizes them
    qr.cache_in(root / CACHE_FOLDER / "qr")  # as the stage does: the build then finds every code drawn, as the data read
    _, r.pages_s = timed(site.pages)


# --- 3: the MkDocs build -----------------------------------------------------------------


def run_build(root: Path, site_dir: Path, log_path: Path, command: list[str] | None = None) -> tuple[float, str, PeakSampler, float]:
    """`mkdocs build --strict`, as `make site` runs it (or `command`), on the data under root:
    (seconds, the build's log, the memory sampler after the build, the largest process's peak RSS in MB)."""
    with open(log_path, "w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command or harness.build_command(site_dir), cwd=ROOT, env=harness.build_env(root), stdout=out, stderr=subprocess.STDOUT)
        sampler = PeakSampler(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        sampler.stop()
    text = log_path.read_text(encoding="utf-8", errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"mkdocs build failed (log: {log_path}):\n{text[-3000:]}")
    return seconds, text, sampler, usage.ru_maxrss / 1024  # ru_maxrss: kilobytes on Linux


def measure_build(root: Path, site_dir: Path, r: Result) -> None:
    r.build_s, text, sampler, r.rss_mb = run_build(root, site_dir, site_dir.parent / "build.log")
    r.rss_parts = sampler.peaks
    r.tree_mb = sampler.tree_peak
    found = re.search(r"search: indexed \d+ pages in ([0-9.]+) s", text)
    r.index_s = float(found.group(1)) if found else None
    r.pages = sum(1 for _ in site_dir.rglob("index.html"))
    r.page_kb = mean_item_page_kb(site_dir)
    r.site_mb = dir_size(site_dir) / 1e6
    r.index_mb = dir_size(site_dir / urls.search_data()) / 1e6


def measure_floor(root: Path, work: Path, r: Result) -> Path:
    """The floor (benchmarks/floor.py) from the same data, built the same way; returns its folder."""
    out = work / "floor"
    r.floor_pages = floor.write_floor(root, out)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(out / "mkdocs.yml"), "-d", str(out / "site")]
    r.floor_build_s, _, sampler, _ = run_build(root, out / "site", work / "floor.log", command)
    r.floor_tree_mb = sampler.tree_peak
    r.floor_page_kb = mean_item_page_kb(out / "site")
    return out


def mean_item_page_kb(site_dir: Path) -> float:
    """Mean size of the built item pages (<city>/<year>/<id>/index.html), in KB."""
    sizes = [p.stat().st_size for p in site_dir.glob("*/*/*/index.html")]
    return sum(sizes) / len(sizes) / 1024 if sizes else 0.0


def measure_shards(root: Path, work: Path, r: Result, counts: tuple[int, ...]) -> None:
    """Wall time of the sharded build (generator/site/shards.py) with N parts of cities."""
    for n in counts:
        command = [sys.executable, "-m", "generator.site.shards", "build", str(n), "--site-dir", str(work / f"site-{n}"), "-f", str(ROOT / "mkdocs.yml")]
        r.shards_s[n], _, _, _ = run_build(root, work / f"site-{n}", work / f"shards-{n}.log", command)
        shutil.rmtree(work / f"site-{n}", ignore_errors=True)


class PeakSampler(threading.Thread):
    """Peak RSS (VmHWM) per process name of a process and its descendants, and the largest sum
    of their proportional set sizes at one time (`tree_peak`, MB), sampled twice a second. PSS,
    not RSS: forked workers share the parent's pages until they write them, and a sum of RSS
    counts every shared page once per process."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.peaks: dict = {}
        self.tree_peak = 0.0
        self.start()

    def _tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    todo += [int(c) for c in task.read_text().split()]
                except OSError:
                    pass
        return pids

    def run(self) -> None:
        while not self.done.wait(0.5):
            total = 0.0
            for pid in self._tree():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                name_line = re.search(r"^Name:\s*(\S+)", status, re.M)
                name = name_line.group(1) if name_line else "?"
                try:
                    pss = re.search(r"^Pss:\s*(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
                except OSError:
                    continue
                total += int(pss.group(1)) / 1024 if pss else 0
                peak = re.search(r"^VmHWM:\s*(\d+) kB", status, re.M)
                if peak:
                    self.peaks[name] = max(self.peaks.get(name, 0), int(peak.group(1)) / 1024)
            self.tree_peak = max(self.tree_peak, total)

    def stop(self) -> dict:
        self.done.set()
        self.join()
        return self.peaks


# --- 4: `mkdocs serve` after editing one YAML file -----------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def our_serve(root: Path) -> tuple[list[str], Path, str, str]:
    """`make serve`'s `mkdocs serve --dirty` on the data under root: (command, the file an
    edit goes into, the words to put the marker before, the item page that shows them)."""
    year_file = next(p for p in sorted((root / "data").glob("*/*.yml")) if p.name != "city.yml")
    data = load_yaml(year_file.read_text(encoding="utf-8")).data
    assert isinstance(data, dict)
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload", "-f", str(ROOT / "mkdocs.yml")]
    return cmd, year_file, data["items"][0]["text"][:12], urls.item(year_file.parent.name, int(year_file.stem), "1")


def floor_serve(floor_dir: Path) -> tuple[list[str], Path, str, str]:
    """The same on the floor: one item page's Markdown edited."""
    page = next(p for p in sorted(floor_dir.glob("docs/*/*/1.md")))
    rel = page.relative_to(floor_dir / "docs").with_suffix("").as_posix() + "/"
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload", "-f", str(floor_dir / "mkdocs.yml")]
    return cmd, page, page.read_text(encoding="utf-8").split("> ", 1)[1][:12], rel


def measure_serve(root: Path, setup: tuple[list[str], Path, str, str], edits: int = 3) -> list[float]:
    """Seconds from saving an edited file to `mkdocs serve` serving the changed page."""
    cmd, edited, first_words, page_url = setup
    port = free_port()
    env = harness.build_env(root)
    log_path = root.parent / f"serve-{edited.stem}.log"
    cmd = [*cmd, "--dev-addr", f"127.0.0.1:{port}"]
    times: list[float] = []

    def builds() -> int:  # MkDocs logs this after every rebuild (not always "Documentation built in")
        return log_path.read_text(encoding="utf-8", errors="replace").count("Reloading browsers")

    with open(log_path, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = urls.absolute(f"http://127.0.0.1:{port}", page_url)
    try:
        deadline = time.monotonic() + 1200
        while fetch(url) is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"mkdocs serve did not start (log: {log_path})")
            time.sleep(0.2)
        original = edited.read_text(encoding="utf-8")
        for k in range(edits):
            marker = f"基准测试修改{k}号"
            text = original.replace(first_words, marker + first_words, 1)
            assert marker in text, f"could not find {first_words!r} in {edited}"
            done = builds()
            start = time.perf_counter()
            edited.write_text(text, encoding="utf-8")
            while True:
                body = fetch(url)
                if body and marker in body:
                    break
                if proc.poll() is not None or time.perf_counter() - start > 600:
                    raise SystemExit(f"the edit never showed up (log: {log_path})")
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
            settle = time.monotonic() + 120
            while builds() == done and proc.poll() is None and time.monotonic() < settle:  # let the build finish before the next edit
                time.sleep(0.05)
            time.sleep(0.5)
        edited.write_text(original, encoding="utf-8")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # our own process group (start_new_session)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return times


# --- the table ------------------------------------------------------------------------------


def fmt(value, spec: str, none: str = "–") -> str:
    return none if value is None else format(value, spec)


def _ratio(ours: float, floor_: float) -> str:
    return f"{ours / floor_:.2f}×" if floor_ else "–"


def _times(values: list[float]) -> str:
    return "–" if not values else f"{min(values):.2f}–{max(values):.2f}" if len(values) > 1 else f"{values[0]:.2f}"


def table(results: list[Result]) -> str:
    head = (
        "| items | pages (ours / floor) | item page KB (ours / floor) | build s: ours / floor | ms per page: ours / floor | peak memory MB, process tree: ours / floor "
        "| MB per item: ours / floor per page | `make serve` edit → page s: ours / floor | sharded build s, N = 1 / 2 / 4 |"
    )
    rows = [head, "|" + "|".join(["---:"] * (head.count("|") - 1)) + "|"]
    for r in results:
        floor_ms = r.floor_build_s / r.floor_pages * 1000 if r.floor_pages else 0
        shards = " / ".join(fmt(r.shards_s.get(n), ".1f") for n in (1, 2, 4)) if r.shards_s else "–"
        rows.append(
            f"| {r.n:,} | {r.pages:,} / {r.floor_pages:,} | {r.page_kb:.0f} / {r.floor_page_kb:.0f} | {r.build_s:.1f} / {r.floor_build_s:.1f} ({_ratio(r.build_s, r.floor_build_s)}) "
            f"| {r.ms_per_page:.1f} / {floor_ms:.1f} | {r.tree_mb:,.0f} / {r.floor_tree_mb:,.0f} "
            f"| {r.tree_mb / r.n:.3f} / {(r.floor_tree_mb / r.floor_pages if r.floor_pages else 0):.3f} "
            f"| {_times(r.serve_dirty_s)} / {_times(r.floor_serve_s)} | {shards} |"
        )
    return "\n".join(rows)


def run(n: int, serve: bool, shards: bool, keep: Path | None, build: bool = True) -> Result:
    r = Result(n)
    work = Path(tempfile.mkdtemp(prefix=f"minsheng-bench-{n}-", dir=keep))
    root = work / "root"
    try:
        log(f"[{n}] writing synthetic data into {root}")
        written = synthetic.write_dataset(root, n)
        r.lists, r.yaml_mb = written.lists, written.bytes / 1e6
        log(f"[{n}] {written.cities} cities, {written.lists} lists, {r.yaml_mb:.1f} MB of YAML; load, validate, generate")
        measure_generator(root, r)
        log(f"[{n}] load+validate {r.load_s:.2f} s cold, {r.load_warm_s:.2f} s warm, pages {r.pages_s:.2f} s, exports+feeds {r.exports_s:.2f} s")
        if not build:
            return r
        measure_build(root, work / "site", r)
        log(f"[{n}] build {r.build_s:.1f} s, {r.pages} pages, peak memory {r.tree_mb:.0f} MB (process tree), search index {fmt(r.index_s, '.1f')} s")
        shutil.rmtree(work / "site", ignore_errors=True)
        floor_dir = measure_floor(root, work, r)
        log(f"[{n}] floor: build {r.floor_build_s:.1f} s, {r.floor_pages} pages, peak memory {r.floor_tree_mb:.0f} MB")
        shutil.rmtree(floor_dir / "site", ignore_errors=True)
        if serve:
            r.serve_dirty_s = measure_serve(root, our_serve(root))
            r.floor_serve_s = measure_serve(root, floor_serve(floor_dir))
            log(f"[{n}] make serve: edit → page updated in {_times(r.serve_dirty_s)} s (floor {_times(r.floor_serve_s)} s)")
        if shards:
            measure_shards(root, work, r, (1, 2, 4))
            log(f"[{n}] sharded build: " + ", ".join(f"N={k}: {v:.1f} s" for k, v in r.shards_s.items()))
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return r


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="item counts, comma-separated (default: %(default)s)")
    parser.add_argument("--serve-up-to", type=int, default=10000, help="measure `make serve` edits at sizes up to this (default: %(default)s; 0 = never)")
    parser.add_argument("--shards-at", default="3000", help="sizes at which to time the sharded build with N = 1, 2, 4 (default: %(default)s)")
    parser.add_argument("--no-build", action="store_true", help="measure the generator only: no mkdocs build or serve")
    parser.add_argument("--keep", type=Path, default=None, help="write the data and sites under this folder and keep them")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in re.split(r"[,\s]+", args.sizes.strip()) if s]
    shard_sizes = {int(s) for s in args.shards_at.split(",") if s}
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    log(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    results = [run(n, n <= args.serve_up_to, n in shard_sizes, args.keep, not args.no_build) for n in sizes]
    print()
    print(table(results))
    for r in results:
        for note in r.notes:
            print(f"\n{r.n:,} items: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
