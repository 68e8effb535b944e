// Photo upload: say which files are chosen, and show the progress while htmx sends them.
(function () {
  "use strict";
  var form = document.getElementById("photo-upload");
  if (!form) return;
  var progress = document.getElementById("upload-progress");
  var chosen = document.getElementById("chosen-files");
  form.querySelectorAll("input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      var names = [];
      form.querySelectorAll("input[type=file]").forEach(function (each) {
        Array.prototype.forEach.call(each.files, function (file) { names.push(file.name); });
      });
      chosen.textContent = names.join(", ");
    });
  });
  form.addEventListener("htmx:xhr:progress", function (event) {
    if (!event.detail.lengthComputable) return;
    progress.hidden = false;
    progress.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
})();
