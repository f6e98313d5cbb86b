// The operations dashboard's "now" panel: asks for fresh queue sizes every few seconds, without a reload.
// A static file (no inline script), so it runs under the admin's Content-Security-Policy.
(function () {
  "use strict";
  var panel = document.querySelector("[data-ops-now]");
  if (!panel) {
    return;
  }
  var url = panel.getAttribute("data-ops-now");
  var seconds = parseInt(panel.getAttribute("data-ops-refresh"), 10) || 30;

  function setText(cell, text) {
    if (cell) {
      cell.textContent = text;
    }
  }

  function update(data) {
    setText(panel.querySelector("[data-ops-now-at]"), data.at);
    data.channels.forEach(function (channel) {
      var row = panel.querySelector('[data-ops-channel="' + channel.key + '"]');
      if (!row) {
        return;
      }
      setText(row.querySelector('[data-ops-field="waiting"]'), String(channel.waiting));
      setText(row.querySelector('[data-ops-field="breached"]'), String(channel.breached));
      var oldest = row.querySelector('[data-ops-field="oldest"]');
      if (!oldest) {
        return;
      }
      oldest.textContent = "";
      if (channel.oldest_url) {
        var link = document.createElement("a");
        link.href = channel.oldest_url;
        link.textContent = channel.oldest_title;
        oldest.appendChild(link);
        oldest.appendChild(document.createTextNode(" (" + channel.waiting_text + ")"));
      } else {
        oldest.textContent = "—";
      }
    });
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          update(data);
          panel.setAttribute("data-ops-updated", data.at);
        }
      })
      .catch(function () {});
  }

  refresh();
  window.setInterval(refresh, seconds * 1000);
})();
