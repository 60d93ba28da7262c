"""The floor the benchmark compares with: plain MkDocs + Material, no plugin of ours.

From the same synthetic data, one Markdown page per page of ours (home, cities, lists, items,
topics: the same count), each with the same Chinese texts an item page shows (title, the
pledge, targets as a table, explanation, progress entries) written as ordinary Markdown, and
a mkdocs.yml with our theme settings (Material, zh, the same palette and features, the nav
of cities). What it cannot show is what our pages add (progress tables with filters, QR
codes, sources, downloads, feeds): the floor is what any Material site of this size
costs, the line to measure our build against.

It keeps Material's own search plugin, as a plain Material site does (MkDocs turns it on when
`plugins` is not set): our site has a search index too (generator/site/searchindex.py), so a
floor without one would leave out work both sites do. The issue's floor (#21) searched as well.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.core.model import walk_items
from generator.data.dataset import load_dataset
from generator.site import stage

ROOT = Path(__file__).resolve().parent.parent


def write_floor(data_root: Path, out: Path) -> int:
    """Write the floor's docs and mkdocs.yml into `out`; returns the number of pages."""
    ds = load_dataset(data_root)
    docs = out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    n = 0

    def page(rel: str, text: str) -> None:
        nonlocal n
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        n += 1

    page("index.md", "# 民生实事台账\n\n" + "\n".join(f"- [{c.name}]({slug}/index.md)" for slug, c in sorted(ds.cities.items())) + "\n")
    nav_cities = []
    for slug, city in sorted(ds.cities.items()):
        years = sorted(year for s, year in ds.lists if s == slug)
        page(f"{slug}/index.md", f"# {city.name}\n\n" + "\n".join(f"- [{year}年]({year}/index.md)" for year in years) + "\n")
        nav_cities.append({city.short_name: f"{slug}/index.md"})
        for year in years:
            pl = ds.lists[(slug, year)].data
            rows = ["| 序号 | 事项 | 牵头单位 |", "|---|---|---|"]
            for item, _, _ in walk_items(pl.items):
                rows.append(f"| {item.id} | [{item.title or item.text[:30]}]({item.id}.md) | {'、'.join(item.lead)} |")
                page(f"{slug}/{year}/{item.id}.md", _item(item))
            page(f"{slug}/{year}/index.md", f"# {city.name}{year}年{pl.kind}\n\n" + "\n".join(rows) + "\n")
            page(f"{slug}/{year}/changes.md", f"# {city.name}{year}年：变化\n\n" + "\n".join(f"- {r.title}" for r in pl.reports) + "\n")
    for topic in ds.topics.values():
        page(f"topics/{topic.id}.md", f"# {topic.name}\n\n{topic.description or ''}\n")
    theme = stage.read_config(ROOT / "mkdocs.yml")["theme"]
    theme.pop("custom_dir", None)
    config = {
        "site_name": "民生实事台账（对照）",
        "site_url": "https://example.org/",
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": theme,
        "plugins": ["search"],  # Material's search, as any Material site has (see above)
        "markdown_extensions": ["attr_list", "tables", {"toc": {"permalink": False}}, "admonition"],
        "nav": [{"首页": "index.md"}, {"城市": nav_cities}],
        "validation": {"nav": {"omitted_files": "ignore"}, "links": {"not_found": "ignore", "unrecognized_links": "ignore"}},
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return n


def _item(item) -> str:
    parts = [f"# {item.title or item.text[:30]}", "", f"> {item.text}", ""]
    if item.targets:
        parts += ["## 目标", "", "| 指标 | 目标 |", "|---|---|"]
        parts += [f"| {t.metric} | {t.text or ''} |" for t in item.targets]
        parts.append("")
    if item.explanation:
        parts += ["## 官方说明", "", item.explanation, ""]
    if item.progress:
        parts += ["## 进展", ""]
        parts += [f"- **{p.report}**：{p.text or ''}" for p in item.progress]
        parts.append("")
    if item.lead:
        parts += ["牵头单位：" + "、".join(item.lead), ""]
    return "\n".join(parts)
