"""Scripts the editors' browser tests run in the page: a selection made as a drag leaves it, and a reload check."""

# Marks the window: an htmx swap keeps the mark, a reload loses it (see same_page).
SAME_PAGE = "window.__samePage = 'still here'"

# Select source-text characters [start, end) as a drag would: a DOM selection between two text nodes.
SELECT = """([start, end]) => {
  const root = document.querySelector(".source-text");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let pos = 0, node, from, fromOffset, to, toOffset;
  while ((node = walker.nextNode())) {
    const len = node.data.length;
    if (from === undefined && start < pos + len) { from = node; fromOffset = start - pos; }
    if (end <= pos + len) { to = node; toOffset = end - pos; break; }
    pos += len;
  }
  window.getSelection().setBaseAndExtent(from, fromOffset, to, toOffset);
}"""


def same_page(page):
    """Whether ``page`` still holds the mark SAME_PAGE set (it was not reloaded since)."""
    return page.evaluate("window.__samePage") == "still here"
