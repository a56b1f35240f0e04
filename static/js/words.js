/* Selected words as offsets into a text (for attach.js and narrow.js, loaded before them).
 *
 * Both let an editor select words in a shown text and send the server their
 * offsets. The text is the element's textContent: highlights and anchors add
 * elements, never characters, so the length of the text before a point is
 * that point's offset. The server counts code points, JavaScript strings
 * UTF-16 units: codePoints converts.
 */
window.factcheckWords = (function () {
  "use strict";

  var WORD = /[\p{L}\p{N}_]/u;

  function codePoints(s) { return Array.from(s).length; }

  function offsetIn(root, node, offset) {
    var before = document.createRange();
    before.selectNodeContents(root);
    before.setEnd(node, offset);
    return before.toString().length;
  }

  // The page's selection, if there is one to speak of.
  function selectedRange() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
    return sel.getRangeAt(0);
  }

  // [s, e) of range in root's text (root.textContent, passed as text), null if it holds no word.
  // Whole words: a drag that starts or ends inside a word takes all of it; spaces at the ends are dropped.
  function wordsIn(root, text, range) {
    var s = offsetIn(root, range.startContainer, range.startOffset);
    var e = offsetIn(root, range.endContainer, range.endOffset);
    while (s > 0 && WORD.test(text[s - 1]) && WORD.test(text[s])) s -= 1;
    while (e < text.length && WORD.test(text[e - 1]) && WORD.test(text[e])) e += 1;
    while (s < e && /\s/.test(text[s])) s += 1;
    while (e > s && /\s/.test(text[e - 1])) e -= 1;
    return e > s ? { s: s, e: e } : null;
  }

  return { codePoints: codePoints, selectedRange: selectedRange, wordsIn: wordsIn };
})();
