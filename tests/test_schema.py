"""The JSON Schema files are generated from the models and committed for editors."""

import json

from conftest import ROOT
from generator.data import schema


def test_committed_schema_files_are_up_to_date():
    for name in schema.SCHEMAS:
        committed = (ROOT / "schema" / name).read_text(encoding="utf-8")
        assert committed == schema.render(name), f"schema/{name} is stale: run `make schema`"


def test_schema_forbids_unknown_fields_and_describes_fields():
    s = json.loads(schema.render("pledge-list.schema.json"))
    item = s["$defs"]["Item"]
    assert item["additionalProperties"] is False
    assert "verbatim" in item["properties"]["text"]["description"]
    assert set(s["required"]) >= {"city", "year", "title", "items", "sources"}


def test_data_files_point_editors_at_the_schema():
    for path in (ROOT / "data").glob("*/*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        expected = "city.schema.json" if path.name == "city.yml" else "pledge-list.schema.json"
        assert first == f"# yaml-language-server: $schema=../../schema/{expected}", path
