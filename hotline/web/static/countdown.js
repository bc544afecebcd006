// Live countdowns: every [data-due] shows the time left. It turns yellow once the warning share
// of its limit (data-ratio, 80% by default; the limit runs from data-start to data-due) has
// passed, as the yellow warning does, and red once the limit has passed.
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
  function colour(now, start, due, ratio) {
    if (now >= due) return "badge-danger";
    if (isNaN(start) || start >= due) return "badge-ok";
    if (!(ratio > 0 && ratio < 1)) ratio = 0.8;
    return now >= start + (due - start) * ratio ? "badge-warn" : "badge-ok";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) return;
      var start = Date.parse(el.getAttribute("data-start") || "");
      var ratio = parseFloat(el.getAttribute("data-ratio") || "0.8");
      el.textContent = fmt(due - now);
      el.classList.remove("badge-ok", "badge-warn", "badge-danger");
      el.classList.add(colour(now, start, due, ratio));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
  document.addEventListener("htmx:after:swap", tick);
})();
