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
