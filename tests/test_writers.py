"""Both tools that write YAML (`draft`, `import-progress`) write what the project's strict
reader (generator.data.reading.load_yaml) reads back as exactly the data they meant: every
text that YAML 1.1 or 1.2 would read as something else (no, 08, 1.65, a bare date, a colon
or ` #` inside, a leading `- `) is quoted, and nothing else changes."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from generator.core.problems import Code
from generator.data.reading import load_yaml
from generator.ingest.draft import draft_year_file
from generator.ingest.draft.yamlout import plain_data
from generator.ingest.importer import import_progress
from generator.ingest.importer.columns import Options

TODAY = dt.date(2025, 3, 1)
TRAPS = [
    "no", "yes", "On", "~", "null", "true", "08", "0x1F", "0o17", "1_000", "1:30", "1.65", "1e3", ".inf", "2024-05-01",
    "新增托位: 6000个 #第一批", "- 改造路灯10个", "[1, 2]", "{a: 1}", "'引号'", '"引号"', "&anchor", "*alias", "!tag", "@at", "`tick", "%pct", "|", ">", "? key",
]  # fmt: skip


def as_read(value):
    """Data as the strict reader gives it back: dates as their ISO text."""
    if isinstance(value, dict):
        return {k: as_read(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_read(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def draft_writes(tmp_path: Path, text: str) -> tuple:
    """(the YAML, the data meant, where `text` is in it): `text` as a drafted item's text."""
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "topics.yml", root / "data" / "topics.yml")
    source = tmp_path / "list.txt"
    source.write_text(f"1、{text}\n2、新增托位6000个以上。\n", encoding="utf-8")
    outcome = draft_year_file(root, "ceshi", 2024, source, today=TODAY)
    return outcome.text, as_read(plain_data(outcome.data)), ("items", 0, "text")


def import_writes(tmp_path: Path, text: str) -> tuple:
    """(the YAML, the data meant, where `text` is in it): `text` as an imported progress text."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "import", root)
    with open(root / "t.csv", "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["序号", "完成状态", "进展情况"], ["3", "已完成", text]])
    year_file = root / "data" / "ceshi" / "2024.yml"
    meant = copy.deepcopy(load_yaml(year_file.read_text(encoding="utf-8")).data)
    item = next(i for i in meant["items"] if i["id"] == "3")
    item["progress"] = [{"report": "2024-q3", "status_text": "已完成", "status": "done", "text": text}]
    outcome = import_progress(year_file, root / "t.csv", Options(report="2024-q3", propose_measures=False))
    return outcome.after, meant, ("items", meant["items"].index(item), "progress", 0, "text")


@pytest.mark.parametrize("text", TRAPS)
@pytest.mark.parametrize("writes", [draft_writes, import_writes], ids=["draft", "import"])
def test_what_a_tool_writes_reads_back_as_the_data_it_meant(tmp_path, writes, text):
    written, meant, where = writes(tmp_path, text)
    loaded = load_yaml(written)
    assert [p for p in loaded.problems if p.code != Code.PLACEHOLDER] == []  # (draft leaves 待填写 for a person)
    assert loaded.data == meant
    value = loaded.data
    for key in where:
        value = value[key]
    assert value == text


def test_a_whole_drafted_page_reads_back_as_the_data_it_was_written_from(tmp_path):
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "topics.yml", root / "data" / "topics.yml")
    outcome = draft_year_file(root, "ceshi", 2024, FIXTURES / "draft" / "page.html", today=TODAY)
    loaded = load_yaml(outcome.text)
    assert [p for p in loaded.problems if p.code != Code.PLACEHOLDER] == []
    assert loaded.data == as_read(plain_data(outcome.data))
