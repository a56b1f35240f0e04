// Editors' pages. A stale edit is answered 409 and bad input 422, each with
// HTML that replaces the form (the current version beside the editor's own,
// or the form with its errors); htmx leaves 4xx answers unswapped unless told.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
