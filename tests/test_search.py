"""Site search (generator/site/searchindex.py, theme_overrides/assets/search.js).

The index here and the query in the browser must cut text the same way: the browser tests
compare what the real search page finds with a ground truth computed here, independently,
by substring match over each item's own texts. Benchmarks (recall and precision at scale,
latency, bytes) are `make bench-search`, not tests.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, all_items, copy_data_root
from generator import derive
from generator.core import urls
from generator.core.model import walk_items
from generator.core.problems import Code
from generator.data.dataset import load_dataset
from generator.site import searchindex

# --- ground truth, written apart from searchindex.py --------------------------------------


def flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def item_texts(item, parent, topic_names=()) -> list[str]:
    """What an item page shows of the item's own words (title, pledge, explanation, targets,
    lead units, progress) and the names of its topics, each normalised."""
    texts = [item.title or "", item.text, item.goal or "", item.explanation or ""]
    texts += [t.text for t in item.targets] + list(item.lead or (parent.lead if parent else []))
    for p in item.progress:
        texts += [p.status_text or "", p.text or ""] + [m.text or "" for m in p.measures]
    return [flat(t) for t in [*texts, *topic_names] if t]


def truth(ds, *terms, city=None, year=None) -> set:
    """Item page URLs whose texts contain every term (each term in one text)."""
    found = set()
    for (slug, y), lf in ds.lists.items():
        if (city and slug != city) or (year and y != year):
            continue
        for item, _, parent in walk_items(lf.data.items):
            texts = item_texts(item, parent, [ds.topics[t].name for t in item.topics])
            if all(any(flat(t) in text for text in texts) for t in terms):
                found.add(urls.item(slug, y, item.id))
    return found


def sampled_queries(ds, n: int = 24) -> list[str]:
    """Words of 2–6 characters cut from item pledges at random (fixed seed): no hand-picking."""
    rng = random.Random(14)
    texts = [i.text for _, _, i in all_items(ds)]
    out: list[str] = []
    while len(out) < n:
        text = rng.choice(texts)
        size = rng.randint(2, 6)
        if len(text) <= size:
            continue
        start = rng.randrange(len(text) - size)
        word = text[start : start + size]
        if re.fullmatch(r"[\u4e00-\u9fff]+", word) and not any(w in word for w in ds.synonyms) and word not in out:
            out.append(word)
    return out


# --- the index, without a browser ------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=10**7), max_size=50))
def test_postings_code_round_trips(numbers):
    numbers = sorted(set(numbers))
    assert searchindex.unvlq(searchindex.vlq(numbers)) == numbers


def test_grams_never_span_two_texts_and_ignore_width_case_and_spaces():
    g = searchindex.grams(["停车 泊位", "ＨＰＶ"])
    assert {"停车", "车泊", "泊位", "hp", "pv", "停"} <= g
    assert "位h" not in g and "位" in g


def test_every_substring_of_every_item_text_finds_its_page(ds):
    """The property search.js relies on: all pairs of a word found in a page are in its postings."""
    files = searchindex.build(ds, derive.build_date([lf.data for lf in ds.lists.values()]))
    meta = json.loads(files[urls.search_meta()])
    shards = [json.loads(files[urls.search_shard(i)]) for i in range(meta["shards"])]
    pages = {json.loads(files[urls.search_doc(n)])["u"]: n for n in range(meta["docs"])}
    rng = random.Random(7)
    for city, year, item in all_items(ds):
        text = flat(item.text)
        start = rng.randrange(max(len(text) - 4, 1))
        word = text[start : start + 4]
        doc = pages[urls.item(city, year, item.id)]
        pairs = {word[i : i + 2] for i in range(len(word) - 1)} or {word}
        for pair in pairs:
            postings = searchindex.unvlq(shards[searchindex.fnv1a(pair) % meta["shards"]].get(pair, ""))
            assert doc in {n >> 2 for n in postings}, f"{city}/{year}/{item.id}: {pair!r} of {word!r} not indexed"


def test_verify_catches_a_truncated_or_missing_file(tmp_path, ds):
    files = searchindex.build(ds, derive.build_date([lf.data for lf in ds.lists.values()]))
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    assert searchindex.verify(tmp_path) == len(files) - 1  # all but the manifest itself
    shard = tmp_path / urls.search_shard(0)
    shard.write_bytes(shard.read_bytes()[:-3])
    with pytest.raises(searchindex.IndexBroken, match="g/0.json"):
        searchindex.verify(tmp_path)
    shard.unlink()
    with pytest.raises(searchindex.IndexBroken, match="missing"):
        searchindex.verify(tmp_path)
    # a preview checks the files it wrote (it left the others alone, checked when written)
    shard.write_bytes(files[urls.search_shard(0)])
    last = urls.search_doc(json.loads(files[urls.search_meta()])["docs"] - 1)
    (tmp_path / last).write_bytes(files[last][:-3])
    assert searchindex.verify(tmp_path, written={urls.search_doc(0)}) == 1
    with pytest.raises(searchindex.IndexBroken, match=last):
        searchindex.verify(tmp_path, written={urls.search_doc(0), last})


def test_a_broken_index_fails_the_build(tmp_path, monkeypatch, caplog):
    """As if a write were cut short: the build stops with the file named (make site then keeps
    the previous site/, tests/test_build.py)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    real = searchindex.build

    def cut_short(*args, **kwargs):
        files = real(*args, **kwargs)
        name = urls.search_shard(0)
        files[name] = files[name][: len(files[name]) // 2]
        return files

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(searchindex, "build", cut_short)
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with pytest.raises(Abort):
        build(config)
    assert re.search(r"search index .* is broken: .*g/0\.json: \d+ bytes written, \d+ expected", caplog.text), caplog.text


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("synonyms:\n  - words: [吃饭]\n    means: [助餐]\n  - words: [吃饭]\n    means: [食堂]\n", Code.DUPLICATE_ID, "synonyms[1].words[0]"),
        ("synonyms:\n  - words: [助餐]\n    means: [助餐, 食堂]\n", Code.INVALID_VALUE, "synonyms[0].words[0]"),
        ("synonyms:\n  - words: [吃饭]\n    mean: [助餐]\n", Code.FIELD_UNKNOWN, "synonyms[0].mean"),
        ("synonyms:\n  - words: 吃饭\n    means: [助餐]\n", Code.WRONG_TYPE, "synonyms[0].words"),
        ("synonyms:\n  - words: []\n    means: [助餐]\n", None, "synonyms[0].words"),
    ],
)
def test_synonyms_file_is_validated_like_the_data(tmp_path, text, code, where):
    root = copy_data_root(tmp_path)
    (root / "data" / "synonyms.yml").write_text(text, encoding="utf-8")
    problems = [p for p in load_dataset(root, cache=False).errors if p.file == "data/synonyms.yml"]
    hits = [p for p in problems if p.path == where and (code is None or p.code == code)]
    assert hits, problems
    assert hits[0].line > 1, "the error must point at the line"


# --- the search page in a real browser ----------------------------------------------------


def search(page, base: str, query: str, **filters) -> None:
    page.goto(base + urls.search() + "?" + "&".join(f"{k}={v}" for k, v in {"q": query, **filters}.items()))
    wait_done(page, query)


def wait_done(page, query: str) -> None:
    page.wait_for_function(
        "q => { const r = document.querySelector('#ml-search-results'); return r.dataset.state === 'done' && r.dataset.query === q; }",
        arg=query,
        timeout=15_000,
    )


def everything(page, query: str) -> list[str]:
    """The full ranked result list of the engine the box uses, as site paths."""
    return [urlsplit(u).path.lstrip("/") for u in page.evaluate("q => window.mlSearch.all(q)", query)]


def shown(page) -> list[dict]:
    return page.eval_on_selector_all(
        "li.ml-result",
        "els => els.map(li => ({url: li.querySelector('a').href, title: li.querySelector('a').innerText, meta: li.querySelector('.ml-result__meta').innerText, text: li.innerText}))",
    )


def item_urls(paths) -> set:
    return {p for p in paths if p.count("/") == 3}


@pytest.mark.browser
def test_sampled_words_find_every_item_that_contains_them_and_nothing_else(page, site_server, ds):
    queries = sampled_queries(ds)
    page.goto(site_server + urls.search())
    misses = []
    for q in queries:
        expected = truth(ds, q)
        found = item_urls(everything(page, q))
        if expected - found or found - expected:
            misses.append(f"{q}: missing {sorted(expected - found)[:5]}, extra {sorted(found - expected)[:5]}")
    assert not misses, "\n".join(misses)


@pytest.mark.browser
@pytest.mark.parametrize("query", ["电梯", "地铁", "加装电梯", "老旧小区", "口袋公园", "停车泊位", "托位"])
def test_compound_words_first_results_contain_the_whole_word(page, site_server, ds, query):
    search(page, site_server, query)
    results = shown(page)
    assert item_urls(everything(page, query)) == truth(ds, query)
    assert results, query
    for r in results:
        assert flat(query) in flat(r["text"]), f"{query}: a shown result does not contain it: {r['title']}"
    titled = [i for _, _, i in all_items(ds) if i.title and query in i.title]
    if titled:  # a match in the title ranks first
        assert query in results[0]["title"] or results[0]["meta"].startswith("专题"), results[0]


@pytest.mark.browser
def test_several_terms_are_all_required_and_a_city_or_year_narrows(page, site_server, ds):
    page.goto(site_server + urls.search())
    for query, city, year, words in [("停车 青岛", "qingdao", None, ["停车"]), ("2024 托育", None, 2024, ["托育"]), ("养老 服务", None, None, ["养老", "服务"])]:
        expected = truth(ds, *words, city=city, year=year)
        assert expected, query
        found = everything(page, query)
        assert item_urls(found) == expected, query
        if city:
            assert all(p.startswith(city + "/") for p in found if p.count("/") == 3)


@pytest.mark.browser
def test_traditional_characters_find_simplified_text(page, site_server):
    page.goto(site_server + urls.search())
    assert everything(page, "停車泊位") == everything(page, "停车泊位") != []
    assert everything(page, "老舊小區") == everything(page, "老旧小区") != []


@pytest.mark.browser
def test_synonyms_find_the_official_words(page, site_server, ds):
    assert not truth(ds, "吃饭") >= truth(ds, "助餐"), "the test needs a word the data does not use"
    page.goto(site_server + urls.search())
    found = item_urls(everything(page, "吃饭"))
    assert truth(ds, "助餐") <= found
    search(page, site_server, "老年人吃饭")
    first = shown(page)[:5]
    assert first and all("助餐" in r["text"] or "食堂" in r["text"] for r in first), first


@pytest.mark.browser
def test_zero_results_say_so_and_suggest(page, site_server):
    search(page, site_server, "量子计算机托儿")
    assert page.locator("#ml-search-results").get_attribute("data-total") == "0"
    assert "没有找到" in page.locator("#ml-search-status").inner_text()
    suggest = page.locator("#ml-search-suggest")
    assert suggest.is_visible() and suggest.locator("a, button").count() > 0, suggest.inner_text()
    assert page.locator("#ml-search-more").is_hidden()


@pytest.mark.browser
def test_filters_narrow_by_city_year_and_status_and_stay_in_the_address(page, site_server, ds):
    search(page, site_server, "就业")
    total = int(page.locator("#ml-search-results").get_attribute("data-total"))
    city = ds.cities["qingdao"].name
    page.select_option("#ml-filter-city", city)
    wait_done(page, "就业")
    results = shown(page)
    assert results and all(city in r["meta"] for r in results)
    assert int(page.locator("#ml-search-results").get_attribute("data-total")) < total
    assert parse_qs(urlsplit(page.url).query)["city"] == [city]
    page.select_option("#ml-filter-city", "")
    page.select_option("#ml-filter-year", "2022")
    wait_done(page, "就业")
    assert all("2022年" in r["meta"] for r in shown(page))
    # a word of an item the data says is done: the status filter keeps only done items
    done = next(i for (slug, y), lf in sorted(ds.lists.items()) for i, _, p in walk_items(lf.data.items) if derive.latest(i, lf.data, p).status == "done")
    word = re.search(r"[\u4e00-\u9fff]{2}", done.text).group()
    search(page, site_server, word, status="done")
    results = shown(page)
    assert results and all("已完成" in r["text"] for r in results)
    assert page.locator("#ml-filter-status").input_value() == "done", "the address keeps the filter"


@pytest.mark.browser
def test_input_method_composition_searches_when_it_ends(page, site_server):
    page.goto(site_server + urls.search())
    page.wait_for_function("() => window.mlSearch")
    box = page.locator("#ml-search-input")
    box.focus()
    page.evaluate(
        """() => { const box = document.querySelector('#ml-search-input');
        box.dispatchEvent(new CompositionEvent('compositionstart'));
        box.value = 'tuo';
        box.dispatchEvent(new InputEvent('input', {isComposing: true, data: 'tuo'})); }"""
    )
    page.wait_for_timeout(300)
    assert page.locator("#ml-search-results").get_attribute("data-query") != "tuo", "searched while the IME was composing"
    page.evaluate(
        """() => { const box = document.querySelector('#ml-search-input');
        box.value = '托育';
        box.dispatchEvent(new CompositionEvent('compositionend', {data: '托育'})); }"""
    )
    wait_done(page, "托育")
    assert shown(page)


@pytest.mark.browser
def test_header_box_and_keyboard_reach_the_results(page, site_server):
    page.goto(site_server)
    page.locator(".ml-hsearch__input").fill("托位")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    wait_done(page, "托位")
    assert shown(page)
    assert page.locator("#ml-search-input").input_value() == "托位"
    for _ in range(12):  # Tab from the box reaches the first result link
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('ml-result__link')"):
            break
    else:
        pytest.fail("the results cannot be reached with Tab")


@pytest.mark.browser
def test_a_topic_or_city_name_puts_its_page_first_and_items_before_other_pages(page, site_server, ds):
    topic = next(t for t in ds.topics.values() if truth(ds, t.name))
    search(page, site_server, topic.name)
    assert shown(page)[0]["url"].endswith(urls.topic(topic.id))
    search(page, site_server, "停车泊位")
    kinds = ["item" if urlsplit(r["url"]).path.count("/") == 4 else "other" for r in shown(page)]
    assert kinds == sorted(kinds, key=lambda k: k != "item"), kinds


@pytest.mark.browser
def test_a_status_word_narrows_to_that_status_and_synonyms_are_named(page, site_server, ds):
    behind = {urls.item(slug, y, i.id) for (slug, y), lf in ds.lists.items() for i, _, p in walk_items(lf.data.items) if derive.latest(i, lf.data, p).status == "behind"}
    assert behind, "the test needs an item behind its pace"
    page.goto(site_server + urls.search())
    assert set(everything(page, "滞后")) == behind
    search(page, site_server, "老年人吃饭")
    assert "也搜索了同义的说法：助餐、食堂" in page.locator("#ml-search-status").inner_text()


@pytest.mark.browser
def test_a_word_containing_a_synonym_never_asks_for_a_single_leftover_character(page, site_server, ds):
    """停车位 is listed itself (→ 停车泊位, 泊位, 停车场); 车位 inside it must not add 停 alone."""
    page.goto(site_server + urls.search())
    found = item_urls(everything(page, "停车位"))
    assert found == truth(ds, "停车位") | truth(ds, "停车泊位") | truth(ds, "泊位") | truth(ds, "停车场")


@pytest.mark.browser
def test_filter_counts_follow_the_other_filters(page, site_server, ds):
    search(page, site_server, "服务")
    city = ds.cities["qixia"].name
    page.select_option("#ml-filter-city", city)
    wait_done(page, "服务")
    options = page.eval_on_selector_all("#ml-filter-status option", "os => os.map(o => [o.value, o.textContent])")
    for value, label in options:
        if not value:
            continue
        n = int(re.search(r"（(\d+)）$", label).group(1))
        page.select_option("#ml-filter-status", value)
        wait_done(page, "服务")
        total = int(page.locator("#ml-search-results").get_attribute("data-total"))
        assert total <= n, f"{label}: {total} results after choosing it"
        if n == 0:
            assert total == 0
    page.select_option("#ml-filter-status", "")
