// Forum enhancements. Every page works without JavaScript; this only adds comfort:
// - confirm before destructive buttons (data-confirm),
// - keep an unsent reply in this browser (sessionStorage) so a closed tab or a refused post loses nothing,
// - grow the text box with its content.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  var editors = document.querySelectorAll("textarea[data-forum-editor]");
  Array.prototype.forEach.call(editors, function (editor) {
    var key = "forum-draft:" + window.location.pathname;
    var store = null;
    try { store = window.sessionStorage; } catch (e) { store = null; }
    if (store && !editor.value && store.getItem(key)) {
      editor.value = store.getItem(key);
    }
    function grow() {
      editor.style.height = "auto";
      editor.style.height = Math.min(editor.scrollHeight + 4, window.innerHeight * 0.7) + "px";
    }
    editor.addEventListener("input", function () {
      grow();
      if (store) { store.setItem(key, editor.value); }
    });
    if (editor.form) {
      editor.form.addEventListener("submit", function () {
        // The server keeps the text if it refuses; the draft is cleared once the post has gone.
        if (store) { store.removeItem(key); }
      });
    }
  });
})();
