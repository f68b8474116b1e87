/* The planning panel in the event form (templates/planning/panel.html).

   When the place, the start or the end changes, ask the server for the panel
   of the form's current values (debounced) and show it. "Use this" puts an
   alternative's place and time into the form's fields and refreshes.
   Without JavaScript the change page shows the panel for the saved values. */
(function () {
  "use strict";

  var panel = document.getElementById("planning-panel");
  if (!panel || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var body = document.getElementById("planning-panel-body");
  var status = document.getElementById("planning-panel-status");
  var heading = document.getElementById("planning-panel-title");
  var form = panel.closest("form") || document;
  var FIELDS = ["start_0", "start_1", "end_0", "end_1"];
  var DELAY = 400;
  var timer = null;
  var sequence = 0;

  function field(name) {
    return form.querySelector("[name='" + name + "']");
  }

  function jq() {
    return window.django && window.django.jQuery ? window.django.jQuery : null;
  }

  function showButtons() {
    body.querySelectorAll(".planning-use").forEach(function (button) {
      button.hidden = false;
    });
  }

  function showStatus(text) {
    status.textContent = text || "";
    status.hidden = !text;
  }

  function currentValues() {
    var location = field("location");
    if (!location || !location.value) {
      return null;
    }
    var params = new URLSearchParams();
    params.set("location", location.value);
    for (var i = 0; i < FIELDS.length; i += 1) {
      var input = field(FIELDS[i]);
      if (!input || !input.value.trim()) {
        return null;
      }
      params.set(FIELDS[i], input.value.trim());
    }
    if (panel.dataset.event) {
      params.set("event", panel.dataset.event);
    }
    return params;
  }

  function refresh() {
    var params = currentValues();
    if (!params) {
      return;
    }
    sequence += 1;
    var mine = sequence;
    body.setAttribute("aria-busy", "true");
    fetch(panel.dataset.url + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" }
    })
      .then(function (response) {
        return response.text().then(function (text) {
          return { ok: response.ok, status: response.status, text: text };
        });
      })
      .then(function (result) {
        if (mine !== sequence) {
          return; // an answer to an older question
        }
        body.removeAttribute("aria-busy");
        if (result.ok || result.status === 400) {
          body.innerHTML = result.text;
          showButtons();
          showStatus("");
        } else {
          showStatus(panel.dataset.errorText || result.status + "");
        }
      })
      .catch(function () {
        if (mine === sequence) {
          body.removeAttribute("aria-busy");
          showStatus(panel.dataset.errorText || "");
        }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY);
  }

  function watch(element) {
    if (!element) {
      return;
    }
    element.addEventListener("input", later);
    element.addEventListener("change", later);
    var $ = jq();
    if ($) {
      // Select2 (the place search) and the admin's shortcuts tell jQuery only.
      $(element).on("change", later);
    }
  }

  function setLocation(value, label) {
    var select = field("location");
    if (!select) {
      return;
    }
    var option = Array.prototype.find.call(select.options, function (item) {
      return item.value === value;
    });
    if (!option) {
      option = new Option(label, value, true, true);
      select.appendChild(option);
    }
    select.value = value;
    var $ = jq();
    if ($) {
      $(select).trigger("change"); // Select2 shows the new choice
    } else {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function use(button) {
    FIELDS.forEach(function (name) {
      var input = field(name);
      if (input) {
        input.value = button.dataset[name.replace("_", "-")] || "";
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    setLocation(button.dataset.location, button.dataset.locationLabel);
    window.clearTimeout(timer);
    refresh();
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  watch(field("location"));
  FIELDS.forEach(function (name) {
    watch(field(name));
  });
  body.addEventListener("click", function (event) {
    var button = event.target.closest(".planning-use");
    if (button) {
      use(button);
    }
  });
  showButtons();
  if (!body.querySelector(".planning-estimate")) {
    refresh(); // an add page with values already filled in (or a form sent back)
  }
})();
