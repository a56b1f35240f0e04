// The drop zone of /sources/add/: a file dropped on it goes into the form's file input, and is sent.
// Without this script the plain file input does the same job.
(function () {
  "use strict";
  function init(zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input) return;
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("drop-zone-active");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("drop-zone-active");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      input.form.requestSubmit();
    });
  }
  document.querySelectorAll("[data-drop-zone]").forEach(init);
})();
