// Console keyboard shortcuts (listed on the page) and in-place action errors.
(function () {
  "use strict";
  var table = document.querySelector("[data-live-region=rows]");

  function rows() { return table ? Array.prototype.slice.call(table.querySelectorAll("tr[id^='row-']")) : []; }
  function current() { return table && table.querySelector("tr.is-current"); }

  function move(step) {
    var list = rows();
    if (!list.length) return;
    var i = list.indexOf(current());
    var next = list[Math.max(0, Math.min(list.length - 1, i < 0 ? 0 : i + step))];
    list.forEach(function (r) { r.classList.remove("is-current"); });
    next.classList.add("is-current");
    next.scrollIntoView({ block: "nearest" });
  }

  function press(selector) {
    var row = current();
    var target = row && row.querySelector(selector);
    if (target) target.click();
  }

  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || e.ctrlKey || e.metaKey || e.altKey) return;
    var actions = {
      "j": function () { move(1); },
      "k": function () { move(-1); },
      "x": function () { press("input[name=numbers]"); },
      "d": function () { press("form[data-action=one-click-dispatch] button"); },
      "u": function () { press("form[data-action=mark-urgent] button"); },
      "o": function () { press("a.ticket-no"); },
      "/": function () { var q = document.getElementById("search-q"); if (q) q.focus(); },
      "?": function () { var d = document.querySelector("details.shortcuts"); if (d) d.open = !d.open; }
    };
    var run = actions[e.key];
    if (run) { e.preventDefault(); run(); }
  });

  // A refused in-place action: say why, leave the row as it was.
  document.addEventListener("htmx:responseError", function (e) {
    var toast = document.createElement("div");
    toast.className = "toast";
    toast.setAttribute("role", "alert");
    toast.textContent = (e.detail.xhr && e.detail.xhr.responseText || "").slice(0, 300) || "Error";
    document.body.appendChild(toast);
    setTimeout(function () { toast.remove(); }, 5000);
  });
})();
