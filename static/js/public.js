// Small comforts for the public pages; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Wide screens have room for the filters: show them open.
  if (window.matchMedia("(min-width: 992px)").matches) {
    for (const details of document.querySelectorAll("details[data-open-wide]")) {
      details.open = true;
    }
  }

  // The language menu closes with Escape or a click elsewhere, like a menu.
  const menus = document.querySelectorAll("details.language-menu");
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of menus) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    }
  });
  document.addEventListener("click", (event) => {
    for (const menu of menus) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    }
  });
});

// Sharing a date: the phone's own share sheet and a copy button where the
// browser has them; the address field selects itself when focused.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-share-url]")) {
    if (!navigator.share) continue;
    button.closest("[hidden]")?.removeAttribute("hidden");
    button.addEventListener("click", () => {
      navigator
        .share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
        .catch(() => {});
    });
  }
  for (const field of document.querySelectorAll("[data-select-all]")) {
    field.addEventListener("focus", () => field.select());
  }
  for (const button of document.querySelectorAll("[data-copy-from]")) {
    const field = document.getElementById(button.dataset.copyFrom);
    if (!navigator.clipboard || !field) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(() => {
        // An empty live region that gets its text: read out by screen readers.
        const note = document.getElementById(button.dataset.copiedNote);
        if (note) note.textContent = button.dataset.copiedText;
      }, () => {});
    });
  }
});
