/* Progress tables (list pages): filter by status, topic and lead unit; sort by number, status or
   completion. Progressive enhancement only: without this script the form stays hidden and the
   table is plain and complete (generator/site/templates/_table.j2). Runs on every page Material shows,
   with or without its instant navigation. */
(function () {
  function rowsOf(table) {
    return Array.prototype.slice.call(table.querySelectorAll("tr.ml-ptable__row"));
  }

  function matches(row, filters) {
    return filters.every(function (f) {
      if (!f.value) return true;
      var values = (row.getAttribute("data-" + f.key) || "").split(" ");
      return values.indexOf(f.value) !== -1;
    });
  }

  function sortKey(row, how) {
    if (how === "rank") return Number(row.getAttribute("data-rank"));
    var percent = row.getAttribute("data-percent");
    if (percent === "") return Infinity; // no figure: always last
    return how === "percent-desc" ? -Number(percent) : Number(percent);
  }

  function levelOf(body) {
    var head = body.querySelector("tr.ml-ptable__section");
    var m = head && / ml-ptable__section--l(\d+)/.exec(" " + head.className);
    return m ? Number(m[1]) : 0;
  }

  // A section heading shows while its own rows or those of its nested sections do.
  function showHeadings(bodies) {
    var levels = bodies.map(levelOf);
    var has = bodies.map(function (b) {
      return Array.prototype.some.call(b.querySelectorAll("tr.ml-ptable__row"), function (r) { return !r.hidden; });
    });
    bodies.forEach(function (body, i) {
      var head = body.querySelector("tr.ml-ptable__section");
      if (!head) return;
      var any = has[i];
      for (var j = i + 1; !any && j < bodies.length && levels[j] > levels[i]; j++) any = has[j];
      head.hidden = !any;
    });
  }

  function setUp(box) {
    if (box.getAttribute("data-ml-ready")) return;
    box.setAttribute("data-ml-ready", "1");
    var form = box.querySelector("[data-ml-tools]");
    var table = box.querySelector("table.ml-ptable");
    if (!form || !table) return;
    var bodies = Array.prototype.slice.call(table.tBodies);
    var rows = rowsOf(table);
    rows.forEach(function (row, i) {
      row.mlSeq = i;
      row.mlBody = row.parentNode;
    });
    var counted = rows.filter(function (r) { return !r.classList.contains("ml-ptable__row--parent"); });
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-ml-filter]"));
    var sorter = form.querySelector("select[data-ml-sort]");
    var count = form.querySelector("[data-ml-count]");
    var empty = box.querySelector("[data-ml-empty]");

    function update() {
      var filters = selects.map(function (s) { return { key: s.getAttribute("data-ml-filter"), value: s.value }; });
      var how = sorter ? sorter.value : ""; // a table with nothing to sort by offers no sort
      var shown = 0;
      counted.forEach(function (row) {
        var on = matches(row, filters);
        row.hidden = !on;
        if (on) shown += 1;
      });
      // A row that heads sub-items shows while any of them does (in source order only).
      rows.forEach(function (row) {
        if (!row.classList.contains("ml-ptable__row--parent")) return;
        var next = row.nextElementSibling;
        var any = false;
        while (next && next.classList.contains("ml-ptable__row--child")) {
          if (!next.hidden) any = true;
          next = next.nextElementSibling;
        }
        row.hidden = !any || !!how;
      });
      if (how) {
        var sorted = counted.slice().sort(function (a, b) {
          return (sortKey(a, how) - sortKey(b, how)) || (a.mlSeq - b.mlSeq);
        });
        sorted.forEach(function (row) { bodies[0].appendChild(row); });
      } else {
        rows.forEach(function (row) { row.mlBody.appendChild(row); });
      }
      showHeadings(bodies);
      table.classList.toggle("ml-ptable--flat", !!how);
      count.textContent = "显示 " + shown + " / " + counted.length + " 项";
      if (empty) empty.hidden = shown > 0;
    }

    form.addEventListener("change", update);
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    update();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-ml-ptable]"), setUp);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material: the first page and every instant page change
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
