/* Select to attach, on a source page (editors only; the page loads this only for them).
 *
 * Selecting words in the reader (.source-text) shows a small toolbar: "Attach
 * to claim…" or "New claim". The selection's offsets into the source's text
 * are computed from the DOM: the reader renders the verbatim text, its
 * highlights and anchors adding elements but not a character, so the length
 * of the text before a point is that point's offset. The server checks them
 * again (the words must be exactly the text there); if the reader's text is
 * not the source's (its length differs), the toolbar never shows.
 *
 * Readers' selection and copy are untouched: nothing here prevents a default
 * but the toolbar's own mousedown (which would drop the selection).
 * Alt+A moves to the toolbar; Escape closes it, then the panel.
 */
(function () {
  "use strict";

  var words = window.factcheckWords;
  var toolbar = document.getElementById("attach-toolbar");
  var panel = document.getElementById("attach-panel");
  var root = document.querySelector(".source-text");
  // htmx is loaded after this script (base.html puts it last): it is looked up when needed.
  if (!words || !toolbar || !panel || !root) return;
  var text = root.textContent;
  var codePoints = words.codePoints;
  if (codePoints(text) !== parseInt(toolbar.getAttribute("data-text-length"), 10)) return;

  // Right after the text in the tab order (never inside it: its words would count as the source's).
  root.after(toolbar);
  var chosen = null;

  function selected() {
    var range = words.selectedRange();
    if (!range || !root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    var at = words.wordsIn(root, text, range);
    if (!at) return null;
    return {
      start: codePoints(text.slice(0, at.s)),
      end: codePoints(text.slice(0, at.e)),
      quote: text.slice(at.s, at.e),
      rect: range.getBoundingClientRect()
    };
  }

  function hideToolbar() { toolbar.hidden = true; }

  function showToolbar() {
    chosen = selected();
    if (!chosen) { if (!toolbar.contains(document.activeElement)) hideToolbar(); return; }
    toolbar.hidden = false;
    var parent = (toolbar.offsetParent || document.body).getBoundingClientRect();
    toolbar.style.top = (chosen.rect.bottom - parent.top + 6) + "px";
    toolbar.style.left = Math.max(0, chosen.rect.left - parent.left) + "px";
  }

  function closePanel() {
    panel.hidden = true;
    panel.innerHTML = "";
  }

  function open(mode) {
    if (!chosen || !window.htmx) return;
    var base = toolbar.getAttribute(mode === "new" ? "data-new-url" : "data-attach-url");
    var url = base + "?start=" + chosen.start + "&end=" + chosen.end + "&quote=" + encodeURIComponent(chosen.quote);
    hideToolbar();
    panel.hidden = false;
    window.htmx.ajax("GET", url, { target: panel, swap: "innerHTML" });
  }

  var pending = null;
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(showToolbar, 150);
  });
  toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); });
  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-attach]");
    if (button) open(button.getAttribute("data-attach"));
  });
  panel.addEventListener("click", function (event) {
    if (event.target.closest("[data-attach-close]")) { event.preventDefault(); closePanel(); }
  });
  panel.addEventListener("htmx:afterSettle", function () {
    var into = panel.querySelector("[data-focus]");
    if (into) into.focus();
  });
  document.addEventListener("keydown", function (event) {
    // Alt+A: to the toolbar from a selection made with the keyboard (aria-keyshortcuts says so).
    if (event.altKey && (event.key === "a" || event.key === "A") && !toolbar.hidden) {
      event.preventDefault();
      toolbar.querySelector("button").focus();
      return;
    }
    if (event.key !== "Escape") return;
    if (!toolbar.hidden) { hideToolbar(); return; }
    if (!panel.hidden && panel.contains(document.activeElement)) closePanel();
  });
})();
