"""Permanent URLs: a published id cannot vanish without a redirect, and redirects work.

- the check itself (`generator.published.check_published`) on the mini fixture;
- the same check through `python -m generator validate` against a real git history;
- a build of a renamed city and a renamed item, followed in chromium.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build_site, copy_data_root, serve_folder
from generator.data import published
from generator.data.dataset import load_dataset

MINI = FIXTURES / "mini"


def _mini_ds():
    ds = load_dataset(MINI)
    assert ds.errors == []
    return ds


def _pub(ref="HEAD", cities=("ceshi",), lists=None) -> published.PublishedIds:
    return published.PublishedIds(ref, set(cities), dict(lists or {}))


def _ids(ds, key=("ceshi", 2024)):
    from generator.data.dataset import walk_items

    return {item.id for item, _, _ in walk_items(ds.lists[key].data.items)}


# --- the check -----------------------------------------------------------------------


def test_nothing_removed_is_fine():
    ds = _mini_ds()
    assert published.check_published(ds, [_pub(lists={("ceshi", 2024): _ids(ds)})]) == []


def test_removed_item_is_an_error_with_file_line_and_fix():
    ds = _mini_ds()
    problems = published.check_published(ds, [_pub("origin/main", lists={("ceshi", 2024): _ids(ds) | {"7-7"}})])
    assert len(problems) == 1
    p = problems[0]
    assert p.file == "data/ceshi/2024.yml"
    assert p.line > 1  # the `items:` line of the file
    assert "`7-7` is published (origin/main) at /ceshi/2024/7-7/" in p.message
    assert "redirect_from" in p.message and "removed_ids" in p.message


@pytest.mark.parametrize(
    "edit",
    [
        ('    label: 第一件\n', '    label: 第一件\n    redirect_from: ["7"]\n'),
        ("items:\n", 'removed_ids: ["7"]\nitems:\n'),
    ],
    ids=["redirect_from", "removed_ids"],
)
def test_redirect_from_or_removed_ids_account_for_an_old_id(tmp_path, edit):
    root = copy_data_root(tmp_path, MINI)
    year_file = root / "data/ceshi/2024.yml"
    year_file.write_text(year_file.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    ds = load_dataset(root)
    assert ds.errors == []
    assert published.check_published(ds, [_pub(lists={("ceshi", 2024): {"7"}})]) == []


def test_removed_city_and_removed_list_are_errors():
    ds = _mini_ds()
    problems = published.check_published(ds, [_pub(cities=("ceshi", "gone"), lists={("ceshi", 2023): {"1"}, ("gone", 2024): {"1"}})])
    messages = sorted(p.message for p in problems)
    assert len(problems) == 2, messages
    assert any("city `gone` is published" in m for m in messages)
    assert any(p.file == "data/ceshi/2023.yml" and "the file is gone" in p.message for p in problems)


def test_renamed_city_is_checked_under_its_new_slug():
    ds = _mini_ds()
    ds.cities["ceshi"].redirect_from.append("oldname")
    ok = _pub(cities=("oldname",), lists={("oldname", 2024): _ids(ds)})
    assert published.check_published(ds, [ok]) == []
    lost = _pub(cities=("oldname",), lists={("oldname", 2024): _ids(ds) | {"9"}})
    (p,) = published.check_published(ds, [lost])
    assert "`9` is published" in p.message


def test_redirect_map_covers_items_and_renamed_cities():
    ds = _mini_ds()
    ds.lists[("ceshi", 2024)].data.items[0].redirect_from.append("7")
    ds.cities["ceshi"].redirect_from.append("oldname")
    first = ds.lists[("ceshi", 2024)].data.items[0].id
    mapping = published.redirect_map(ds)
    assert mapping["ceshi/2024/7.md"] == f"ceshi/2024/{first}.md"
    assert mapping["oldname/index.md"] == "ceshi/index.md"
    assert mapping["oldname/2024/index.md"] == "ceshi/2024/index.md"
    assert mapping["oldname/2024/7.md"] == f"ceshi/2024/{first}.md"
    assert all(new[:-3].replace("/index", "") != old[:-3].replace("/index", "") for old, new in mapping.items())


# --- through git and the command line ------------------------------------------------


def _git(repo: Path, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _validate(repo: Path, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(repo), "validate", *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_validate_refuses_removing_a_committed_id(tmp_path):
    repo = copy_data_root(tmp_path, MINI)
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "add", "data")
    _git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-q", "-m", "data")
    year_file = repo / "data" / "ceshi" / "2024.yml"
    text = year_file.read_text(encoding="utf-8")
    assert 'id: "1-1"' in text
    year_file.write_text(text.replace('id: "1-1"', 'id: "1-9"'), encoding="utf-8")

    result = _validate(repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "item `1-1` is published (HEAD) at /ceshi/2024/1-1/ and is gone" in result.stderr
    assert re.search(r"^data/ceshi/2024\.yml:\d+:1: items: ", result.stderr, re.M)

    indent = re.search(r'^(\s*)- id: "1-9"', year_file.read_text(encoding="utf-8"), re.M).group(1)
    year_file.write_text(
        year_file.read_text(encoding="utf-8").replace('- id: "1-9"', f'- id: "1-9"\n{indent}  redirect_from: ["1-1"]'),
        encoding="utf-8",
    )
    result = _validate(repo)
    assert result.returncode == 0, result.stdout + result.stderr

    assert _validate(repo, "--since", "no-such-branch").returncode == 2
    assert _validate(repo, "--no-published-check", "--since", "no-such-branch").returncode == 0


def test_the_build_itself_refuses_a_published_id_that_vanished(tmp_path):
    """`mkdocs build` checks the published ids too, whatever ran before it (a file can change
    between `make validate` and the build): it stops, naming the item, and writes nothing."""
    repo = copy_data_root(tmp_path, MINI)
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "add", "data")
    _git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-q", "-m", "data")
    year_file = repo / "data" / "ceshi" / "2024.yml"
    year_file.write_text(year_file.read_text(encoding="utf-8").replace('id: "1-1"', 'id: "1-9"'), encoding="utf-8")
    out = tmp_path / "site"
    result = build_site(out, repo)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log[-3000:]
    assert "item `1-1` is published (HEAD) at /ceshi/2024/1-1/ and is gone" in log, log[-3000:]
    assert "nothing was built" in log and not (out / "ceshi").exists()
    assert "Traceback" not in log


def test_published_ids_are_read_from_git_in_one_batch_and_reused(tmp_path):
    """Unchanged files are not parsed again (their git blob id is the working tree's); the
    others come from one `git cat-file --batch`, whatever their path."""
    repo = copy_data_root(tmp_path, MINI)
    _git(repo, "init", "-q")
    (repo / "data" / "ceshi" / "2023.yml").write_bytes((repo / "data" / "ceshi" / "2024.yml").read_bytes().replace(b"year: 2024", b"year: 2023"))
    _git(repo, "add", "data")
    _git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-q", "-m", "data")
    raw = (repo / "data" / "ceshi" / "2024.yml").read_bytes()
    hashed = subprocess.run(["git", "-C", str(repo), "hash-object", "data/ceshi/2024.yml"], capture_output=True, text=True, check=True)
    assert published.blob_id(raw) == hashed.stdout.strip()

    ids = {"1", "1-1", "1-2", "1-3", "1-4", "1-5", "2"}
    known = {published.blob_id(raw): {"from", "the", "working tree"}}
    pub = published.published_at(repo, "HEAD", known)
    assert pub.lists[("ceshi", 2024)] == {"from", "the", "working tree"}  # not parsed again
    assert pub.lists[("ceshi", 2023)] == ids  # read from git, then remembered
    assert len(known) == 2 and published.published_at(repo, "HEAD").lists == {("ceshi", 2024): ids, ("ceshi", 2023): ids}


# --- redirects in the built site, followed by a browser -----------------------------


def _rename(root: Path) -> Path:
    """ceshi → ceshishi (city slug) and 1-1 → 1-9 (item id), both declared as redirects;
    item 9 declared removed."""
    old_dir, new_dir = root / "data" / "ceshi", root / "data" / "ceshishi"
    old_dir.rename(new_dir)
    city = (new_dir / "city.yml").read_text(encoding="utf-8").replace("slug: ceshi\n", "slug: ceshishi\nredirect_from: [ceshi]\n")
    (new_dir / "city.yml").write_text(city, encoding="utf-8")
    year = (new_dir / "2024.yml").read_text(encoding="utf-8").replace("city: ceshi\n", "city: ceshishi\n")
    indent = re.search(r'^(\s*)- id: "1-1"', year, re.M).group(1)
    year = year.replace('- id: "1-1"', f'- id: "1-9"\n{indent}  redirect_from: ["1-1"]')
    year += 'removed_ids: ["9"]\n'  # published once, removed on purpose: its URL says so
    (new_dir / "2024.yml").write_text(year, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory):
    root = _rename(copy_data_root(tmp_path_factory.mktemp("renamed"), MINI))
    assert load_dataset(root).errors == []
    out = root / "site"
    result = build_site(out, root)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_redirect_pages_are_written(renamed_site):
    for old in ["ceshi/index.html", "ceshi/2024/index.html", "ceshi/2024/1-1/index.html", "ceshishi/2024/1-1/index.html"]:
        html = (renamed_site / old).read_text(encoding="utf-8")
        assert 'http-equiv="refresh"' in html, old
    assert "1-9/" in (renamed_site / "ceshishi/2024/1-1/index.html").read_text(encoding="utf-8")
    assert (renamed_site / "ceshishi/2024/1-9/index.html").exists()


def test_a_removed_item_keeps_a_page_that_says_so(renamed_site):
    html = (renamed_site / "ceshishi/2024/9/index.html").read_text(encoding="utf-8")
    assert "已删除的事项：编号 9" in html
    assert 'href="../"' in html  # back to the list
    assert "/9/" not in "".join(p.read_text(encoding="utf-8") for p in (renamed_site / "search/data/d").glob("*.json"))


def test_removed_and_redirected_at_once_is_an_error(tmp_path):
    root = copy_data_root(tmp_path, MINI)
    year_file = root / "data" / "ceshi" / "2024.yml"
    text = year_file.read_text(encoding="utf-8")
    indent = re.search(r'^(\s*)- id: "1-1"', text, re.M).group(1)
    text = text.replace('- id: "1-1"', f'- id: "1-1"\n{indent}  redirect_from: ["1-8"]') + 'removed_ids: ["1-8"]\n'
    year_file.write_text(text, encoding="utf-8")
    (p,) = load_dataset(root).errors
    assert p.path == "removed_ids[0]" and "also redirected" in p.message


@pytest.mark.browser
def test_old_urls_land_on_the_new_pages_with_their_anchor(renamed_site, browser):
    with serve_folder(renamed_site) as base:
        context = browser.new_context()
        page = context.new_page()
        try:
            cases = {
                "ceshi/2024/1-1/#cite": "ceshishi/2024/1-9/#cite",
                "ceshishi/2024/1-1/": "ceshishi/2024/1-9/",
                "ceshi/2024/": "ceshishi/2024/",
                "ceshi/": "ceshishi/",
            }
            for old, new in cases.items():
                page.goto(base + old)
                page.wait_for_url(base + new, timeout=10_000)
                assert page.locator("h1").count() == 1, old
            page.goto(base + "ceshi/2024/1-1/")
            page.wait_for_url(base + "ceshishi/2024/1-9/")
            assert "新增托位" in page.locator("h1").inner_text()
        finally:
            context.close()
