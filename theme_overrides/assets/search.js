/* Site search, in the reader's browser. generator/site/searchindex.py builds the index and explains
   it; this file cuts the query exactly as that file cut the pages (norm, grams, fnv1a, unvlq
   are the same functions), so a page that contains what was typed is always a candidate, and
   checks each candidate's own text before showing it, so pairs of characters that occur apart
   never make a result.

   Query: space-separated terms, all required; a term that is a city name (青岛, 青岛市), a
   year (2024, 2024年) or a status (滞后, 已完成) narrows to that city, year or status instead; traditional characters become
   simplified (OpenCC's table, in meta.json); a term listed in data/synonyms.yml also finds its
   official words. Ranking: the topic or city page a term names; then item pages with the terms
   in their title or pledge; then the other item pages; then list, city and topic pages; newer
   years first within each. The page keeps its address (?q=&city=&year=&status=) in step. */
(function () {
  "use strict";
  const root = document.getElementById("ml-search");
  if (!root) return;
  const PAGE = 10;
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const indexBase = new URL(root.getAttribute("data-index"), window.location.href);
  const siteRoot = new URL(root.getAttribute("data-root"), window.location.href);
  const input = document.getElementById("ml-search-input");
  const results = document.getElementById("ml-search-results");
  const statusLine = document.getElementById("ml-search-status");
  const suggest = document.getElementById("ml-search-suggest");
  const more = document.getElementById("ml-search-more");
  const selects = {
    city: document.getElementById("ml-filter-city"),
    year: document.getElementById("ml-filter-year"),
    status: document.getElementById("ml-filter-status"),
  };

  /* --- the same cut as searchindex.py ------------------------------------------------ */
  const norm = (s) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  function fnv1a(s) {
    let h = 0x811c9dc5;
    for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return h;
  }
  function unvlq(s) {
    const out = [];
    let value = 0, shift = 0, last = 0;
    for (let i = 0; i < s.length; i++) {
      const digit = B64.indexOf(s[i]);
      value += (digit & 31) * 2 ** shift;
      shift += 5;
      if (!(digit & 32)) { last += value; out.push(last); value = 0; shift = 0; }
    }
    return out;
  }
  function gramsOf(term) {
    const cs = Array.from(term);
    if (cs.length === 1) return cs;
    const out = new Set();
    for (let i = 0; i + 1 < cs.length; i++) out.add(cs[i] + cs[i + 1]);
    return Array.from(out);
  }

  /* --- loading ------------------------------------------------------------------------- */
  let meta = null;
  const files = new Map(); // path -> Promise of JSON
  function load(path) {
    if (!files.has(path)) {
      const url = new URL(path + (meta ? "?v=" + meta.v : ""), indexBase);
      files.set(path, fetch(url, meta ? {} : { cache: "no-cache" }).then((r) => {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.json();
      }).catch((err) => { files.delete(path); throw err; }));
    }
    return files.get(path);
  }
  const t2s = new Map();
  const cityNames = new Map(); // "青岛" and "青岛市" -> "青岛市"
  const synonyms = new Map(); // normalised word -> normalised official words
  const statusById = new Map();
  const statusByLetter = new Map();
  const statusByLabel = new Map(); // 滞后 -> behind
  let ready = null;
  function start() {
    if (!ready) {
      ready = load("meta.json").then((m) => {
        meta = m;
        const pairs = Array.from(m.t2s);
        for (let i = 0; i + 1 < pairs.length; i += 2) t2s.set(pairs[i], pairs[i + 1]);
        for (const [name, short] of m.cities) { cityNames.set(norm(name), name); cityNames.set(norm(short), name); }
        for (const [word, means] of Object.entries(m.synonyms)) synonyms.set(simplified(norm(word)), means.map((w) => simplified(norm(w))));
        for (const [letter, id, label, symbol] of m.statuses) {
          statusById.set(id, { letter, label, symbol });
          statusByLetter.set(letter, id);
          statusByLabel.set(norm(label), id);
        }
        fillFilters();
        return m;
      });
    }
    return ready;
  }
  const simplified = (s) => Array.from(s, (c) => t2s.get(c) || c).join("");

  /* --- what a page is: from meta, without fetching it -------------------------------- */
  function listOf(doc) { // binary search over [city, year, first, end]
    let lo = 0, hi = meta.lists.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, l = meta.lists[mid];
      if (doc < l[2]) hi = mid - 1; else if (doc >= l[3]) lo = mid + 1; else return l;
    }
    return null;
  }
  function facts(doc) {
    if (doc < meta.items) {
      const l = listOf(doc);
      return { kind: "item", city: l[0], year: l[1], status: statusByLetter.get(meta.status[doc]) };
    }
    const [kind, city, year] = meta.pages[doc - meta.items];
    return { kind: kind, city: city, year: year, status: "" };
  }

  /* --- the query ------------------------------------------------------------------------ */
  function parse(q) {
    const terms = [], cities = new Set(), years = new Set(), statuses = new Set();
    for (const raw of q.split(/\s+/)) {
      const t = simplified(norm(raw));
      if (!t) continue;
      const y = /^((?:19|20)\d\d)年?$/.exec(t);
      if (y) { years.add(+y[1]); continue; }
      if (cityNames.has(t)) { cities.add(cityNames.get(t)); continue; }
      if (statusByLabel.has(t)) { statuses.add(statusByLabel.get(t)); continue; }
      if (!terms.includes(t)) terms.push(t);
    }
    return { terms, cities, years, statuses };
  }
  /* What a term asks for: any of its options; an option is slots that must all be in the page,
     a slot any one of its words. 吃饭 → [[吃饭]] or [[助餐]] or [[食堂]] (data/synonyms.yml);
     a term that contains a listed word is split around it: 老年人吃饭 → [[老年人吃饭]] or
     [[老年人, 老年], [吃饭, 助餐, 食堂]] — unless the term is listed itself, or a piece left over
     would be a single character (停车位 ⊃ 车位 leaves 停: too loose to ask for on its own). */
  const same = (word) => [word].concat(synonyms.get(word) || []);
  function options(term) {
    const out = same(term).map((w) => [[w]]);
    if (synonyms.has(term)) return out;
    const inside = Array.from(synonyms.keys()).filter((w) => term.includes(w)).sort((a, b) => b.length - a.length)[0];
    if (inside) {
      const parts = [term.slice(0, term.indexOf(inside)), term.slice(term.indexOf(inside) + inside.length)].filter(Boolean);
      if (parts.every((p) => Array.from(p).length > 1)) out.push([parts[0], inside, parts[1]].filter(Boolean).map(same));
    }
    return out;
  }
  const wordsOf = (term) => Array.from(new Set(options(term).flat(2)));
  const decoded = new Map();
  async function postings(gram) {
    if (!decoded.has(gram)) {
      const shard = await load("g/" + (fnv1a(gram) % meta.shards) + ".json");
      decoded.set(gram, unvlq(shard[gram] || ""));
    }
    return decoded.get(gram);
  }
  async function pagesWith(word) { // Map page -> where: 2 every pair in its title, 1 in its pledge, else 0
    const lists = await Promise.all(gramsOf(word).map(postings));
    lists.sort((a, b) => a.length - b.length);
    let found = new Map();
    for (const v of lists[0]) found.set(Math.floor(v / 4), v % 4);
    for (const other of lists.slice(1)) {
      const next = new Map();
      for (const v of other) {
        const d = Math.floor(v / 4);
        if (found.has(d)) next.set(d, Math.min(found.get(d), v % 4));
      }
      found = next;
    }
    return found;
  }
  async function candidates(parsed) {
    let found = null; // Map page -> sum over the terms of where each is (2 title, 1 pledge, 0 elsewhere)
    for (const term of parsed.terms) {
      const union = new Map();
      for (const option of options(term)) {
        let both = null; // pages with every slot of the option
        for (const slot of option) {
          const any = new Map();
          for (const word of slot) for (const [d, where] of await pagesWith(word)) any.set(d, Math.max(any.get(d) || 0, where));
          if (both === null) both = any;
          else { const next = new Map(); for (const [d, where] of any) if (both.has(d)) next.set(d, Math.min(both.get(d), where)); both = next; }
        }
        for (const [d, where] of both) union.set(d, Math.max(union.get(d) || 0, where));
      }
      if (found === null) found = union;
      else {
        const next = new Map();
        for (const [d, first] of union) if (found.has(d)) next.set(d, found.get(d) + first);
        found = next;
      }
    }
    if (found === null) { // only a city or a year: every page of it
      found = new Map();
      for (let d = 0; d < meta.docs; d++) found.set(d, 0);
    }
    const named = new Set(parsed.terms.concat(Array.from(parsed.cities, norm)));
    const ranked = [];
    for (const [d, first] of found) {
      const f = facts(d);
      if (parsed.cities.size && !parsed.cities.has(f.city)) continue;
      if (parsed.years.size && !parsed.years.has(f.year)) continue;
      if (parsed.statuses.size && !parsed.statuses.has(f.status)) continue;
      let tier = f.kind === "item" ? 1 : 2;
      if (f.kind !== "item" && f.kind !== "list" && named.has(norm(meta.pages[d - meta.items][3]))) tier = 0;
      ranked.push({ d, tier, first, year: f.year || 0, facts: f });
    }
    ranked.sort((a, b) => a.tier - b.tier || b.first - a.first || b.year - a.year || a.d - b.d);
    return ranked;
  }

  /* --- checking a candidate against its own text ------------------------------------ */
  function contains(fragment, parsed) {
    const texts = fragment.f.map((t) => simplified(norm(t)));
    const has = (w) => texts.some((t) => t.includes(w));
    return parsed.terms.every((term) => options(term).some((option) => option.every((slot) => slot.some(has))));
  }
  async function confirmed(cands, parsed, from, count) { // the next `count` that pass, from cands[from]
    const out = [];
    let i = from;
    while (out.length < count && i < cands.length) {
      const batch = cands.slice(i, i + Math.min(Math.max(count - out.length, 4), 64));
      i += batch.length;
      const frags = await Promise.all(batch.map((c) => load("d/" + c.d + ".json")));
      batch.forEach((c, k) => { c.checked = true; c.ok = contains(frags[k], parsed); c.fragment = frags[k]; if (c.ok) out.push(c); });
    }
    return { shown: out, next: i };
  }

  /* --- showing results ----------------------------------------------------------------- */
  /* Where the words are in a text as written (the text is shown verbatim, never normalised):
     each character normalised on its own, with its position in the original kept. */
  function spans(text, words) {
    let flat = "";
    const from = [];
    Array.from(text).reduce((at, ch) => {
      for (const c of Array.from(simplified(norm(ch)))) { flat += c; from.push([at, at + ch.length]); }
      return at + ch.length;
    }, 0);
    const out = [];
    for (const w of words) {
      const n = Array.from(w).length;
      if (!n) continue;
      const chars = Array.from(flat);
      for (let i = 0; i + n <= chars.length; i++) {
        if (chars.slice(i, i + n).join("") === w) out.push([from[i][0], from[i + n - 1][1]]);
      }
    }
    out.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    return out.filter((s, i) => !out.slice(0, i).some((o) => o[1] > s[0])); // no overlaps
  }
  function marked(text, words, limit) { // text with <mark>s around the words, cut around the first one
    let found = spans(text, words);
    let shift = 0, prefix = "", suffix = "";
    if (limit && text.length > limit) {
      const first = found.length ? found[0][0] : 0;
      shift = Math.max(0, Math.min(first - 20, text.length - limit));
      prefix = shift > 0 ? "…" : "";
      suffix = shift + limit < text.length ? "…" : "";
      text = text.slice(shift, shift + limit);
      found = found.map(([a, b]) => [a - shift, b - shift]).filter(([a, b]) => a >= 0 && b <= text.length);
    }
    const frag = document.createDocumentFragment();
    let at = 0;
    frag.append(prefix);
    for (const [a, b] of found) {
      frag.append(text.slice(at, a));
      frag.append(el("mark", "", text.slice(a, b)));
      at = b;
    }
    frag.append(text.slice(at) + suffix);
    return frag;
  }
  function snippetField(fragment, words) {
    const texts = fragment.f.slice(1);
    const hit = texts.find((t) => words.some((w) => simplified(norm(t)).includes(w)));
    return hit || texts[0] || "";
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  const KINDS = { list: "实事清单", city: "城市", topic: "专题" };
  function resultItem(c, words) {
    const f = c.fragment;
    const li = el("li", "ml-result");
    const where = f.k === "item" ? [f.c, f.y + "年", f.l] : [KINDS[f.k], f.c, f.y ? f.y + "年" : ""];
    li.append(el("p", "ml-result__meta", where.filter(Boolean).join(" · ")));
    const a = el("a", "ml-result__link");
    a.href = new URL(f.u, siteRoot).href;
    a.append(marked(f.t, words, 0));
    li.append(a);
    if (f.k === "item") {
      const st = statusById.get(f.s);
      const line = el("p", "ml-result__status");
      const badge = el("span", "ml-badge ml-status--" + f.s);
      badge.append(el("span", "ml-badge__sym", st.symbol), " " + st.label);
      badge.firstChild.setAttribute("aria-hidden", "true");
      line.append(badge);
      if (f.a) line.append(el("span", "ml-muted", " 截至" + cnDate(f.a) + (f.x ? "，可能已过时" : "")));
      li.append(line);
    }
    const text = snippetField(f, words);
    if (text) {
      const p = el("p", "ml-result__snippet");
      p.append(marked(text, words, 90));
      li.append(p);
    }
    return li;
  }
  const cnDate = (iso) => { const [y, m, d] = iso.split("-"); return `${y}年${+m}月${+d}日`; };

  function fillFilters() {
    const add = (select, value, label) => { const o = el("option", "", label); o.value = value; select.append(o); };
    for (const name of Array.from(new Set(meta.lists.map((l) => l[0])))) add(selects.city, name, name);
    for (const year of Array.from(new Set(meta.lists.map((l) => l[1]))).sort((a, b) => b - a)) add(selects.year, String(year), year + "年");
    for (const [, id, label, symbol] of meta.statuses) add(selects.status, id, symbol + " " + label);
    const params = new URLSearchParams(window.location.search);
    for (const [key, select] of Object.entries(selects)) select.value = params.get(key) || "";
  }
  function filtered(cands, except) { // the candidates that pass every filter but `except`
    const keep = (key, c) => key === except || !selects[key].value || String(c.facts[key] || "") === selects[key].value;
    return cands.filter((c) => keep("city", c) && keep("year", c) && keep("status", c));
  }
  function showCounts(cands) { // how many results each choice would leave, with the other filters as they are
    for (const [key, select] of Object.entries(selects)) {
      const counts = new Map();
      for (const c of filtered(cands, key)) { const v = String(c.facts[key] || ""); counts.set(v, (counts.get(v) || 0) + 1); }
      for (const o of select.options) {
        if (!o.value) continue;
        o.textContent = o.textContent.replace(/（\d+）$/, "") + "（" + (counts.get(o.value) || 0) + "）";
      }
    }
  }
  function suggestions(q, parsed) {
    suggest.replaceChildren();
    // topics and listed words that share a pair of characters with the query (one shared
    // character says nothing: 量子计算 and 生态环境 share none of their pairs)
    const pairs = new Set(parsed.terms.flatMap((t) => gramsOf(t).filter((g) => Array.from(g).length === 2)));
    const shares = (w) => gramsOf(w).filter((g) => pairs.has(g)).length;
    const scored = meta.topics.map(([name, url, keywords]) => ({ name, url, score: Math.max(...[name].concat(keywords).map(shares)) }))
      .filter((t) => t.score > 0).sort((a, b) => b.score - a.score).slice(0, 5);
    const terms = Array.from(synonyms.keys()).filter((w) => shares(w) > 0).slice(0, 5);
    if (!scored.length && !terms.length) {
      suggest.append(el("p", "", "可以换一个更短的词，或从专题页逐级查找。"));
    } else {
      const p = el("p", "", "可以看看这些专题或词：");
      for (const t of scored) { const a = el("a", "ml-search__chip", t.name); a.href = new URL(t.url, siteRoot).href; p.append(" ", a); }
      for (const w of terms) {
        const b = el("button", "ml-search__chip", w);
        b.type = "button";
        b.addEventListener("click", () => { input.value = w; run(); });
        p.append(" ", b);
      }
      suggest.append(p);
    }
    suggest.hidden = false;
  }

  /* --- running ------------------------------------------------------------------------- */
  let current = null; // { q, parsed, all (ranked), cands (filtered), next, shown }
  let seq = 0;
  async function run() {
    const q = input.value.trim();
    const mine = ++seq;
    syncAddress(q);
    results.dataset.state = "searching";
    await start();
    if (mine !== seq) return;
    suggest.hidden = true;
    results.replaceChildren();
    more.hidden = true;
    if (!q) {
      current = null;
      statusLine.textContent = "";
      setDone(q, 0);
      return;
    }
    const parsed = parse(q);
    const all = await candidates(parsed);
    if (mine !== seq) return;
    current = { q, parsed, all, cands: filtered(all), next: 0, shown: 0 };
    showCounts(all);
    await showMore(mine);
  }
  async function showMore(mine) {
    const c = current;
    const words = c.parsed.terms.flatMap(wordsOf);
    const { shown, next } = await confirmed(c.cands, c.parsed, c.next, PAGE);
    if (mine !== seq) return;
    c.next = next;
    c.shown += shown.length;
    for (const r of shown) results.append(resultItem(r, words));
    const rejected = c.cands.slice(0, next).filter((r) => !r.ok).length;
    const total = c.cands.length - rejected;
    const exact = !c.parsed.terms.length || next >= c.cands.length; // with no terms, nothing needs checking
    if (!total) {
      statusLine.textContent = `没有找到包含“${c.q}”的页面` + (c.all.length && c.cands.length === 0 ? "（在所选的筛选条件下）。" : "。");
      suggestions(c.q, c.parsed);
    } else {
      const also = words.filter((w) => !c.parsed.terms.some((t) => t.includes(w)));
      statusLine.textContent = `${exact ? "找到" : "约"} ${total} 条结果` + (c.shown < total ? `，显示前 ${c.shown} 条` : "") + "。" +
        (also.length ? `也搜索了同义的说法：${also.join("、")}。` : "");
    }
    more.hidden = exact;
    setDone(c.q, total);
  }
  function setDone(q, total) {
    results.dataset.query = q;
    results.dataset.total = String(total);
    results.dataset.state = "done";
  }
  function syncAddress(q) {
    const url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    for (const [key, select] of Object.entries(selects)) {
      if (select.value) url.searchParams.set(key, select.value); else url.searchParams.delete(key);
    }
    window.history.replaceState(null, "", url);
  }

  let timer = 0;
  const soon = () => { clearTimeout(timer); timer = setTimeout(run, 60); };
  input.addEventListener("input", (e) => { if (!e.isComposing) soon(); }); // not while an IME is composing
  input.addEventListener("compositionend", soon);
  root.querySelector("form").addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); run(); });
  for (const select of Object.values(selects)) {
    select.addEventListener("change", () => {
      syncAddress(input.value.trim());
      if (!current) return;
      results.replaceChildren();
      current.cands = filtered(current.all);
      current.next = current.shown = 0;
      showCounts(current.all);
      results.dataset.state = "searching";
      showMore(++seq);
    });
  }
  more.addEventListener("click", () => { results.dataset.state = "searching"; showMore(++seq); });

  /* For the benchmark (benchmarks/bench_search.py) and tests; the box shows the first page of
     the same list. all(q): the whole ranked and checked result list of a query (no filters), as
     URLs; it fetches every candidate's texts. pages(q): the ranked candidates before the check,
     as page numbers (d/<n>.json), fetching nothing more: the check never drops a page that
     contains the query, so recall measured on it is the recall of all(q). */
  window.mlSearch = {
    all: async (q) => {
      await start();
      const parsed = parse(q);
      const cands = await candidates(parsed);
      const { shown } = await confirmed(cands, parsed, 0, cands.length);
      return shown.map((c) => new URL(c.fragment.u, siteRoot).href);
    },
    pages: async (q) => {
      await start();
      return (await candidates(parse(q))).map((c) => c.d);
    },
  };

  const q = new URLSearchParams(window.location.search).get("q");
  start().then(() => { if (q) { input.value = q; run(); } }).catch((err) => {
    statusLine.textContent = "搜索索引加载失败，请刷新页面再试。";
    results.dataset.state = "error";
    throw err;
  });
  input.focus(); // from the header box too: the query is there to refine, Tab goes on to the results
})();
