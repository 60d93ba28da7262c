"""Sharded builds (generator/site/shards.py): parts of cities and one site-wide part, merged,
give the same site as one build."""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks.harness import ROOT, build_env, build_site
from benchmarks.synthetic import write_dataset
from generator.site import shards


def test_cities_are_spread_by_items_the_same_way_every_time():
    counts = {"a": 50, "b": 40, "c": 30, "d": 20, "e": 10, "f": 10}
    parts = shards.assign(counts, 3)
    assert parts == shards.assign(dict(reversed(counts.items())), 3)
    load = {k: sum(counts[c] for c, p in parts.items() if p == k) for k in (1, 2, 3)}
    assert sorted(load.values()) == [50, 50, 60]
    assert set(shards.assign(counts, 1).values()) == {1}


@pytest.mark.parametrize("spec", ["0/2", "3/2", "2", "a/b", "site/2"])
def test_a_wrong_shard_name_is_refused(spec):
    with pytest.raises(ValueError, match="K/N"):
        shards.parse(spec)


def test_merge_refuses_parts_that_disagree(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "sitemap.xml").write_text("one")
    (tmp_path / "b" / "sitemap.xml").write_text("two")
    (tmp_path / "b" / "only.html").write_text("b")
    with pytest.raises(SystemExit, match="disagree on 1 file"):
        shards.merge(tmp_path / "out", [tmp_path / "a", tmp_path / "b"])
    (tmp_path / "b" / "sitemap.xml").write_text("one")
    assert shards.merge(tmp_path / "out", [tmp_path / "a", tmp_path / "b"]) == 2


def test_a_shard_is_built_dirty_or_not_at_all(tmp_path):
    result = build_site(tmp_path / "site", extra_env={"MINSHENG_SHARD": "1/2"})
    assert result.returncode != 0
    assert "--dirty" in result.stdout + result.stderr


def test_the_merged_site_is_the_single_build(tmp_path):
    """300 items in 3 parts of cities and the site-wide part: the same files, byte for byte
    (there is nothing that has to differ: every file every part writes is the same)."""
    root = tmp_path / "root"
    write_dataset(root, 300)
    single = tmp_path / "single"
    assert build_site(single, root).returncode == 0
    merged = tmp_path / "merged"
    result = subprocess.run(
        [sys.executable, "-m", "generator.site.shards", "build", "3", "--site-dir", str(merged), "-f", str(ROOT / "mkdocs.yml")],
        cwd=ROOT, env=build_env(root), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    files = sorted(p.relative_to(single).as_posix() for p in single.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(merged).as_posix() for p in merged.rglob("*") if p.is_file())
    assert sum(1 for f in files if f.count("/") == 3 and f.endswith("/index.html")) > 250  # the item pages
    differ = [f for f in files if (single / f).read_bytes() != (merged / f).read_bytes()]
    assert not differ, differ[:10]
    assert not [p for p in tmp_path.iterdir() if ".parts-" in p.name]
    assert not list((root / ".cache" / "ledger").glob("downloads-*")), "a build left its spool (downloads, pages' HTML) behind"


def test_the_workflow_builds_every_part_and_merges_them():
    """.github/workflows/ci.yml's matrix names every part of one N and the site-wide part, each
    built the way the local build runs it, and the merge job merges what they upload."""
    import yaml

    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))["jobs"]
    parts = jobs["shard"]["strategy"]["matrix"]["part"]
    n = len(parts) - 1
    assert parts == [f"{k}/{n}" for k in range(1, n + 1)] + ["site"]
    assert all(shards.parse(p) for p in parts)
    build = next(step["run"] for step in jobs["shard"]["steps"] if "MINSHENG_SHARD" in step.get("env", {}))
    assert "generator.site.build --strict --dirty" in build
    assert any("generator.site.shards merge site parts/*" in step.get("run", "") for step in jobs["merge"]["steps"])
    assert "merge" in jobs["deploy"]["needs"]
