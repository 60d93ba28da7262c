"""The one YAML reader and its content cache.

The cache must never change what a load gives: the same lists, the same item lines, the
same problems at the same places, with or without it, in this process or the next. The
cheap byte check must never let a file past the exact limit count that it needed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import write_dataset
from conftest import FIXTURES, ROOT
from generator.core.problems import Code
from generator.data import dataset, reading
from generator.data.dataset import CACHE_FOLDER, load_dataset
from generator.data.reading import load_yaml

TODAY = dt.date(2026, 1, 1)
YEAR = re.compile(r"/[0-9]{4}\.yml$")
YEAR_FILE = "data/ceshi/2024.yml"


@pytest.fixture
def root(tmp_path):
    dest = tmp_path / "root"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


def snapshot(ds) -> dict:
    return {
        "lists": {f"{k[0]}/{k[1]}": (lf.path, lf.data.model_dump(mode="json"), sorted(map(str, lf.lines.items()))) for k, lf in ds.lists.items()},
        "problems": [str(p) for p in ds.problems],
    }


def test_a_second_load_reads_only_the_edited_year_file_again(tmp_path, monkeypatch):
    root = tmp_path / "root"
    write_dataset(root, 60)
    first = load_dataset(root)
    edited = sorted((root / "data").glob("*/20*.yml"))[1]
    text = edited.read_text(encoding="utf-8")
    first_words = load_yaml(text).data["items"][0]["text"][:12]
    edited.write_text(text.replace(first_words, "改动" + first_words, 1), encoding="utf-8")
    read = []
    real_read = dataset._Loader.read
    monkeypatch.setattr(dataset._Loader, "read", lambda self, rel: read.append(rel) or real_read(self, rel))
    second = load_dataset(root)
    assert second.errors == []
    rel = edited.relative_to(root).as_posix()
    assert [r for r in read if YEAR.search(r)] == [rel]
    key = (edited.parent.name, int(edited.stem))
    assert second.lists[key].data.items[0].text.startswith("改动")
    unchanged = [k for k in first.lists if k != key]
    assert len(unchanged) >= 3
    assert all(first.lists[k].data == second.lists[k].data and first.lists[k].lines == second.lists[k].lines for k in unchanged)


def test_a_preview_shares_the_unchanged_lists_of_its_previous_load_and_forgets_the_edited_one(tmp_path):
    """`memo` (what a preview keeps): an unchanged file's list is the very object the last load
    read; an edited file is read again, and its old contents are dropped from the memo."""
    root = tmp_path / "root"
    write_dataset(root, 60)
    memo: dict = {}
    first = load_dataset(root, freeze=False, memo=memo)
    second = load_dataset(root, freeze=False, memo=memo)
    assert all(second.lists[k].data is first.lists[k].data for k in first.lists)
    assert all(second.lists[k].links is first.lists[k].links for k in first.lists)
    remembered = len(memo)
    assert remembered == 2 * len(first.lists)  # each file's entry and its list
    edited = sorted((root / "data").glob("*/20*.yml"))[1]
    key = (edited.parent.name, int(edited.stem))
    text = edited.read_text(encoding="utf-8")
    first_words = load_yaml(text).data["items"][0]["text"][:12]
    edited.write_text(text.replace(first_words, "改动" + first_words, 1), encoding="utf-8")
    third = load_dataset(root, freeze=False, memo=memo)
    assert third.errors == []
    assert third.lists[key].data.items[0].text.startswith("改动")
    assert first.lists[key].data.items[0].text == load_yaml(text).data["items"][0]["text"]  # the old list is as it was
    assert all(third.lists[k].data is first.lists[k].data for k in first.lists if k != key)
    assert len(memo) == remembered  # the edited file's earlier entry is gone, its new one is in
    assert load_dataset(root).lists[key].data == third.lists[key].data  # without a memo: the same list, read afresh


def test_the_cache_gives_the_same_dataset_in_a_new_process_as_reading_everything():
    """Real data and both fixtures: uncached, then twice in fresh processes (filling the
    disk cache, then using it)."""
    script = (
        "import json, sys, datetime as dt\n"
        "from generator.data.dataset import load_dataset\n"
        "sys.path.insert(0, 'tests')\n"
        "from test_reading import snapshot\n"
        "print(json.dumps({r: snapshot(load_dataset(r, today=dt.date(2026, 1, 1), cache=sys.argv[1] == 'on')) for r in sys.argv[2:]}))\n"
    )
    roots = [str(ROOT), str(FIXTURES / "mini"), str(FIXTURES / "hostile")]

    def run(cache: str) -> dict:
        result = subprocess.run([sys.executable, "-c", script, cache, *roots], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout)

    uncached, filling, cached = run("off"), run("on"), run("on")
    assert uncached == filling == cached
    assert len(uncached[str(ROOT)]["lists"]) >= 5
    assert any((ROOT / CACHE_FOLDER).glob("*/*")), "nothing was stored in the disk cache"


def test_problems_of_cached_files_are_reported_at_their_lines(root):
    """A file that reads cleanly but fails a check across files is reported on every load."""
    load_dataset(root, today=TODAY)
    (root / "data" / "topics.yml").write_text("topics:\n  - id: other\n    name: 其他\n", encoding="utf-8")
    cached = [p for p in load_dataset(root, today=TODAY).errors if p.code == Code.UNKNOWN_REFERENCE]
    fresh = [p for p in load_dataset(root, today=TODAY, cache=False).errors if p.code == Code.UNKNOWN_REFERENCE]
    assert cached and all(p.line > 1 for p in cached)
    assert cached == fresh


def test_a_cached_file_under_another_name_is_read_and_checked_again(root):
    load_dataset(root, today=TODAY)
    (root / YEAR_FILE).rename(root / "data/ceshi/2023.yml")
    ds = load_dataset(root, today=TODAY)
    assert [(p.file, p.code) for p in ds.errors if p.code == Code.NAME_MISMATCH] == [("data/ceshi/2023.yml", Code.NAME_MISMATCH)]


def test_a_damaged_cache_entry_is_ignored_and_the_file_read_again(root):
    expected = snapshot(load_dataset(root, today=TODAY, cache=False))
    load_dataset(root, today=TODAY)
    entries = [p for p in (root / CACHE_FOLDER).glob("*/*") if not p.name.startswith(".")]
    assert entries
    for entry in entries:
        entry.write_bytes(b"not a pickle")
    assert snapshot(load_dataset(root, today=TODAY)) == expected


def test_an_edit_checked_through_overrides_leaves_the_file_and_the_next_load_alone(root):
    before = (root / YEAR_FILE).read_bytes()
    edited = before.decode("utf-8").replace("title: 托位与老旧小区", "title: no")
    ds = load_dataset(root, today=TODAY, overrides={YEAR_FILE: edited})
    assert [(p.file, p.path, p.code) for p in ds.errors] == [(YEAR_FILE, "items[0].title", Code.AMBIGUOUS_VALUE)]
    assert (root / YEAR_FILE).read_bytes() == before
    assert load_dataset(root, today=TODAY).errors == []


def test_ordinary_files_skip_the_exact_limit_count():
    for path in sorted((ROOT / "data").rglob("*.yml")):
        assert not reading.may_exceed_limits(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize(
    "text, code_words",
    [
        ("[" * 1200 + "]" * 1200, "nested more than"),
        ("".join("  " * i + f"k{i}:\n" for i in range(1100)) + "  " * 1100 + "x\n", "nested more than"),
        ("- " * 1100 + "x\n", "nested more than"),
        ("[" + "a," * 100_500 + "]\n", "more than 100,000 keys and values"),
        ("".join(f"k{i}: v\n" for i in range(100_500)), "more than 100,000 keys and values"),
    ],
)
def test_files_beyond_the_limits_are_refused_with_a_message(text, code_words):
    assert reading.may_exceed_limits(text)
    with pytest.raises(reading.YamlProblem) as exc:
        reading.load_yaml(text)
    assert exc.value.code == Code.YAML_TOO_BIG and code_words in exc.value.message


NESTED_DATA = st.recursive(
    st.one_of(st.none(), st.integers(0, 99), st.sampled_from(["a", "文本", "x y", ""])),
    lambda children: st.lists(children, max_size=6) | st.dictionaries(st.sampled_from(["k", "id", "值", "b"]), children, max_size=4),
    max_leaves=60,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=NESTED_DATA, flow=st.sampled_from([None, True, False]), indent=st.sampled_from([2, 4]))
def test_the_cheap_check_never_misses_a_file_the_exact_count_refuses(monkeypatch, data, flow, indent):
    """With small limits (6 levels, 30 values), any YAML text the exact count refuses
    (block, flow or mixed style, compact `- - x` nesting) must be one the cheap check sends
    to it. (The same limits for every example: nothing to reset between them.)"""
    monkeypatch.setattr(reading, "MAX_PARSE_DEPTH", 6)
    monkeypatch.setattr(reading, "MAX_VALUES", 30)
    text = yaml.safe_dump(data, default_flow_style=flow, indent=indent, allow_unicode=True)
    try:
        reading._refuse_huge_structures(text)
    except reading.YamlProblem:
        assert reading.may_exceed_limits(text), text


def test_the_property_above_sees_refused_files():
    """The generated data does reach beyond the small limits (else the test above proves nothing)."""
    deep = [[[[[[[[1]]]]]]]]
    for flow in (None, True, False):
        text = yaml.safe_dump(deep, default_flow_style=flow)
        with pytest.raises(reading.YamlProblem):
            _with_limits(6, 30, reading._refuse_huge_structures, text)


def _with_limits(depth: int, values: int, fn, *args):
    saved = reading.MAX_PARSE_DEPTH, reading.MAX_VALUES
    reading.MAX_PARSE_DEPTH, reading.MAX_VALUES = depth, values
    try:
        return fn(*args)
    finally:
        reading.MAX_PARSE_DEPTH, reading.MAX_VALUES = saved


def test_the_value_limit_holds_exactly_at_its_bound():
    at_limit = "[" + "a," * (reading.MAX_VALUES - 2) + "a]\n"  # the list and its entries: MAX_VALUES values
    assert reading.load_yaml(at_limit).problems == []
    with pytest.raises(reading.YamlProblem) as exc:
        reading.load_yaml("[" + "a," * (reading.MAX_VALUES - 1) + "a]\n")
    assert exc.value.code == Code.YAML_TOO_BIG


def test_a_warm_validation_reads_no_list_back_until_one_is_asked_for(tmp_path):
    root = tmp_path / "root"
    write_dataset(root, 60)
    first = load_dataset(root)
    warm = load_dataset(root, read_lists=False)
    assert warm.errors == [] and all(lf._data is None for lf in warm.lists.values())
    key = next(iter(warm.lists))
    assert warm.lists[key].data == first.lists[key].data and warm.lists[key].links == first.lists[key].links


def test_a_cached_list_whose_file_went_missing_is_read_from_its_bytes_again(tmp_path):
    root = tmp_path / "root"
    write_dataset(root, 30)
    first = load_dataset(root)
    warm = load_dataset(root, read_lists=False)
    for listed in (root / CACHE_FOLDER).glob("*/*.list"):
        listed.unlink()  # as a concurrent prune would
    assert all(warm.lists[k].data == first.lists[k].data for k in first.lists)
