"""Random and malformed input never crashes the validator: it only ever reports problems."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from generator.data.dataset import load_dataset
from generator.data.reading import YamlProblem, decode_utf8, load_yaml

MINI = FIXTURES / "mini"
BASE = (MINI / "data/ceshi/2024.yml").read_text(encoding="utf-8")

yaml_chars = st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`,?\n  \t0123456789.~新增托位") + ["\u3000", "\ufeff", "\x85"])


def _check_text(text: str) -> None:
    try:
        loaded = load_yaml(text)
    except YamlProblem as exc:
        assert exc.line >= 1 and exc.message
        return
    for p in loaded.problems:
        assert p.line >= 1 and p.message


@settings(max_examples=300, deadline=None)
@given(st.text(yaml_chars, max_size=200))
def test_random_yaml_text_only_yields_problems(text):
    _check_text(text)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(BASE)), st.text(yaml_chars, max_size=30))
def test_mutated_real_file_only_yields_problems(tmp_path_factory, pos, insert):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(MINI, root, dirs_exist_ok=True)
    (root / "data/ceshi/2024.yml").write_text(BASE[:pos] + insert + BASE[pos:], encoding="utf-8")
    ds = load_dataset(root, today=dt.date(2026, 1, 1))  # must not raise
    for p in ds.problems:
        assert p.file and p.line >= 1 and p.message


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes(raw):
    try:
        text = decode_utf8(raw)
    except YamlProblem as exc:
        assert "UTF-8" in exc.message
        return
    _check_text(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        (BASE[: len(BASE) // 2] + '"unterminated', "YAML syntax error"),
        ("[" * 5000 + "]" * 5000, "nested"),
            ("{a: " * 3000 + "}" * 3000, "nested"),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), "nested"),
        ("x: " + "长" * 30000 + "\n", None),
        ("--- \na: 1\n--- \nb: 2\n", "YAML"),
        ("!!python/object:os.system {}\n", "tag"),
        ("a: !custom 1\n", "tag"),
        ("<<: {a: 1}\n", "merge keys"),
        ("? [a, b]\n: 1\n", "plain word"),
    ],
)
def test_malformed_corpus(text, expected):
    try:
        loaded = load_yaml(text)
        messages = " ".join(p.message for p in loaded.problems)
    except YamlProblem as exc:
        messages = exc.message
    if expected:
        assert expected in messages


def test_huge_strings_and_deep_nesting_in_a_data_file(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(MINI, root)
    (root / "data/ceshi/2024.yml").write_text(BASE.replace("title: 托位与老旧小区", "title: " + "字" * 600), encoding="utf-8")
    ds = load_dataset(root, today=dt.date(2026, 1, 1))
    assert any("at most 500 characters" in p.message for p in ds.errors)
