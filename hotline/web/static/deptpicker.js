// Searchable department picker: typing in .dept-search fills the next .dept-select
// from /api/v1/departments?q= (the first 50 matches; every word must match, abbreviations
// such as 城管 or 住建 work). The operator picks one: no match is chosen in advance.
(function () {
  "use strict";
  var timer;
  function search(input) {
    var select = input.parentNode.querySelector(".dept-select");
    var q = input.value.trim();
    if (!select || q.length < 1) return;
    fetch("/api/v1/departments?q=" + encodeURIComponent(q))
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) {
        var keep = select.options[0];
        select.innerHTML = "";
        select.appendChild(keep);
        data.items.slice(0, 50).forEach(function (d) {
          select.appendChild(new Option(d.name + " (" + d.code + ")", d.code));
        });
        // Nothing is chosen for the operator: the first match is not necessarily the right one.
        select.selectedIndex = 0;
      });
  }
  document.addEventListener("input", function (e) {
    if (!e.target.classList || !e.target.classList.contains("dept-search")) return;
    clearTimeout(timer);
    var input = e.target;
    timer = setTimeout(function () { search(input); }, 250);
  });
})();
