// Operator console helpers: "引用" copies a standard answer into the reply box next to it.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".kb-use");
    if (!button) return;
    var results = button.closest(".kb-results");
    var body = button.closest(".kb-item").querySelector(".kb-body");
    var reply = results && document.getElementById(results.getAttribute("data-reply"));
    if (reply && body) { reply.value = body.textContent.trim(); reply.focus(); }
  });
})();
