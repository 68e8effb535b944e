// Before/after comparison: without JavaScript the two photos stand side by side; with it,
// they are stacked and a slider reveals the "after" photo over the "before" one.
(function () {
  "use strict";
  document.querySelectorAll("[data-compare]").forEach(function (box) {
    var slider = document.createElement("input");
    slider.type = "range";
    slider.min = "0";
    slider.max = "100";
    slider.value = "50";
    slider.className = "compare-range";
    slider.setAttribute("aria-label", box.dataset.label || "Avant / après");
    box.classList.add("slider");
    box.style.setProperty("--position", "50%");
    slider.addEventListener("input", function () {
      box.style.setProperty("--position", slider.value + "%");
    });
    box.appendChild(slider);
  });
})();
