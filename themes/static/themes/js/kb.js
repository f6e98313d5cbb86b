// Knowledge-base articles: copy the short answer, print, send "was this helpful?" and "used on a call"
// without leaving the page. Without JavaScript the copy and print buttons stay hidden and both forms post
// normally (the server redirects back with a message), so nothing here is required.
(function () {
  "use strict";

  function setStatus(el, text) {
    if (!el) return;
    el.textContent = "";
    // A fresh text node makes screen readers announce the same message twice in a row.
    window.setTimeout(function () { el.textContent = text; }, 30);
  }

  // --- Copy the short answer: the clipboard API where allowed, otherwise select the text and say how. ---
  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.querySelectorAll("[data-kb-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-kb-copy"));
    var status = button.closest("section").querySelector("[data-kb-copy-status]");
    if (!source) return;
    var label = button.textContent;
    button.hidden = false;
    function manual() {
      selectText(source);
      setStatus(status, button.getAttribute("data-kb-manual"));
    }
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      if (!navigator.clipboard || !window.isSecureContext) { manual(); return; }
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = button.getAttribute("data-kb-copied");
        setStatus(status, button.getAttribute("data-kb-copied"));
        window.setTimeout(function () { button.textContent = label; }, 2000);
      }, manual);
    });
  });

  // --- Print ---
  document.querySelectorAll("[data-kb-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // --- Posting a form and reading the JSON answer; on a network failure, post the form the plain way. ---
  function post(form, extra) {
    var data = new FormData(form);
    Object.keys(extra || {}).forEach(function (name) { data.set(name, extra[name]); });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    });
  }

  function plainSubmit(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
    form.submit();
  }

  // --- Was this helpful? "No" first opens the comment box, so the reader can say what was missing. ---
  document.querySelectorAll("[data-kb-feedback-form]").forEach(function (form) {
    var box = form.closest("[data-kb-feedback]");
    var status = box.querySelector("[data-kb-status]");
    var more = form.querySelector("[data-kb-more]");
    var send = form.querySelector("[data-kb-send]");
    var comment = form.querySelector("textarea[name=comment]");
    var busy = false;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;
      var submitter = event.submitter || form.querySelector("button[name=helpful]");
      var helpful = submitter ? submitter.value : "";
      if (helpful === "no" && submitter !== send && !comment.value.trim() && more && !more.open) {
        more.open = true;
        send.hidden = false;
        comment.focus();
        setStatus(status, more.querySelector(".kb-feedback-hint").textContent);
        return;
      }
      busy = true;
      post(form, { helpful: helpful }).then(function (result) {
        busy = false;
        var body = result.body || {};
        if (result.status === 400 && body.errors) {
          var messages = [];
          Object.keys(body.errors).forEach(function (name) { messages = messages.concat(body.errors[name]); });
          setStatus(status, messages.join(" "));
          return;
        }
        var done = document.createElement("p");
        done.className = "kb-feedback-done";
        done.textContent = body.message || "";
        form.replaceWith(done);
        done.setAttribute("tabindex", "-1");
        done.focus();
      }).catch(function () {
        busy = false;
        plainSubmit(form, "helpful", helpful);
      });
    });
  });

  // --- Used on a call (agents) ---
  document.querySelectorAll("[data-kb-used]").forEach(function (form) {
    var status = form.querySelector("[data-kb-used-status]");
    var count = document.querySelector("[data-kb-used-count]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      post(form).then(function (result) {
        var body = result.body || {};
        setStatus(status, body.message || "");
        if (count && typeof body.count === "number") count.textContent = body.count;
      }).catch(function () { form.submit(); });
    });
  });
})();
