// Live countdowns: every [data-due] shows the time left and turns yellow (< 25%/4h) or red (late).
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  function fmt(ms) {
    var late = ms < 0, s = Math.abs(ms) / 1000;
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    var text = d > 0 ? (zh ? d + "天" + h + "小时" : d + "d " + h + "h")
      : h > 0 ? (zh ? h + "小时" + m + "分" : h + "h " + m + "m")
      : (zh ? m + "分" + Math.floor(s % 60) + "秒" : m + "m " + Math.floor(s % 60) + "s");
    return late ? (zh ? "已超期 " + text : "overdue " + text) : (zh ? "剩余 " + text : text + " left");
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) return;
      var left = due - now;
      el.textContent = fmt(left);
      el.classList.remove("badge-ok", "badge-warn", "badge-danger");
      el.classList.add(left < 0 ? "badge-danger" : left < 4 * 3600 * 1000 ? "badge-warn" : "badge-ok");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
  document.addEventListener("htmx:after:swap", tick);
})();
