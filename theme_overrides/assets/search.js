/* The search page of sites indexed with Pagefind (generator/sitesearch.py): Pagefind's
   default UI, self-hosted in pagefind/. `?q=` (the header search box) starts a search. */
(function () {
  var root = document.getElementById("ml-search");
  var script = document.currentScript;
  if (!root || typeof PagefindUI === "undefined") return;
  var bundle = new URL(script.getAttribute("data-bundle"), window.location.href);
  var query = new URLSearchParams(window.location.search).get("q");
  var ui = new PagefindUI({
    element: "#ml-search",
    bundlePath: bundle.pathname,
    baseUrl: new URL("..", bundle).pathname, /* result links work under a sub-path too */
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    autofocus: !query
  });
  /* Material's tooltips would pop up the input's title while typing. */
  Array.prototype.forEach.call(root.querySelectorAll("input[title]"), function (el) { el.removeAttribute("title"); });
  if (query) ui.triggerSearch(query);
  /* Keep the address in step with the query, so a search can be shared and reloaded. */
  root.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("input")) return;
    var url = new URL(window.location.href);
    if (event.target.value) url.searchParams.set("q", event.target.value); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  });
})();
