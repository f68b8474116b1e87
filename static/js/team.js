/* Counting page: send a tap without reloading and update the totals.
   Without JavaScript (or when the request fails) the forms post and reload as usual. */
(function () {
  "use strict";

  var status = document.getElementById("team-status");
  if (!status || !window.fetch || !window.FormData) {
    return;
  }

  function setAll(selector, attribute, values) {
    document.querySelectorAll(selector).forEach(function (element) {
      var key = element.getAttribute(attribute);
      element.textContent = values[key] || 0;
    });
  }

  function showTotals(totals) {
    document.querySelectorAll("[data-total='overall']").forEach(function (element) {
      element.textContent = totals.overall;
    });
    setAll("[data-total-group]", "data-total-group", totals.groups);
    setAll("[data-total-service]", "data-total-service", totals.services);
  }

  function showMessage(text, level) {
    document.querySelectorAll(".messages").forEach(function (old) {
      old.remove();
    });
    status.classList.toggle("is-warning", level === "warning");
    status.textContent = text;
  }

  function resetGroup(form) {
    var unspecified = form.querySelector("input[name='target_group'][value='']");
    if (unspecified) {
      unspecified.checked = true;
    }
  }

  function submitPlainly(form, submitter) {
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    form.submit();
  }

  document.querySelectorAll("form[data-count-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      var data = new FormData(form);
      if (submitter && submitter.name) {
        data.append(submitter.name, submitter.value);
      }
      event.preventDefault();
      // getAttribute: the hidden input named "action" shadows form.action.
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (result) {
          showTotals(result.totals);
          showMessage(result.message, result.level);
          resetGroup(form);
        })
        .catch(function () {
          submitPlainly(form, submitter);
        });
    });
  });
})();
