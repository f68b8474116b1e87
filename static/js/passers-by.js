/* Counting passers-by on site: a quarter-hour timer and one big button per person.
   It only fills the page's plain form (count, minutes, hour, date), which is what is
   saved; without JavaScript that form is typed in by hand. A count not yet saved
   is kept in sessionStorage, so a reload (or a tap on a link) does not lose it. */
(function () {
  "use strict";

  var form = document.querySelector("[data-passers-by]");
  var counter = form && form.querySelector("[data-counter]");
  if (!counter) {
    return;
  }
  var KEY = "quartier.passersBy";
  var LIMIT = parseInt(counter.getAttribute("data-minutes"), 10) * 60 * 1000;
  var field = function (name) {
    return form.elements[name];
  };
  var el = function (name) {
    return counter.querySelector("[data-" + name + "]");
  };
  var total = el("total");
  var clock = el("clock");
  var status = el("status");
  var startButton = el("start");
  var tapButton = el("tap");
  var undoButton = el("undo");
  var stopButton = el("stop");
  var state = null; // {location, start, stopped, taps, submitted}
  var ticker = null;

  function text(name) {
    return counter.getAttribute("data-text-" + name) || "";
  }

  function load() {
    try {
      return JSON.parse(window.sessionStorage.getItem(KEY));
    } catch (error) {
      return null;
    }
  }

  function store() {
    try {
      if (state) {
        window.sessionStorage.setItem(KEY, JSON.stringify(state));
      } else {
        window.sessionStorage.removeItem(KEY);
      }
    } catch (error) {
      /* private mode: the count still works, it is only not kept over a reload */
    }
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function elapsed() {
    var end = state.stopped || Date.now();
    return Math.min(Math.max(end - state.start, 0), LIMIT);
  }

  function showClock() {
    var left = state ? LIMIT - elapsed() : LIMIT;
    var seconds = Math.ceil(left / 1000);
    clock.textContent = pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
  }

  function fillForm() {
    var begun = new Date(state.start);
    var minutes = Math.min(Math.max(Math.ceil(elapsed() / 60000), 1), LIMIT / 60000);
    field("count").value = state.taps;
    field("minutes").value = minutes;
    field("hour").value = String(begun.getHours());
    field("date").value =
      begun.getFullYear() + "-" + pad(begun.getMonth() + 1) + "-" + pad(begun.getDate());
  }

  function show() {
    var running = Boolean(state && !state.stopped);
    total.textContent = state ? state.taps : 0;
    // An unsaved count is saved (or corrected) before a new one begins.
    startButton.hidden = Boolean(state);
    tapButton.hidden = !running;
    stopButton.hidden = !running;
    undoButton.hidden = !state || state.taps === 0;
    showClock();
    if (state) {
      fillForm();
    }
  }

  function stop(message) {
    if (!state || state.stopped) {
      return;
    }
    state.stopped = Math.min(Date.now(), state.start + LIMIT);
    window.clearInterval(ticker);
    ticker = null;
    store();
    show();
    status.textContent = message;
  }

  function tick() {
    if (state && !state.stopped && Date.now() - state.start >= LIMIT) {
      stop(text("time-up"));
      field("count").form.querySelector("[data-save]").focus();
      return;
    }
    showClock();
    if (state) {
      fillForm();
    }
  }

  function run() {
    if (!ticker) {
      ticker = window.setInterval(tick, 1000);
    }
    tick();
  }

  startButton.addEventListener("click", function () {
    state = {
      location: field("location").value,
      start: Date.now(),
      stopped: null,
      taps: 0,
      submitted: false,
    };
    store();
    show();
    status.textContent = text("running");
    run();
    tapButton.focus();
  });

  tapButton.addEventListener("click", function () {
    if (!state || state.stopped) {
      return;
    }
    state.taps += 1;
    store();
    show();
  });

  undoButton.addEventListener("click", function () {
    if (!state || state.taps === 0) {
      return;
    }
    state.taps -= 1;
    store();
    show();
    status.textContent = text("undone");
    if (undoButton.hidden) {
      (tapButton.hidden ? form.querySelector("[data-save]") : tapButton).focus();
    }
  });

  stopButton.addEventListener("click", function () {
    stop(text("stopped"));
    form.querySelector("[data-save]").focus();
  });

  field("location").addEventListener("change", function () {
    if (state) {
      state.location = field("location").value;
      store();
    }
  });

  form.addEventListener("submit", function () {
    if (state) {
      stop("");
      state.submitted = true;
      store();
    }
  });

  // Back after saving: the count is stored, forget it. Back with errors, or
  // after a reload: carry on where it was.
  var saved = load();
  if (saved && saved.submitted && !form.hasAttribute("data-errors")) {
    saved = null;
  }
  state = saved;
  if (state) {
    state.submitted = false;
    if (state.location) {
      field("location").value = state.location;
    }
    store();
    status.textContent = text("restored");
    if (!state.stopped) {
      run();
    }
  }
  counter.hidden = false;
  show();
})();
