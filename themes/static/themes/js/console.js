// Agent console: results update as the agent types (through /api/search), keyboard first.
// Keys: type to search · ↓ into the results · ↑/↓ choose · Enter open · C copy the short answer ·
// U used on call · Esc clear · / back to the search box. Without JavaScript the form still works.
(function () {
  "use strict";
  var form = document.querySelector("[data-console]");
  if (!form) return;
  var input = document.getElementById("cx-q");
  var product = document.getElementById("cx-product");
  var channel = document.getElementById("cx-channel");
  var list = document.querySelector("[data-list]");
  var statusBox = document.querySelector("[data-status]");
  var timing = document.querySelector("[data-timing]");
  var recentBox = document.querySelector("[data-recent]");
  var relatedBox = document.querySelector("[data-related-list]");
  var announcer = document.querySelector("[data-announce]");
  var L = document.getElementById("cx-labels").dataset;
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var relatedLabels = {};
  try { relatedLabels = JSON.parse(form.dataset.relatedLabels || "{}"); } catch (e) { relatedLabels = {}; }

  var state = { seq: 0, controller: null, timer: null, logTimer: null, last: null, lastQuery: "", queryId: null, logged: "", pendingLog: null };

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 30);
  }

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".cx-item")); }
  function activeIndex() {
    var all = items();
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute("aria-current") === "true") return i;
    return -1;
  }
  function select(index, focus) {
    var all = items();
    if (!all.length) return;
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (li, i) { li.setAttribute("aria-current", i === index ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", all[index].id);
    if (focus) all[index].focus();
    all[index].scrollIntoView({ block: "nearest" });
  }

  function params() {
    var p = new URLSearchParams();
    p.set("q", input.value);
    p.set("locale", form.dataset.locale);
    p.set("type", "kb");
    p.set("size", "10");
    p.set("live", "1");
    if (product.value) p.set("tags", product.value);
    if (channel.value) p.set("channel", channel.value);
    if (form.dataset.related) p.set("related", form.dataset.related);
    return p;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function button(action, label, key) {
    var b = el("button", "cx-btn cx-btn-sm", label + " ");
    b.type = "button";
    b.setAttribute("data-action", action);
    b.appendChild(el("kbd", "", key));
    return b;
  }

  // Agent notes arrive as plain text whose list items are "- " lines: paragraphs and real lists (text nodes
  // only, never HTML), as the page renders them without JavaScript (portal_tags.text_blocks).
  function textBlocks(text) {
    var nodes = [], list = null;
    String(text).split(/\r?\n/).forEach(function (line) {
      line = line.trim();
      if (!line) return;
      var bullet = /^[-*\u2022] /.test(line);
      if (bullet) {
        if (!list) { list = document.createElement("ul"); nodes.push(list); }
        list.appendChild(el("li", "", line.slice(2).trim()));
      } else {
        list = null;
        nodes.push(el("p", "", line));
      }
    });
    return nodes;
  }

  function renderItem(hit, index) {
    var li = el("li", "cx-item");
    li.id = "cx-r-" + (index + 1);
    li.setAttribute("tabindex", "-1");
    li.setAttribute("aria-current", "false");
    li.dataset.kind = hit.kind;
    li.dataset.id = hit.id;
    li.dataset.pos = hit.position;
    li.dataset.url = hit.url;
    var head = el("div", "cx-item-head");
    var a = el("a", "cx-title");
    a.href = hit.url;
    a.target = "_blank";
    a.rel = "noopener";
    a.tabIndex = -1;
    a.innerHTML = hit.title_html; // escaped by the server; only <mark> added
    head.appendChild(a);
    if (hit.audience !== "public") head.appendChild(el("span", "cx-badge cx-internal", L.internal));
    if (hit.facet && hit.facet.label) head.appendChild(el("span", "cx-where", hit.facet.label));
    li.appendChild(head);
    var short = el("p", "cx-short", hit.short_answer);
    short.setAttribute("data-short", "");
    li.appendChild(short);
    if (hit.agent_notes) {
      var notes = el("div", "cx-notes");
      notes.appendChild(el("span", "cx-notes-label", L.notes));
      textBlocks(hit.agent_notes).forEach(function (node) { notes.appendChild(node); });
      li.appendChild(notes);
    }
    var actions = el("div", "cx-actions");
    actions.appendChild(button("copy", L.copy, "C"));
    actions.appendChild(button("used", L.used, "U"));
    li.appendChild(actions);
    return li;
  }

  function renderRelated(related) {
    if (!relatedBox) return;
    relatedBox.textContent = "";
    var any = false;
    Object.keys(related || {}).forEach(function (kind) {
      var hits = related[kind] || [];
      if (!hits.length) return;
      any = true;
      relatedBox.appendChild(el("h3", "cx-related-kind", relatedLabels[kind] || kind));
      var ol = el("ol", "cx-mini");
      hits.forEach(function (hit) {
        var li = el("li");
        var a = el("a");
        a.href = hit.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.innerHTML = hit.title_html;
        li.appendChild(a);
        if (hit.accepted) li.appendChild(el("span", "cx-badge cx-accepted", L.accepted));
        if (hit.short_answer) li.appendChild(el("p", "cx-mini-text", hit.short_answer));
        ol.appendChild(li);
      });
      relatedBox.appendChild(ol);
    });
    if (!any) relatedBox.appendChild(el("p", "cx-muted", "—"));
  }

  function render(data, endToEnd) {
    list.textContent = "";
    (data.results || []).forEach(function (hit, i) { list.appendChild(renderItem(hit, i)); });
    input.removeAttribute("aria-activedescendant");
    var parts = [];
    if (data.degraded) parts.push(L.degraded);
    if (!input.value.trim()) parts.push(L.start);
    else if (!data.total) parts.push(L.none);
    else parts.push(data.total + " " + L.results);
    statusBox.textContent = parts.join(" ");
    if (data.did_you_mean) {
      statusBox.appendChild(document.createTextNode(" · " + L.dym + " "));
      var dym = el("a", "", data.did_you_mean);
      dym.href = "?q=" + encodeURIComponent(data.did_you_mean);
      dym.addEventListener("click", function (event) {
        event.preventDefault();
        input.value = data.did_you_mean;
        run(0);
        input.focus();
      });
      statusBox.appendChild(dym);
    }
    timing.textContent = L.server + " " + data.server_ms + " ms · " + L.engine + " " + data.took_ms + " ms (" + data.backend + ") · " +
      L.total + " " + Math.round(endToEnd) + " ms";
    renderRelated(data.related);
    if (data.results && data.results.length) select(0, false);
  }

  function run(delay) {
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(function () {
      var q = input.value.trim();
      if (state.controller) state.controller.abort();
      var seq = ++state.seq;
      if (!q) {
        render({ results: [], total: 0, server_ms: 0, took_ms: 0, backend: "" }, 0);
        timing.textContent = "";
        return;
      }
      state.controller = window.AbortController ? new AbortController() : null;
      var started = performance.now();
      fetch(form.dataset.api + "?" + params().toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: state.controller ? state.controller.signal : undefined,
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (seq !== state.seq) return;
          state.last = data;
          state.lastQuery = q;
          render(data, performance.now() - started);
          scheduleLog();
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          statusBox.textContent = L.error;
        });
    }, delay);
  }

  function post(fields) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    Object.keys(fields).forEach(function (key) { if (fields[key] !== null && fields[key] !== undefined) body.append(key, fields[key]); });
    return fetch(form.dataset.event, { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); });
  }

  // A search is logged once the agent stops typing (or acts on a result), not on every keystroke.
  function logSearch() {
    window.clearTimeout(state.logTimer);
    var data = state.last;
    if (!data || !state.lastQuery || state.logged === state.lastQuery) return Promise.resolve(state.queryId);
    if (state.pendingLog) return state.pendingLog;
    var query = state.lastQuery;
    state.pendingLog = post({ action: "search", q: query, total: data.total, backend: data.backend, took_ms: data.took_ms })
      .then(function (answer) {
        state.logged = query;
        state.queryId = answer.query_id;
        state.pendingLog = null;
        return state.queryId;
      })
      .catch(function () { state.pendingLog = null; return null; });
    return state.pendingLog;
  }
  function scheduleLog() {
    window.clearTimeout(state.logTimer);
    state.logTimer = window.setTimeout(logSearch, 1500);
  }

  function eventFor(li, action) {
    return logSearch().then(function (queryId) {
      return post({ action: action, kind: li.dataset.kind, id: li.dataset.id, pos: li.dataset.pos, query_id: queryId });
    });
  }

  function renderRecent(recent) {
    recentBox.textContent = "";
    (recent || []).forEach(function (item) {
      var li = el("li");
      var a = el("a", "", item.title);
      a.href = item.url;
      a.target = "_blank";
      a.rel = "noopener";
      li.appendChild(a);
      recentBox.appendChild(li);
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "cx-offscreen";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function act(li, action) {
    if (!li) return;
    if (action === "copy") {
      var text = li.querySelector("[data-short]").textContent.trim();
      copyText(text).then(function () {
        li.classList.add("is-copied");
        announce(L.copied);
      });
      eventFor(li, "copy");
    } else if (action === "used") {
      eventFor(li, "used").then(function (answer) {
        if (answer && answer.recent) renderRecent(answer.recent);
        li.classList.add("is-used");
        announce(L.marked);
      });
    } else if (action === "open") {
      window.open(li.dataset.url, "_blank", "noopener");
      eventFor(li, "click");
    }
  }

  function clear() {
    input.value = "";
    run(0);
    input.focus();
  }

  // --- Events ---------------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(0);
  });
  input.addEventListener("input", function () { run(70); });
  product.addEventListener("change", function () { run(0); });
  channel.addEventListener("change", function () { run(0); });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && items().length) {
      event.preventDefault();
      select(Math.max(0, activeIndex()), true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      clear();
    } else if (event.key === "Enter") {
      event.preventDefault();
      run(0);
    }
  });

  list.addEventListener("keydown", function (event) {
    var index = activeIndex();
    var all = items();
    var li = all[index];
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case "ArrowDown": event.preventDefault(); select(index + 1, true); break;
      case "ArrowUp":
        event.preventDefault();
        if (index <= 0) input.focus(); else select(index - 1, true);
        break;
      case "Home": event.preventDefault(); select(0, true); break;
      case "End": event.preventDefault(); select(all.length - 1, true); break;
      case "Enter": event.preventDefault(); act(li, "open"); break;
      case "c": case "C": event.preventDefault(); act(li, "copy"); break;
      case "u": case "U": event.preventDefault(); act(li, "used"); break;
      case "Escape": event.preventDefault(); clear(); break;
      case "/": event.preventDefault(); input.focus(); input.select(); break;
      default:
        // Any other character goes back to the search box, so the agent can keep typing.
        if (event.key.length === 1) input.focus();
    }
  });

  list.addEventListener("click", function (event) {
    var li = event.target.closest(".cx-item");
    if (!li) return;
    var actionButton = event.target.closest("[data-action]");
    select(items().indexOf(li), !actionButton);
    if (actionButton) act(li, actionButton.getAttribute("data-action"));
    else if (event.target.closest(".cx-title")) eventFor(li, "click");
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== input && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  input.focus();
  var end = input.value.length;
  input.setSelectionRange(end, end);
  if (items().length) select(0, false);
  if (input.value.trim()) run(0);
})();
