// The visit checkout: running total (and discount), end time following the services, "same as
// last time", and products moved to the chosen list when ticked. The form works without it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-checkout]");
  if (!form) return;
  var money;
  try {
    money = new Intl.NumberFormat(form.dataset.language || "fr", {
      style: "currency", currency: form.dataset.currency || "EUR"
    });
  } catch (error) {
    money = new Intl.NumberFormat("fr", { style: "currency", currency: "EUR" });
  }
  var services = Array.prototype.slice.call(form.querySelectorAll("input[data-price-input]"));
  var total = form.querySelector("input[name=total]");
  var start = form.querySelector("input[name=started_at]");
  var end = form.querySelector("input[name=ends_at]");
  var shown = document.getElementById("running-total");
  var discount = document.getElementById("running-discount");
  var endTouched = false;

  function priceOf(box) {
    var input = document.getElementById(box.dataset.priceInput);
    var value = input ? parseFloat(input.value) : NaN;
    return isNaN(value) ? 0 : value;
  }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  // The end follows the services and the start once she changes them (or while it is empty);
  // an end typed by her, the visit's own or the appointment's, stays.
  function update(timing) {
    var sum = 0, minutes = 0;
    services.forEach(function (box) {
      var price = priceOf(box);
      var label = form.querySelector("[data-price-shown='" + box.dataset.priceInput + "']");
      if (label) label.textContent = money.format(price);
      var row = form.querySelector("[data-price-of='" + box.id + "']");
      if (row) row.hidden = !box.checked;
      if (box.checked) {
        sum += price;
        minutes += parseInt(box.dataset.duration, 10) || 0;
      }
    });
    var typed = total ? parseFloat(total.value) : NaN;
    var due = isNaN(typed) ? sum : typed;
    if (shown) shown.textContent = money.format(due);
    if (total) total.placeholder = money.format(sum);
    if (discount) {
      discount.hidden = !(due < sum);
      discount.querySelector("span").textContent = "−" + money.format(sum - due);
    }
    var follow = timing || (end && !end.value);
    if (follow && end && start && !endTouched && minutes && start.value) {
      var at = new Date(start.value);
      if (!isNaN(at.getTime())) {
        at = new Date(at.getTime() + minutes * 60000);
        end.value = pad(at.getHours()) + ":" + pad(at.getMinutes());
      }
    }
  }

  form.addEventListener("input", function (event) {
    if (event.target === end) endTouched = true;
    update(event.target === start);
  });
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name && box.name.indexOf("product_") === 0 && box.checked) {
      var row = box.closest(".product-row");
      var chosen = document.getElementById("products-chosen");
      if (row && chosen && row.parentNode !== chosen) chosen.appendChild(row);
      box.focus();
    }
    update(box.hasAttribute("data-duration") || box === start);
  });

  var same = form.querySelector("[data-same]");
  if (same) {
    same.addEventListener("click", function (event) {
      event.preventDefault();
      same.dataset.same.split(" ").filter(Boolean).forEach(function (id) {
        var box = document.getElementById(id);
        if (box) box.checked = true;
      });
      update(true);
    });
  }

  // With JavaScript the search answers in place: Enter or "Search" does not send the form.
  var query = document.getElementById("product-q");
  var find = form.querySelector("button[name=find]");
  function searchHere(event) {
    if (!window.htmx || !query) return;
    event.preventDefault();
    window.htmx.trigger(query, "search");
  }
  if (query) {
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") searchHere(event);
    });
  }
  if (find) find.addEventListener("click", searchHere);

  // A search may find a product already ticked or suggested: keep one row of each.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "product-results") return;
    event.target.querySelectorAll(".product-row").forEach(function (row) {
      var name = row.dataset.product;
      if (form.querySelectorAll("[data-product='" + name + "']").length > 1) row.remove();
    });
  });

  update();
})();
