// The photo page of the public portfolio: the arrow keys go to the previous and next photo,
// Escape back to the grid. Plain links do the rest (they work without this script).
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    var selector = {
      ArrowLeft: "[data-lightbox-prev]",
      ArrowRight: "[data-lightbox-next]",
      Escape: "[data-lightbox-close]",
    }[event.key];
    var link = selector && document.querySelector(selector);
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
