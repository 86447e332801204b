/* The article review screen's keys and clicks (templates/admin/claims/review/article.html).
   Every action is one of the page's own forms, submitted as a click would: the server runs the
   review services and redirects back with the next draft selected. No inline script (CSP). */
(function () {
  "use strict";

  const desk = document.getElementById("desk");
  if (!desk) {
    return;
  }
  const body = document.getElementById("article-body");
  const findInput = document.getElementById("find-text");
  let current = null;
  let findFrom = 0;

  function rows() {
    return Array.from(document.querySelectorAll("#desk-list > li.draft"));
  }

  function select(row, scrollRow, scrollMark) {
    if (!row) {
      return;
    }
    rows().forEach(function (r) { r.classList.toggle("selected", r === row); });
    body.querySelectorAll("a.figure.selected").forEach(function (a) { a.classList.remove("selected"); });
    const mark = document.getElementById("fig-" + row.dataset.claim);
    if (mark) {
      mark.classList.add("selected");
      if (scrollMark) {
        mark.scrollIntoView({ block: "center" });
      }
    }
    if (scrollRow) {
      row.scrollIntoView({ block: "nearest" });
    }
    current = row;
  }

  function move(step) {
    const all = rows();
    if (!all.length) {
      return;
    }
    const index = all.indexOf(current);
    const next = all[Math.min(all.length - 1, Math.max(0, index + step))];
    select(next, true, true);
    next.focus({ preventScroll: true });
  }

  function submitCurrent(action) {
    if (!current) {
      return;
    }
    const form = current.querySelector("form.draft-form");
    const button = form && form.querySelector('button[value="' + action + '"]');
    if (button) {
      form.requestSubmit(button);
    }
  }

  function focusIn(selector) {
    const field = current && current.querySelector(selector);
    if (field && !field.disabled) {
      field.focus();
      if (field.select) {
        field.select();
      }
    }
  }

  // Character offsets in the body, which the page shows character for character.
  function offsetOf(node, offset) {
    const range = document.createRange();
    range.setStart(body, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function pointAt(offset) {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    let seen = 0;
    let node = walker.nextNode();
    while (node) {
      if (seen + node.data.length >= offset) {
        return [node, offset - seen];
      }
      seen += node.data.length;
      node = walker.nextNode();
    }
    return null;
  }

  function selectText(start, end) {
    const from = pointAt(start);
    const to = pointAt(end);
    if (!from || !to) {
      return;
    }
    const range = document.createRange();
    range.setStart(from[0], from[1]);
    range.setEnd(to[0], to[1]);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const element = from[0].parentElement;
    if (element) {
      element.scrollIntoView({ block: "center" });
    }
  }

  function addFromSelection() {
    const selection = window.getSelection();
    const form = document.getElementById("add-form");
    if (!form || !selection.rangeCount || selection.isCollapsed) {
      return false;
    }
    const range = selection.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) {
      return false;
    }
    document.getElementById("add-start").value = offsetOf(range.startContainer, range.startOffset);
    document.getElementById("add-end").value = offsetOf(range.endContainer, range.endOffset);
    form.requestSubmit();
    return true;
  }

  const addForm = document.getElementById("add-form");
  if (addForm) {
    addForm.addEventListener("submit", function (event) {
      if (!document.getElementById("add-start").value) {
        event.preventDefault();
        if (!addFromSelection()) {
          window.alert("Select the figure in the text first (or find it with /).");
        }
      }
    });
    // Clicking the button would clear nothing, but read the selection before focus moves.
    document.getElementById("add-claim").addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
  }

  const findForm = document.getElementById("find-form");
  if (findForm) {
    findForm.addEventListener("submit", function (event) {
      event.preventDefault();
      const wanted = findInput.value;
      if (!wanted) {
        return;
      }
      const text = body.textContent;
      let at = text.indexOf(wanted, findFrom);
      if (at < 0) {
        at = text.indexOf(wanted);
      }
      if (at < 0) {
        findInput.setCustomValidity("Not in the text");
        findInput.reportValidity();
        return;
      }
      findInput.setCustomValidity("");
      findFrom = at + wanted.length;
      body.focus({ preventScroll: true });
      selectText(at, at + wanted.length);
    });
  }

  body.addEventListener("click", function (event) {
    const mark = event.target.closest("a.figure");
    if (!mark) {
      return;
    }
    const row = document.getElementById("claim-" + mark.dataset.claim);
    if (row) {
      event.preventDefault();
      select(row, true, false);
    }
  });

  document.getElementById("desk-list").addEventListener("click", function (event) {
    const row = event.target.closest("li.draft");
    if (row && row !== current) {
      select(row, false, true);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const target = event.target;
    if (target.matches("input, select, textarea")) {
      if (event.key === "Escape") {
        event.preventDefault();
        target.blur();
        if (current) {
          current.focus({ preventScroll: true });
        }
      }
      return;
    }
    const keys = {
      j: function () { move(1); },
      k: function () { move(-1); },
      a: function () { submitCurrent("approve"); },
      d: function () { submitCurrent("article_date"); },
      e: function () { focusIn(".draft-fields select, .draft-fields input"); },
      r: function () { focusIn("input.reject-reason"); },
      n: addFromSelection,
      A: function () {
        const button = document.getElementById("approve-rest");
        if (button) {
          button.click();
        }
      },
      "/": function () {
        if (findInput) {
          findInput.focus();
          findInput.select();
        }
      },
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  const wanted = document.getElementById("claim-" + desk.dataset.selected);
  select(wanted || rows()[0], true, true);
  if (current) {
    current.focus({ preventScroll: true });
  }
})();
