"""The validator: one focused test per kind of bad input.

Each test writes a small variation of a valid year file and asserts that the message
names the file, the line and the field, in plain words.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from generator.core.model import walk_items
from generator.core.problems import Code
from generator.data.dataset import load_dataset

MINI = FIXTURES / "mini"
YEAR_FILE = "data/ceshi/2024.yml"


@pytest.fixture
def root(tmp_path) -> Path:
    dest = tmp_path / "root"
    shutil.copytree(MINI, dest)
    return dest


def run(root: Path, text: str | bytes | None = None, name: str = YEAR_FILE):
    if text is not None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return load_dataset(root, today=dt.date(2026, 1, 1))


def base() -> str:
    return (MINI / YEAR_FILE).read_text(encoding="utf-8")


def line_of(text: str, needle: str, nth: int = 0) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth]


def only_error(ds, code: Code, contains: str = ""):
    """The first error with this code (and wording, when given): tests assert the code, the
    file, the line and the field; the wording is checked where it must help the maintainer."""
    matches = [p for p in ds.errors if p.code == code and contains in p.message]
    assert matches, f"no {code.value} error containing {contains!r}; got: " + "\n".join(map(str, ds.problems))
    return matches[0]


def test_fixture_is_clean(root):
    ds = run(root)
    assert ds.errors == [], "\n".join(map(str, ds.errors))


def test_duplicate_key_is_an_error_with_both_lines(root):
    text = base().replace("    title: 托位与老旧小区\n", "    title: 托位与老旧小区\n    title: 另一个标题\n")
    ds = run(root, text)
    p = only_error(ds, Code.DUPLICATE_KEY, "duplicate key `title`")
    assert p.file == YEAR_FILE
    assert p.line == line_of(text, "另一个标题")
    assert p.path == "items[0].title"
    assert f"line {line_of(text, '托位与老旧小区')}" in p.message


def test_unknown_field_suggests_the_right_name(root):
    text = base().replace("    lead: [市住建局]", "    laed: [市住建局]")
    ds = run(root, text)
    p = only_error(ds, Code.FIELD_UNKNOWN, "unknown field `laed`")
    assert "did you mean `lead`" in p.message
    assert p.line == line_of(text, "laed:")
    assert p.path == "items[0].subitems[1].laed"


def test_missing_required_field(root):
    text = base().replace("issuer: 测试市人民政府\n", "")
    p = only_error(run(root, text), Code.FIELD_MISSING, "required field `issuer` is missing")
    assert p.file == YEAR_FILE and p.line == 1


def test_wrong_type_number_expected(root):
    text = base().replace("value: 6000\n", "value: 6千\n", 1)
    p = only_error(run(root, text), Code.WRONG_TYPE, "expected a number")
    assert p.line == line_of(text, "value: 6千")
    assert p.path == "items[0].targets[0].value"


@pytest.mark.parametrize(
    "scalar, expected",
    [
        ("no", "`no` is ambiguous"),
        ("on", "`on` is ambiguous"),
        ("08", "`08` is ambiguous"),
        ("010", "`010` is ambiguous"),
        ("1:30", "`1:30` is ambiguous"),
    ],
)
def test_yaml11_traps_are_errors(root, scalar, expected):
    text = base().replace("title: 托位与老旧小区", f"title: {scalar}")
    p = only_error(run(root, text), Code.AMBIGUOUS_VALUE, expected)
    assert p.line == line_of(text, f"title: {scalar}")
    assert p.path == "items[0].title"
    assert "quote" in p.message.lower() or "quotes" in p.message


def test_number_where_text_is_expected_asks_for_quotes(root):
    text = base().replace("title: 托位与老旧小区", "title: 1.65")
    p = only_error(run(root, text), Code.WRONG_TYPE, "expected text, found the number 1.65")
    assert '"1.65"' in p.message
    assert p.line == line_of(text, "title: 1.65")


def test_quoted_traps_are_fine_and_kept_verbatim(root):
    text = base().replace("title: 托位与老旧小区", 'title: "08"').replace("label: 第二件", 'label: "no"')
    ds = run(root, text)
    assert ds.errors == []
    items = ds.lists[("ceshi", 2024)].data.items
    assert items[0].title == "08" and items[1].label == "no"


def test_bare_date_in_text_field_stays_text(root):
    text = base().replace("title: 托位与老旧小区", "title: 2024-01-31")
    ds = run(root, text)
    assert ds.errors == []
    assert ds.lists[("ceshi", 2024)].data.items[0].title == "2024-01-31"


def test_date_field_rejects_numbers_and_impossible_dates(root):
    text = base().replace("published: 2024-02-01", "published: 20240201")
    p = only_error(run(root, text), Code.BAD_FORMAT, "YYYY-MM-DD")
    assert p.path == "published"
    text = base().replace("published: 2024-02-01", "published: 2024-02-30")
    only_error(run(root, text), Code.BAD_FORMAT, "not a real date")


def test_boolean_field_needs_true_or_false(root):
    text = base().replace("        comparator: at_least\n", "        comparator: at_least\n        qualitative: \"no\"\n", 1)
    p = only_error(run(root, text), Code.WRONG_TYPE, "expected true or false")
    assert p.path == "items[0].targets[0].qualitative"


def test_duplicate_item_id(root):
    text = base().replace('  - id: "2"', '  - id: "1"')
    p = only_error(run(root, text), Code.DUPLICATE_ID, "duplicate item id `1`")
    assert p.line == line_of(text, '  - id: "1"', 1)


def test_malformed_item_id(root):
    text = base().replace('  - id: "2"', '  - id: "二"')
    p = only_error(run(root, text), Code.BAD_FORMAT, "not in the expected form")
    assert "6-3" in p.message and p.path == "items[1].id"


def test_subitem_id_must_extend_parent(root):
    text = base().replace('id: "1-2"', 'id: "2-2"')
    only_error(run(root, text), Code.BAD_ITEM_ID, "must start with its parent's id")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("topics: [tuoyu]", "topics: [tuoyou]", "unknown topic `tuoyou`; did you mean `tuoyu`?"),
        ("section: c1\n    text: 新增", "section: c9\n    text: 新增", "unknown section `c9`"),
        ("  - report: 2024-h1\n            status: on_track", "  - report: 2024-h2\n            status: on_track", "unknown report `2024-h2`"),
        ("    source: h1", "    source: h2", "unknown source `h2`"),
    ],
)
def test_broken_references(root, old, new, expected):
    text = base().replace(old, new, 1)
    assert text != base()
    p = only_error(run(root, text), Code.UNKNOWN_REFERENCE, expected)
    assert p.line == line_of(text, new.splitlines()[0].strip())


def test_related_item_must_exist(root):
    text = base().replace("    title: 托位与老旧小区\n", "    title: 托位与老旧小区\n    related: [ceshi/2023/1]\n")
    p = only_error(run(root, text), Code.UNKNOWN_REFERENCE, "related item `ceshi/2023/1` does not exist")
    assert p.path == "items[0].related[0]"


def test_progress_dated_outside_plausible_range(root):
    text = base().replace("as_of: 2024-06-30", "as_of: 2019-06-30")
    p = only_error(run(root, text), Code.DATE_IMPLAUSIBLE, "outside the plausible range")
    assert p.path == "reports[0].as_of"
    text = base().replace("as_of: 2024-06-30\n    published: 2024-07-20", "as_of: 2024-06-30\n    published: 2024-05-01")
    only_error(run(root, text), Code.DATE_IMPLAUSIBLE, "before the as_of date")


def test_report_in_the_future(root):
    text = base().replace("published: 2024-07-20", "published: 2026-07-20")
    only_error(run(root, text), Code.DATE_IMPLAUSIBLE, "in the future")


def test_percent_contradicting_value_and_target_is_a_warning(root):
    text = base().replace("percent: 55", "percent: 85")
    ds = run(root, text)
    assert ds.errors == []
    (w,) = [p for p in ds.warnings if p.code == Code.PERCENT_MISMATCH]
    assert w.line == line_of(text, "percent: 85") and "3,300/6,000 = 55.0%" in w.message


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,hi", "http://exa mple.org"])
def test_unsafe_urls_are_rejected(root, url):
    text = base().replace("    obtained: 测试数据\n", f"    obtained: 测试数据\n    url: \"{url}\"\n", 1)
    p = only_error(run(root, text), Code.BAD_FORMAT)
    assert p.path == "sources[0].url"
    assert "http" in p.message


def test_raw_html_in_text_is_flagged_and_never_trusted(root):
    text = base().replace("已开工40个。", "已开工40个。<script>alert(1)</script>")
    ds = run(root, text)
    assert ds.errors == []
    (w,) = [p for p in ds.warnings if p.code == Code.LOOKS_LIKE_HTML]
    assert w.path == "items[0].subitems[1].progress[0].text"


def test_not_utf8(root):
    p = only_error(run(root, base().encode("gbk")), Code.ENCODING, "not valid UTF-8")
    assert p.file == YEAR_FILE and p.line >= 1


def test_alias_bomb_is_rejected_quickly(root):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    p = only_error(run(root, bomb), Code.YAML_FEATURE, "anchors and aliases")
    assert p.file == YEAR_FILE


def test_an_alias_is_reported_at_the_alias_not_at_its_anchor(root):
    text = base().replace("issuer: 测试市人民政府\n", "issuer: &who 测试市人民政府\n", 1) + "notes_by: *who\n"
    p = only_error(run(root, text), Code.YAML_FEATURE, "alias *who")
    assert (p.line, p.col) == (line_of(text, "notes_by: *who"), len("notes_by: ") + 1)
    assert f"anchored as &who on line {line_of(text, 'issuer: &who')}" in p.message


def test_oversized_file(root):
    big = base() + "# " + "x" * (9 * 1024 * 1024) + "\n"
    only_error(run(root, big), Code.FILE_TOO_LARGE, "larger than")


def test_syntax_error_points_at_the_line(root):
    text = base().replace("    title: 托位与老旧小区", "    title: [托位与老旧小区")
    p = only_error(run(root, text), Code.YAML_SYNTAX, "YAML syntax error")
    assert abs(p.line - line_of(text, "[托位与老旧小区")) <= 2


def test_file_name_and_content_must_agree(root):
    (root / YEAR_FILE).rename(root / "data/ceshi/2023.yml")
    ds = run(root)
    only_error(ds, Code.NAME_MISMATCH, "does not match the file name 2023.yml")


def test_unexpected_file_in_city_folder(root):
    ds = run(root, "x: 1\n", name="data/ceshi/2024.yaml")
    only_error(ds, Code.FILE_UNEXPECTED, "year files are named <year>.yml")


def test_all_errors_are_reported_at_once(root):
    text = base().replace("    lead: [市住建局]", "    laed: [市住建局]").replace("topics: [tuoyu]", "topics: [tuoyou]").replace("title: 托位与老旧小区", "title: no")
    ds = run(root, text)
    codes = {(p.path, p.code) for p in ds.errors}
    assert ("items[0].subitems[1].laed", Code.FIELD_UNKNOWN) in codes and ("items[0].title", Code.AMBIGUOUS_VALUE) in codes
    assert ("items[0].subitems[0].topics[0]", Code.UNKNOWN_REFERENCE) in codes, "a field error hid the reference checks"
    assert len(ds.errors) >= 2


def test_cli_exit_codes_and_format(root, capsys):
    from generator.cli import main

    assert main(["--root", str(root), "validate"]) == 0
    (root / YEAR_FILE).write_text(base().replace("    lead: [市住建局]", "    laed: [市住建局]"), encoding="utf-8")
    assert main(["--root", str(root), "validate"]) == 1
    err = capsys.readouterr().err
    assert f"{YEAR_FILE}:" in err and "items[0].subitems[1].laed: unknown field" in err and "[field-unknown]" in err


def test_new_command_scaffolds_a_file_that_is_valid_but_for_its_placeholders(root, capsys):
    """Every 待填写 is an error until a person fills it in (so nothing half-made is published);
    nothing else is wrong with the scaffold."""
    from generator.cli import main

    assert main(["--root", str(root), "new", "yantai", "2025"]) == 0
    ds = run(root)
    assert [p for p in ds.errors if p.code != Code.PLACEHOLDER] == [], "\n".join(map(str, ds.errors))
    assert {p.path for p in ds.errors} >= {"title", "issuer"} and ("yantai", 2025) in ds.lists
    assert main(["--root", str(root), "new", "yantai", "2025"]) == 2  # never overwrites
    assert main(["--root", str(root), "new", "Yan Tai", "2025"]) == 2


def test_the_format_page_explains_exactly_the_problem_codes_there_are():
    page = (Path(__file__).resolve().parent.parent / "content/about/format.md").read_text(encoding="utf-8")
    section = page.split("{#problem-codes}", 1)[1]
    listed = re.findall(r"^\| `([a-z-]+)` \|", section, re.M)
    assert sorted(listed) == sorted(code.value for code in Code)
    assert len(listed) == len(set(listed))


# --- hardening (issue 12): each reproduction gives a precise file:line error ----------------------


def test_a_date_beyond_2100_is_an_error_not_a_crash(root):
    text = base().replace("  end: 2024-12-31", "  end: 9999-12-31", 1)
    p = only_error(run(root, text), Code.BAD_FORMAT, "not between 1949 and 2100")
    assert (p.path, p.line) == ("period.end", line_of(text, "9999-12-31"))


def test_a_number_where_text_is_expected_is_quoted_as_written(root):
    text = base().replace('label: "1."', "label: 1.10", 1)
    p = only_error(run(root, text), Code.WRONG_TYPE, '"1.10"')
    assert p.path == "items[0].subitems[0].label" and '"1.1"' not in p.message


def test_a_broken_city_file_adds_no_false_errors_elsewhere(root):
    city = root / "data/ceshi/city.yml"
    city.write_text(city.read_text(encoding="utf-8").replace("level: prefecture\n", ""), encoding="utf-8")
    ds = run(root)
    assert [(p.file, p.code) for p in ds.errors] == [("data/ceshi/city.yml", Code.FIELD_MISSING)]
    from generator.data.published import PublishedIds, check_published

    published = PublishedIds("origin/main", cities={"ceshi"}, lists={("ceshi", 2024): {"1", "1-1"}})
    assert check_published(ds, [published]) == []


def test_symbolic_links_in_data_are_refused(root, tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text(base(), encoding="utf-8")
    (root / "data/ceshi/2023.yml").symlink_to(outside)
    (root / "data/linked").symlink_to(root / "data/ceshi", target_is_directory=True)
    ds = run(root)
    refused = sorted((p.file, p.code) for p in ds.errors if "symbolic links" in p.message)
    assert refused == [("data/ceshi/2023.yml", Code.FILE_UNEXPECTED), ("data/linked", Code.FILE_UNEXPECTED)]
    assert ("ceshi", 2023) not in ds.lists and "linked" not in ds.cities


def test_an_archive_outside_sources_is_refused(root):
    text = base().replace("    obtained: 测试数据\n", "    obtained: 测试数据\n    archive: sources/../../../../etc/passwd\n", 1)
    p = only_error(run(root, text), Code.UNKNOWN_REFERENCE, "not inside sources/")
    assert (p.path, p.line) == ("sources[0].archive", line_of(text, "archive:"))


def test_a_report_published_before_its_list_is_an_error(root):
    text = base().replace("published: 2024-02-01", "published: 2024-08-01", 1)
    p = only_error(run(root, text), Code.DATE_IMPLAUSIBLE, "before the list it reports on")
    assert p.path == "reports[0].published"


def test_a_measure_far_above_its_target_warns_of_a_missing_unit(root):
    text = base().replace("        value: 6000\n", "        value: 1.6\n").replace("value: 3300", "value: 12000", 1).replace("                percent: 55\n", "")
    ds = run(root, text)
    assert {p.code for p in ds.errors} == {Code.VALUE_MISMATCH}  # 1.6 is not the text's 6000 either
    w, w2 = [p for p in ds.warnings if p.code == Code.PERCENT_IMPLAUSIBLE]  # (the second measure: 3300 of 1.6)
    assert w.path == "items[0].subitems[0].progress[0].measures[0].value" and "750,000%" in w.message and "万" in w.message
    assert w2.path == "items[0].subitems[0].progress[1].measures[0].value"
    assert w.line == line_of(text, "value: 12000")


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("        value: 6000\n", "        value: 1000\n", "items[0].targets[0].value"),
        (
            "                value: 3300\n                unit: 个\n                percent: 55\n",
            "                value: 3800\n                unit: 个\n                percent: 55\n                text: 新增托位3300个\n",
            "items[0].subitems[0].progress[0].measures[0].value",
        ),
    ],
    ids=["target", "measure"],
)
def test_a_value_that_is_none_of_the_figures_its_text_states_is_an_error(root, old, new, path):
    assert old in base()
    text = base().replace(old, new, 1)
    p = only_error(run(root, text), Code.VALUE_MISMATCH, "is not a figure the text states")
    assert (p.path, p.line) == (path, line_of(text, new.split("\n")[0].strip()))
    assert "value_differs" in p.message


def test_a_value_that_must_differ_from_its_text_says_why_and_passes(root):
    text = base().replace("        value: 6000\n", "        value: 1000\n        value_differs: 测试：原文的数字另有所指\n", 1)
    assert run(root, text).errors == []


@pytest.mark.parametrize(("old", "new"), [("        value: 6000\n", "        value: -6000\n"), ("value: 3300", "value: -3300")], ids=["target", "measure"])
def test_a_negative_count_is_an_error(root, old, new):
    text = base().replace(old, new, 1)
    p = only_error(run(root, text), Code.INVALID_VALUE, "is negative")
    assert p.line == line_of(text, new.strip())


def test_a_unit_its_own_text_does_not_count_in_is_an_error(root):
    text = base().replace("        value: 6000\n        unit: 个\n", "        value: 6000\n        unit: 平方米\n", 1)
    assert text != base()
    p = only_error(run(root, text), Code.UNIT_MISMATCH, "does not count in 平方米")
    assert (p.path, p.line) == ("items[0].targets[0].unit", line_of(text, "unit: 平方米"))


@pytest.mark.parametrize(("words", "unit"), [("新增托位6000名以上", "人"), ("新增托位6000个以上", "个/年"), ("新增托位6000人以上", "名")])
def test_a_unit_the_text_writes_another_way_agrees(root, words, unit):
    text = base().replace("      - text: 新增托位6000个以上\n", f"      - text: {words}\n", 1).replace("        value: 6000\n        unit: 个\n", f"        value: 6000\n        unit: {unit}\n", 1)
    assert not [p for p in run(root, text).problems if p.code == Code.UNIT_MISMATCH]


def test_every_value_in_the_real_data_is_a_figure_its_own_text_states(ds):
    """The checks run on the real data without a false alarm and without an override."""
    assert not [p for p in ds.problems if p.code in (Code.VALUE_MISMATCH, Code.UNIT_MISMATCH)]
    assert not [t for lf in ds.lists.values() for item, _, _ in walk_items(lf.data.items) for t in item.targets if t.value_differs]


def test_numbers_in_a_warning_are_written_plainly_never_in_exponent_form(root):
    text = base().replace("value: 3300", "value: 1091546.8", 1).replace("                percent: 55\n", "")
    (w,) = [p for p in run(root, text).warnings if p.code == Code.PERCENT_IMPLAUSIBLE]
    assert "value 1,091,546.8 is 18,192% of the target 6,000" in w.message and "e+" not in w.message


def test_a_tiny_target_gives_a_warning_not_an_infinite_percent(root):
    text = base().replace("        value: 6000\n", "        value: 1e-300\n").replace("value: 3300", "value: 1e10", 1).replace("                percent: 55\n", "")
    ds = run(root, text)
    assert {p.code for p in ds.errors} == {Code.VALUE_MISMATCH}
    implausible = [p for p in ds.warnings if p.code == Code.PERCENT_IMPLAUSIBLE]
    assert len(implausible) == 2 and "inf" not in implausible[0].message


def test_direction_overrides_and_control_characters_are_refused_in_keys_and_text(root):
    text = base().replace("title: 托位与老旧小区", 'title: "托位\\u202e区小旧老"\n    "evil\\x1b[2K": 1', 1)
    ds = run(root, text)
    found = sorted((p.path, p.line) for p in ds.errors if p.code == Code.CONTROL_CHARACTER)
    assert found == [("items[0]", line_of(text, "evil")), ("items[0].title", line_of(text, "托位\\u202e"))]
    printed = "\n".join(map(str, ds.problems))
    assert "\x1b" not in printed and "\u202e" not in printed and "evil\\u001b[2K" in printed


def test_github_annotations_cannot_start_a_command_of_their_own():
    from generator.cli import github_annotation
    from generator.core.problems import Problem

    p = Problem("data/x/2024.yml", 3, 5, "items[0]", Code.FIELD_UNKNOWN, "unknown field `a\n::error::fake 100%`")
    line = github_annotation(p)  # a command is read only at the start of a line
    assert "\n" not in line and line.startswith("::error file=data/x/2024.yml,line=3,col=5,title=field-unknown::")
    assert line.endswith("unknown field `a%0A::error::fake 100%25`")


def test_html_in_any_text_field_is_flagged(root):
    text = base().replace("    title: 幼有善育", "    title: 幼有<b>善育</b>").replace("    source: h1\n", "    source: h1\n    summary: 进展<script>x</script>\n", 1)
    ds = run(root, text)
    assert ds.errors == []
    assert sorted(p.path for p in ds.warnings if p.code == Code.LOOKS_LIKE_HTML) == ["reports[0].summary", "sections[0].title"]


def test_section_parents_in_a_cycle_are_refused_with_the_chain(root):
    text = base().replace("    title: 幼有善育\n", "    title: 幼有善育\n    parent: c2\n  - id: c2\n    label: （二）\n    title: 学有优教\n    parent: c1\n", 1)
    ds = run(root, text)
    cycles = sorted((p.path, p.message) for p in ds.errors if p.code == Code.SECTION_CYCLE)
    assert [path for path, _ in cycles] == ["sections[0].parent", "sections[1].parent"]
    assert "c1 → c2 → c1" in cycles[0][1]


# --- the URL space: slugs, topic ids and redirects never take another page's address ------------


def _second_city(root: Path, slug: str, extra: str = "") -> Path:
    folder = root / "data" / slug
    folder.mkdir()
    (folder / "city.yml").write_text(f"slug: {slug}\nname: 另一市\nshort_name: 另一\nprovince: 测试省\nlevel: prefecture\n{extra}", encoding="utf-8")
    return folder / "city.yml"


def test_a_city_redirecting_its_own_slug_is_refused(root):
    city = root / "data/ceshi/city.yml"
    city.write_text(city.read_text(encoding="utf-8") + "redirect_from: [ceshi]\n", encoding="utf-8")
    p = only_error(run(root), Code.REDIRECT_CONFLICT, "this city's own slug")
    assert (p.file, p.path, p.line) == ("data/ceshi/city.yml", "redirect_from[0]", 6)


def test_a_redirect_may_not_take_over_a_city_that_exists(root):
    _second_city(root, "lingyi", "redirect_from: [ceshi]\n")
    p = only_error(run(root), Code.REDIRECT_CONFLICT, "is a city of its own (data/ceshi/)")
    assert (p.file, p.path) == ("data/lingyi/city.yml", "redirect_from[0]")


@pytest.mark.parametrize("name", ["about", "data", "topics", "all", "feeds"])
def test_reserved_names_are_refused_as_slugs_and_old_slugs(root, name):
    _second_city(root, "lingyi", f"redirect_from: [{name}]\n")
    p = only_error(run(root), Code.RESERVED_NAME)
    assert (p.file, p.path) == ("data/lingyi/city.yml", "redirect_from[0]")
    shutil.rmtree(root / "data/lingyi")
    _second_city(root, name)
    p = only_error(run(root), Code.RESERVED_NAME)
    assert (p.file, p.path) == (f"data/{name}/city.yml", "slug")


def test_an_old_slug_leads_to_one_city_only(root):
    _second_city(root, "lingyi", "redirect_from: [jiuming]\n")
    _second_city(root, "linger", "redirect_from: [jiuming]\n")
    p = only_error(run(root), Code.REDIRECT_CONFLICT, "already redirected to linger")
    assert p.file == "data/lingyi/city.yml"


def test_a_topic_called_index_is_refused(root):
    topics = root / "data/topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("  - id: tuoyu\n", "  - id: index\n    name: 索引\n  - id: tuoyu\n", 1), encoding="utf-8")
    p = only_error(run(root), Code.RESERVED_NAME, "topics index")
    assert (p.file, p.line) == ("data/topics.yml", line_of(topics.read_text(encoding="utf-8"), "id: index"))


def test_two_items_may_not_redirect_the_same_old_id(root):
    text = base().replace('        label: "1."\n', '        label: "1."\n        redirect_from: ["9"]\n', 1).replace('        label: "2."\n', '        label: "2."\n        redirect_from: ["9"]\n', 1)
    p = only_error(run(root, text), Code.REDIRECT_CONFLICT, "already redirected by items[0].subitems[0]")
    assert p.path == "items[0].subitems[1].redirect_from[0]"


def test_every_top_level_name_of_the_site_itself_is_reserved():
    repo = Path(__file__).resolve().parent.parent
    from generator.core import urls

    # pages and folders: a file such as favicon.ico cannot be a slug (no dot in one)
    own = {p.name.removesuffix(".md") for p in (repo / "content").iterdir() if p.is_dir() or p.suffix == ".md"}
    own |= {p.name for p in (repo / "theme_overrides").iterdir() if p.is_dir()}
    own -= {"partials"}  # theme partials are templates, not pages
    assert own <= urls.RESERVED, own - urls.RESERVED


# --- verbatim: official text must be in the archived source ------------------------------------


def _with_archive(root: Path, traditional: bool = False) -> str:
    """The mini list with an archived source whose text holds every official text of the list
    (as a real capture would, between page furniture)."""
    from generator.data import verbatim

    ds = run(root)
    pl = ds.lists[("ceshi", 2024)].data
    body = "\n".join(text for _, text in verbatim.official_texts(pl, list(walk_items(pl.items))))
    if traditional:
        from opencc import OpenCC

        body = OpenCC("s2t").convert(body)
    capture = root / "sources/captures/ceshi-2024.txt"
    capture.parent.mkdir(parents=True)
    capture.write_text("登录 注册\n首页 > 新闻\n" + body + "\n分享到：微信 微博\n", encoding="utf-8")
    extra = "    archive: sources/captures/ceshi-2024.txt\n" + ("    script: traditional_converted\n" if traditional else "")
    return base().replace("    obtained: 测试数据\n", "    obtained: 测试数据\n" + extra, 1)


@pytest.mark.parametrize("traditional", [False, True], ids=["simplified", "traditional"])
def test_an_edited_number_in_any_archived_list_is_caught(root, traditional):
    text = _with_archive(root, traditional)
    assert run(root, text).errors == []
    edited = text.replace("新增托位3300个，占年计划的55%。", "新增托位3800个，占年计划的55%。", 1)
    p = only_error(run(root, edited), Code.NOT_VERBATIM, "sources/captures/ceshi-2024.txt")
    assert (p.path, p.line) == ("items[0].subitems[0].progress[0].text", line_of(edited, "3800个"))
    assert "after 「…新增托位3」 the source goes on 「300个" in p.message and "where the data has 「800个" in p.message


def test_a_lists_own_introduction_is_checked_verbatim_too(root):
    """The list's summary is official text (data/verbatim.py lists it, as the capture page
    quotes it): one the archive does not hold is an error at its line."""
    text = _with_archive(root).replace("kind: 民生实事\n", "kind: 民生实事\nsummary: 今年办好十件民生实事。\n", 1)
    p = only_error(run(root, text), Code.NOT_VERBATIM)
    assert (p.path, p.line) == ("summary", line_of(text, "summary:"))


def test_a_list_without_an_archive_is_not_checked_for_verbatim_text(root):
    edited = base().replace("新增托位3300个，占年计划的55%。", "新增托位3800个，占年计划的55%。", 1)
    assert run(root, edited).errors == []


def test_a_comparator_the_text_states_but_the_data_lacks_is_a_warning(root):
    text = base().replace("        comparator: at_least\n", "", 1).replace("text: 新增托位3300个，占年计划的55%。", "text: 新增托位3300个，占年计划的55%。", 1)
    text = text.replace("                value: 3300\n                unit: 个\n                percent: 55\n", "                value: 3300\n                unit: 个\n                percent: 55\n                text: 新增托位约3300个\n", 1)
    ds = run(root, text)
    found = sorted((p.path, p.message) for p in ds.warnings if p.code == Code.COMPARATOR_MISMATCH)
    assert [path for path, _ in found] == ["items[0].subitems[0].progress[0].measures[0].comparator", "items[0].targets[0].comparator"]
    assert "“约” for 3,300 but has no comparator; write comparator: about" in found[0][1]
    assert "“以上” for 6,000 but has no comparator; write comparator: at_least" in found[1][1]


@pytest.mark.parametrize(
    "words, value, expected",
    [
        ("新增停车泊位2万个以上", 20000, ("以上", "at_least")),
        ("30余万份", 300000, ("余", "at_least")),
        ("约519万平方米", 5190000, ("约", "about")),
        ("不少于3万人", 30000, ("不少于", "at_least")),
        ("控制在5%以内", 5, ("控制在", "at_most")),
        ("65岁以上老年人签约率达到75%", 75, None),  # 以上 qualifies the age, not the 75 %
        ("全市80%的二级以上公立综合医院开设精神(心理)门诊", 80, None),
        ("新增3岁以下婴幼儿托位1680个", 1680, None),
    ],
)
def test_the_comparator_is_read_next_to_the_quantity_it_qualifies(words, value, expected):
    from generator.data.checks import stated_comparator

    found = stated_comparator(words, value)
    assert (found[0], found[1].value) == expected if expected else found is None


@pytest.mark.parametrize(
    "written, fixed",
    [
        ("具体包括:", 'text: "具体包括:"'),
        ("具体包括: 一是托育", 'text: "具体包括: 一是托育"'),
        ('"北京路"和上海路', 'text: "\\"北京路\\"和上海路"'),
    ],
)
def test_a_colon_or_quote_in_plain_text_gets_the_line_fixed_in_the_message(root, written, fixed):
    text = base().replace("    text: 新增托位6000个以上，改造老旧小区200个。", f"    text: {written}", 1)
    p = only_error(run(root, text), Code.YAML_SYNTAX, "put the whole text in double quotes")
    assert p.line == line_of(text, f"text: {written}") and fixed in p.message


def test_unknown_topics_list_every_known_topic(root):
    text = base().replace("topics: [tuoyu, laojiu-xiaoqu]", "topics: [qqqqqq, laojiu-xiaoqu]", 1)
    p = only_error(run(root, text), Code.UNKNOWN_REFERENCE, "unknown topic `qqqqqq`")
    topics = (root / "data/topics.yml").read_text(encoding="utf-8")
    assert all(t in p.message for t in re.findall(r"^  - id: (\S+)", topics, re.M)) and "…" not in p.message


def test_schema_errors_do_not_hide_the_checks_across_entries(root):
    """Ten planted mistakes of three layers: one run lists them all, and an entry left out for
    its own error causes no second error where it is referred to."""
    text = (
        base()
        .replace("    kind: half_year\n", "    kind: halfyear\n", 1)  # schema: report 2024-h1 is left out …
        .replace("topics: [tuoyu, laojiu-xiaoqu]", "topics: [tuoyou, laojiu-xiaoqu]", 1)  # reference
        .replace("        value: 6000\n", "        value: 6千\n", 1)  # schema (a target)
        .replace("    source: q3\n", "    source: q4\n", 1)  # reference
        .replace('id: "1-2"', 'id: "1-1"', 1)  # duplicate id
    )
    ds = run(root, text)
    found = {(p.path, p.code) for p in ds.errors}
    assert ("reports[0].kind", Code.NOT_ALLOWED) in found
    assert ("items[0].targets[0].value", Code.WRONG_TYPE) in found
    assert ("items[0].topics[0]", Code.UNKNOWN_REFERENCE) in found
    assert ("reports[1].source", Code.UNKNOWN_REFERENCE) in found
    assert ("items[0].subitems[1].id", Code.DUPLICATE_ID) in found
    assert not [p for p in ds.errors if "unknown report `2024-h1`" in p.message], "… and its progress entries are not reported again"


def test_a_recorded_status_the_rule_would_not_give_is_a_warning(root):
    """1-1 reports 55 % at 30 June (pace 49.6 %) without the city's words: on_track, not behind."""
    text = base().replace("          - report: 2024-h1\n            status: on_track\n", "          - report: 2024-h1\n            status: behind\n", 1)
    ds = run(root, text)
    assert [(p.path, p.line) for p in ds.warnings if p.code == Code.STATUS_DISAGREES] == [("items[0].subitems[0].progress[0].status", line_of(text, "status: behind"))]
    assert "write status: on_track" in ds.warnings[0].message


@pytest.mark.parametrize("percent, warned", [(56, False), (57, True)])
def test_the_percent_tolerance_holds_at_its_bound(root, percent, warned):
    """3300 of 6000 is 55 %: a reported 56 % is within max(1, 2 % of 56) points, 57 % is not."""
    ds = run(root, base().replace("percent: 55", f"percent: {percent}", 1))
    assert any(p.code == Code.PERCENT_MISMATCH for p in ds.warnings) is warned


def test_a_tiny_target_leaves_no_infinite_number_in_the_downloads(root):
    import json

    from generator.exports import downloads

    text = base().replace("        value: 6000\n", "        value: 1e-300\n").replace("value: 3300", "value: 1e10", 1).replace("                percent: 55\n", "")
    ds = run(root, text)
    for name, data in downloads.export_files(ds, "https://example.org/").items():
        if name.endswith(".json"):
            json.loads(data, parse_constant=lambda c, name=name: pytest.fail(f"{name} holds {c}"))
