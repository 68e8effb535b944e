// Filter a list as you type: <input data-filter=".row"> hides the .row elements whose
// data-text does not contain every typed word. Accents and case are ignored.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var rows = document.querySelectorAll(input.dataset.filter);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var text = fold(row.dataset.text || row.textContent);
        var checked = row.querySelector("input[type=checkbox]:checked");
        row.hidden = !checked && !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
    });
  });
})();
