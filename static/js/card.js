// The client card: its sections fold (<details class="fold">); the last one she opened is opened
// again on her next card (only the section's name is kept, never client data). A link to a
// section (#health) opens it. The nail sheet closes without reloading the page.
(function () {
  "use strict";
  var KEY = "nailpro.card.fold";

  function remember(name) {
    try { localStorage.setItem(KEY, name); } catch (e) { /* private mode: nothing kept */ }
  }
  function remembered() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function fold(name) {
    return document.querySelector('details.fold[data-fold="' + name + '"]');
  }
  function openFold(name) {
    var details = fold(name);
    if (details) { details.open = true; }
    return details;
  }

  var last = remembered();
  if (last) { openFold(last); }
  var target = location.hash.slice(1);
  if (target && target !== last) {
    var opened = openFold(target);
    if (opened) { opened.scrollIntoView(); }
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.matches && details.matches("details.fold") && details.open) {
      remember(details.dataset.fold);
    }
  }, true);

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-open-fold]");
    if (link) { openFold(link.dataset.openFold); }
    var close = event.target.closest("[data-sheet-close]");
    var sheet = close && close.closest(".nail-sheet");
    if (sheet) {
      event.preventDefault();
      sheet.replaceChildren();
    }
  });

  document.addEventListener("keydown", function (event) {
    var sheet = document.querySelector(".nail-sheet");
    if (event.key === "Escape" && sheet && sheet.firstElementChild) {
      var finger = sheet.querySelector("input[name=finger]");
      sheet.replaceChildren();
      // Back to the nail she came from, for keyboard and screen-reader users.
      var nail = finger && document.querySelector('.nail-link[data-finger="' + finger.value + '"]');
      if (nail) { nail.focus(); }
    }
  });
})();
