// District → township → community pickers filled from /api/v1/org-units (no framework).
(function () {
  "use strict";
  // The place chosen before a refused submission, from the form's data attributes (no inline
  // script: the Content-Security-Policy forbids it).
  var form = document.getElementById("write-in");
  var preset = form ? {township: form.dataset.township || "", community: form.dataset.community || ""} : {};
  function fill(select, parent, chosen) {
    var first = select.options[0];
    select.innerHTML = "";
    select.appendChild(first);
    select.disabled = true;
    clearBelow(select);
    if (!parent) return Promise.resolve();
    return fetch("/api/v1/org-units?parent=" + encodeURIComponent(parent))
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) {
        data.items.forEach(function (u) {
          var o = new Option(u.name, u.code);
          if (u.code === chosen) o.selected = true;
          select.appendChild(o);
        });
        select.disabled = data.items.length === 0;
      });
  }
  function clearBelow(select) {
    var childId = select.getAttribute("data-child");
    if (!childId) return;
    var child = document.getElementById(childId);
    child.innerHTML = "";
    child.appendChild(new Option(child.getAttribute("data-empty") || "—", ""));
    child.disabled = true;
    clearBelow(child);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var district = document.getElementById("district");
    if (!district) return;
    var township = document.getElementById("township");
    var community = document.getElementById("community");
    [township, community].forEach(function (s) { s.setAttribute("data-empty", s.options[0].text); });
    district.addEventListener("change", function () { fill(township, district.value); });
    township.addEventListener("change", function () { fill(community, township.value); });
    if (district.value) {
      fill(township, district.value, preset.township).then(function () {
        if (township.value) fill(community, township.value, preset.community);
      });
    }
  });
})();
