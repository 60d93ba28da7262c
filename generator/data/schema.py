"""JSON Schema files for editors, generated from the pydantic models (never edited by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.core import model

SCHEMAS = {
    "pledge-list.schema.json": (model.PledgeList, "One pledge list: data/<city>/<year>.yml"),
    "city.schema.json": (model.City, "City facts: data/<city>/city.yml"),
    "topics.schema.json": (model.TopicsFile, "Topic vocabulary: data/topics.yml"),
    "synonyms.schema.json": (model.SynonymsFile, "Search synonyms: data/synonyms.yml"),
}


def json_schema(name: str) -> dict[str, Any]:
    cls, title = SCHEMAS[name]
    schema = cls.model_json_schema(mode="validation")  # type: ignore[attr-defined]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = name
    schema["title"] = f"Minsheng Ledger — {title}"
    return schema


def render(name: str) -> str:
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all(out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = out / name
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written
