// Video pages: seek from chapters, transcript lines and ?t=; countdowns; the live Q&A without reloads.
// Static file only (strict CSP). Everything works without it: links reload at ?t=, forms post and redirect.
(function () {
  "use strict";

  // --- seeking -------------------------------------------------------------------------------------
  var video = document.getElementById("episode-video");
  var player = document.querySelector(".video-player");
  function seek(seconds, play) {
    if (!video) return false;
    var go = function () { video.currentTime = seconds; if (play) { var p = video.play(); if (p && p.catch) p.catch(function () {}); } };
    if (video.readyState >= 1) go(); else video.addEventListener("loadedmetadata", go, { once: true });
    return true;
  }
  if (player && video) {
    var start = parseInt(player.getAttribute("data-start") || "0", 10);
    if (start > 0) seek(start, false);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-seek]") : null;
    if (!link || !video) return;
    event.preventDefault();
    var seconds = parseInt(link.getAttribute("data-seek"), 10) || 0;
    seek(seconds, true);
    if (window.history && history.replaceState) history.replaceState(null, "", "?t=" + seconds);
    video.scrollIntoView({ behavior: "smooth", block: "center" });
  });

  // --- countdowns ----------------------------------------------------------------------------------
  var countdowns = document.querySelectorAll("[data-countdown]");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var now = Date.now();
    countdowns.forEach(function (el) {
      var left = Math.floor((Date.parse(el.getAttribute("data-countdown")) - now) / 1000);
      if (isNaN(left)) return;
      if (left <= 0) { el.textContent = el.getAttribute("data-live-label"); return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      el.textContent = (d ? d + el.getAttribute("data-days-label") + " " : "") + pad(h) + ":" + pad(m) + ":" + pad(s);
    });
  }
  if (countdowns.length) { tick(); setInterval(tick, 1000); }

  // --- live Q&A ------------------------------------------------------------------------------------
  var qa = document.querySelector("[data-changes-url]");
  if (!qa) return;
  var list = qa.querySelector("[data-questions]");
  var cursor = parseInt(qa.getAttribute("data-cursor") || "0", 10);
  var moderator = qa.hasAttribute("data-moderator");
  var signedIn = qa.hasAttribute("data-signed-in");
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function post(url, data) {
    data.append("csrfmiddlewaretoken", csrf());
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); });
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text; // never innerHTML: questions are shown exactly as written
    return node;
  }
  function button(label, action, id) {
    var b = el("button", "btn btn-ghost btn-sm", label);
    b.type = "button";
    b.addEventListener("click", function () {
      var data = new FormData(); data.append("action", action);
      post(qa.getAttribute("data-moderate-url").replace("/0/", "/" + id + "/"), data).then(poll);
    });
    return b;
  }
  function render(q) {
    var item = el("li", "video-question" + (q.pinned ? " is-pinned" : "") + (q.state === "pending" ? " is-pending" : ""));
    item.id = "q-" + q.id;
    item.setAttribute("data-question", q.id);
    var meta = el("p", "video-question-meta");
    if (q.pinned) meta.appendChild(el("span", "badge", qa.getAttribute("data-pinned-label")));
    if (q.state === "pending") meta.appendChild(el("span", "badge", qa.getAttribute("data-pending-label")));
    meta.appendChild(el("span", "video-question-author", q.author));
    item.appendChild(meta);
    item.appendChild(el("p", "video-question-text", q.text));
    if (q.answer) {
      var answer = el("p", "video-answer");
      answer.appendChild(el("strong", "", qa.getAttribute("data-answer-label")));
      answer.appendChild(document.createTextNode(" "));
      answer.appendChild(el("span", "", q.answer));
      item.appendChild(answer);
    }
    var tools = el("div", "video-question-tools");
    if (q.state === "approved") {
      if (signedIn) {
        var vote = el("button", "btn btn-ghost btn-sm", "▲ " + qa.getAttribute("data-vote-label") + " " + q.votes);
        vote.type = "button";
        vote.addEventListener("click", function () {
          vote.disabled = true;
          post(qa.getAttribute("data-vote-url").replace("/0/", "/" + q.id + "/"), new FormData()).then(poll);
        });
        tools.appendChild(vote);
      } else {
        tools.appendChild(el("span", "muted", "▲ " + q.votes));
      }
    }
    if (moderator && q.state === "pending") {
      tools.appendChild(button(qa.getAttribute("data-approve-label"), "approve", q.id));
      tools.appendChild(button(qa.getAttribute("data-reject-label"), "reject", q.id));
    }
    item.appendChild(tools);
    return item;
  }
  function apply(data) {
    var empty = list.querySelector("[data-empty]");
    data.removed.forEach(function (id) {
      var old = list.querySelector('[data-question="' + id + '"]');
      if (old) old.remove();
    });
    data.questions.forEach(function (q) {
      var old = list.querySelector('[data-question="' + q.id + '"]');
      var fresh = render(q);
      if (old && !moderator) old.replaceWith(fresh);
      else if (old) { /* moderators keep their server-rendered answer forms */ old.querySelector(".video-question-text").textContent = q.text; }
      else if (q.pinned) list.insertBefore(fresh, list.firstChild);
      else list.appendChild(fresh);
      if (empty) { empty.remove(); empty = null; }
    });
    cursor = data.cursor;
    if (data.status !== "live") qa.removeAttribute("data-live");
    return data.more;
  }
  var busy = false;
  function poll() {
    if (busy) return;
    busy = true;
    fetch(qa.getAttribute("data-changes-url") + "?cursor=" + cursor, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { busy = false; if (data && apply(data)) poll(); })
      .catch(function () { busy = false; });
  }
  if (qa.hasAttribute("data-live")) {
    setInterval(function () { if (!document.hidden && qa.hasAttribute("data-live")) poll(); }, parseInt(qa.getAttribute("data-poll-ms"), 10) || 5000);
  }
  var form = qa.querySelector("[data-ask]");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = form.querySelector("[data-ask-status]");
      var data = new FormData(form);
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (result) {
          status.textContent = result.ok ? result.messages.join(" ") : result.message; // the text stays when refused
          if (result.ok) { form.querySelector("textarea").value = ""; poll(); }
        });
    });
  }
})();
