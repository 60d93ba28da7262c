"""Sub-items add up (issue 24, point 4): a parent shows its sub-items counted by status — how
many done, behind, not reported — on its item page, in list tables and in the downloads, never
a bare "—". One rule (derive.rollup) that every view reads."""

from __future__ import annotations

import csv
import io
import json

import lxml.html

from generator import derive
from generator.core.model import walk_items
from generator.exports import downloads
from generator.site import pages, wording


def parents(ds):
    for key, lf in sorted(ds.lists.items()):
        for item, _, _ in walk_items(lf.data.items):
            if item.subitems:
                yield key, lf, item


def test_the_counts_add_up_to_the_sub_items(ds):
    seen = 0
    for _, lf, item in parents(ds):
        r = derive.rollup(item, lf.data)
        assert r is not None and r.total == len(item.subitems) == sum(r.by_status.values())
        kids = [derive.latest(c, lf.data, item).status for c in item.subitems]
        assert r.done == kids.count("done") and r.behind == kids.count("behind") and r.not_reported == kids.count("none")
        assert r.in_progress + r.done + r.behind + r.not_reported <= r.total
        seen += 1
    assert seen > 10
    leaf = next(i for _, lf, p in parents(ds) for i in p.subitems if not i.subitems)
    assert derive.rollup(leaf, next(iter(ds.lists.values())).data) is None


def test_the_phrases_say_every_status_and_add_up():
    r = derive.Rollup(5, {"done": 2, "on_track": 1, "behind": 1, "none": 1}, 3, None)
    assert wording.rollup_phrase(r) == "5个分项中，已完成2项，按计划推进1项，滞后1项，暂无进展报告1项"
    assert wording.rollup_short(r) == "已完成 2/5 · 推进中 1 · 滞后 1 · 未报告 1"
    assert wording.rollup_short(derive.Rollup(2, {"cancelled": 2}, 0, None)) == "已完成 0/2 · 其他 2"


def test_parents_show_their_roll_up_on_item_pages_and_in_tables_never_a_bare_dash(ds):
    site = pages.Site(ds, site_url="https://example.org/")
    checked = 0
    for key in sorted(ds.lists):
        made = {p.src: p.content for p in site.list_pages(key)}
        lf = ds.lists[key]
        table = lxml.html.fromstring("<div>" + made[f"{key[0]}/{key[1]}/index.md"].split("---", 2)[2] + "</div>")
        for row in table.xpath("//tr[contains(@class, 'ml-ptable__row--parent')]"):
            cell = row.xpath("./td[contains(@class, 'ml-ptable__percent')]")[0]
            assert cell.text_content().strip() != "—", lxml.html.tostring(row, encoding="unicode")[:300]
            assert cell.xpath(".//span[@class='ml-rollup']")
        for _, _, item in [p for p in parents(ds) if p[0] == key]:
            r = derive.rollup(item, lf.data)
            page = made[f"{key[0]}/{key[1]}/{item.id}.md"]
            assert f"分项汇总（本站统计）：{wording.rollup_phrase(r)}" in page
            assert f">{wording.rollup_short(r)}</span>" in made[f"{key[0]}/{key[1]}/index.md"]
            checked += 1
    assert checked > 10


def test_the_downloads_carry_the_same_counts(ds):
    for _, lf, item in parents(ds):
        r = derive.rollup(item, lf.data)
        doc = json.loads(downloads.list_json(ds, lf, "https://example.org/"))
        got = doc["derived"][item.id]["subitems"]
        assert (got["total"], got["done"], got["behind"], got["not_reported"]) == (r.total, r.done, r.behind, r.not_reported)
        assert got["by_status"] == r.by_status
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(downloads.list_csv(ds, lf, "https://example.org/").decode("utf-8-sig")))}
        assert rows[item.id]["subitems_total"] == str(r.total) and rows[item.id]["subitems_not_reported"] == str(r.not_reported)
        child = item.subitems[0]
        assert rows[child.id]["subitems_total"] == "" and doc["derived"][child.id]["subitems"] is None
        break
