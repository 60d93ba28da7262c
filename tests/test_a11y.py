"""Accessibility of the real build.

- axe-core (axe-playwright-python, pinned in requirements.txt) finds no serious or critical
  violation on the home page, a city page, a city-year list, an item page and a topic page.
- Status is never shown by colour alone: every status badge carries its symbol and its words,
  every coloured bar sits next to a badge that names it, every chart segment shows its symbol
  and has a title and a legend entry; each chart has its own accessible name (no shared ids).
- axe runs in the light and the dark colour scheme.
- The search dialog has an accessible name (theme_overrides/main.html adds it to Material's
  header; tests/test_theme.py checks that addition against Material's own header).
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from conftest import all_items
from generator import derive
from generator.data.dataset import walk_items

SERIOUS = {"serious", "critical"}


def norm(text) -> str:
    return " ".join(str(text).split())


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _status_of(el, prefix: str) -> str | None:
    found = [c[len(prefix):] for c in _classes(el) if c.startswith(prefix)]
    return found[0] if found else None


@pytest.fixture(scope="module")
def a11y_pages(ds):
    items = list(all_items(ds))
    item = next(((c, y, i) for c, y, i in items if i.targets and i.progress), items[0])
    biggest = max(ds.lists, key=lambda k: (sum(1 for _ in walk_items(ds.lists[k].data.items)), k))
    topic = max(ds.topics, key=lambda t: sum(t in i.topics for _, _, i in items))
    return {
        "home": "",
        "cities": "cities/",
        "city": f"{biggest[0]}/",
        "city-year": f"{biggest[0]}/{biggest[1]}/",
        "item": f"{item[0]}/{item[1]}/{item[2].id}/",
        "topic": f"topics/{topic}/",
        "search": "search/?q=" + ds.topics[topic].name,  # results, badges, marks and filters
        "corrections": "about/corrections/",
    }


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violations(browser, site_server, a11y_pages, scheme):
    """In both colour schemes: the dark one follows the system setting (prefers-color-scheme)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", color_scheme=scheme)
    report = []
    try:
        pg = context.new_page()
        for name, url in a11y_pages.items():
            pg.goto(site_server + url)
            pg.wait_for_load_state("load")
            assert pg.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
            if name == "search":
                pg.wait_for_selector("#ml-search-results[data-state=done] li.ml-result")
            pg.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")  # no colour judged mid-fade
            result = axe.run(pg)
            for v in result.response["violations"]:
                if v["impact"] in SERIOUS:
                    targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                    report.append(f"{name} ({url or '/'}): {v['impact']} {v['id']}: {v['help']} — {len(v['nodes'])} nodes, e.g. {targets}")
    finally:
        context.close()
    assert not report, "axe-core violations:\n" + "\n".join(report)


def _html_pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        raw = path.read_bytes()
        if b"ml-badge" in raw or b"ml-bar" in raw or b"ml-chart" in raw:
            yield path.relative_to(site).as_posix(), lxml.html.fromstring(raw)


def test_status_is_never_conveyed_by_colour_alone(built_site):
    symbols, labels = derive.STATUS_SYMBOLS, derive.STATUS_LABELS
    assert len(set(symbols.values())) == len(symbols), "each status needs its own symbol"
    problems = []
    badges = bars = charts = 0
    for rel, tree in _html_pages(built_site):
        for badge in tree.xpath("//*[contains(concat(' ', @class, ' '), ' ml-badge ')]"):
            badges += 1
            status = _status_of(badge, "ml-status--")
            sym = badge.xpath("./*[contains(@class, 'ml-badge__sym')]")
            text = norm(badge.text_content())
            if status not in labels:
                problems.append(f"{rel}: badge without a known status class: {lxml.html.tostring(badge)[:120]!r}")
            elif not sym or norm(sym[0].text_content()) != symbols[status] or labels[status] not in text:
                problems.append(f"{rel}: {status} badge shows {text!r}, not {symbols[status]} {labels[status]}")
        for fill in tree.xpath("//*[contains(concat(' ', @class, ' '), ' ml-bar__fill ')]"):
            bars += 1
            status = _status_of(fill, "ml-status--")
            bar = fill.getparent()
            if bar.get("role") != "img" or "%" not in (bar.get("aria-label") or ""):
                problems.append(f"{rel}: a progress bar without a text alternative")
            # The nearest enclosing element that holds a badge must hold one of the same status.
            holder = bar.getparent()
            while holder is not None and not holder.xpath(".//*[contains(concat(' ', @class, ' '), ' ml-badge ')]"):
                holder = holder.getparent()
            near = [] if holder is None else [_status_of(b, "ml-status--") for b in holder.xpath(".//*[contains(concat(' ', @class, ' '), ' ml-badge ')]")]
            if status not in near:
                problems.append(f"{rel}: a {status} bar with no {status} badge next to it")
        for chart in tree.xpath("//*[contains(concat(' ', @class, ' '), ' ml-chart ')]"):
            charts += 1
            legend = norm(" ".join(chart.xpath(".//*[contains(@class, 'ml-legend')]//text()")))
            stacks = chart.xpath(".//*[contains(concat(' ', @class, ' '), ' ml-stack ')]")
            if len(stacks) != 1 or stacks[0].get("role") != "img" or "状态分布" not in (stacks[0].get("aria-label") or ""):
                problems.append(f"{rel}: a status chart without its own accessible name")
            for seg in chart.xpath(".//*[contains(concat(' ', @class, ' '), ' ml-stack__seg ')]"):
                status = _status_of(seg, "ml-fill--")
                if status not in labels or labels[status] not in (seg.get("title") or ""):
                    problems.append(f"{rel}: chart segment {status} without a title naming it")
                elif norm(seg.text_content()) != symbols[status]:
                    problems.append(f"{rel}: chart segment {status} shows {norm(seg.text_content())!r}, not its symbol {symbols[status]}")
                elif f"{symbols[status]} {labels[status]}" not in legend:
                    problems.append(f"{rel}: chart legend lacks {symbols[status]} {labels[status]}")
    assert badges > 100 and bars > 10 and charts > 3, (badges, bars, charts)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:20])

