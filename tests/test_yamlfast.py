"""The fast reader (`yamlfast`) never changes what a file means.

Whenever it accepts a file, the strict reader (`yamlsafe`) must find no problem in it and
read exactly the same data; `load_dataset` must give the same lists, lines and problems
with or without it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pydantic import ValidationError

from conftest import FIXTURES, ROOT
from generator import model, validate, yamlfast
from generator.yamlsafe import YamlProblem, decode_utf8, load_yaml

YAML_FILES = sorted(p for base in (ROOT / "data", FIXTURES) for p in base.rglob("*.yml"))


def strict(text: str):
    """The strict reading: (data, key positions), or None when it reports any problem."""
    try:
        loaded = load_yaml(text)
    except YamlProblem:
        return None
    return None if loaded.problems else (loaded.data, loaded.key_positions)


def assert_agrees(text: str) -> bool:
    """The invariant; returns whether the fast path accepted the text."""
    raw = text.encode("utf-8")
    fast = yamlfast.load(raw)
    assert yamlfast.ordinary(raw) == _ordinary_without_prefilter(raw), f"the RE2 prefilter missed a form in:\n{text!r}"
    if fast is None:
        return False
    reading = strict(text)
    assert reading is not None, f"fast path accepted a text the strict reader refuses:\n{text!r}"
    assert fast == reading[0], f"the two readers disagree on:\n{text!r}\nfast: {fast!r}\nstrict: {reading[0]!r}"
    assert [type(v) for v in _leaves(fast)] == [type(v) for v in _leaves(reading[0])]  # 1 vs 1.0, True vs 1
    return True


def _ordinary_without_prefilter(raw: bytes) -> bool:
    """`yamlfast.ordinary` with the exact patterns only (the prefilter may only save time)."""

    class Nothing:
        @staticmethod
        def search(_):
            return "look closely"

    saved, yamlfast._PREFILTER = yamlfast._PREFILTER, Nothing
    try:
        return yamlfast.ordinary(raw)
    finally:
        yamlfast._PREFILTER = saved


def test_schema_refuses_keys_that_are_not_text():
    """Both readers read keys as text (`1:` is "1"); a reader that did not would still be
    safe: only `counts` takes free keys, and it refuses others; unknown keys are refused."""
    from pydantic import ValidationError

    from generator import model

    base = {"id": "h1", "title": "t", "kind": "half_year", "as_of": "2024-06-30", "published": "2024-07-01", "source": "s"}
    for key in (1, 1.5, True, None, ("a",)):
        with pytest.raises(ValidationError):
            model.Report.model_validate({**base, "counts": {key: 3}})
        with pytest.raises(ValidationError):
            model.Report.model_validate({**base, key: 3})


def _leaves(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _leaves(v)
    elif isinstance(node, list):
        for v in node:
            yield from _leaves(v)
    else:
        yield node


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_reader_agrees_on_every_data_and_fixture_file(path):
    try:
        text = decode_utf8(path.read_bytes())
    except YamlProblem:
        return  # not UTF-8: never reaches either reader
    assert_agrees(text)


def test_real_data_mostly_takes_the_fast_path():
    """Guard against a gate so strict that the fast path is never used."""
    year_files = sorted((ROOT / "data").glob("*/[0-9]*.yml"))
    fast = [p for p in year_files if yamlfast.load(p.read_bytes()) is not None]
    assert len(fast) >= len(year_files) // 2, f"only {len(fast)} of {len(year_files)} data files take the fast path"


REFUSED = {
    "plain no": "a: no\n",
    "plain On": "a: [On]\n",
    "plain y in flow map": "a: {b: y}\n",
    "leading zero": "a: 08\n",
    "leading zero in a list": "a:\n  - 010\n",
    "negative leading zero": "a: -07\n",
    "hex": "a: 0x1F\n",
    "octal 1.2": "a: 0o17\n",
    "digit groups": "a: 1_000\n",
    "base 60": "a: 1:30\n",
    "JSON-like key": '{"a":08}\n',
    "tilde": "a: ~\n",
    "capital null": "a: Null\n",
    "capital true": "a: TRUE\n",
    "capital false in a list": "a:\n  - False\n",
    "plus sign": "a: +1\n",
    "infinity": "a: .inf\n",
    "a word rapidyaml rewrites": "a: inf\n",
    "a key rapidyaml rewrites": "nan: 1\n",
    "not a number": "a: .NaN\n",
    "too large": "a: 1e400\n",
    "tag": "a: !!str 08\n",
    "custom tag": "a: !python/object x\n",
    "alias": "a: &x 1\nb: *x\n",
    "merge key": "a: &x {c: 1}\nb:\n  <<: *x\n",
    "duplicate key": "a: 1\na: 2\n",
    "duplicate key, quoted": 'a: 1\n"a": 2\n',
    "escape": 'a: "\\x1b[31m"\n',
    "NEL": "a: x\x85y\n",
    "line separator": "a: x\u2028y\n",
    "stray byte order mark": "a: x\ufeffy\n",
    "control character": "a: x\x07y\n",
    "chain": "- - - - x\n",
    "deep": "a:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 30)) + " " * 60 + "v: 1\n",
    "directive": "%YAML 1.1\n---\na: 1\n",
    "syntax error": "a: [1, 2\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "document start": "---\na: 1\n",
    "document end": "a: 1\n...\n",
    "lone carriage return": "a: 1\rb: 2\n",
    "non-character": "a: x\uffffy\n",
    "duplicate key in a list entry": "a:\n  - b: 1\n    b: 2\n",
    "block header with a stray indicator": "a: | -\n  x\n",
    "block header with a comment": "a: | # a-b\n  x\n",
    "bad indentation indicator": "a: |1p\n  x\n",
    "no last line break": "a: |\n  x",
    "text after a closing quote": "a:\n  - \"p\" - q\n",
    "text after a flow list": "a:\n  - [p] -\n",
    "quoted key over two lines": 'a: "\n ":\n',
    "misindented key after a flow list": "t:\n 1:\n - [p] #\n  q: 1\n",
    "top-level list": "- a\n- b\n",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_fast_reader_leaves_every_tricky_form_to_the_strict_reader(text):
    assert yamlfast.load(text.encode("utf-8")) is None


ORDINARY = {
    "quoted no": 'a: "no"\n',
    "quoted leading zero": "a: '08'\n",
    "decimal": "a: 1.65\n",
    "bare date": "a: 2024-01-31\n",
    "time in text": "a: 截至2024-2-1 09:54:00的报道\n",
    "url with digits and underscores": "a: https://www.gov.cn/zhengce/t20240131_5123_1.html?id=1&x=2\n",
    "Chinese with ASCII words": "a: 新增停车泊位2万个以上, no more than 3 on site\n",
    "block scalar": "a: |\n  第一行\n  第二行\n",
    "sequence of mappings": "items:\n  - id: '1'\n    text: 新增\n    topics: [tuoyu, yanglao]\n",
    "empty value": "a:\nb: null\n",
    "booleans": "a: true\nb: false\n",
    "numbers": "a: 1\nb: -2\nc: 0\nd: 1.5\ne: .5\nf: 1.\ng: 1e3\nh: -0.25e-2\ni: 100000000000000000000\n",
    "CRLF": "a: 1\r\nb: 新增\r\n",
    "block scalars": "a: |-\n  x\nb: |2+\n   文字\n\nc: >\n  z\n  w\nd: x\n",
    "comment after a quoted value": 'a: "p"  # note\nb: [x, "y"] # note\n',
}


@pytest.mark.parametrize("text", ORDINARY.values(), ids=ORDINARY.keys())
def test_fast_reader_takes_ordinary_files(text):
    assert assert_agrees(text), "the fast path should accept this ordinary text"


# Property: scalars spelled in every way YAML allows, in every place a value can stand.
SCALARS = [
    "no", "No", "NO", "n", "Y", "yes", "on", "Off", "OFF", "true", "False", "null", "~", "",
    "0", "08", "-08", "+8", "010", "0.5", "00.5", ".5", "1.", "1e3", "1E-3", "1e400", "0x1F", "0o17", "0b11",
    "1_000", "1:30", "-1:30:05", "190:20:30.15", ".inf", "-.INF", ".nan", "inf", "-infinity", "nan", "Infinity", "NaN",
    "0e0", "-0", "-0.0", "5.", "1.e5", "@x", "`x", "]x", "}x", "2024-01-31", "2024-1-1 09:54:00",
    "'no'", '"08"', '"a\\tb"', "'it''s'", "!!str 8", "&a 1", "*a", "新增2万个", "托育 no", "9:30前", "x_1",
    "http://a.cn/t2024_01.html?a=1&b=2", "a #b", "a#b", "-", "- 1", "?", "[]", "{}", "[no, 1]", "{a: 08}",
    "|\n  08\n  no", ">-\n  on\n  1:30",
]
PLACES = [
    "a: {s}\n",
    "a:\n  - {s}\n",
    "a: [{s}]\n",
    "a: [x, {s}, y]\n",
    "a: {{b: {s}}}\n",
    '{{"a":{s}}}\n',
    "a:\n  {s}\n",
    "a: x\n  {s}\n",
    "a: [\n  {s}\n]\n",
    "- b: 1\n  c: {s}\n",
    "{s}: 1\n",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(SCALARS)), min_size=1, max_size=3))
def test_fast_reader_agrees_on_any_scalar_in_any_place(parts):
    text = "".join(place.format(s=scalar).replace("a:", f"a{i}:", 1) for i, (place, scalar) in enumerate(parts))
    assert_agrees(text)


BASE = (FIXTURES / "mini/data/ceshi/2024.yml").read_text(encoding="utf-8")
noise = st.text(st.sampled_from(list("abnoyY01:-_[]{}&*!|>'\"#%,? \n\t.~新增\\") + ["\x85", "\u2028", "\ufeff"]), max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(BASE)), noise)
def test_fast_reader_agrees_on_a_mutated_real_file(pos, insert):
    assert_agrees(BASE[:pos] + insert + BASE[pos:])


def test_deep_one_line_nesting_does_not_crash_the_process():
    """Native parsers may overflow their stack on ~50,000 nested `- `: the gate refuses it first."""
    code = "from generator import yamlfast; t = '- ' * 60000 + 'x'; print(yamlfast.load(t.encode()))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "None", result.stderr[-2000:]


YEAR_FILES = sorted((ROOT / "data").glob("*/[0-9]*.yml")) + [FIXTURES / "mini/data/ceshi/2024.yml"]


@pytest.mark.parametrize("path", YEAR_FILES, ids=lambda p: p.parent.name + "/" + p.name)
def test_key_positions_match_the_strict_reader(path):
    raw = path.read_bytes()
    loaded = load_yaml(raw.decode("utf-8"))
    found = validate._key_positions(yamlfast.id_keys(raw), model.PledgeList.model_validate(loaded.data))
    assert found is not None
    assert found == {k: loaded.key_positions[k] for k in found}
    assert len(found) == 1 + sum(1 for k in loaded.key_positions if k[-1] == "id")


def test_key_positions_give_up_on_forms_they_cannot_follow():
    def item(id, subitems=()):
        return SimpleNamespace(id=id, subitems=list(subitems))

    pl = SimpleNamespace(sources=[SimpleNamespace(id="a")], reports=[], sections=[], items=[item("1")])
    flow = b"sources:\n  - {id: a, title: t}\nitems:\n  - id: '1'\n"
    assert validate._key_positions(yamlfast.id_keys(flow), pl) is None
    in_text = b"sources:\n  - id: a\nitems:\n  - text: |\n      id: 2\n    id: '1'\n"
    assert validate._key_positions(yamlfast.id_keys(in_text), pl) is None
    block = b"sources:\n  - id: a\nitems:\n  - text: x\n    id: '1'\n"
    assert validate._key_positions(yamlfast.id_keys(block), pl) == {("items",): (3, 1), ("sources", 0, "id"): (2, 5), ("items", 0, "id"): (5, 5)}
    two = SimpleNamespace(sources=[], reports=[], sections=[], items=[item("1"), item("2")])
    id_in_text_and_flow_item = "items:\n  - id: '1'\n    text: \"甲\n      - id: '2'\n      丙\"\n  - {id: '2', text: 乙}\n".encode()
    assert validate._key_positions(yamlfast.id_keys(id_in_text_and_flow_item), two) is None
    nested = SimpleNamespace(sources=[], reports=[], sections=[], items=[item("1", [item("1-1")])])
    id_after_subitems = b"items:\n  - subitems:\n      - id: 1-1\n    id: 1\n"
    assert validate._key_positions(yamlfast.id_keys(id_after_subitems), nested) is None


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_keys_in_the_json_are_the_fields_the_schema_received(path):
    """The duplicate-key check: a file without duplicates has exactly as many keys as the
    fields it sets (every model in the schema is counted in `_fields_given`)."""
    fast = yamlfast.read(path.read_bytes())
    try:
        pl = model.PledgeList.model_validate_json(fast.json) if fast else None
    except ValidationError:
        pl = None
    if pl is not None:
        assert validate._fields_given(pl) == fast.keys


def test_a_duplicate_key_in_a_fast_read_file_is_reported_at_its_line(tmp_path):
    """rapidyaml keeps both keys (the JSON has both, the schema takes the last): the key
    count sends the file to the strict reader, which reports it."""
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "data/ceshi/2024.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    where = next(i for i, line in enumerate(lines) if line.strip().startswith("title:") and line.startswith("    "))
    lines.insert(where + 1, lines[where])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = yamlfast.read(path.read_bytes())
    assert fast is not None and validate._read_fast(fast, "ceshi", 2024) is None
    ds = validate.load_dataset(tmp_path, today=dt.date(2026, 1, 1))
    [problem] = [p for p in ds.errors if "duplicate key" in p.message]
    assert (problem.file, problem.line) == ("data/ceshi/2024.yml", where + 2)


@pytest.mark.parametrize("raw", [b"a: 1 # \xff\n", b"a: \xed\xa0\x80\n", b"# \xb4\xed\xce\xf3\na: 1\n", b"a: x\xc0\xaf\n"], ids=["bad byte in a comment", "surrogate", "GBK comment", "overlong"])
def test_bytes_that_are_not_utf8_take_the_strict_reader(raw):
    assert yamlfast.load(raw) is None and yamlfast.read(raw) is None
    with pytest.raises(YamlProblem):
        decode_utf8(raw)


BROKEN = {  # line in tests/fixtures/mini/data/ceshi/2024.yml → what a maintainer wrote instead
    "GBK comment": ("issuer: 测试市人民政府", "issuer: 测试市人民政府 # \udcb4\udced"),
    "block header with a stray indicator": ("issuer: 测试市人民政府", "issuer: | -\n  测试市人民政府"),
    "text after a quoted entry": ("        lead: [市卫健委]", '        lead:\n          - "市卫健委" - 市财政局'),
    "duplicate key": ("        lead: [市卫健委]", "        lead: [市卫健委]\n        lead: [市财政局]"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_file_gets_the_same_problems_either_way(case, tmp_path, monkeypatch):
    """End to end: what the fast path lets through, the strict reader must agree with."""
    old, new = BROKEN[case]
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "data/ceshi/2024.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("utf-8", "surrogateescape"))
    today = dt.date(2026, 1, 1)
    fast = _snapshot(validate.load_dataset(tmp_path, today=today))
    monkeypatch.setattr(yamlfast, "read", lambda raw: None)
    slow = _snapshot(validate.load_dataset(tmp_path, today=today))
    assert fast == slow
    assert any(p.startswith("data/ceshi/2024.yml:") for p in slow[1]), "the broken file should be reported"


def test_syntax_errors_leave_no_trace_on_stderr(capfd):
    """rapidyaml prints each syntax error itself before raising; maintainers should see only ours."""
    assert yamlfast.to_json(b"a: [1, 2\nb: c: d\n") is None
    assert capfd.readouterr().err == ""


def _snapshot(ds):
    lists = {key: (lf.path, lf.data.model_dump(mode="json"), lf.lines) for key, lf in ds.lists.items()}
    return lists, [str(p) for p in ds.problems]


@pytest.mark.parametrize("root", [ROOT, FIXTURES / "mini", FIXTURES / "hostile"], ids=["data", "mini", "hostile"])
def test_load_dataset_is_the_same_with_and_without_the_fast_path(root, monkeypatch):
    today = dt.date(2026, 1, 1)
    fast = _snapshot(validate.load_dataset(root, today=today))
    monkeypatch.setattr(yamlfast, "read", lambda raw: None)
    slow = _snapshot(validate.load_dataset(root, today=today))
    assert fast == slow  # (and with files read ahead in a worker: tests/test_parallel.py)


def test_problems_in_a_fast_read_file_still_have_positions(tmp_path):
    """A file that reads and validates fast but fails a later check is reported at its line."""
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "data/ceshi/2024.yml"
    text = path.read_text(encoding="utf-8")
    assert yamlfast.load(text.encode()) is not None
    lines = text.splitlines()
    where = next(i for i, line in enumerate(lines) if line.strip().startswith("topics:"))
    indent = lines[where][: len(lines[where]) - len(lines[where].lstrip())]
    lines[where] = f"{indent}topics: [no-such-topic]"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = validate.load_dataset(tmp_path, today=dt.date(2026, 1, 1))
    [problem] = [p for p in ds.errors if "no-such-topic" in p.message]
    assert (problem.file, problem.line) == ("data/ceshi/2024.yml", where + 1)


yaml_chars = st.sampled_from(list("abfinoyYTFN:-[]{}&*!|>'\"#%@`,?\n  \t0123456789._~+eE新增托位") + ["\u3000", "\ufeff", "\x85", "\r", "\u2028"])


@settings(max_examples=500, deadline=None)
@given(st.text(yaml_chars, max_size=80))
def test_fast_reader_agrees_on_random_text(text):
    assert_agrees(text)


def test_a_number_too_large_in_a_fast_read_file_is_reported_at_its_line(tmp_path):
    """rapidyaml passes `1e400` on as written; the schema refuses it (no infinite numbers), so
    the strict reader reads the file and says what is wrong, and where."""
    shutil.copytree(FIXTURES / "mini", tmp_path, dirs_exist_ok=True)
    path = tmp_path / "data/ceshi/2024.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    where = next(i for i, line in enumerate(lines) if line.strip() == "value: 6000")
    lines[where] = lines[where].replace("6000", "1e400")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert yamlfast.read(path.read_bytes()) is not None  # the fast reader itself lets it through
    ds = validate.load_dataset(tmp_path, today=dt.date(2026, 1, 1))
    [problem] = [p for p in ds.errors if "too large" in p.message]
    assert (problem.file, problem.line) == ("data/ceshi/2024.yml", where + 1)


def test_a_one_off_load_freezes_its_data_and_a_repeated_one_does_not():
    """gc.freeze spares the cycle collector the loaded data (0.5 s at 30,000 items); under
    `mkdocs serve` it would also keep the previous build's garbage forever."""
    import gc

    gc.unfreeze()
    validate.load_dataset(FIXTURES / "mini", freeze=False)
    assert gc.get_freeze_count() == 0
    validate.load_dataset(FIXTURES / "mini", reuse=True)
    assert gc.get_freeze_count() == 0
    validate.load_dataset(FIXTURES / "mini")
    assert gc.get_freeze_count() > 0
    gc.unfreeze()


# Property: documents built line by line from YAML's structural pieces (indentation, entries,
# keys, block headers, quotes, trailing text), where rapidyaml is more lenient than PyYAML.
_line = st.tuples(
    st.sampled_from(["", " ", "  ", "   ", "    "]),
    st.sampled_from(["", "- ", "- - ", "-"]),
    st.sampled_from(["", "a: ", "b: ", "a:", '"a": ', "'a': ", "? ", ": ", "a :"]),
    st.sampled_from(SCALARS + ["|", "|-", ">+", "|2", "| -", "|1p", '"p" - q', "[p] -", "{k: v}", '"x', 'y"', "'z", "#c", "文字"]),
    st.sampled_from(["", " #c", " - x", ": 1", "  ", " x", '"']),
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, min_size=1, max_size=8).map(lambda lines: "\n".join(lines) + "\n"))
def test_fast_reader_agrees_on_documents_built_from_structural_pieces(text):
    assert_agrees(text)
