/* factcheck's own script: small, and nothing depends on it (every page works without it).
 *
 * 1. Focus after an htmx swap. htmx replaces the element that held focus (the
 *    form just submitted, the button just pressed), and the browser then drops
 *    focus on <body>: a keyboard or screen-reader user starts again from the
 *    top. After every swap, if focus was lost, it moves to what changed: an
 *    element in the new content marked [data-focus], else the new content's
 *    first heading, else the swapped element itself.
 * 2. List filters: <input data-filter-list="id"> hides the items of that
 *    list whose text lacks what is typed (checked items always stay).
 */
(function () {
  "use strict";

  function focusable(el) {
    if (!el.hasAttribute("tabindex") && !el.matches("a[href], button, input, select, textarea, summary")) {
      el.setAttribute("tabindex", "-1");
    }
    return el;
  }

  function lostFocus() {
    var active = document.activeElement;
    return !active || active === document.body || !document.documentElement.contains(active);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    if (!target || !document.documentElement.contains(target) || !lostFocus()) {
      // outerHTML swaps replace the element the event names: find its successor by id.
      var id = event.detail.target && event.detail.target.id;
      target = id ? document.getElementById(id) : null;
      if (!target || !lostFocus()) return;
    }
    var into = target.querySelector("[data-focus]") || target.querySelector("h1, h2, h3, h4, legend, .form-errors") || target;
    focusable(into).focus({ preventScroll: false });
  });

  function filterList(input) {
    var list = document.getElementById(input.getAttribute("data-filter-list"));
    if (!list) return;
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    list.querySelectorAll("li").forEach(function (li) {
      var text = li.textContent.toLowerCase();
      var checked = li.querySelector("input:checked");
      var keep = checked || words.every(function (w) { return text.indexOf(w) !== -1; });
      li.hidden = !keep;
      if (keep) shown += 1;
    });
    var status = document.getElementById(input.getAttribute("aria-describedby"));
    if (status) status.textContent = shown + " shown";
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("input[data-filter-list]")) filterList(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filter-list]").forEach(function (input) {
      input.hidden = false;
      var label = document.querySelector('label[for="' + input.id + '"]');
      if (label) label.hidden = false;
      if (input.value) filterList(input);
    });
  });
})();
