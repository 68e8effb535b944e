// The booking form: show the end the chosen services' durations give (the server computes the
// same when "End time" is left empty). Without JavaScript the form works the same, unshown.
(function () {
  "use strict";
  var form = document.getElementById("appointment-form");
  var output = document.getElementById("computed-end");
  if (!form || !output) return;
  var start = form.querySelector("[name=start]");
  var end = form.querySelector("[name=ends_at]");

  function minutes() {
    var total = 0;
    form.querySelectorAll("input[type=checkbox][name^=service_]:checked").forEach(function (box) {
      var duration = form.querySelector("[name=duration_" + box.name.slice(8) + "]");
      total += duration ? parseInt(duration.value, 10) || 0 : 0;
    });
    return total;
  }

  function update() {
    var total = minutes();
    var when = start && start.value ? new Date(start.value) : null;
    if (!total || !when || isNaN(when.getTime()) || (end && end.value)) {
      output.textContent = "";
      return;
    }
    when = new Date(when.getTime() + total * 60000);
    var hh = String(when.getHours()).padStart(2, "0");
    var mm = String(when.getMinutes()).padStart(2, "0");
    output.textContent = output.dataset.label + " " + hh + ":" + mm;
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
