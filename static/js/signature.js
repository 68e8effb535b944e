// Signature pad of the consent form: she signs with a finger, a pen or the mouse on a canvas
// (pointer events cover all three); on submit the drawing goes into the hidden input as a PNG
// data URL, which the server checks with Pillow. No library, no inline code or style (CSP).
(function () {
  "use strict";

  function setUp(pad) {
    var canvas = pad.querySelector("canvas");
    var input = pad.querySelector("[data-signature-input]");
    var clearButton = pad.querySelector("[data-signature-clear]");
    var form = pad.closest("form");
    var context = canvas.getContext("2d");
    var drawn = false;
    var last = null;
    var width = 0;

    function size() {
      // Draw at the screen's pixel density, so the stroke stays sharp on a phone.
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var box = canvas.getBoundingClientRect();
      if (Math.round(box.width) === width) {
        return;
      }
      // Resizing a canvas empties it: keep what she drew (turning the phone, say).
      var copy = null;
      if (drawn) {
        copy = document.createElement("canvas");
        copy.width = canvas.width;
        copy.height = canvas.height;
        copy.getContext("2d").drawImage(canvas, 0, 0);
      }
      width = Math.round(box.width);
      canvas.width = Math.round(box.width * ratio);
      canvas.height = Math.round(box.height * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#1d1d2b";
      context.fillStyle = "#1d1d2b";
      if (copy) {
        context.drawImage(copy, 0, 0, box.width, box.height);
      }
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    function lineTo(to) {
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(to.x, to.y);
      context.stroke();
      last = to;
      drawn = true;
    }

    canvas.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) {
        return;
      }
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      last = point(event);
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, 2 * Math.PI);
      context.fill();
    });

    canvas.addEventListener("pointermove", function (event) {
      if (last === null) {
        return;
      }
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      (events.length ? events : [event]).forEach(function (each) {
        lineTo(point(each));
      });
    });

    function stop() {
      last = null;
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("lostpointercapture", stop);

    function clear() {
      context.save();
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.clearRect(0, 0, canvas.width, canvas.height);
      context.restore();
      input.value = "";
      drawn = false;
    }

    clearButton.hidden = false;
    clearButton.addEventListener("click", clear);
    form.addEventListener("submit", function () {
      // Only a drawing is sent: an empty box leaves the input empty, and the server says so.
      if (drawn) {
        input.value = canvas.toDataURL("image/png");
      }
    });

    size();
    window.addEventListener("resize", size);

    // A form sent back with another answer missing keeps her valid signature: show it again.
    if (input.value.indexOf("data:image/png;base64,") === 0) {
      var image = new Image();
      image.addEventListener("load", function () {
        var box = canvas.getBoundingClientRect();
        context.drawImage(image, 0, 0, box.width, box.height);
        drawn = true;
      });
      image.src = input.value;
    }
  }

  document.querySelectorAll("[data-signature]").forEach(setUp);
})();
