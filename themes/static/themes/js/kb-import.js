// The admin's KB import page while a file is checked or imported: fetch the page again every two
// seconds and swap in its status region, until the run has finished. Without script, the page has a
// "Refresh" link instead.
(function () {
  "use strict";
  var region = document.querySelector("[data-kb-import]");
  if (!region || region.getAttribute("data-running") !== "true") {
    return;
  }
  function poll() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-kb-import]");
        if (!next) { return; }
        region.innerHTML = next.innerHTML;
        region.setAttribute("data-running", next.getAttribute("data-running"));
        if (next.getAttribute("data-running") === "true") {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
