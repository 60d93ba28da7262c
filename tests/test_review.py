"""`make review`: the year file beside its source, in one self-contained page (issue #25,
"Review in one pass"). The unit tests read the HTML; the browser test opens it in Chromium
from the disk, as a volunteer does, and checks what a reader sees.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import ROOT
from generator.cli import main
from generator.ingest import Refused, draft
from generator.ingest.review import build_review

TODAY = dt.date(2025, 3, 1)
QIXIA = ROOT / "sources" / "captures" / "004_5b83448298b42065.txt"




@pytest.fixture
def drafted_qixia(root):
    outcome = draft.draft_year_file(root, "qixia", 2024, QIXIA, today=TODAY)
    return root, outcome


def test_the_review_counts_the_same_decisions_the_draft_printed(drafted_qixia):
    root, outcome = drafted_qixia
    page, counts = build_review(root, "qixia", 2024)
    decisions = outcome.decisions()
    assert counts.get("title", 0) == len(decisions.titles)
    assert counts.get("topics", 0) == len(decisions.topics)
    assert counts.get("metric", 0) == len(decisions.metrics)
    assert counts.get("fact", 0) == decisions.facts
    assert counts.get("accept", 0) == decisions.accept
    assert f'data-total="{decisions.total}"' in page


def test_every_item_stands_beside_the_capture_lines_it_came_from(drafted_qixia):
    root, _ = drafted_qixia
    page, _ = build_review(root, "qixia", 2024)
    sections = re.findall(r'<section class="item[^"]*" id="item-(\d+)".*?</section>', page, re.S)
    assert sections == [str(n) for n in range(1, 31)]
    assert "在存档原文中找不到" not in page
    assert "<mark class=\"quoted\">" in page and "地方儲備糧倉庫擴建項目" in page  # the capture as archived: traditional characters


def test_the_page_is_self_contained(drafted_qixia):
    root, _ = drafted_qixia
    page, _ = build_review(root, "qixia", 2024)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script" not in page


def test_editing_away_a_todo_lowers_the_count(drafted_qixia):
    root, _ = drafted_qixia
    _, before = build_review(root, "qixia", 2024)
    path = root / "data/qixia/2024.yml"
    text = path.read_text(encoding="utf-8")
    line = next(ln for ln in text.split("\n") if "TODO: decide" in ln and "# title:" in ln)
    indent = line[: len(line) - len(line.lstrip())]
    path.write_text(text.replace(line, f"{indent}title: 自己写的简称"), encoding="utf-8")
    _, after = build_review(root, "qixia", 2024)
    assert after["title"] == before["title"] - 1


def test_the_command_writes_the_page_and_says_where(drafted_qixia, capsys):
    root, _ = drafted_qixia
    assert main(["--root", str(root), "review", "qixia", "2024"]) == 0
    out = capsys.readouterr().out
    assert (root / ".cache/review/qixia-2024.html").is_file() and "file://" in out and "decisions left" in out


def test_a_list_that_is_not_there_is_refused_saying_how_to_draft_it(root):
    with pytest.raises(Refused) as refused:
        build_review(root, "ceshi", 2024)
    assert "make draft CITY=ceshi YEAR=2024" in refused.value.problems[0].message


@pytest.mark.browser
def test_the_review_page_reads_in_chromium_with_the_unsure_parts_marked(drafted_qixia, browser, tmp_path):
    root, outcome = drafted_qixia
    assert main(["--root", str(root), "review", "qixia", "2024", "--out", str(tmp_path / "review.html")]) == 0
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "review.html").as_uri())
    assert errors == [] and all(u.startswith("file://") for u in requests)
    assert page.locator("section.item[data-id]").count() == 30
    first = page.locator("#item-1")
    assert "地方储备粮仓库扩建项目" in first.locator(".draft").inner_text()
    assert "地方儲備糧倉庫擴建項目" in first.locator(".source mark.quoted").first.inner_text()
    assert re.search(r"data/qixia/2024\.yml:\d+: id \"1\"", first.locator(".edit").inner_text())
    # the draft side and the source side stand next to each other, not one under the other
    draft_box, source_box = first.locator(".draft").bounding_box(), first.locator(".source").bounding_box()
    assert draft_box and source_box and source_box["x"] > draft_box["x"] + draft_box["width"] - 1
    decisions = outcome.decisions()
    titles = page.locator('.draft .unsure[data-kind="title"]')
    assert titles.count() == len(decisions.titles)
    colour = titles.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator(".counts strong").inner_text() == f"还有 {decisions.total} 处要决定"
    page.close()


def test_the_review_shows_a_drafted_investment(drafted_qixia):
    root, _ = drafted_qixia
    page, _ = build_review(root, "qixia", 2024)
    item4 = re.search(r'<section class="item[^"]*" id="item-4".*?</section>', page, re.S).group(0)
    assert "计划投资：年内计划投资1500万元（15000000元）" in item4
