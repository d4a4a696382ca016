// Search with Pagefind, in the language of the page. Pagefind's own code (about 45 KB plus a
// WebAssembly file) loads only when the visitor starts to search, so the page stays light.
// No inline script and no innerHTML: this runs under a Content-Security-Policy without
// 'unsafe-inline' (Pagefind itself needs 'wasm-unsafe-eval').
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list || !window.Promise) {
    return;
  }
  var MAX_RESULTS = 20;
  var loading = null;
  var latest = 0;
  var timer = 0;

  function load() {
    if (!loading) {
      // A big language is indexed in parts (sitegen/render/search_parts.py): merge them.
      var parts = (form.dataset.parts || "").split(" ").filter(Boolean);
      loading = import(form.dataset.bundle + "pagefind.js").then(function (pagefind) {
        return pagefind
          .options({ baseUrl: form.dataset.base, bundlePath: form.dataset.bundle })
          .then(function () {
            return Promise.all(
              parts.map(function (part) {
                return pagefind.mergeIndex(part, { baseUrl: form.dataset.base });
              })
            );
          })
          .then(function () {
            pagefind.init();
            return pagefind;
          });
      });
    }
    return loading;
  }

  // Pagefind's excerpt is text with <mark> around the words found: rebuild it as nodes.
  function excerpt(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var p = document.createElement("p");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
    return p;
  }

  function show(query, found, pages) {
    list.replaceChildren();
    pages.forEach(function (page) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = page.url;
      link.textContent = (page.meta && page.meta.title) || page.url;
      item.appendChild(link);
      item.appendChild(excerpt(page.excerpt || ""));
      list.appendChild(item);
    });
    status.textContent = found
      ? form.dataset.found.replace("{count}", String(found))
      : form.dataset.none;
  }

  // The language switcher leads to the search page in another language: take the query along.
  var switchers = Array.prototype.slice.call(document.querySelectorAll(".langs a[hreflang]"));
  function keepQuery(query) {
    switchers.forEach(function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      if (query) {
        url.searchParams.set("q", query);
      } else {
        url.searchParams.delete("q");
      }
      link.setAttribute("href", url.pathname + url.search);
    });
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    keepQuery(query);
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    load()
      .then(function (pagefind) {
        return pagefind.search(query);
      })
      .then(function (search) {
        var top = search.results.slice(0, MAX_RESULTS);
        return Promise.all(top.map(function (r) { return r.data(); })).then(function (pages) {
          if (ticket === latest) {
            show(query, search.results.length, pages);
          }
        });
      })
      .catch(function () {
        if (ticket === latest) {
          list.replaceChildren();
          status.textContent = form.dataset.failed;
        }
      });
  }

  form.hidden = false;
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value.trim());
    window.history.replaceState(null, "", url);
    run();
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run();
  }
})();
