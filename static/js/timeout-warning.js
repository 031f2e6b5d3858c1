// GOV.UK's timeout warning (hmrc-frontend's timeout dialog): a modal some time before the idle
// timeout, with "Stay signed in" (a POST that restarts the session's idle clock) and "Sign out".
// The time left is written into the page by the server (templates/includes/timeout_warning.html);
// without JavaScript the dialog never opens and the session times out as before.
(function () {
  "use strict";

  // The words are translated by Django's JavaScript catalogue (docs/language.md), loaded before
  // this file; should it fail to load, the English is shown as written here.
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (f, o) {
    return f.replace(/%\((\w+)\)s/g, function (m, k) { return String(o[k]); });
  };

  var dialog = document.querySelector("[data-timeout-warning]");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var countdown = dialog.querySelector("[data-timeout-countdown]");
  var spoken = dialog.querySelector("[data-timeout-spoken]");
  var problem = dialog.querySelector("[data-timeout-problem]");
  var stay = dialog.querySelector("[data-timeout-stay]");
  var signOut = dialog.querySelector("[data-timeout-sign-out]");
  var token = signOut.querySelector("input[name='csrfmiddlewaretoken']").value;
  var warningSeconds = parseInt(dialog.dataset.warningSeconds, 10);
  var deadline;
  var returnFocusTo = null;
  var lastSpoken = "";
  var leaving = false;

  // Times are measured against the clock, not by counting ticks: a phone put to sleep or a tab
  // in the background runs timers late or not at all.
  function restart(secondsLeft) {
    deadline = Date.now() + secondsLeft * 1000;
  }

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }

  // The time left, in the sentence the dialog shows around it (templates/includes/timeout_warning.html).
  function phrase(seconds) {
    if (seconds >= 60) {
      var minutes = Math.ceil(seconds / 60);
      return interpolate(ngettext("%(count)s minute", "%(count)s minutes", minutes), { count: minutes }, true);
    }
    return interpolate(ngettext("%(count)s second", "%(count)s seconds", seconds), { count: seconds }, true);
  }

  // Read out once a minute, then every 20 seconds in the last minute: a screen reader announcing
  // every second would drown everything else out. The whole sentence, for a translator to word.
  function spokenWords(seconds) {
    var step = seconds > 60 ? 60 : 20;
    var rounded = Math.max(step, Math.ceil(seconds / step) * step);
    if (rounded >= 60) {
      var minutes = Math.ceil(rounded / 60);
      return interpolate(ngettext(
        "For your security, we will sign you out in %(count)s minute.",
        "For your security, we will sign you out in %(count)s minutes.",
        minutes
      ), { count: minutes }, true);
    }
    return interpolate(ngettext(
      "For your security, we will sign you out in %(count)s second.",
      "For your security, we will sign you out in %(count)s seconds.",
      rounded
    ), { count: rounded }, true);
  }

  function show(seconds) {
    countdown.textContent = phrase(seconds);
    var words = spokenWords(seconds);
    if (words !== lastSpoken) {
      spoken.textContent = words;
      lastSpoken = words;
    }
  }

  function open() {
    returnFocusTo = document.activeElement;
    lastSpoken = "";
    problem.hidden = true;
    show(secondsLeft());
    dialog.showModal(); // the rest of the page is inert until it closes
    stay.focus();
  }

  function close() {
    dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === "function" && document.contains(returnFocusTo)) {
      returnFocusTo.focus();
    }
    returnFocusTo = null;
  }

  // Out of time: sign out properly (the session may already have ended on the server; signing out
  // then does no harm) and land on the page that says why.
  function timedOut() {
    leaving = true;
    var next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = dialog.dataset.signedOutUrl;
    signOut.appendChild(next);
    signOut.submit();
  }

  function keepAlive() {
    stay.disabled = true;
    fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
    })
      .then(function (response) {
        // Anything but "done" (a redirect to sign in) means the session has already ended.
        if (response.status !== 204) {
          leaving = true;
          window.location.assign(dialog.dataset.signedOutUrl);
          return;
        }
        restart(parseInt(response.headers.get("Session-Seconds-Left"), 10));
        close();
      })
      .catch(function () {
        // No connection: the session was not extended, so the warning stays and says so.
        problem.hidden = false;
      })
      .then(function () {
        stay.disabled = false;
      });
  }

  function tick() {
    if (leaving) {
      return;
    }
    var seconds = secondsLeft();
    if (seconds <= 0) {
      timedOut();
    } else if (dialog.open) {
      show(seconds);
    } else if (seconds <= warningSeconds) {
      open();
    }
  }

  // A modal <dialog> makes the page behind it inert, but Tab can still leave for the browser's own
  // controls: keep it going round the dialog's two buttons, as GOV.UK's pattern does.
  dialog.addEventListener("keydown", function (event) {
    if (event.key !== "Tab") {
      return;
    }
    var controls = dialog.querySelectorAll("button:not([disabled])");
    var first = controls[0];
    var last = controls[controls.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  stay.addEventListener("click", keepAlive);
  // Escape means "not now": treated as "Stay signed in", as in GOV.UK's pattern.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    keepAlive();
  });

  restart(parseInt(dialog.dataset.secondsLeft, 10));
  tick();
  window.setInterval(tick, 1000);
})();
