// The queue: j/k to move through the documents, Enter to open, n to start, / to search;
// files dropped anywhere on the queue are uploaded.
(function () {
  "use strict";
  let selected = -1;

  function rows() {
    return Array.from(document.querySelectorAll("#queue-table tbody tr[data-href]"));
  }

  function select(index) {
    const all = rows();
    if (!all.length) return;
    selected = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) { row.classList.toggle("selected", i === selected); });
    all[selected].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (window.ordinoTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") { select(selected + 1); event.preventDefault(); }
    else if (event.key === "k") { select(selected - 1); event.preventDefault(); }
    else if (event.key === "Enter" && selected >= 0) {
      window.location.href = rows()[selected].dataset.href; event.preventDefault();
    }
    else if (event.key === "n") { document.getElementById("start-next").click(); event.preventDefault(); }
    else if (event.key === "/") { document.getElementById("filter-q").focus(); event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    const row = event.target.closest("#queue-table tbody tr[data-href]");
    if (row && !event.target.closest("a")) window.location.href = row.dataset.href;
  });

  document.addEventListener("htmx:afterSwap", function () { selected = -1; });

  const zone = document.querySelector("[data-drop-upload]");
  if (zone) {
    zone.addEventListener("dragover", function (event) {
      event.preventDefault(); zone.classList.add("dropping");
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dropping"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault(); zone.classList.remove("dropping");
      const form = zone.querySelector("form.upload");
      const input = form.querySelector("input[type=file]");
      input.files = event.dataTransfer.files;
      if (input.files.length) form.submit();
    });
  }
})();
