// Newsgloss: when a fact-checker or editor selects words in the article body,
// offer "Annotate the selected words". The button opens the note form with the
// quote and a little context on each side; the server finds the passage in its
// own copy of the text and refuses a quote that is not there. Without this
// script the same form is reached by the "write a note" link.
(function () {
  "use strict";

  var body = document.querySelector("[data-annotatable]");
  var bar = document.getElementById("annotate-bar");
  var button = document.getElementById("annotate-button");
  if (!body || !bar || !button) {
    return;
  }
  var formURL = body.getAttribute("data-note-url");
  var tagButton = document.getElementById("tag-button"); // editors only
  var tagURL = tagButton ? tagButton.getAttribute("data-tag-url") : "";
  var CONTEXT = 32; // characters of context each side, as the server keeps
  var MAX_QUOTE = 1500; // longer selections go through the form by hand
  var BLOCK = /^(P|H[1-6]|LI|BLOCKQUOTE|PRE|UL|OL|DIV|HR)$/;

  // textOf collects the text of a node as the server's canonical text has it:
  // blocks on their own lines, note markers left out.
  function textOf(node, out) {
    if (node.nodeType === Node.TEXT_NODE) {
      out.push(node.data);
      return;
    }
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (node.classList.contains("note-ref")) {
        return;
      }
      if (node.nodeName === "BR") {
        out.push("\n");
        return;
      }
    } else if (node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) {
      return;
    }
    var block = node.nodeType === Node.ELEMENT_NODE && BLOCK.test(node.nodeName);
    if (block) {
      out.push("\n");
    }
    for (var c = node.firstChild; c; c = c.nextSibling) {
      textOf(c, out);
    }
    if (block) {
      out.push("\n");
    }
  }

  function rangeText(range) {
    var out = [];
    textOf(range.cloneContents(), out);
    return out.join("").replace(/\s+/g, " ");
  }

  function update() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) {
      bar.hidden = true;
      return;
    }
    var range = sel.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) {
      bar.hidden = true;
      return;
    }
    var quote = rangeText(range).trim();
    if (quote === "" || quote.length > MAX_QUOTE) {
      bar.hidden = true;
      return;
    }
    var before = document.createRange();
    before.setStart(body, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var after = document.createRange();
    after.setStart(range.endContainer, range.endOffset);
    after.setEnd(body, body.childNodes.length);
    var prefix = rangeText(before).trimStart().slice(-CONTEXT);
    var suffix = rangeText(after).trimEnd().slice(0, CONTEXT);

    var query = "?quote=" + encodeURIComponent(quote) +
      "&prefix=" + encodeURIComponent(prefix) + "&suffix=" + encodeURIComponent(suffix);
    button.href = formURL + query;
    if (tagButton) {
      tagButton.href = tagURL + query;
    }
    bar.hidden = false;
  }

  var pending = 0;
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 120);
  });
})();
