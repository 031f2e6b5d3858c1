// Drafts of the long forms, saved on the server as the person types (cases/drafts.py).
// A form opts in with `data-draft`. Its fields are posted to the page itself with `_draft=save`
// two seconds after the last keystroke, and when the person leaves or hides the page; the page
// answers 204 with the time it was saved, shown as "Draft saved at 14:32". Without JavaScript
// nothing is saved as a draft and the form works as before.
(function () {
  "use strict";

  // The words are translated by Django's JavaScript catalogue (docs/language.md), loaded before
  // this file; should it fail to load, the English is shown as written here.
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (f, o) {
    return f.replace(/%\((\w+)\)s/g, function (m, k) { return String(o[k]); });
  };

  if (!window.fetch || !window.FormData || !window.URLSearchParams) {
    return;
  }
  var DELAY = 2000;
  // Browsers refuse a keepalive request over 64 KB: a longer draft is saved while typing only.
  var KEEPALIVE_LIMIT = 60000;

  function statusFor(form) {
    var status = document.createElement("p");
    status.className = "govuk-body-s app-draft-status";
    status.setAttribute("aria-live", "polite");
    status.setAttribute("data-draft-status", "");
    // Next to the button that saves the form, where the person looks before leaving.
    var buttons = form.querySelector(".govuk-button-group") || form.querySelector("button[type='submit'], .govuk-button");
    if (buttons && buttons.parentNode) {
      buttons.parentNode.insertBefore(status, buttons);
    } else {
      form.appendChild(status);
    }
    return status;
  }

  function body(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") {
        params.append(name, value);
      }
    });
    params.set("_draft", "save");
    return params.toString();
  }

  function watch(form) {
    var status = statusFor(form);
    var tokenField = form.querySelector("input[name='csrfmiddlewaretoken']");
    var timer = null;
    var lastSaved = body(form);
    var submitting = false;

    function save(leaving) {
      window.clearTimeout(timer);
      timer = null;
      var data = body(form);
      if (submitting || data === lastSaved) {
        return;
      }
      lastSaved = data;
      var options = {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRFToken": tokenField ? tokenField.value : ""
        },
        body: data
      };
      if (leaving && data.length < KEEPALIVE_LIMIT) {
        options.keepalive = true;
      }
      fetch(window.location.pathname, options)
        .then(function (response) {
          var savedAt = response.status === 204 && response.headers.get("Draft-Saved-At");
          if (savedAt) {
            status.textContent = interpolate(gettext("Draft saved at %(time)s"), { time: savedAt }, true);
          } else {
            lastSaved = null; // try again on the next change
            status.textContent = gettext("Your draft could not be saved. Save the form to keep what you typed.");
          }
        })
        .catch(function () {
          lastSaved = null;
          if (!leaving) {
            status.textContent = gettext("Your draft could not be saved. Save the form to keep what you typed.");
          }
        });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    // The form itself is being saved, or the draft discarded ("Discard draft" is a form of its
    // own): a draft saved now, as the page goes, would outlive either.
    document.addEventListener("submit", function () {
      submitting = true;
      window.clearTimeout(timer);
    });
    window.addEventListener("pagehide", function () {
      save(true);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        save(true);
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), watch);
})();
