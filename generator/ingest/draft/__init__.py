"""`python -m generator draft <city> <year> <file>` (or `--url` alone): an official text → a draft year file.

The slow part of adding a list is mechanical: splitting items and sub-items, copying the lead
units, turning 3011万平方米 into 30110000. This package does that part and leaves the judgement
to the maintainer, in `# TODO` comments, in YAML that reads back exactly (tests/test_writers.py),
never over an existing file without `--force`. Its modules, in the order a draft is made:

- fetch.py: the file downloaded, when the command is given an address and no file
- source.py: the file → lines of simplified text (plain text, a saved page, a table file)
- lines.py: one line's numbering, lead units and completion dates
- nodes.py: items, sub-items and categories while drafting, and the id rule
- text.py: a text's structure (categories, items, sub-items, explanations)
- tables.py: a table's structure (columns by their usual headers)
- content.py: sub-items from ；-lists, targets, suggested titles and topics
- assemble.py: the list's facts and the year file's fields, in the format's order
- yamlout.py: the YAML, written the way the data files are
- __init__.py: the command (`draft_year_file`) and the archived copy of the source
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path
from typing import Optional

from generator.core import model
from generator.core.problems import Code, Problem
from generator.ingest import Refused
from generator.ingest.draft import fetch
from generator.ingest.draft.assemble import Outcome, build_draft, list_facts, render, second_thoughts, source_facts, unused_intro, year_data
from generator.ingest.draft.content import load_topics
from generator.ingest.draft.lines import deadline_in_text
from generator.ingest.draft.nodes import walk_nodes
from generator.ingest.draft.source import MAX_ITEMS, SourceText, read_source, too_large
from generator.ingest.draft.yamlout import Commented

ORIGINALS = {"html": ".html", "pdf": ".pdf", "docx": ".docx"}  # kept beside the text archived from them
OBTAINED = {"html": "网页存档", "pdf": "PDF文件", "docx": "Word文件", "table": "表格文件"}


def archive_source(root: Path, city: str, year: int, path: Path, source: SourceText) -> str:
    """Where the source is archived: the file itself when it is already under sources/; else
    a copy under sources/captures/<city>-<year>-list.txt (-2, -3 … when that name holds
    another text). A page, PDF or Word file is archived as its text (what the data was taken
    from and what the verbatim check reads), next to the file itself (.html, .pdf, .docx)."""
    sources_dir = (root / "sources").resolve()
    full = path.resolve()
    if full.is_relative_to(sources_dir) and source.kind not in ORIGINALS:
        return full.relative_to(root.resolve()).as_posix()
    folder = root / "sources" / "captures"
    folder.mkdir(parents=True, exist_ok=True)
    content = source.archived if source.archived.endswith("\n") else source.archived + "\n"
    for n in range(1, 1000):
        name = f"{city}-{year}-list" + (f"-{n}" if n > 1 else "")
        target = folder / f"{name}.txt"
        if target.exists() and target.read_text(encoding="utf-8") != content:
            continue
        target.write_text(content, encoding="utf-8")
        if source.kind in ORIGINALS and full != (folder / f"{name}{ORIGINALS[source.kind]}").resolve():
            shutil.copyfile(path, folder / f"{name}{ORIGINALS[source.kind]}")
        return target.relative_to(root).as_posix()
    raise Refused([Problem("sources/captures", 0, 0, "", Code.FILE_EXISTS, f"already has 999 captures named {city}-{year}-list")])


def draft_year_file(
    root: Path,
    city: str,
    year: int,
    path: Optional[Path],
    force: bool = False,
    url: Optional[str] = None,
    split: str = "auto",
    from_explanation: bool = True,
    today: Optional[dt.date] = None,
    retrieved: Optional[dt.date] = None,
) -> Outcome:
    """Read `path` (with none, download `url`: fetch.py), draft the year file and write it (and
    city.yml when the city is new). A download is drafted as the same file saved would be,
    retrieved today, at the address given."""
    root = Path(root)
    year_path = _checked(root, city, year, path, force, url, today)
    if path is not None:
        return _draft(root, city, year, year_path, path, url, split, from_explanation, today, retrieved)
    assert url is not None  # _checked refused a request with neither
    with tempfile.TemporaryDirectory() as folder:
        got = fetch.download(url, Path(folder))
        redirected = got.final_url if got.final_url != url else None
        try:
            return _draft(root, city, year, year_path, got.path, url, split, from_explanation, today, retrieved or today or dt.date.today(), got.charset, redirected)
        except Refused as refused:
            raise got.relabelled(refused) from None


def _checked(root: Path, city: str, year: int, path: Optional[Path], force: bool, url: Optional[str], today: Optional[dt.date]) -> Path:
    """The year file to write, once the request makes sense: before reading or downloading anything."""
    if not re.fullmatch(model.SLUG_PATTERN, city):
        raise Refused([Problem("", 0, 0, "", Code.BAD_FORMAT, f"city slug {city!r}: use lowercase pinyin without tones, e.g. qingdao")])
    if not 1990 <= year <= (today or dt.date.today()).year + 1:
        raise Refused([Problem("", 0, 0, "", Code.DATE_IMPLAUSIBLE, f"year {year} is not plausible")])
    if path is None and url is None:
        raise Refused([Problem("", 0, 0, "", Code.FILE_MISSING, "no source: give the file to draft from (FROM=… for make), or its address (URL=…, --url) to download it")])
    if path is not None and not path.is_file():
        raise Refused([Problem(str(path), 0, 0, "", Code.FILE_MISSING, "no such file")])
    year_path = root / "data" / city / f"{year}.yml"
    if year_path.exists() and not force:
        raise Refused([Problem(year_path.relative_to(root).as_posix(), 0, 0, "", Code.FILE_EXISTS, "already exists; edit it, or draft again over it with --force")])
    if url is not None and not re.fullmatch(r"https?://[^\s<>\"']+", url):
        raise Refused([Problem("", 0, 0, "", Code.BAD_FORMAT, f"--url {url!r}: give an http:// or https:// address")])
    return year_path


def _draft(
    root: Path,
    city: str,
    year: int,
    year_path: Path,
    path: Path,
    url: Optional[str],
    split: str,
    from_explanation: bool,
    today: Optional[dt.date],
    retrieved: Optional[dt.date],
    charset: Optional[str] = None,
    redirected: Optional[str] = None,
) -> Outcome:
    """The draft of `path`, written (`charset` and `redirected`: what the server said of a download)."""
    from generator.data.dataset import load_dataset
    from generator.ingest.scaffold import CITY_TEMPLATE

    url_given = url
    source = read_source(path, charset)
    draft = build_draft(source, split, from_explanation, load_topics(root))
    found = sum(1 for _ in walk_nodes(draft.items))
    if found > MAX_ITEMS:
        raise too_large(path, f"found {found:,} items")
    for node in walk_nodes(draft.items):
        if node.deadline is None:
            node.deadline, node.deadline_words = deadline_in_text([node.text, node.goal, *node.explanation], year)
    facts = list_facts(draft, source.lines, year, today)
    archive = archive_source(root, city, year, path, source)
    draft.notes.extend(second_thoughts(root, year_path, year, facts, archive))
    if facts["report"]:
        draft.notes.insert(
            0,
            f"the source is a progress report ({facts['report']}): its title, date and introduction are the report's, not the list's, "
            "so the list's title and date are left as placeholders; add the report to `reports` (its title, date and introduction as its "
            "`summary`), then import its progress with import-progress",
        )
    if facts["report"] or draft.table_in_text:
        draft.unplaced = sorted(set(draft.unplaced) | set(unused_intro(draft, facts)))
    today = today or dt.date.today()
    entry = source_facts(facts, today)
    url = url or source.url
    if url and redirected:
        entry["url"] = Commented(url, f"the server redirected it to {redirected}")
    elif url:
        entry["url"] = url if url != source.url or url == url_given else Commented(url, "TODO: check: the address the saved page names as its own")
    entry["obtained"] = OBTAINED.get(source.kind, "文本存档")
    if retrieved is not None:
        entry["retrieved"] = retrieved
    elif source.retrieved is not None:
        entry["retrieved"] = Commented(source.retrieved, "TODO: check: the day the saved page says it was saved")
    elif not path.resolve().is_relative_to((root / "sources").resolve()):  # a copy taken now, not one archived before
        entry["retrieved"] = Commented(today, "TODO: check: when the copy was taken")
    entry["archive"] = archive
    if source.traditional:
        entry["script"] = "traditional_converted"
    data = year_data(city, year, draft, facts, entry)
    text = render(data, archive)
    outcome = Outcome(year_path, text, data, draft, archive, source.traditional, extractor=source.extractor)
    city_path = year_path.parent / "city.yml"
    city_path.parent.mkdir(parents=True, exist_ok=True)
    if not city_path.exists():
        city_path.write_text(CITY_TEMPLATE.format(city=city), encoding="utf-8")
        outcome.city_written = True
    year_path.write_text(text, encoding="utf-8")
    written = [year_path, city_path]  # city.yml may hold 待填写 too (always when new): count them
    outcome.problems = load_dataset(root, only=[str(p) for p in written], today=today, cache=False).problems
    return outcome
