"""The Jinja environment and the filters that escape and format what templates print.

Every page is rendered from a Jinja2 template in `generator/site/templates/`. Templates are
autoescaped: data text can never become HTML, and `_one_line` (the environment's finalize)
keeps its line breaks from starting Markdown lines. Text that lands in Markdown syntax
(headings, front matter) goes through `md_text` / `yaml_str` below — the only other escaping
path. tests/test_hardening.py renders tests/fixtures/hostile through all of it.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from generator import derive
from generator.core import urls
from generator.site import qr, wording

TEMPLATES = Path(__file__).parent.parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~^=:])")
_YAML_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def md_text(text: str) -> Markup:
    """Escape text for use in Markdown (headings, link text): HTML and Markdown syntax."""
    flat = " ".join(str(text).split())
    # Python-Markdown honours a backslash only before its own escapable characters: the rest
    # (`= : ~ ^`) would print the backslash, so they become character references like <>&.
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(1))};" if m.group(1) in "<>&=:~^" else "\\" + m.group(1), flat))


_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_./\-]*")


def ids_as_code(text: str) -> Markup:
    """HTML of a description that names codes among Chinese words (official, at_least,
    qingdao/2024): each Latin token in <code>, the rest escaped; readers see them as codes."""
    out, at = [], 0
    for m in _LATIN_TOKEN.finditer(text):
        out += [str(escape(text[at : m.start()])), f"<code>{escape(m.group())}</code>"]
        at = m.end()
    return Markup("".join(out) + str(escape(text[at:])))


def yaml_str(text: str) -> Markup:
    """A front-matter value. MkDocs/Material templates insert `title` and `description`
    unescaped (in <title>, <meta content="…">, the header), so the value is HTML-escaped
    first; a JSON string is valid YAML, and characters YAML cannot hold raw become escapes
    (MkDocs would otherwise drop the whole front matter into the page as Markdown)."""
    value = json.dumps(str(escape(" ".join(str(text).split()))), ensure_ascii=False)
    return Markup(_YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", value))


cn_date = derive.cn_date


def paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def _one_line(value):
    """Jinja `finalize`: text with line breaks, written into the Markdown source as is, would
    start Markdown lines of its own — and Python-Markdown reads ``` fences even inside HTML
    blocks, with attributes such as onclick=…. A line break becomes `&#10;`: the same
    character in the page, never a new Markdown line."""
    if type(value) is str and ("\n" in value or "\r" in value):  # not Markup (a str subclass): already safe
        return Markup(str(escape(value)).replace("\r", "&#13;").replace("\n", "&#10;"))
    return value


@functools.cache  # one per process: `mkdocs serve` rebuilds no longer recompile every template (auto_reload still sees edits)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        comment_start_string="{##",  # `{#id}` is Markdown's heading-anchor syntax, not a comment
        comment_end_string="##}",
        finalize=_one_line,
    )
    env.filters.update(
        md=md_text,
        ids_as_code=ids_as_code,
        yaml=yaml_str,
        cn_date=cn_date,
        num=derive.format_number,
        target=wording.format_target,
        measure=derive.format_measure,
        money=wording.money,
        votes=wording.votes_phrase,
        satisfaction=wording.satisfaction_phrase,
        short=wording.short,
        paragraphs=paragraphs,
        pct=lambda v: "" if v is None else f"{v:g}%",
        size=file_size,
        qr_svg=qr.svg,
        status_phrase=wording.status_phrase,
        in_quotes=wording.in_quotes,
        rollup=wording.rollup_phrase,
        rollup_short=wording.rollup_short,
    )
    env.globals.update(
        urls=urls,
        STATUS_LABELS=derive.STATUS_LABELS,
        STATUS_SYMBOLS=derive.STATUS_SYMBOLS,
        own_label=wording.own_label,
        share_of_plan=wording.share_of_plan,
        CITY_LEVEL_LABELS=derive.CITY_LEVEL_LABELS,
        SCRIPT_NOTES=derive.SCRIPT_NOTES,
        BASIS_LABELS=derive.BASIS_LABELS,
        INFERRED_LABEL="本站推定",
        STALE_AFTER_DAYS=derive.STALE_AFTER_DAYS,
        PACE_TOLERANCE=derive.PACE_TOLERANCE,
    )
    return env


def file_size(n: int | None) -> str:
    """A download's size as readers see it: 850 字节, 12.3 KB, 1.2 MB (1 KB = 1,024 bytes);
    None: a file the preview does not make."""
    if n is None:
        return "预览中不生成"
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
