// The live queue: poll /live/stamp (304 while nothing changed); on a change, fetch this page
// again and merge its live regions in place: new rows appear, changed rows are replaced
// unless the user is working in them, gone rows leave. The tab title counts new rows and an
// optional sound plays. Scroll position, filters and open forms are kept.
(function () {
  "use strict";
  var regions = document.querySelectorAll("[data-live-region]");
  if (!regions.length) return;
  var INTERVAL = 1000;
  // The stamp the page was rendered at: a change before the first poll is not missed.
  var stamped = document.querySelector("[data-live-stamp]");
  var etag = stamped ? '"' + stamped.getAttribute("data-live-stamp") + '"' : null;
  var unseen = 0;
  var baseTitle = document.title;
  var busy = false;
  var sound = document.getElementById("live-sound");
  if (sound) {
    sound.checked = localStorage.getItem("hotline-live-sound") === "1";
    sound.addEventListener("change", function () {
      localStorage.setItem("hotline-live-sound", sound.checked ? "1" : "0");
    });
  }

  function beep() {
    if (!sound || !sound.checked) return;
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      var osc = ctx.createOscillator();
      osc.frequency.value = 880;
      osc.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.15);
    } catch (e) { /* no audio: the title still counts */ }
  }

  function showCount() {
    document.title = unseen > 0 ? "(" + unseen + ") " + baseTitle : baseTitle;
    var badge = document.getElementById("live-count");
    if (badge) { badge.textContent = unseen > 0 ? String(unseen) : ""; badge.hidden = unseen === 0; }
  }

  function clearCount() { unseen = 0; showCount(); }
  window.addEventListener("focus", clearCount);
  document.addEventListener("click", clearCount);

  function inUse(row) {
    if (row.contains(document.activeElement) && document.activeElement !== document.body) return true;
    var open = row.querySelector("details[open]");
    return !!open || row.classList.contains("is-current") && !!row.querySelector("input:checked");
  }

  function mergeRows(current, fresh) {
    var added = 0;
    var freshRows = fresh.querySelectorAll("tr[id^='row-']");
    var keep = {};
    var anchor = null;
    freshRows.forEach(function (row) {
      keep[row.id] = true;
      var old = document.getElementById(row.id);
      if (!old) {
        row.classList.add("is-new");
        var body = current.querySelector("tbody") || current;
        if (anchor && anchor.parentNode === body) anchor.after(row); else body.prepend(row);
        added += 1;
        anchor = row;
        return;
      }
      if (old.getAttribute("data-version") !== row.getAttribute("data-version") && !inUse(old)) {
        if (old.classList.contains("is-current")) row.classList.add("is-current");
        var box = old.querySelector("input[name=numbers]");
        var freshBox = row.querySelector("input[name=numbers]");
        if (box && freshBox) freshBox.checked = box.checked;
        old.replaceWith(row);
        anchor = row;
      } else {
        anchor = old;
      }
    });
    current.querySelectorAll("tr[id^='row-']").forEach(function (row) {
      if (!keep[row.id] && !inUse(row)) row.remove();
    });
    return added;
  }

  function merge(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var added = 0;
    regions.forEach(function (region) {
      var fresh = doc.getElementById(region.id);
      if (!fresh) return;
      if (region.getAttribute("data-live-region") === "rows") {
        added += mergeRows(region, fresh);
      } else if (region.innerHTML !== fresh.innerHTML && !region.contains(document.activeElement)) {
        region.innerHTML = fresh.innerHTML;
        if (region.getAttribute("data-live-region") === "alert" && fresh.children.length) added += 1;
      }
    });
    // Tab counts (待分拨 12 …) follow the page.
    var counts = doc.querySelectorAll(".tabs .count");
    document.querySelectorAll(".tabs .count").forEach(function (el, i) {
      if (counts[i]) el.textContent = counts[i].textContent;
    });
    if (added) { unseen += added; showCount(); beep(); }
  }

  function poll() {
    if (busy) return;
    busy = true;
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch("/live/stamp", { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (res) {
        if (res.status === 304 || !res.ok) return null;
        var first = etag === null;
        etag = res.headers.get("ETag");
        if (first) return null;
        // A little spread: hundreds of consoles learn of the change in the same second.
        return new Promise(function (done) { setTimeout(done, Math.random() * 300); })
          .then(function () {
            return fetch(window.location.href, { cache: "no-store", credentials: "same-origin",
              headers: { "X-Live": "1" } });
          })
          .then(function (page) { return page.ok ? page.text() : null; });
      })
      .then(function (html) { if (html) merge(html); })
      .catch(function () { /* offline for a moment: try again next round */ })
      .then(function () { busy = false; });
  }

  poll();
  // Hidden tabs poll too: the count in their title is what calls the operator back.
  setInterval(poll, INTERVAL);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
})();
