// Shared by every screen: dialogs opened by data-open-dialog, and the shortcuts help.
(function () {
  "use strict";

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  window.ordinoTyping = typing;

  document.addEventListener("click", function (event) {
    const opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      const dialog = document.getElementById(opener.dataset.openDialog);
      if (dialog) dialog.showModal();
      return;
    }
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) closer.closest("dialog").close();
  });

  // A refused htmx request (expired form, lost session, server error) says so in the flash area.
  document.addEventListener("htmx:responseError", function (event) {
    const xhr = event.detail.xhr;
    let message = "The server refused this (" + xhr.status + "). Reload the page and try again.";
    try {
      const problem = JSON.parse(xhr.responseText);
      if (problem && problem.detail) message = problem.detail;
    } catch (ignored) { /* not a problem document: keep the generic message */ }
    const flash = document.getElementById("flash");
    if (!flash) return;
    const p = document.createElement("p");
    p.className = "flash error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    flash.replaceChildren(p);
  });

  document.addEventListener("keydown", function (event) {
    const help = document.getElementById("shortcuts");
    if (!help) return;
    if (event.key === "F1" || (event.key === "?" && !typing(event.target))) {
      event.preventDefault();
      if (help.open) help.close(); else help.showModal();
    }
  });
})();
