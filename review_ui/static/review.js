// The validation screen: the page image with its word and field boxes, picking text from the
// image into the focused field, page navigation, zoom, and the keyboard.
//
// Text from the document only ever enters the page through textContent, value and title,
// never as HTML.
(function () {
  "use strict";
  const root = document.querySelector(".review");
  if (!root) return;
  const documentId = root.dataset.document;
  const readOnly = root.dataset.readOnly === "true";
  const form = document.getElementById("review-form");
  const pagesHolder = document.getElementById("pages");
  const pageEls = Array.from(pagesHolder.querySelectorAll(".page"));
  const pagesData = JSON.parse(document.getElementById("pages-data").textContent);
  const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
  let zoomIndex = 2;
  let currentPage = 1;
  let focused = null;
  let drag = null;

  // --- geometry ---------------------------------------------------------------------------

  function place(el, bbox) {
    el.style.left = bbox[0] * 100 + "%";
    el.style.top = bbox[1] * 100 + "%";
    el.style.width = (bbox[2] - bbox[0]) * 100 + "%";
    el.style.height = (bbox[3] - bbox[1]) * 100 + "%";
  }

  function union(boxes) {
    return [
      Math.min.apply(null, boxes.map(function (b) { return b[0]; })),
      Math.min.apply(null, boxes.map(function (b) { return b[1]; })),
      Math.max.apply(null, boxes.map(function (b) { return b[2]; })),
      Math.max.apply(null, boxes.map(function (b) { return b[3]; })),
    ];
  }

  function pageIndexOf(pageEl) { return Number(pageEl.dataset.page) - 1; }

  // --- drawing ------------------------------------------------------------------------------

  function drawWords() {
    pageEls.forEach(function (pageEl) {
      const holder = pageEl.querySelector(".words");
      holder.textContent = "";
      (pagesData[pageIndexOf(pageEl)] || []).forEach(function (word, index) {
        const el = document.createElement("div");
        el.className = "word";
        el.dataset.index = String(index);
        el.title = word[0];
        el.textContent = word[0];
        place(el, word.slice(1, 5));
        holder.appendChild(el);
      });
    });
  }

  function inputFor(target) {
    return form.querySelector('input[data-box="' + CSS.escape(target) + '"]');
  }

  function labelFor(target) {
    if (target.indexOf("l:") === 0) return "line " + (Number(target.slice(2)) + 1);
    const input = inputFor(target);
    const label = input && input.labels && input.labels[0];
    return label ? label.textContent : target;
  }

  function drawBoxes() {
    const holder = document.getElementById("boxes-data");
    const boxes = holder ? JSON.parse(holder.textContent) : [];
    pageEls.forEach(function (pageEl) { pageEl.querySelector(".boxes").textContent = ""; });
    boxes.forEach(function (box) {
      const pageEl = pageEls.find(function (p) { return Number(p.dataset.page) === box.page; });
      if (!pageEl) return;
      const el = document.createElement("div");
      el.className = "box" + (box.flagged ? " flagged" : "");
      el.dataset.target = box.target;
      place(el, box.bbox);
      const chip = document.createElement("button");
      chip.type = "button";
      chip.tabIndex = -1;
      chip.className = "chip";
      chip.dataset.target = box.target;
      chip.textContent = labelFor(box.target);
      el.appendChild(chip);
      pageEl.querySelector(".boxes").appendChild(el);
    });
    highlight(focused ? focused.dataset.box : null);
  }

  function highlight(target) {
    pagesHolder.querySelectorAll(".box").forEach(function (el) {
      el.classList.toggle("lit", target !== null && el.dataset.target === target);
    });
  }

  function boxOf(target) {
    return pagesHolder.querySelector('.box[data-target="' + CSS.escape(target) + '"]');
  }

  // --- pages and zoom ---------------------------------------------------------------------

  function showPage(number) {
    const count = Math.max(pageEls.length, 1);
    currentPage = Math.min(Math.max(number, 1), count);
    pageEls.forEach(function (pageEl) {
      pageEl.hidden = Number(pageEl.dataset.page) !== currentPage;
    });
    document.getElementById("page-number").textContent = String(currentPage);
  }

  function setZoom(step) {
    zoomIndex = step === 0 ? 2 : Math.min(Math.max(zoomIndex + step, 0), ZOOMS.length - 1);
    pagesHolder.style.width = ZOOMS[zoomIndex] * 100 + "%";
    document.getElementById("zoom-level").textContent = Math.round(ZOOMS[zoomIndex] * 100) + " %";
  }

  pageEls.forEach(function (pageEl) {
    const img = pageEl.querySelector("img");
    img.addEventListener("error", function () {
      // No image (a file that cannot be rendered): show the words where they were read.
      pageEl.classList.add("text-view");
      img.hidden = true;
    });
  });

  // --- picking text from the page ---------------------------------------------------------

  function setPick(input, page, bbox) {
    const name = "p:" + input.name;
    let hidden = form.querySelector('input[type=hidden][name="' + CSS.escape(name) + '"]');
    if (!hidden) {
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = name;
      hidden.dataset.pick = "true";
      form.appendChild(hidden);
    }
    hidden.value = page + ";" + bbox.map(function (v) { return v.toFixed(5); }).join(",");
    input.dataset.pickBox = JSON.stringify(bbox);
  }

  function clearPicks() {
    form.querySelectorAll("input[data-pick]").forEach(function (el) { el.remove(); });
  }

  function fillFocused(pageEl, indices, append) {
    if (readOnly) return;
    if (!focused) {
      flash("Click a field first, then the word on the page.");
      return;
    }
    const words = pagesData[pageIndexOf(pageEl)] || [];
    const chosen = indices.map(function (i) { return words[i]; }).filter(Boolean);
    if (!chosen.length) return;
    chosen.sort(function (a, b) { return (a[5] - b[5]) || (a[1] - b[1]); });
    let text = chosen.map(function (w) { return w[0]; }).join(" ");
    let bbox = union(chosen.map(function (w) { return w.slice(1, 5); }));
    if (append && focused.value) {
      text = focused.value + " " + text;
      if (focused.dataset.pickBox) bbox = union([bbox, JSON.parse(focused.dataset.pickBox)]);
    }
    focused.value = text;
    setPick(focused, Number(pageEl.dataset.page), bbox);
    focused.dispatchEvent(new Event("input", { bubbles: true }));
    focused.dispatchEvent(new Event("change", { bubbles: true }));
    focused.focus();
  }

  function wordsIn(pageEl, box) {
    const words = pagesData[pageIndexOf(pageEl)] || [];
    const found = [];
    words.forEach(function (w, i) {
      const cx = (w[1] + w[3]) / 2, cy = (w[2] + w[4]) / 2;
      if (cx >= box[0] && cx <= box[2] && cy >= box[1] && cy <= box[3]) found.push(i);
    });
    return found;
  }

  function fraction(pageEl, event) {
    const rect = pageEl.getBoundingClientRect();
    return [(event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height];
  }

  pagesHolder.addEventListener("mousedown", function (event) {
    if (event.button !== 0) return;
    const chip = event.target.closest(".chip");
    if (chip) {
      event.preventDefault();
      const input = inputFor(chip.dataset.target);
      if (input) input.focus();
      return;
    }
    const pageEl = event.target.closest(".page");
    if (!pageEl) return;
    event.preventDefault(); // the focused field keeps the focus
    drag = { pageEl: pageEl, start: fraction(pageEl, event), x: event.clientX, y: event.clientY,
             append: event.shiftKey, el: null, word: event.target.closest(".word") };
  });

  document.addEventListener("mousemove", function (event) {
    if (!drag) return;
    if (!drag.el && Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 5) return;
    if (!drag.el) {
      drag.el = document.createElement("div");
      drag.el.className = "selection";
      drag.pageEl.appendChild(drag.el);
    }
    const now = fraction(drag.pageEl, event);
    drag.box = [Math.min(drag.start[0], now[0]), Math.min(drag.start[1], now[1]),
                Math.max(drag.start[0], now[0]), Math.max(drag.start[1], now[1])];
    place(drag.el, drag.box);
  });

  document.addEventListener("mouseup", function () {
    if (!drag) return;
    const done = drag;
    drag = null;
    if (done.el) {
      done.el.remove();
      fillFocused(done.pageEl, wordsIn(done.pageEl, done.box), done.append);
    } else if (done.word) {
      fillFocused(done.pageEl, [Number(done.word.dataset.index)], done.append);
    }
  });

  // --- fields -------------------------------------------------------------------------------

  function fieldInputs() {
    return Array.from(form.querySelectorAll("input[data-box]")).filter(function (el) {
      return !el.disabled && el.offsetParent !== null;
    });
  }

  function isFlagged(input) {
    if (input.name.indexOf("l:") === 0) {
      const row = document.getElementById("line-reasons-" + input.name.split(":")[1]);
      return Boolean(row && row.classList.contains("flagged"));
    }
    const reasons = document.getElementById("reasons-" + input.id);
    return Boolean(reasons && reasons.classList.contains("flagged"));
  }

  function nextFlagged(after) {
    const inputs = fieldInputs();
    const start = after ? inputs.indexOf(after) + 1 : 0;
    const rest = inputs.slice(start).concat(inputs.slice(0, start));
    return rest.find(function (el) { return el !== after && isFlagged(el); }) || null;
  }

  function focusInput(input) {
    if (!input) return;
    input.focus();
    input.select();
  }

  form.addEventListener("focusin", function (event) {
    const input = event.target.closest("input[data-box]");
    if (!input) return;
    focused = input;
    input.dataset.before = input.value;
    highlight(input.dataset.box);
    const box = boxOf(input.dataset.box);
    if (box) {
      showPage(Number(box.closest(".page").dataset.page));
      box.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });

  form.addEventListener("mouseover", function (event) {
    const row = event.target.closest("[data-box]");
    highlight(row ? row.dataset.box : focused ? focused.dataset.box : null);
  });

  function confirmField(input) {
    const field = input.name.slice(2);
    htmx.ajax("POST", "/review/" + documentId + "/confirm/" + encodeURIComponent(field),
              { source: document.getElementById("flash"), swap: "none" });
  }

  function approve() {
    if (readOnly) return;
    form.requestSubmit(document.getElementById("approve"));
  }

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.ctrlKey || event.metaKey) return;
    const input = event.target.closest("input[data-box]");
    if (!input) return;
    event.preventDefault(); // Enter accepts the field; it never submits the form
    if (input.value === input.dataset.before && input.name.indexOf("f:") === 0 && isFlagged(input)) {
      confirmField(input);
    }
    const inputs = fieldInputs();
    focusInput(nextFlagged(input) || inputs[inputs.indexOf(input) + 1] || input);
  });

  // --- line items -----------------------------------------------------------------------

  function currentLine() {
    return focused && focused.name.indexOf("l:") === 0 ? Number(focused.name.split(":")[1]) : null;
  }

  function lineOp(operation, index) {
    if (readOnly) return;
    htmx.ajax("POST", "/review/" + documentId + "/lines/" + index + "/" + operation, {
      source: form, swap: "none",
    }).then(function () {
      const target = { add: index + 1, split: index + 1, up: index - 1, down: index + 1,
                       "delete": Math.max(index - 1, 0) }[operation];
      focusInput(form.querySelector('input[name="l:' + target + ':sku"]') ||
                 form.querySelector('input[name^="l:' + target + ':"]'));
    });
  }

  form.addEventListener("click", function (event) {
    const button = event.target.closest("[data-line-op]");
    if (!button) return;
    lineOp(button.dataset.lineOp, Number(button.dataset.line));
  });

  // --- the keyboard, anywhere on the screen ---------------------------------------------

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      approve();
      return;
    }
    if (event.key === "F2") {
      event.preventDefault();
      focusInput(nextFlagged(focused));
      return;
    }
    if (!event.altKey) return;
    const line = currentLine();
    const keys = {
      PageDown: function () { showPage(currentPage + 1); },
      PageUp: function () { showPage(currentPage - 1); },
      "=": function () { setZoom(1); },
      "+": function () { setZoom(1); },
      "-": function () { setZoom(-1); },
      "0": function () { setZoom(0); },
      r: function () { if (!readOnly) document.getElementById("reject-dialog").showModal(); },
      n: function () { if (!readOnly) document.getElementById("not-order-dialog").showModal(); },
      l: function () { lineOp("add", line === null ? form.querySelectorAll("tr.line").length - 1 : line); },
      d: function () { if (line !== null) lineOp("delete", line); },
      s: function () { if (line !== null) lineOp("split", line); },
      ArrowUp: function () { if (line !== null) lineOp("up", line); },
      ArrowDown: function () { if (line !== null) lineOp("down", line); },
    };
    const action = keys[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  root.addEventListener("click", function (event) {
    const step = event.target.closest("[data-page-step]");
    if (step) showPage(currentPage + Number(step.dataset.pageStep));
    const zoom = event.target.closest("[data-zoom]");
    if (zoom) setZoom(Number(zoom.dataset.zoom));
  });

  // --- talking to the server ------------------------------------------------------------

  function flash(message) {
    const holder = document.getElementById("flash");
    const p = document.createElement("p");
    p.className = "flash warn";
    p.textContent = message;
    holder.replaceChildren(p);
  }

  document.body.addEventListener("htmx:configRequest", function (event) {
    // The picked boxes travel with this request only.
    if (event.detail.elt === form) setTimeout(clearPicks, 0);
  });

  document.body.addEventListener("htmx:afterSettle", drawBoxes);
  document.body.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "boxes-data") drawBoxes();
  });

  if (!readOnly) {
    setInterval(function () {
      htmx.ajax("POST", "/review/" + documentId + "/heartbeat",
                { source: document.getElementById("flash"), swap: "none" });
    }, 60000);
  }

  drawWords();
  drawBoxes();
  showPage(1);
  if (!readOnly) {
    const inputs = fieldInputs();
    focusInput(nextFlagged(null) || inputs[0]);
  }
})();
