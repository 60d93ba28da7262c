"""`python -m generator new <city> <year>`: start a year file that already validates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

YEAR_TEMPLATE = """# yaml-language-server: $schema=../../schema/pledge-list.schema.json
# New list: replace every 待填写 with the source's own text (verbatim), then run `make validate`.
city: {city}
year: {year}
title: 待填写：清单标题（原文）
kind: 民生实事
published: {year}-01-01  # 待填写：发布日期
period:
  start: {year}-01-01
  end: {year}-12-31
deadline: {year}-12-31
issuer: 待填写：发布机关
source: list
sources:
  - id: list
    title: 待填写：来源标题
    publisher: 待填写：发布者
    date: {year}-01-01
    obtained: 待填写：获取方式（网页存档、PDF……）
reports: []
sections: []
items:
  - id: "1"
    label: 第一件
    text: 待填写：第一项承诺原文
"""

CITY_TEMPLATE = """# yaml-language-server: $schema=../../schema/city.schema.json
slug: {city}
name: 待填写：城市全称（如 青岛市）
short_name: 待填写：简称（如 青岛）
province: 待填写：省份
level: prefecture
"""


def scaffold(root: Path, city: str, year: int) -> list[Path]:
    """Create data/<city>/<year>.yml (and city.yml when new); never overwrite."""
    folder = Path(root) / "data" / city
    year_path = folder / f"{year}.yml"
    if year_path.exists():
        raise FileExistsError(f"{year_path} already exists; edit it instead")
    if not (1990 <= year <= dt.date.today().year + 1):
        raise ValueError(f"year {year} is not plausible")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    city_path = folder / "city.yml"
    if not city_path.exists():
        city_path.write_text(CITY_TEMPLATE.format(city=city), encoding="utf-8")
        written.append(city_path)
    year_path.write_text(YEAR_TEMPLATE.format(city=city, year=year), encoding="utf-8")
    written.append(year_path)
    return written
