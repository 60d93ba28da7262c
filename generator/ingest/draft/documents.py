"""Documents as volunteers have them: a saved web page (its main text found by trafilatura,
without the navigation, share buttons and footers around it), a PDF (pdfplumber: its text in
paragraphs, its ruled tables as rows), a Word file (.docx, python-docx: paragraphs and tables in
document order, Word's automatic numbering written out as the reader sees it).

Each gives one paragraph a line and each table row as `cell | cell`, which the drafter reads
like any pasted text (tables.py finds the header row). That text is what is archived under
sources/captures/ and what every drafted text is checked against: nothing is retyped, only
the page furniture and the PDF's line wrapping are gone. What the file says about itself (the
address it was saved from, the day it was saved, its title) comes back in `Document` for the
list's source entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from generator.core.problems import Code, Problem
from generator.ingest import Refused

MAX_PDF_PAGES = 300  # a city's list is a few pages; a 印发 notice with its appendices a few dozen


@dataclass
class Document:
    text: str  # one paragraph a line; table rows as `a | b`
    kind: str  # "html", "pdf" or "docx"
    url: Optional[str] = None  # the address the file says it was saved from
    retrieved: Optional[dt.date] = None  # the day the file says it was saved
    title: Optional[str] = None
    extractor: str = ""  # what found the text (for the summary)


def join_wrapped(parts: list) -> str:
    """Pieces of one cell or paragraph split by line ends: joined with nothing between them
    (城市用气 / 提升工程, 180公里, / 2024年, 1 / 680个), with one space between two Latin words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and re.search(r"[A-Za-z]$", out) and re.match(r"[A-Za-z]", part):
            out += " "
        out += part
    return out


def pipe_row(cells: list) -> str:
    """A table row as a Markdown row, `| a |  | c |`: its empty cells (a merged one, a blank
    one) keep their place. A | inside a cell becomes ｜."""
    return "| " + " | ".join(c.replace("|", "｜") for c in cells) + " |"


def _refuse(path: Path, message: str) -> Refused:
    return Refused([Problem(str(path), 0, 0, "", Code.BAD_FORMAT, message)])


# --- a saved web page ----------------------------------------------------------------------------

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)  # Chrome, Edge, IE: 网页，仅HTML/全部
_SINGLEFILE_URL = re.compile(r"^\s*url:\s*(https?://\S+)\s*$", re.M)
_SINGLEFILE_DATE = re.compile(r"^\s*saved date:\s*(.+?)\s*$", re.M)


def page_origin(page: str) -> tuple:
    """(url, retrieved) that a saved page states about itself: the `saved from url` comment
    browsers write, or SingleFile's header comment (url:, saved date:)."""
    head = page[:5000]
    url, retrieved = None, None
    m = _SAVED_FROM.search(head)
    if m:
        url = m.group(1)
    single = re.search(r"<!--\s*Page saved with SingleFile(.*?)-->", head, re.S)
    if single:
        u = _SINGLEFILE_URL.search(single.group(1))
        url = url or (u.group(1) if u else None)
        d = _SINGLEFILE_DATE.search(single.group(1))
        if d:
            retrieved = _loose_date(d.group(1))
    return url, retrieved


_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


def _loose_date(text: str) -> Optional[dt.date]:
    """2024-04-03 · 2024/4/3 · Wed Apr 03 2024 10:12:01 GMT+0800 (SingleFile)."""
    m = re.search(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})", text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.search(r"([A-Z][a-z]{2}) (\d{1,2}) (\d{4})", text)
        if m and m.group(1) in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
    except ValueError:
        return None
    return None


# Furniture that trafilatura keeps because it stands right after the text: WeChat's toolbar
# (阅读原文, 在看), its QR code box (微信扫一扫 关注该公众号) and the next-article teaser, as
# mirrors and SingleFile save them. (Its precision mode drops the rest: menus, share buttons,
# sidebars, footers; on a short page its recall mode kept all of them.)
PRUNE = [
    "//*[@id='js_toobar3']", "//*[@id='js_pc_qr_code']", "//*[contains(@class,'qr_code_pc')]", "//*[contains(@class,'rich_media_extra')]",
    "//*[@id='meta_content']", "//*[contains(@class,'rich_media_tool')]",
]


def html_document(page: str, fallback) -> Document:
    """The main text of a page by trafilatura (its XML output keeps paragraphs, headings, list
    entries and table cells apart). `fallback(page)` gives the text when trafilatura finds no
    main text (a page that is nothing but a table, say)."""
    import trafilatura
    from lxml import etree

    url, retrieved = page_origin(page)
    xml = trafilatura.extract(
        page, output_format="xml", include_tables=True, include_comments=False, include_images=False, favor_precision=True, deduplicate=False, prune_xpath=PRUNE
    )
    meta = trafilatura.extract_metadata(page)
    title = meta.title if meta is not None else None
    url = url or (meta.url if meta is not None else None)
    lines: list = []
    if xml:
        root = etree.fromstring(xml.encode("utf-8"))
        main = root.find("main")
        for element in main if main is not None else ():
            lines.extend(_xml_lines(element))
    extractor = f"trafilatura {trafilatura.__version__}"
    if sum(len(line) for line in lines) < 20:
        lines, extractor = [line for line in fallback(page).split("\n") if line.strip()], "the page's visible text (trafilatura found no main text)"
    if title and lines and not any(_same(title, line) for line in lines[:12]):
        lines.insert(0, title)  # the <h1> trafilatura keeps apart: the document's own title
    return Document("\n".join(lines), "html", url if url and re.fullmatch(r"https?://[^\s<>\"']+", url) else None, retrieved, title, extractor)


def _same(a: str, b: str) -> bool:
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    return squash(a) in squash(b)


def _xml_lines(element) -> list:
    """Lines of one element of trafilatura's XML: a paragraph or heading (its <lb/> line ends
    kept), each entry of a list, each row of a table."""
    tag = element.tag
    if tag == "table":
        rows = []
        for row in element.iter("row"):
            cells = [_flat_text(cell) for cell in row if cell.tag == "cell"]
            if any(cells):
                rows.append(pipe_row(cells))
        return rows
    if tag == "list":
        return [line for item in element if item.tag == "item" for line in _xml_lines(item)]
    if tag in ("p", "head", "item", "quote", "code"):
        return [re.sub(r"\s+", " ", t).strip() for t in _text_with_breaks(element).split("\n") if t.strip()]
    if tag in ("graphic", "ref"):
        return []
    return [line for child in element for line in _xml_lines(child)] or ([element.text.strip()] if (element.text or "").strip() else [])


def _text_with_breaks(element) -> str:
    out = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            out.append("\n")
        elif child.tag in ("list", "table", "p"):
            out.append("\n" + "\n".join(_xml_lines(child)) + "\n")
        else:
            out.append(_text_with_breaks(child))
        out.append(child.tail or "")
    return "".join(out)


def _flat_text(cell) -> str:
    """A table cell as one line: its paragraphs and line ends joined (改造老旧小区 / 200个)."""
    return join_wrapped(_text_with_breaks(cell).split("\n"))


# --- a PDF -----------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^[-—－–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/共]\s*\d{1,4}\s*页?)?[-—－–\s]*$")


def pdf_document(path: Path) -> Document:
    """A PDF's text, one paragraph a line: a line that runs to the right margin goes on in the
    next one (also across a page break), unless the next one is indented (a new paragraph) or
    starts with a number (1. 一、 （一） …); page numbers in the bottom margin are left out.
    Ruled tables are read cell by cell, as `a | b` rows where they stand on the page."""
    import pdfplumber

    from generator.ingest.draft.lines import classify

    try:
        pdf = pdfplumber.open(str(path))
        pdf.pages  # noqa: B018 (reads the page tree: a damaged file fails here)
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise _refuse(path, f"not a PDF that can be read ({type(exc).__name__}); open it and save it again as PDF, or copy its text into a .txt file") from exc
    blocks: list = []  # ("line", text, x0, x1, left, right) or ("row", text)
    with pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise _refuse(path, f"the PDF has {len(pdf.pages)} pages; the drafter reads at most {MAX_PDF_PAGES}: save only the pages of the list")
        try:
            for page in pdf.pages:
                blocks.extend(_page_blocks(page))
        except Exception as exc:  # pdfminer raises many kinds on a damaged file
            raise _refuse(path, f"the PDF could not be read past page {len(blocks) and page.page_number} ({type(exc).__name__}: {exc})") from exc
    if not any(kind == "line" for kind, *_ in blocks) and not any(kind == "row" for kind, *_ in blocks):
        raise Refused([Problem(str(path), 0, 0, "", Code.FILE_EMPTY, "the PDF holds no text (a scan?): the drafter needs text, not a picture of it; run OCR first or type the list")])
    out: list = []
    open_line = False  # does the last paragraph go on?
    for kind, text, *box in blocks:
        if kind == "row":
            out.append(text)
            open_line = False
            continue
        x0, x1, left, right, size = box
        starts_new = x0 > left + 1.2 * size or classify(0, text).form is not None
        if open_line and out and not starts_new:
            out[-1] = join_wrapped([out[-1], text])
        else:
            out.append(text)
        open_line = x1 >= right - 1.5 * size
    return Document("\n".join(out), "pdf", extractor=f"pdfplumber {pdfplumber.__version__}")


def _page_blocks(page) -> list:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    lines = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj)).extract_text_lines(return_chars=True)
    body = [ln for ln in lines if ln["text"].strip() and not (ln["top"] > page.height * 0.88 and _PAGE_NUMBER.match(ln["text"]))]
    body = [ln for ln in body if not (ln["bottom"] < page.height * 0.08 and _PAGE_NUMBER.match(ln["text"]))]
    left = min((ln["x0"] for ln in body), default=0)
    right = max((ln["x1"] for ln in body), default=page.width)
    placed: list = []
    for ln in body:
        sizes = [c.get("size", 10) for c in ln.get("chars", [])] or [10]
        size = sorted(sizes)[len(sizes) // 2]
        placed.append((ln["top"], ("line", ln["text"].strip(), ln["x0"], ln["x1"], left, right, size)))
    for table, (_, top, _, _) in zip(tables, boxes, strict=True):
        rows = []
        for row in table.extract():
            cells = [join_wrapped((c or "").split("\n")) for c in row]
            if any(cells):
                rows.append(("row", pipe_row(cells)))
        placed.extend((top + k * 1e-3, r) for k, r in enumerate(rows))
    placed.sort(key=lambda p: p[0])
    return [b for _, b in placed]


# --- a Word file -------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_document(path: Path) -> Document:
    """A .docx's paragraphs and tables in document order; a merged cell counts once; a
    paragraph numbered by Word (its number is not in its text) gets the number Word shows."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _refuse(path, f"not a Word file that can be read ({type(exc).__name__}); a .doc must be saved as .docx first") from exc
    numbering = _Numbering(document)
    lines: list = []
    for child in document.element.body.iterchildren():
        if child.tag == _W + "p":
            text = _paragraph_text(child)
            label = numbering.label(child)
            if text.strip():
                lines.extend(line for line in ((label + text.strip()) if label else text.strip()).split("\n") if line.strip())
        elif child.tag == _W + "tbl":
            lines.extend(_table_rows(child))
    import importlib.metadata

    return Document("\n".join(lines), "docx", title=document.core_properties.title or None, extractor=f"python-docx {importlib.metadata.version('python-docx')}")


def _paragraph_text(p) -> str:
    out = []
    for node in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
        if node.tag == _W + "t":
            out.append(node.text or "")
        elif node.tag == _W + "tab":
            out.append(" ")
        else:
            out.append("\n")
    return re.sub(r"[ \t\u3000\xa0]+", lambda m: m.group() if "\u3000" in m.group() else " ", "".join(out)).strip(" \t\u3000\xa0")


def _table_rows(tbl) -> list:
    rows = []
    for tr in tbl.iter(_W + "tr"):
        cells = []
        for tc in tr.findall(_W + "tc"):
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if vmerge is not None and vmerge.get(_W + "val") not in ("restart",):
                cells.append("")  # the lower part of a vertically merged cell: said once, above
                continue
            text = join_wrapped([_paragraph_text(p) for p in tc.iter(_W + "p")])
            cells.append(text)
            span = tc.find(f"{_W}tcPr/{_W}gridSpan")
            if span is not None:
                cells.extend([""] * (int(span.get(_W + "val", "1")) - 1))
        if any(c.strip() for c in cells):
            rows.append(pipe_row(cells))
    return rows


_CN_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _formatted(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting", "chineseLegalSimplified"):
        return _chinese(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _num_key(num_pr) -> Optional[tuple]:
    if num_pr is None:
        return None
    num_id = num_pr.find(_W + "numId")
    ilvl = num_pr.find(_W + "ilvl")
    if num_id is None:
        return None
    return (num_id.get(_W + "val"), int(ilvl.get(_W + "val")) if ilvl is not None else 0)


class _Numbering:
    """Word's automatic numbering (numbering.xml): the number a paragraph shows, by its list,
    level, format (decimal, chineseCounting, decimalEnclosedCircle …) and level text (%1、)."""

    def __init__(self, document):
        self.levels: dict = {}  # (numId, ilvl) -> (fmt, lvlText, start)
        self.counters: dict = {}
        self.styles: dict = {}  # styleId -> (numId, ilvl) of a numbered paragraph style (List Number)
        try:
            for style in document.styles.element.findall(_W + "style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                based = style.find(_W + "basedOn")
                self.styles[style.get(_W + "styleId")] = (_num_key(num_pr), based.get(_W + "val") if based is not None else None)
        except (KeyError, NotImplementedError, AttributeError):
            pass
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for a in root.findall(_W + "abstractNum"):
            levels = {}
            for lvl in a.findall(_W + "lvl"):
                fmt = lvl.find(_W + "numFmt")
                text = lvl.find(_W + "lvlText")
                start = lvl.find(_W + "start")
                levels[int(lvl.get(_W + "ilvl", "0"))] = (
                    fmt.get(_W + "val") if fmt is not None else "decimal",
                    text.get(_W + "val") if text is not None else "",
                    int(start.get(_W + "val")) if start is not None else 1,
                )
            abstract[a.get(_W + "abstractNumId")] = levels
        for num in root.findall(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            if ref is not None:
                for ilvl, spec in abstract.get(ref.get(_W + "val"), {}).items():
                    self.levels[(num.get(_W + "numId"), ilvl)] = spec

    def label(self, p) -> str:
        if not self.levels:
            return ""
        key = _num_key(p.find(f"{_W}pPr/{_W}numPr"))
        style = p.find(f"{_W}pPr/{_W}pStyle")
        style_id = style.get(_W + "val") if style is not None else None
        for _ in range(10):  # the paragraph's style, or the one it is based on, may number it
            if key is not None or style_id not in self.styles:
                break
            key, style_id = self.styles[style_id]
        if key is None or key[0] == "0":  # numId 0: numbering switched off
            return ""
        spec = self.levels.get(key)
        if spec is None:
            return ""
        fmt, text, start = spec
        counts = self.counters.setdefault(key[0], {})
        counts[key[1]] = counts.get(key[1], start - 1) + 1
        for deeper in [lv for lv in counts if lv > key[1]]:
            del counts[deeper]  # a new entry of a level restarts the levels under it

        def level_number(m):
            lv = int(m.group(1)) - 1
            lv_spec = self.levels.get((key[0], lv), spec)
            return _formatted(counts.get(lv, lv_spec[2]), lv_spec[0])

        shown = re.sub(r"%(\d)", level_number, text)
        return shown if fmt not in ("bullet", "none") else ""
