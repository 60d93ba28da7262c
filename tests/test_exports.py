"""Download files (generator/exports/downloads.py) and Atom feeds (generator/site/feeds.py).

Checked on the small fixture (tests/fixtures/mini) and on the real data: JSON round-trips to
the model, CSV shape and header (= the columns documented on the format page and explained
on the data page), one JSON per
item, structurally valid Atom 1.0 (RFC 4287), and byte-identical output from two builds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURES, ROOT, copy_data_root, load_clean
from generator import derive
from generator.core import model, urls
from generator.data import schema
from generator.data.dataset import walk_items
from generator.exports import downloads
from generator.site import feeds, pages
from generator.site.pages import markup, sources

SITE = "https://example.org/ledger/"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
MINI = FIXTURES / "mini"


@pytest.fixture(scope="module", params=["mini", "real"])
def ds(request):
    return load_clean(MINI if request.param == "mini" else ROOT)


@pytest.fixture(scope="module")
def files(ds):
    return downloads.export_files(ds, SITE)


@pytest.fixture(scope="module")
def atom(ds):
    return feeds.feed_files(ds, SITE)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _documented_columns() -> list[str]:
    text = (ROOT / "content" / "about" / "format.md").read_text(encoding="utf-8")
    section = text.split("#### CSV 各列", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)


# --- JSON -----------------------------------------------------------------------------


def test_list_json_round_trips_to_the_model(ds, files):
    for (city, year), lf in ds.lists.items():
        doc = json.loads(files[f"data/{city}/{year}.json"])
        assert model.PledgeList.model_validate(doc["list"]) == lf.data
        assert doc["generated_from"] == f"data/{city}/{year}.yml" == lf.path
        assert model.City.model_validate(doc["city"]) == ds.cities[city]
        ids = [item.id for item, _, _ in walk_items(lf.data.items)]
        assert list(doc["derived"]) == ids
        for item, _, parent in walk_items(lf.data.items):
            d = doc["derived"][item.id]
            assert set(d) == {"status", "status_label", "status_basis", "status_reason", "percent", "expected_pace", "as_of", "stale", "stale_reason", "deadline", "deadline_inferred", "lead", "subitems", "investment", "url"}
            lt = derive.latest(item, lf.data, parent)
            assert d["status"] == lt.status and d["status_label"] == derive.STATUS_LABELS[lt.status]
            assert (d["status_basis"], d["status_reason"]) == (lt.basis, lt.reason)
            fresh = derive.freshness(item, lf.data, parent, lt, derive.newest_data_date(x.data for x in ds.lists.values()))
            assert (d["stale"], d["stale_reason"]) == (fresh.stale, fresh.label if fresh.stale else None)
            assert d["percent"] == lt.percent and d["expected_pace"] == lt.pace
            assert d["url"] == f"{SITE}{city}/{year}/{item.id}/"


def test_per_item_json_exists_for_every_item(ds, files):
    for (city, year), lf in ds.lists.items():
        for item, _, parent in walk_items(lf.data.items):
            path = f"data/{city}/{year}/{item.id}.json"
            assert path in files, path
            doc = json.loads(files[path])
            assert model.Item.model_validate(doc["item"]) == item
            assert (doc["city"], doc["year"], doc["id"]) == (city, year, item.id)
            assert doc["parent_id"] == (parent.id if parent else None)
            assert doc["url"] == f"{SITE}{city}/{year}/{item.id}/"
            assert model.Source.model_validate(doc["source"]).id == lf.data.source
            assert set(doc["derived"]) == {x.id for x, _, _ in walk_items([item])}
            used = {p.report for x, _, _ in walk_items([item]) for p in x.progress}
            assert {r["id"] for r in doc["reports"]} == used
            for r in doc["reports"]:
                model.Report.model_validate(r)
                assert r["source"] in {s["id"] for s in doc["report_sources"]}
    n_items = sum(len(list(walk_items(lf.data.items))) for lf in ds.lists.values())
    assert len([p for p in files if re.fullmatch(r"data/[^/]+/\d{4}/[^/]+\.json", p)]) == n_items


def test_all_json_is_the_full_dataset(ds, files):
    doc = json.loads(files["data/all.json"])
    assert [model.City.model_validate(c) for c in doc["cities"]] == [ds.cities[s] for s in sorted(ds.cities)]
    assert model.TopicsFile.model_validate({"topics": doc["topics"]}).topics == list(ds.topics.values())
    assert [model.PledgeList.model_validate(x) for x in doc["lists"]] == [ds.lists[k].data for k in sorted(ds.lists)]


def test_schema_files_are_the_generated_schemas(files):
    for name in schema.SCHEMAS:
        data = files[f"data/schema/{name}"]
        assert data.decode("utf-8") == schema.render(name)
        assert json.loads(data)["$id"] == name


def test_json_is_utf8_without_escapes_or_bom(files):
    for path, data in files.items():
        if path.endswith(".json"):
            assert not data.startswith(b"\xef\xbb\xbf"), path
            assert b"\\u" not in data or path.startswith("data/schema/"), path
            json.loads(data.decode("utf-8"))


# --- CSV ------------------------------------------------------------------------------


def test_csv_columns_are_the_documented_ones():
    assert _documented_columns() == downloads.CSV_COLUMNS


def test_csv_shape(ds, files):
    for (city, year), lf in ds.lists.items():
        data = files[f"data/{city}/{year}.csv"]
        assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM"
        assert b"\r\n" in data and data.endswith(b"\r\n")
        rows = _rows(data)
        assert rows[0] == downloads.CSV_COLUMNS == _documented_columns()
        flat = list(walk_items(lf.data.items))
        assert len(rows) - 1 == len(flat)
        for row, (item, _, parent) in zip(rows[1:], flat, strict=True):
            assert len(row) == len(downloads.CSV_COLUMNS)
            rec = dict(zip(rows[0], row, strict=True))
            assert (rec["city"], rec["year"], rec["id"]) == (city, str(year), item.id)
            assert rec["parent_id"] == (parent.id if parent else "")
            assert rec["text"] == item.text
            assert rec["lead"] == "、".join(derive.item_lead(item, parent))
            assert rec["topics"].split(";") == (item.topics or [""])
            assert rec["url"] == f"{SITE}{city}/{year}/{item.id}/"
            assert rec["progress_count"] == str(len(item.progress))
            lt = derive.latest(item, lf.data, parent)
            assert rec["latest_status"] == lt.status
            assert rec["latest_status_label"] == derive.STATUS_LABELS[lt.status]
            assert rec["latest_as_of"] == (lt.report.as_of.isoformat() if lt.report else "")
            assert rec["latest_status_basis"] == lt.basis and rec["stale"] in ("yes", "no")
            if lt.percent is not None:
                assert float(rec["latest_percent"]) == lt.percent
            assert rec["deadline"] == derive.item_deadline(item, lf.data, parent).isoformat()
            dt.date.fromisoformat(rec["source_date"])


def test_every_download_gives_a_sub_item_its_parents_lead_units_and_deadline(tmp_path):
    """One fact sheet per item (derive.item_facts): the list CSV, the item JSON, the list
    JSON's derived figures and the items table agree on what the item page shows."""
    root = copy_data_root(tmp_path, MINI)
    path = root / "data" / "ceshi" / "2024.yml"
    text = path.read_text(encoding="utf-8").replace("        lead: [市民政局]\n", "", 1)
    text = text.replace("    title: 托位与老旧小区\n", "    title: 托位与老旧小区\n    lead: [市政府办公室]\n    deadline: 2024-09-30\n", 1)
    path.write_text(text, encoding="utf-8")
    files = downloads.export_files(load_clean(root), SITE)
    csv_rec = {r[3]: dict(zip(_rows(files["data/ceshi/2024.csv"])[0], r, strict=True)) for r in _rows(files["data/ceshi/2024.csv"])[1:]}
    assert (csv_rec["1-5"]["lead"], csv_rec["1-5"]["deadline"]) == ("市政府办公室", "2024-09-30")
    assert csv_rec["1-4"]["lead"] == "市人社局"  # its own stays
    derived = json.loads(files["data/ceshi/2024.json"])["derived"]["1-5"]
    assert (derived["lead"], derived["deadline"]) == (["市政府办公室"], "2024-09-30")
    assert json.loads(files["data/ceshi/2024/1-5.json"])["derived"]["1-5"]["lead"] == ["市政府办公室"]
    table = _rows(files[urls.package_file(urls.package_table_name("items"))])
    row = next(dict(zip(table[0], r, strict=True)) for r in table[1:] if r[table[0].index("id")] == "1-5")
    assert (row["lead"], row["deadline"]) == ("市政府办公室", "2024-09-30")


def test_csv_values_on_the_fixture():
    ds = load_clean(MINI)
    rows = _rows(downloads.export_files(ds, "https://example.org")["data/ceshi/2024.csv"])
    rec = {r[3]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert rec["1"]["targets"] == "新增托位≥6000个"
    assert rec["1"]["section"] == "（一）幼有善育"
    assert rec["1-2"]["section"] == "（一）幼有善育"  # inherited from the parent
    assert rec["1-2"]["latest_status_text"] == "未完成二季度任务"
    assert rec["1-2"]["latest_percent"] == "20"
    assert rec["1-1"]["latest_percent"] == "55"
    assert rec["2"]["lead"] == "市城管局、市发改委"
    assert rec["2"]["topics"] == "gongyuan;chongdianzhuang"
    assert rec["2"]["latest_status"] == "none" and rec["2"]["latest_report"] == ""
    assert rec["1-1"]["url"] == "https://example.org/ceshi/2024/1-1/"
    # 1-1 has no status words: 55% at q3 is 19.8 points below pace, so the site's assessment is 滞后
    assert (rec["1-1"]["latest_status"], rec["1-1"]["latest_status_basis"]) == ("behind", "assessed")
    assert "低19.8个百分点" in rec["1-1"]["latest_status_reason"]
    assert (rec["1-2"]["latest_status_basis"], rec["1-2"]["latest_status_reason"]) == ("official", "")


def test_target_text():
    T = model.Target
    assert downloads.target_text(T(text="x", metric="道路", value=2.5, unit="公里", comparator="about")) == "道路约2.5公里"
    assert downloads.target_text(T(text="x", metric="公园", value=2, value_max=3, unit="处", comparator="range")) == "公园2–3处"
    assert downloads.target_text(T(text="x", metric="时限", value=30, unit="天", comparator="at_most")) == "时限≤30天"
    assert downloads.target_text(T(text="x", metric="地铁开通", qualitative=True)) == "地铁开通（定性）"


# --- Atom -----------------------------------------------------------------------------


def _parse(data: bytes) -> ET.Element:
    assert data.startswith(b"<?xml")
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    return root


def _check_feed(root: ET.Element, self_href: str) -> list[ET.Element]:
    """RFC 4287 structure: required elements, cardinality, dates, unique ids, order."""
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
        assert (root.find(f"{ATOM}{name}").text or "").strip(), name
    assert RFC3339.match(root.find(f"{ATOM}updated").text)
    feed_authors = root.findall(f"{ATOM}author")
    assert feed_authors and feed_authors[0].find(f"{ATOM}name").text == "民生实事台账"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
    links = {ln.get("rel", "alternate"): ln.get("href") for ln in root.findall(f"{ATOM}link")}
    assert links["self"] == self_href and links["alternate"].startswith(SITE)
    entries = root.findall(f"{ATOM}entry")
    ids = []
    stamps = []
    for e in entries:
        for name in ("id", "title", "updated"):
            assert len(e.findall(f"{ATOM}{name}")) == 1, name
            assert (e.find(f"{ATOM}{name}").text or "").strip(), name
        assert re.match(r"^(tag|https?):", e.find(f"{ATOM}id").text)  # an absolute IRI
        stamp = e.find(f"{ATOM}updated").text
        assert RFC3339.match(stamp)
        alternates = [ln for ln in e.findall(f"{ATOM}link") if ln.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href").startswith(SITE)
        content = e.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html" and content.text
        ids.append(e.find(f"{ATOM}id").text)
        stamps.append(dt.datetime.fromisoformat(stamp))
    assert len(ids) == len(set(ids)), "duplicate entry ids"
    assert stamps == sorted(stamps, reverse=True), "entries must be newest first"
    if stamps:
        assert dt.datetime.fromisoformat(root.find(f"{ATOM}updated").text) == stamps[0]
    return entries


def test_feeds_are_valid_atom(ds, atom):
    cities = sorted(set(ds.cities) | {c for c, _ in ds.lists})
    per_list = [f"feeds/{c}/{y}.atom" for c, y in ds.lists]
    per_item = [f"feeds/{c}/{y}/{i.id}.atom" for (c, y), lf in ds.lists.items() for i, _, _ in walk_items(lf.data.items)]
    assert sorted(atom) == sorted(["feeds/all.atom"] + [f"feeds/{c}.atom" for c in cities] + per_list + per_item)
    all_entries = _check_feed(_parse(atom["feeds/all.atom"]), f"{SITE}feeds/all.atom")
    n_reports = sum(len(lf.data.reports) for lf in ds.lists.values())
    assert len(all_entries) == len(ds.lists) + n_reports
    per_city = []
    for c in cities:
        per_city += [e.find(f"{ATOM}id").text for e in _check_feed(_parse(atom[f"feeds/{c}.atom"]), f"{SITE}feeds/{c}.atom")]
    assert sorted(per_city) == sorted(e.find(f"{ATOM}id").text for e in all_entries)


def test_feed_entries_match_the_data(ds, atom):
    entries = {e.find(f"{ATOM}id").text: e for e in _parse(atom["feeds/all.atom"]).findall(f"{ATOM}entry")}
    for (city, year), lf in ds.lists.items():
        pl = lf.data
        page = f"{SITE}{city}/{year}/"
        e = entries[f"tag:{urls.TAG_AUTHORITY}:{city}/{year}"]
        assert e.find(f"{ATOM}updated").text.startswith(feeds.list_date(pl).isoformat())
        assert e.find(f"{ATOM}title").text == f"{ds.cities[city].short_name} {year} {pl.kind}：{len(pl.items)} 项"
        assert e.find(f"{ATOM}link").get("href") == page
        for r in pl.reports:
            e = entries[f"tag:{urls.TAG_AUTHORITY}:{city}/{year}/report/{r.id}"]
            assert e.find(f"{ATOM}updated").text.startswith(r.published.isoformat())
            assert e.find(f"{ATOM}link").get("href") == f"{page}changes/#{r.id}"  # what this report changed
            content = e.find(f"{ATOM}content").text
            linked = set(re.findall(r'href="([^"]+)"', content))
            judged = [(item, derive.judge(item, p, pl, parent).status) for item, _, parent in walk_items(pl.items) for p in item.progress if p.report == r.id]
            news = [(item, status) for item, status in judged if status in ("behind", "done")]
            expected = {f"{SITE}{city}/{year}/{item.id}/#progress-{r.id}" for item, _ in news}
            rc = next(rc for rc in derive.changes(pl) if rc.report.id == r.id)  # and whose status changed
            expected |= {f"{SITE}{city}/{year}/{c.item.id}/#progress-{r.id}" for c in rc.changed if c.status_changed}
            capped = any(sum(1 for _, s in news if s == status) > feeds.MAX_ITEMS_PER_STATUS for status in ("behind", "done"))
            assert linked <= expected if capped else linked == expected


def test_report_entry_lists_behind_and_done_items_on_the_fixture():
    ds = load_clean(MINI)
    root = _parse(feeds.feed_files(ds, "https://example.org")["feeds/ceshi.atom"])
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["测试 2024 民生实事 · 前三季度进展情况", "测试 2024 民生实事 · 上半年进展情况", "测试 2024 民生实事：2 项"]
    content = entries[1].find(f"{ATOM}content").text
    assert "https://example.org/ceshi/2024/1-2/#progress-2024-h1" in content  # behind
    assert "1-1/" not in content  # on_track: not news
    assert "未完成二季度任务" in content
    assert "https://example.org/ceshi/2024/1-5/#progress-2024-q3" in entries[0].find(f"{ATOM}content").text  # done
    assert root.find(f"{ATOM}updated").text == "2024-10-20T00:00:00+08:00"


def test_list_without_published_date_uses_its_source_date(tmp_path):
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    path = root / "data" / "ceshi" / "2024.yml"
    text = path.read_text(encoding="utf-8")
    assert "published: 2024-02-01\n" in text
    path.write_text(text.replace("published: 2024-02-01\n", "", 1).replace("    date: 2024-02-01\n", "    date: 2024-01-28\n", 1), encoding="utf-8")
    ds = load_clean(root)
    assert ds.lists[("ceshi", 2024)].data.published is None
    root_el = _parse(feeds.feed_files(ds, SITE)["feeds/all.atom"])
    e = next(e for e in root_el.findall(f"{ATOM}entry") if e.find(f"{ATOM}id").text.endswith(":ceshi/2024"))
    assert e.find(f"{ATOM}updated").text == "2024-01-28T00:00:00+08:00"


# --- determinism ----------------------------------------------------------------------


@pytest.mark.parametrize("which", ["mini", "real"])
def test_output_is_deterministic(which):
    root = MINI if which == "mini" else ROOT
    a, b = load_clean(root), load_clean(root)
    assert downloads.export_files(a, SITE) == downloads.export_files(b, SITE)
    assert feeds.feed_files(a, SITE) == feeds.feed_files(b, SITE)
    assert list(downloads.export_files(a, SITE)) == list(downloads.export_files(b, SITE))


def test_site_url_with_or_without_trailing_slash():
    ds = load_clean(MINI)
    assert downloads.export_files(ds, "https://example.org/ledger") == downloads.export_files(ds, "https://example.org/ledger/")
    assert feeds.feed_files(ds, "https://example.org/ledger") == feeds.feed_files(ds, "https://example.org/ledger/")


def test_format_page_documents_every_file():
    text = (ROOT / "content" / "about" / "format.md").read_text(encoding="utf-8")
    section = text.split("## 下载文件 {#downloads}", 1)[1]
    for path in ("/data/<城市>/<年份>.csv", "/data/<城市>/<年份>.json", "/data/<城市>/<年份>/<编号>.json", "/data/all.json", "/feeds/all.atom", "/feeds/<城市>.atom"):
        assert f"`{path}`" in section, path
    for path in (urls.package_zip(), urls.database(), urls.package_descriptor()):
        assert f"`/{path}`" in section, path
    for name in schema.SCHEMAS:
        assert f"`/data/schema/{name}`" in section
    assert "BOM" in section and "CRLF" in section


def test_data_page_offers_every_list_and_the_whole_dataset_with_sizes():
    """The data page is generated: a link to each file the build writes, with that file's size."""
    ds = load_clean(ROOT)
    files = downloads.export_files(ds, SITE)
    md = sources.data_page(pages.Site(ds, site_url=SITE, downloads=files)).content
    links = dict(re.findall(r'href="([^"]+)" download>(.*?)</a>', md))
    expected = [urls.package_zip(), urls.database(), urls.all_json()]
    expected += [u for city, year in sorted(ds.lists) for u in (urls.list_csv(city, year), urls.list_json(city, year))]
    for path in expected:
        rel = urls.relative(urls.data_page(), path)
        assert rel in links, path
        assert markup.file_size(len(files[path])) in links[rel], (path, links[rel])
    assert "KB" in links[urls.relative(urls.data_page(), urls.package_zip())]
    assert not re.search(r"\bBOM\b|CRLF|\bOurs\b", md), "the developer spec belongs on the format page"


def test_data_page_explains_every_csv_column_with_a_real_example():
    ds = load_clean(ROOT)
    md = sources.data_page(pages.Site(ds, site_url=SITE)).content
    guide = md.split("{#columns}", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"<tr><td><code>([a-z_]+)</code></td><td>(.+?)</td><td>(.*?)</td></tr>", guide)
    assert [r[0] for r in rows] == downloads.CSV_COLUMNS
    assert all(re.sub(r"<[^>]+>", "", meaning).strip() for _, meaning, _ in rows)
    examples = {name: re.sub(r"</?code>", "", example) for name, _, example in rows}
    assert examples["city_name"] in {c.name for c in ds.cities.values()}
    assert examples["url"].startswith("https://example.org/ledger/")


@pytest.mark.parametrize("size, shown", [(0, "0 字节"), (1023, "1023 字节"), (1024, "1.0 KB"), (71329, "69.7 KB"), (3 * 1024 * 1024, "3.0 MB")])
def test_file_sizes_read_as_readers_expect(size, shown):
    assert markup.file_size(size) == shown
