// Message board: while the customer types the subject, show up to 5 public answers (KB articles and answered
// forum threads) from the search API, each with "This solved it". Without JavaScript the "Show answers first"
// button does the same on the server, so nothing here is required.
(function () {
  "use strict";

  var box = document.querySelector("[data-intake-live]");
  var subject = document.querySelector("[data-deflect=subject]");
  if (!box || !subject || !box.getAttribute("data-api")) return;
  var list = box.querySelector("[data-intake-live-list]");
  var csrf = document.querySelector("form.intake-form input[name=csrfmiddlewaretoken]");
  var lang = (document.documentElement.lang || "zh-Hans").toLowerCase();
  var timer = null;
  var last = "";

  function hidden(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value || "";
    return input;
  }

  function render(query, results) {
    list.textContent = "";
    results.forEach(function (hit) {
      var li = document.createElement("li");
      li.className = "intake-answer";
      var link = document.createElement("a");
      link.href = hit.url;
      link.textContent = hit.title;
      li.appendChild(link);
      if (hit.short_answer) {
        var p = document.createElement("p");
        p.className = "help";
        p.textContent = hit.short_answer;  // three lines at most, ended with "…" by the stylesheet
        li.appendChild(p);
      }
      var form = document.createElement("form");
      form.method = "post";
      form.action = box.getAttribute("data-solved-url");
      form.className = "inline-form";
      if (csrf) form.appendChild(hidden("csrfmiddlewaretoken", csrf.value));
      form.appendChild(hidden("query", query));
      form.appendChild(hidden("url", hit.url));
      form.appendChild(hidden("title", hit.title));
      form.appendChild(hidden("kind", hit.kind));
      form.appendChild(hidden("source", "js"));
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "btn btn-sm btn-ghost";
      button.textContent = box.getAttribute("data-solved-label");
      form.appendChild(button);
      li.appendChild(form);
      list.appendChild(li);
    });
    box.hidden = results.length === 0;
  }

  function ask() {
    var query = subject.value.trim();
    if (query === last) return;
    last = query;
    if (query.length < 2) { render(query, []); return; }
    var url = box.getAttribute("data-api") + "?live=1&type=kb,forum&size=10&locale=" + encodeURIComponent(lang) +
      "&q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (query !== last) return;
        var useful = (data.results || []).filter(function (hit) {
          return hit.kind === "kb" || (hit.kind === "forum" && hit.accepted);
        });
        render(query, useful.slice(0, 5));
      })
      .catch(function () { render(query, []); });
  }

  subject.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 300);
  });
})();
