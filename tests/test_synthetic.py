"""benchmarks/synthetic.py writes benchmark data the way maintainers write YAML, and exactly
the data it means to write."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from benchmarks import synthetic
from generator.data.dataset import load_dataset
from generator.data.reading import load_yaml

N_ITEMS = 300
FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML's safe loader on libyaml (the project's reader)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """(root, {path relative to data/: the dict meant to be written}) for N_ITEMS item pages."""
    root = tmp_path_factory.mktemp("synthetic") / "root"
    meant = {}
    real_year_text = synthetic.year_text

    def capture(data, *args, **kwargs):
        meant[f"{data['city']}/{data['year']}.yml"] = data
        return real_year_text(data, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(synthetic, "year_text", capture)
        written = synthetic.write_dataset(root, N_ITEMS)
    assert written.items == N_ITEMS and len(meant) == written.lists
    return root, meant


def year_files(root):
    return sorted(p for p in (root / "data").glob("*/*.yml") if p.name != "city.yml")


def strings(node):
    """Every string value in a composed YAML node tree, with its style."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str":
            yield node.style or "plain", node.value
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from strings(child)
    else:
        for _, child in node.value:
            yield from strings(child)


def test_synthetic_files_read_back_exactly_what_was_meant(dataset):
    root, meant = dataset
    paths = year_files(root)
    for path in paths:
        read = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST)
        assert read == meant[f"{path.parent.name}/{path.name}"], path
        assert type(read["items"][0]["progress"][0]["percent"]) is int  # written as a maintainer would: 92, not 92.0
    for city in (root / "data").glob("*/city.yml"):
        text = city.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../schema/city.schema.json\n")
        assert yaml.safe_load(text)["slug"] == city.parent.name
    smallest = min(paths, key=lambda p: p.stat().st_size)  # and with the pure-Python safe_load (slower)
    assert yaml.safe_load(smallest.read_text(encoding="utf-8")) == meant[f"{smallest.parent.name}/{smallest.name}"]


def test_synthetic_data_passes_the_strict_validator(dataset):
    root, _ = dataset
    ds = load_dataset(root)
    assert not ds.errors, "\n".join(map(str, ds.errors[:20]))
    assert sum(1 for lf in ds.lists.values() for _ in synthetic_pages(lf.data.items)) == N_ITEMS


def synthetic_pages(items):
    for item in items:
        yield item
        yield from synthetic_pages(item.subitems)


def test_synthetic_year_files_look_hand_written(dataset):
    """Mostly plain text, a block scalar and a comment in every file, quotes where maintainers put them."""
    root, _ = dataset
    styles = {}
    for path in year_files(root):
        text = path.read_text(encoding="utf-8")
        found = [style for style, _ in strings(yaml.compose(text, Loader=FAST))]
        styles[path] = found
        assert found.count("|") >= 1, f"{path}: no block scalar"
        assert text.startswith("# yaml-language-server: $schema=../../schema/pledge-list.schema.json\n")
        assert found.count("plain") / len(found) > 0.2, f"{path}: hardly any plain text"
        assert found.count('"') >= 1 and "'" not in found and ">" not in found
        assert re.search(r"\n    topics: \[[a-z]", text) and re.search(r"\n    lead:\n      - 市", text)
        assert '\n  - id: "1"\n' in text and "\n  - id: fabu\n" in text
    every = [s for found in styles.values() for s in found]
    assert 0.55 < every.count("plain") / len(every) < 0.85  # data/: 70 %
    assert any(s.count("plain") / len(s) > 0.8 for s in styles.values())  # files that quote only where needed …
    assert any(s.count('"') / len(s) > 0.5 for s in styles.values())  # … and files that quote text fields


def test_same_arguments_write_the_same_bytes(tmp_path):
    def files(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*.yml"))}

    synthetic.write_dataset(tmp_path / "a", 40, seed=7)
    synthetic.write_dataset(tmp_path / "b", 40, seed=7)
    synthetic.write_dataset(tmp_path / "c", 40, seed=8)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


AMBIGUOUS = [
    "yes", "No", "ON", "off", "y", "N", "true", "False", "null", "Null", "~", "", " ", "08", "010", "1_000", "1:30", "1.5", "1.",
    ".5", "1e3", "0x1F", "0o17", ".inf", "-.Inf", ".NaN", "inf", "nan", "+1", "-1", "2024-01-31", "2024-1-5", "2024-01-31 10:00:00",
    "2024-01-31T10:00:00Z", "6-3", "1-1", "<<", "=", " 前后有空格 ", "　全角空格", "- 列表", "-3", "? 问", ": 冒号", ",逗号", "[方括号]", "{花括号}",
    "#井号", "&锚", "*别名", "!标签", "|竖线", ">大于", "'单引号", '"双引号', "%百分号", "@at", "`反引号", "冒号: 后有空格", "井号 #注释",
    "结尾冒号:", "有\t制表符", "含\u2028分行", "含\u0085NEL", "含\ufeffBOM", "\u00a0不换行空格",
]
ODD_BUT_PLAIN = ["a\\b", 'say "hi"', "it's", "来源:淄博日报", "a#b", "2024-q2", "第1项", "1、", "5项已实现年度目标"]
MULTILINE = ["一\n二", "一\n\n二", "一\n二\n", "一\n二\n\n", "\n开头换行", " 开头空格\n二", "一\n  缩进的二", "尾随空格 \n二", "一\r\n二", "一\n#不是注释\n- 也不是列表"]


@pytest.mark.parametrize("text", AMBIGUOUS + ODD_BUT_PLAIN + MULTILINE)
def test_every_text_reads_back_as_written_wherever_it_stands(text):
    data = {"title": text, "items": [{"id": "1", "text": text, "lead": [text, "市教育局"], "topics": [text, "tuoyu"]}], "counts": {text or "空": 1}}
    for quote_keys, cautious in ((frozenset(), False), (frozenset({"text"}), True)):
        written = synthetic.dump(data, quote_keys=quote_keys, cautious=cautious)
        assert yaml.safe_load(written) == data, written
        assert yaml.load(written, Loader=FAST) == data, written
        if "\x85" not in text:  # a C1 control character: the strict reader reports it, rightly
            loaded = load_yaml(written)
            assert not loaded.problems and loaded.data == data, written


def test_plain_is_kept_for_ordinary_text_and_ids_that_cannot_be_numbers():
    for text in ["市教育局", "新增托位1680个", "tongbao-h1", "网页存档"] + ODD_BUT_PLAIN:
        assert synthetic.plain_ok(text), text
    for text in AMBIGUOUS:
        assert not synthetic.plain_ok(text), text
    data = {"published": dt.date(2024, 1, 31), "percent": 92, "share": 33.3, "tiny": 1e-05, "ok": True}
    assert synthetic.dump(data) == "published: 2024-01-31\npercent: 92\nshare: 33.3\ntiny: 1.0e-05\nok: true\n"
    assert yaml.safe_load(synthetic.dump(data)) == data
