// On every signed-in practitioner's page: install the app's service worker (it keeps the offline
// page, static/js/offline.js), drop kept cases older than the admin allows, and at sign-out
// forget what this device keeps, after warning when attempts recorded offline are not yet sent.
(function () {
  "use strict";

  // The words are translated by Django's JavaScript catalogue (docs/language.md), loaded before
  // this file; should it fail to load, the English is shown as written here.
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (f, o) {
    return f.replace(/%\((\w+)\)s/g, function (m, k) { return String(o[k]); });
  };

  var config = document.querySelector("[data-device]");
  if (!config || !window.offlineStore) {
    return;
  }
  var store = window.offlineStore;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.dataset.serviceWorker, { scope: "/" }).catch(function () {
      // Without it the offline page still works while this tab stays open.
    });
  }
  store.dropStaleCases().catch(function () {});

  function forgetAndSignOut(form) {
    var forgetting = [store.forgetCases()];
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
    if (window.caches) {
      forgetting.push(caches.delete("offline-page"));
    }
    Promise.all(forgetting).catch(function () {}).then(function () {
      form.dataset.forgotten = "true";
      form.submit();
    });
  }

  function warn(form, waiting) {
    var main = document.querySelector("main");
    var old = document.getElementById("unsent-warning");
    if (old) {
      old.remove();
    }
    var panel = document.createElement("div");
    panel.id = "unsent-warning";
    panel.className = "govuk-error-summary";
    panel.setAttribute("tabindex", "-1");
    panel.setAttribute("role", "alert");
    var heading = document.createElement("h2");
    heading.className = "govuk-error-summary__title";
    heading.textContent = interpolate(ngettext(
      "%(count)s attempt recorded offline has not been sent",
      "%(count)s attempts recorded offline have not been sent",
      waiting
    ), { count: waiting }, true);
    var body = document.createElement("div");
    body.className = "govuk-error-summary__body";
    var text = document.createElement("p");
    text.className = "govuk-body";
    text.textContent = gettext("Send them before you sign out. If you sign out now they stay on this device, " +
      "unsent, until you sign in here again and send them.");
    var group = document.createElement("div");
    group.className = "govuk-button-group";
    var outboxLink = document.createElement("a");
    outboxLink.className = "govuk-button";
    outboxLink.href = config.dataset.outbox;
    outboxLink.textContent = gettext("Go to the outbox");
    var anyway = document.createElement("button");
    anyway.type = "button";
    anyway.className = "govuk-button govuk-button--warning";
    anyway.textContent = gettext("Sign out anyway");
    anyway.addEventListener("click", function () { forgetAndSignOut(form); });
    group.append(outboxLink, anyway);
    body.append(text, group);
    panel.append(heading, body);
    main.prepend(panel);
    panel.focus();
  }

  document.querySelectorAll("form[action='" + config.dataset.signOut + "']").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.forgotten) {
        return;
      }
      event.preventDefault();
      store.outbox().then(function (items) {
        var waiting = items.length;
        if (waiting) {
          warn(form, waiting);
        } else {
          forgetAndSignOut(form);
        }
      }, function () {
        forgetAndSignOut(form);
      });
    });
  });
})();
