"""The search benchmark's own logic (benchmarks/bench_search.py): the queries it samples, the
ground truth it judges them by, and the figures it reports. The browser part is exercised by
running `make bench-search`, not here."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from opencc import OpenCC

from benchmarks import bench_search as bs
from benchmarks.synthetic import write_dataset
from generator.core import urls

N_ITEMS = 120


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """(pages, cities) of a small synthetic dataset, read back from its YAML."""
    root = tmp_path_factory.mktemp("bench-search") / "root"
    written = write_dataset(root, N_ITEMS)
    pages, cities = bs.load_pages(root)
    assert len(pages) == written.items == N_ITEMS
    return pages, cities


@pytest.fixture(scope="module")
def queries(data):
    pages, cities = data
    return bs.sample_queries(pages, cities, seed=bs.SEED)


CITIES = {"qingdao": bs.City("qingdao", "青岛市", "青岛"), "qixia": bs.City("qixia", "栖霞市", "栖霞")}


def page(url, city="qingdao", year=2024, text=""):
    return bs.ItemPage(url, city, year, bs.normalise(text), (text,))


# --- the data ---------------------------------------------------------------------------------


def test_normalise_folds_width_and_case_and_drops_every_space():
    assert bs.normalise("ＡＢＣ 托育\u3000服务\n２０２４") == "abc托育服务2024"


def test_an_item_page_text_is_its_own_texts_with_city_and_year_not_its_subitems():
    item = {
        "id": "6", "title": "停车泊位", "text": "新建停车泊位2万个以上", "explanation": "缓解停车难",
        "targets": [{"text": "泊位2万个"}], "lead": ["市住房城乡建设局"], "progress": [{"text": "截至6月底，已新建1.2万个"}],
        "subitems": [{"id": "6-1", "text": "加装电梯100部"}],
    }
    text = bs.page_text(item, "青岛市", 2024)
    for part in ("停车泊位", "新建停车泊位2万个以上", "缓解停车难", "泊位2万个", "市住房城乡建设局", "截至6月底,已新建1.2万个", "青岛市", "2024年"):
        assert bs.normalise(part) in text
    assert "加装电梯" not in text


def test_every_item_and_subitem_is_a_page_at_its_permanent_url(data):
    pages, cities = data
    page_urls = [p.url for p in pages]
    assert len(set(page_urls)) == len(page_urls)
    assert any("-" in u.split("/")[2] for u in page_urls), "sub-items are item pages too"
    first = pages[0]
    assert first.url == urls.item(first.city, first.year, first.url.split("/")[2])
    assert all(cities[p.city].name in p.text for p in pages)


# --- ground truth -------------------------------------------------------------------------------


def test_city_names_and_years_are_filters_and_everything_else_a_word():
    assert bs.parse_terms("青岛 停车", CITIES) == bs.Terms(("停车",), ("qingdao",))
    assert bs.parse_terms("青岛市 2024年 托育", CITIES) == bs.Terms(("托育",), ("qingdao",), (2024,))
    assert bs.parse_terms("２０２４ 托育", CITIES).years == (2024,)  # typed full width
    assert bs.parse_terms("3000 托育", CITIES) == bs.Terms(("3000", "托育"))  # not a year of the format
    assert bs.parse_terms("青岛港", CITIES) == bs.Terms(("青岛港",))  # a word containing a city name


def test_relevant_pages_contain_every_word_in_the_named_city_and_year():
    pages = [
        page("qingdao/2024/1/", text="加装电梯200部"),
        page("qingdao/2023/1/", year=2023, text="加装电梯100部，改造小区"),
        page("qixia/2024/1/", city="qixia", text="老旧小区加装电梯"),
        page("qingdao/2024/2/", text="新建停车泊位"),
    ]
    truth = lambda q: sorted(bs.relevant(bs.parse_terms(q, CITIES), pages))  # noqa: E731
    assert truth("加装电梯") == ["qingdao/2023/1/", "qingdao/2024/1/", "qixia/2024/1/"]
    assert truth("电梯 小区") == ["qingdao/2023/1/", "qixia/2024/1/"]
    assert truth("青岛 电梯") == ["qingdao/2023/1/", "qingdao/2024/1/"]
    assert truth("2024 电梯") == ["qingdao/2024/1/", "qixia/2024/1/"]
    assert truth("栖霞市 2024年 电梯") == ["qixia/2024/1/"]
    assert truth("电梯 停车") == []


# --- queries ------------------------------------------------------------------------------------


def test_the_same_data_and_seed_give_the_same_queries_and_another_seed_others(data, queries):
    pages, cities = data
    assert bs.sample_queries(pages, cities, seed=bs.SEED) == queries
    assert bs.sample_queries(list(reversed(pages)), cities, seed=bs.SEED) == queries  # not the order of reading
    assert bs.sample_queries(pages, cities, seed=bs.SEED + 1) != queries


def test_the_sample_has_every_kind_in_its_share_and_no_query_twice(queries):
    assert len(queries) >= 60
    assert Counter(q.kind for q in queries) == Counter(bs.QUERY_MIX)
    assert len({q.text for q in queries}) == len(queries)


def test_every_query_finds_the_page_it_was_drawn_from(data, queries):
    pages, cities = data
    for q in queries:
        assert q.origin in bs.relevant(bs.parse_terms(q.truth, cities), pages), q


def test_terms_are_two_to_eight_chinese_characters_and_filters_name_a_city_or_year(data, queries):
    _, cities = data
    names = {n for c in cities.values() for n in (c.name, c.short_name)}
    for q in queries:
        terms = q.truth.split()
        assert len(terms) == (1 if q.kind in ("word", "compound", "phrase", "traditional") else 2), q
        words = terms[1:] if q.kind in ("city", "year") else terms
        assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,8}", w) for w in words), q
        if q.kind == "city":
            assert terms[0] in names
        if q.kind == "year":
            assert re.fullmatch(r"20\d\d年?", terms[0])


def test_traditional_queries_are_typed_in_traditional_characters_and_judged_as_simplified(queries):
    s2t = OpenCC("s2t")
    traditional = [q for q in queries if q.kind == "traditional"]
    assert traditional
    for q in traditional:
        assert q.text != q.truth and q.text == s2t.convert(q.truth)
    assert all(q.text == q.truth for q in queries if q.kind != "traditional")


def test_every_second_query_of_a_kind_matches_few_pages(data, queries):
    pages, cities = data
    limit = max(1, int(bs.SPECIFIC_SHARE * len(pages)))
    specific = [q for q in queries if q.specific]
    assert len(specific) == sum(n // 2 for n in bs.QUERY_MIX.values())
    assert all(len(bs.relevant(bs.parse_terms(q.truth, cities), pages)) <= limit for q in specific)


def test_words_compounds_and_phrases_are_cut_from_the_text():
    tokens = ["老旧", "小区", "加装", "电梯", "200", "部", "，", "方便群众出行"]
    assert bs.words(tokens) == ["老旧", "小区", "加装", "电梯", "方便群众出行"]
    assert bs.compounds(tokens) == ["老旧小区", "小区加装", "加装电梯"]
    import random

    rng = random.Random(1)
    for _ in range(50):
        cut = bs.phrase("加装电梯200部，方便群众出行", rng)
        assert cut and 2 <= len(cut) <= 8 and (cut in "加装电梯" or cut in "方便群众出行")
    assert bs.phrase("200部", rng) is None


# --- figures ------------------------------------------------------------------------------------


def outcome(found, relevant, top_ok=(), latency=None, size=None, kind="word"):
    q = bs.Query("电梯", "电梯", kind, "qingdao/2024/1/")
    return bs.Outcome(q, frozenset(relevant), found=list(found), top=list(found)[: len(top_ok)], top_ok=list(top_ok), top_text_ok=list(top_ok), latency_ms=latency, bytes=size)


def test_recall_micro_pools_pages_and_macro_averages_queries():
    s = bs.summarise([outcome(["a", "b", "x"], ["a", "b", "c", "d"]), outcome(["e"], ["e"]), outcome([], [])])
    assert s["relevant"] == 5
    assert s["recall_micro"] == pytest.approx(3 / 5)
    assert s["recall_macro"] == pytest.approx((2 / 4 + 1) / 2)  # a query nothing is relevant to is not averaged
    assert s["queries_full_recall"] == 1


def test_precision_pools_the_shown_results_and_latency_and_bytes_are_summarised():
    outs = [outcome("abc", "a", (True, False, True), latency=t, size=b) for t, b in ((100, 900_000), (20, 10), (30, 30), (40, 20))]
    s = bs.summarise(outs)
    assert s["precision_at_10"] == pytest.approx(8 / 12)
    assert (s["latency_median_ms"], s["latency_p95_ms"], s["latency_max_ms"]) == (35, 100, 100)
    assert (s["bytes_first"], s["bytes_median"], s["bytes_max"]) == (900_000, 20, 900_000)  # the first query apart


def test_percentile_is_a_measured_value():
    assert bs.percentile(list(range(1, 101)), 95) == 95
    assert bs.percentile([5.0, 1.0, 3.0], 50) == 3.0
    assert bs.percentile([7.0], 95) == 7.0
    assert bs.percentile([], 95) is None


def test_a_wrong_item_page_counts_against_precision_even_when_its_page_shows_the_words():
    item_urls = {"qingdao/2024/6/", "qingdao/2024/6-1/"}
    top = ["qingdao/2024/6-1/", "qingdao/2024/6/", "topics/tingche/", "qingdao/2024/"]
    assert bs.top_ok(top, [True, True, True, False], frozenset({"qingdao/2024/6-1/"}), item_urls) == [True, False, True, False]


def test_result_links_become_site_paths():
    base = "http://127.0.0.1:8123/"
    search = base + "search/"
    assert bs.site_path("../qingdao/2024/6-3/", search, base) == "qingdao/2024/6-3/"
    assert bs.site_path("/qingdao/2024/6-3/index.html#progress", search, base) == "qingdao/2024/6-3/"
    assert bs.site_path("http://127.0.0.1:8123/qingdao/2024/6-3?q=1", search, base) == "qingdao/2024/6-3/"
    assert bs.site_path("qingdao/2024/6-3/", base, base) == "qingdao/2024/6-3/"  # site-relative (mlSearch.all)
    assert bs.site_path("/data/all.json", search, base) == "data/all.json"


def test_main_text_is_the_visible_article_only():
    html = (
        "<html><head><title>电梯</title><script>var 电梯 = 1;</script></head><body><nav>导航电梯</nav>"
        "<article class='md-content__inner'><span hidden>隐藏<b>电梯</b></span><p>新建 停车<br>泊位</p>"
        "<img alt='x'><style>p{}</style><p>Ｅnd</p></article><footer>页脚</footer></body></html>"
    )
    assert bs.main_text(html) == "新建停车泊位end"


def test_contains_all_needs_every_term():
    assert bs.contains_all("电梯 青岛", bs.normalise("青岛市 加装电梯"))
    assert not bs.contains_all("电梯 停车", bs.normalise("青岛市 加装电梯"))


def test_the_index_time_is_read_from_the_line_the_plugin_logs():
    source = (Path(bs.ROOT) / "generator" / "site" / "plugin.py").read_text(encoding="utf-8")
    [line] = re.findall(r'"(search: indexed [^"]*)"', source)
    assert bs._INDEX_LINE.search("INFO    -  " + line % (3112, 4.2)).groups() == ("3112", "4.2")


def test_failures_list_each_query_with_the_pages_it_missed_or_got_wrong():
    o = outcome(["a", "x"], ["a", "b", "c"], (True, False))
    o.top = ["a", "x"]
    [text] = bs.failures([o, outcome(["a"], ["a"], (True,))])
    assert "'电梯'" in text and "missing 2/3: b c" in text and "wrong in the first 10: x" in text


# --- the harness in Chromium, against a stand-in engine with known faults -----------------------

# A search page that follows the contract of issue #14's search page, over an index with known
# faults: it misses qixia/2024/1/, wrongly has 电梯 for qingdao/2024/2/, and knows no
# traditional characters. The index is fetched at the first search; results come 20 ms later.
FAKE_SEARCH = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>搜索</title></head><body><article>
<input id="ml-search-input"><ol id="ml-search-results" data-state="idle" data-query="" data-total="0"></ol></article>
<script>
let index = null;
window.mlSearch = {all: async q => {
  index = index || await (await fetch('../fake-index.json')).json();
  await new Promise(r => setTimeout(r, 20));
  const terms = q.split(/\\s+/).filter(Boolean);
  return index.filter(p => terms.every(t => p.text.includes(t))).map(p => p.url);
}, pages: async q => {
  const found = await mlSearch.all(q);
  return found.map(u => index.findIndex(p => p.url === u));
}};
const box = document.getElementById('ml-search-input'), out = document.getElementById('ml-search-results');
box.addEventListener('input', async () => {
  const q = box.value;
  if (!q) { out.dataset.state = 'idle'; out.dataset.query = ''; out.innerHTML = ''; return; }
  out.dataset.state = 'searching';
  const found = await mlSearch.all(q);
  if (box.value !== q) return;
  out.innerHTML = found.slice(0, 10).map(u => '<li class="ml-result"><a class="ml-result__link" href="../' + u + '">' + u + '</a></li>').join('');
  Object.assign(out.dataset, {total: found.length, query: q, state: 'done'});
});
</script></body></html>"""


@pytest.mark.browser
def test_the_harness_measures_a_search_page_that_follows_the_contract(tmp_path, browser):
    import json

    lift, parking, lift_2023, lift_qixia = (urls.item("qingdao", 2024, "1"), urls.item("qingdao", 2024, "2"), urls.item("qingdao", 2023, "1"), urls.item("qixia", 2024, "1"))
    topic = urls.topic("dianti")
    texts = {lift: "加装电梯200部", parking: "新建停车泊位", lift_2023: "电梯更新", lift_qixia: "老旧小区加装电梯", topic: "专题：电梯"}
    for url, text in texts.items():
        (tmp_path / url).mkdir(parents=True)
        (tmp_path / url / "index.html").write_text(f"<html><body><nav>导航</nav><article><h1>{text}</h1></article></body></html>", encoding="utf-8")
    (tmp_path / urls.search()).mkdir()
    (tmp_path / urls.search() / "index.html").write_text(FAKE_SEARCH, encoding="utf-8")
    index = [{"url": topic, "text": "电梯"}, {"url": lift, "text": "加装电梯"}, {"url": lift_2023, "text": "电梯"}, {"url": parking, "text": "停车电梯"}]
    (tmp_path / "fake-index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    for n, entry in enumerate(index):  # what recall="pages" reads back: page n's link
        (tmp_path / urls.search_doc(n)).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / urls.search_doc(n)).write_text(json.dumps({"u": entry["url"]}), encoding="utf-8")
    pages = [page(lift, text=texts[lift]), page(parking, text=texts[parking]), page(lift_2023, year=2023, text=texts[lift_2023]),
             page(lift_qixia, city="qixia", text=texts[lift_qixia])]
    queries = [bs.Query("电梯", "电梯", "word", lift), bs.Query("電梯", "电梯", "traditional", lift)]
    truth = {q.text: bs.relevant(bs.parse_terms(q.truth, CITIES), pages) for q in queries}

    (word, traditional), load_bytes = bs.measure(tmp_path, queries, truth, "fill", {p.url for p in pages}, browser=browser)

    assert word.error is None and word.found == [topic, lift, lift_2023, parking] and word.top == word.found
    assert (word.hits, word.missing, word.total) == (2, [lift_qixia], 4)
    assert word.top_ok == [True, True, True, False]  # the topic page shows 电梯; qingdao/2024/2/ does not
    assert word.top_text_ok == [True, True, True, False]
    assert word.latency_ms is not None and 15 <= word.latency_ms < 5000
    assert word.bytes == len((tmp_path / "fake-index.json").read_bytes())  # fetched at the first keystroke
    assert traditional.error is None and traditional.found == [] and traditional.recall == 0 and traditional.bytes == 0
    assert load_bytes >= len(FAKE_SEARCH.encode("utf-8"))
    s = bs.summarise([word, traditional])
    assert (s["recall_micro"], s["recall_macro"], s["precision_at_10"]) == (pytest.approx(2 / 6), pytest.approx(1 / 3), 0.75)

    [by_pages], _ = bs.measure(tmp_path, queries[:1], truth, "fill", {p.url for p in pages}, browser=browser, recall="pages")
    assert by_pages.found == word.found and by_pages.top == word.top


def test_recall_is_read_from_every_checked_result_up_to_3000_items_and_from_the_candidates_above():
    assert [bs.recall_mode("auto", n) for n in (300, 3000, 3001, 30000)] == ["all", "all", "pages", "pages"]
    assert bs.recall_mode("all", 30000) == "all" and bs.recall_mode("pages", 300) == "pages"


def test_page_numbers_become_links_through_the_index_files(tmp_path):
    import json

    for n, url in enumerate([urls.item("qingdao", 2024, "6"), urls.topic("tuoyu")]):
        (tmp_path / urls.search_doc(n)).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / urls.search_doc(n)).write_text(json.dumps({"u": url, "t": "x"}), encoding="utf-8")
    url_of = bs.doc_urls(tmp_path)
    assert [url_of(1), url_of(0)] == [urls.topic("tuoyu"), urls.item("qingdao", 2024, "6")]
