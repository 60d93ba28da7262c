"""The real data: loads cleanly (which includes the verbatim check), is complete (counts per dataset).

"Verbatim" is checked against the archived source captures in sources/captures/: every
official text in data/ must occur in its capture once whitespace is removed and both are
NFKC-normalised (so only whitespace and full/half-width punctuation may differ).
Traditional-character captures are converted with the same OpenCC t2s as the data.
"""

from __future__ import annotations

import json

import pytest

from generator import derive
from generator.core import model
from generator.data import verbatim
from generator.data.dataset import walk_items


def test_all_data_loads_without_errors_or_warnings(ds):
    """The validator also checks that every official text is verbatim in its archived source."""
    assert ds.errors == [] and ds.warnings == [], "\n".join(map(str, ds.problems))


EXPECTED = {
    # (city, year): (top-level items, all items incl. sub-items, leaf items with lead units)
    ("qingdao", 2024): {"top": 15, "sub": 33},
    ("qingdao", 2021): {"top": 10, "sub": 32},
    ("zibo", 2022): {"top": 113, "sub": 0},
    ("yichang", 2024): {"top": 70, "sub": 0},
    ("qixia", 2024): {"top": 30, "sub": 0},
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_counts_per_dataset(ds, key):
    pl = ds.lists[key].data
    subs = sum(len(i.subitems) for i in pl.items)
    assert (len(pl.items), subs) == (EXPECTED[key]["top"], EXPECTED[key]["sub"])
    ids = [i.id for i in pl.items]
    assert ids == [str(n) for n in range(1, len(ids) + 1)], "top-level ids follow the source numbering"


def test_qingdao_2024_items_without_subitems(ds):
    pl = ds.lists[("qingdao", 2024)].data
    assert sum(1 for i in pl.items if not i.subitems) == 3
    assert pl.alternatives, "the 备选事项 named in the source are recorded"


def test_qingdao_2021_numbering_runs_1_to_32_across_items(ds):
    pl = ds.lists[("qingdao", 2021)].data
    numbers = [int(s.id.split("-")[1]) for i in pl.items for s in i.subitems]
    assert numbers == list(range(1, 33))
    assert all(len(s.progress) == 1 for i in pl.items for s in i.subitems)
    (report,) = pl.reports
    assert report.counts == {"已实现年度目标": 5, "超额完成上半年计划任务": 19}


def test_zibo_structure(ds):
    pl = ds.lists[("zibo", 2022)].data
    tops = [s for s in pl.sections if s.parent is None]
    groups = [s for s in pl.sections if s.parent is not None]
    # The issue said 33 groups; the source numbers (一)…(三十四) without a gap: 34.
    assert (len(tops), len(groups)) == (5, 34)
    assert all(i.lead for i in pl.items)
    assert (pl.period.start.year, pl.period.end.year) == (2022, 2024)


def test_yichang_structure(ds):
    pl = ds.lists[("yichang", 2024)].data
    assert len(pl.sections) == 10
    assert all(i.lead for i in pl.items)
    assert str(pl.deadline) == "2024-11-30"
    assert pl.sources[0].document_number == "宜府办发〔2024〕21号"


def test_qixia_statuses_match_the_notice(ds):
    pl = ds.lists[("qixia", 2024)].data
    texts = [i.progress[0].status_text for i in pl.items]
    assert texts.count("已完成") == 6
    assert set(texts) <= {"已完成", "已完成二季度任务", "未完成二季度任务"}
    mapping = {"已完成": "done", "已完成二季度任务": "on_track", "未完成二季度任务": "behind"}
    assert all(i.progress[0].status.value == mapping[i.progress[0].status_text] for i in pl.items)
    assert pl.sources[0].script == model.Script.traditional_converted
    assert ds.cities["qixia"].parent == "烟台市"


# --- verbatim (the check itself: generator/data/checks.py, tests/test_validate.py) ------------------


@pytest.mark.parametrize("key", list(EXPECTED))
def test_every_list_cites_an_archived_capture_so_its_text_is_checked_verbatim(ds, key):
    pl = ds.lists[key].data
    assert any(s.archive for s in pl.sources)
    assert len(list(verbatim.official_texts(pl, list(walk_items(pl.items))))) > len(pl.items)


def test_round_trip_json_equals_model(ds):
    for key, lf in ds.lists.items():
        again = model.PledgeList.model_validate_json(lf.data.model_dump_json())
        assert again == lf.data, key
        assert json.loads(lf.data.model_dump_json())["items"], key


def test_status_counts_cover_every_leaf(ds):
    for lf in ds.lists.values():
        counts = derive.status_counts(lf.data)
        assert sum(counts.values()) == len(derive.leaves(lf.data.items))
