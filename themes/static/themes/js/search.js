// Customer search page: suggestions as you type (an ARIA combobox over /api/suggest) and a click beacon
// for search analytics. The page works fully without this script.
(function () {
  "use strict";
  var input = document.querySelector("[data-suggest-url]");
  if (input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null;
    var seq = 0;
    var active = -1;

    var close = function () {
      box.hidden = true;
      box.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    var options = function () { return Array.prototype.slice.call(box.querySelectorAll("[role=option]")); };
    var highlight = function (index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", all[active].id);
    };
    var show = function (suggestions) {
      // The answer to a word typed earlier can arrive after the reader began to move through the list:
      // the suggestion they are on stays picked if it is still offered.
      var picked = active >= 0 && options()[active] ? options()[active].querySelector("a").getAttribute("href") : null;
      box.textContent = "";
      active = -1;
      if (!suggestions.length) return close();
      suggestions.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = "sr-suggest-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;
        link.tabIndex = -1;
        li.appendChild(link);
        box.appendChild(li);
      });
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
      for (var again = 0; picked !== null && again < suggestions.length; again++) {
        if (suggestions[again].url === picked) { highlight(again); break; }
      }
    };
    var fetchSuggestions = function () {
      var q = input.value.trim();
      if (q.length < 1) return close();
      var mine = ++seq;
      var url = input.getAttribute("data-suggest-url") + "?locale=" + encodeURIComponent(input.getAttribute("data-locale")) +
        "&q=" + encodeURIComponent(q);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (mine === seq) show(data.suggestions || []); })
        .catch(function () { close(); });
    };
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (box.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = options()[active].querySelector("a").href;
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 200); });
  }

  // Which result a search led to: sent as a beacon, so the link itself stays an ordinary link.
  var results = document.querySelector("[data-click-token]");
  if (results && results.getAttribute("data-click-token") && navigator.sendBeacon) {
    results.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-kind]");
      if (!link) return;
      var data = new FormData();
      data.append("token", results.getAttribute("data-click-token"));
      data.append("kind", link.getAttribute("data-kind"));
      data.append("id", link.getAttribute("data-id"));
      data.append("pos", link.getAttribute("data-pos"));
      navigator.sendBeacon(results.getAttribute("data-click-url"), data);
    });
  }
})();
