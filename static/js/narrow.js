/* Narrowing a suggested passage before adding it (the claim page's evidence finder; editors only).
 *
 * Each suggestion's blockquote carries "source:start:end". Selecting words in
 * it, or moving its start and end a word at a time, narrows what "Use this
 * passage" sends: its value becomes "source:start':end'" and it is ticked.
 * The server's rule is unchanged (within the suggested passage, on word
 * boundaries, long enough): narrowing only ever chooses whole words inside.
 * Where the shown text is not exactly the source's text at those offsets
 * (its length differs), the controls stay hidden and the passage is added whole.
 */
(function () {
  "use strict";

  var words = window.factcheckWords;
  if (!words) return;
  var codePoints = words.codePoints;

  // Per blockquote: its text (UTF-16, as the DOM has it) and the chosen [s, e) within it.
  function state(quote) {
    if (!quote._narrow) {
      var parts = quote.getAttribute("data-narrow").split(":").map(Number);
      var text = quote.textContent;
      if (codePoints(text) !== parts[2] - parts[1]) return null;
      quote._narrow = { source: parts[0], start: parts[1], text: text, s: 0, e: text.length };
    }
    return quote._narrow;
  }

  function wordStarts(text) {
    var out = [];
    for (var i = 0; i < text.length; i += 1) if (/\S/.test(text[i]) && (i === 0 || /\s/.test(text[i - 1]))) out.push(i);
    return out;
  }

  function wordEnds(text) {
    var out = [];
    for (var i = 1; i <= text.length; i += 1) if (/\S/.test(text[i - 1]) && (i === text.length || /\s/.test(text[i]))) out.push(i);
    return out;
  }

  function render(quote, st) {
    var p = quote.querySelector("p");
    var before = document.createElement("span");
    var chosen = document.createElement("mark");
    var after = document.createElement("span");
    before.className = after.className = "narrow-out";
    chosen.className = "narrow-in";
    before.textContent = st.text.slice(0, st.s);
    chosen.textContent = st.text.slice(st.s, st.e);
    after.textContent = st.text.slice(st.e);
    p.replaceChildren(before, chosen, after);
    var item = quote.closest(".evidence-suggestion");
    var radio = item.querySelector("input[name=passage]");
    var start = st.start + codePoints(st.text.slice(0, st.s));
    var end = st.start + codePoints(st.text.slice(0, st.e));
    radio.value = st.source + ":" + start + ":" + end;
    radio.checked = true;
    // The answer to "Add" removes the suggestion by "evidence-<source>-<start of the quote added>".
    item.id = "evidence-" + st.source + "-" + start;
    var whole = st.s === 0 && st.e === st.text.length;
    // The words come from the template's data- attributes, translated there.
    var status = item.querySelector(".narrow-status");
    status.textContent = whole
      ? status.dataset.whole
      : status.dataset.part.replace("{part}", st.e - st.s).replace("{total}", st.text.length);
  }

  function move(quote, how) {
    var st = state(quote);
    if (!st) return;
    if (how === "whole") {
      st.s = 0; st.e = st.text.length;
    } else {
      var parts = how.split(":"), side = parts[0], step = Number(parts[1]);
      if (side === "start") {
        var starts = wordStarts(st.text).filter(function (i) { return i < st.e; });
        var at = starts.indexOf(st.s);
        var next = starts[Math.min(Math.max((at === -1 ? 0 : at) + step, 0), starts.length - 1)];
        if (next !== undefined) st.s = next;
      } else {
        var ends = wordEnds(st.text).filter(function (i) { return i > st.s; });
        var pos = ends.indexOf(st.e);
        var nextEnd = ends[Math.min(Math.max((pos === -1 ? ends.length - 1 : pos) + step, 0), ends.length - 1)];
        if (nextEnd !== undefined) st.e = nextEnd;
      }
    }
    render(quote, st);
  }

  function narrowToSelection() {
    var range = words.selectedRange();
    if (!range) return;
    var quote = range.commonAncestorContainer.nodeType === 1
      ? range.commonAncestorContainer.closest("blockquote[data-narrow]")
      : range.commonAncestorContainer.parentElement.closest("blockquote[data-narrow]");
    if (!quote) return;
    var st = state(quote);
    if (!st) return;
    var at = words.wordsIn(quote, st.text, range);
    if (!at) return;
    st.s = at.s; st.e = at.e;
    render(quote, st);
  }

  function enable(root) {
    root.querySelectorAll(".evidence-suggestion").forEach(function (item) {
      var quote = item.querySelector("blockquote[data-narrow]");
      var controls = item.querySelector(".narrow-controls");
      if (quote && controls && state(quote)) controls.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".narrow-controls button[data-move]");
    if (!button) return;
    move(button.closest(".evidence-suggestion").querySelector("blockquote[data-narrow]"), button.getAttribute("data-move"));
  });
  document.addEventListener("mouseup", function () { window.setTimeout(narrowToSelection, 0); });
  document.addEventListener("keyup", function (event) { if (event.shiftKey) narrowToSelection(); });
  document.addEventListener("htmx:afterSettle", function (event) { enable(event.detail.elt || document); });
  document.addEventListener("DOMContentLoaded", function () { enable(document); });
})();
