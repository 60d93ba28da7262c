"""Generated pages' HTML blocks are set aside whole (generator/site/rawblocks.py) instead of
being parsed again by Python-Markdown: every generated page of the real data and the
fixtures converts to the same HTML and the same table of contents either way (issue #21)."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from generator.site import rawblocks, stage

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def converters():
    config = load_config(str(ROOT / "mkdocs.yml"))
    options = {"extension_configs": config["mdx_configs"] or {}}
    plain = markdown.Markdown(extensions=config["markdown_extensions"], **options)
    fast = markdown.Markdown(extensions=[*config["markdown_extensions"], rawblocks.GeneratedHtml()], **options)
    return plain, fast


def _convert(md: markdown.Markdown, text: str) -> tuple[str, list]:
    md.reset()
    return md.convert(get_data(text)[0]), list(md.toc_tokens)


@pytest.mark.parametrize("root", [ROOT, FIXTURES / "hostile", FIXTURES / "verdict", FIXTURES / "mini"], ids=["data", "hostile", "verdict", "mini"])
def test_every_generated_page_converts_to_the_same_html_and_toc(root, converters):
    plain, fast = converters
    pages = [p for p in stage.prepare(root, workers=1).pages if p.made and not p.file]
    assert len(pages) > 10
    differ = [p.src for p in pages if _convert(plain, p.content) != _convert(fast, p.content)]
    assert differ == []


def test_an_item_page_is_converted_without_parsing_its_html_again(converters, monkeypatch):
    """The saving is real: on an item page Python-Markdown's html.parser sees no tag at all."""
    _, fast = converters
    item = next(p for p in stage.prepare(ROOT, workers=1).pages if p.src == "qingdao/2024/6-3.md")
    fed: list = []
    from markdown import htmlparser

    monkeypatch.setattr(htmlparser.HTMLExtractor, "feed", lambda self, data: fed.append(data) or self.handle_data(data))
    fast.reset()
    fast.convert(get_data(item.content)[0])
    assert any("ml-pledge" in block for block in fast.htmlStash.rawHtmlBlocks)
    assert fed and not any("<div" in data for data in fed)


@pytest.mark.parametrize(
    "text",
    [
        "<section>\n<p>一</p>\n\n<p>二</p>\n</section>\n\n## 标题 {#t}\n\n<p>三</p>",  # an element spanning a blank line
        "<hr>\n\n<p>一</p>",  # a void element first
        "<span>行内</span> 文字\n\n<div>块</div>",  # an inline tag first: a Markdown paragraph
        "文字 [链接](a/)\n\n<ul>\n<li>一</li>\n</ul>\n\n# 题",
    ],
)
def test_blocks_it_is_not_sure_of_are_left_to_python_markdown(text, converters):
    plain, fast = converters
    assert _convert(fast, text) == _convert(plain, text)
