// The offline page (templates/insight/offline.html): the practitioner's open cases and the attempt
// form, filled in from what this device keeps, and the outbox of attempts recorded here.
//
// Each attempt gets an id made here (crypto.randomUUID) and goes to the outbox first. The outbox
// is sent when the connection returns, when the page opens online, and with "Send now". The
// server saves each id once, so sending again after a lost answer never makes a second record.
// Only the server's "saved" takes an attempt out of the outbox: a network failure or a server
// fault leaves it waiting; a refusal (case closed, date before the referral, a case no longer
// theirs) leaves it in the outbox, text intact, marked with the reason, until the practitioner
// corrects and sends it again or removes it themselves.
(function () {
  "use strict";

  // The words are translated by Django's JavaScript catalogue (docs/language.md), loaded before
  // this file; should it fail to load, the English is shown as written here.
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (f, o) {
    return f.replace(/%\((\w+)\)s/g, function (m, k) { return String(o[k]); });
  };

  var root = document.querySelector("[data-offline]");
  var config = document.querySelector("[data-offline-config]");
  if (!root || !config || !window.offlineStore || !window.fetch) {
    return;
  }
  var store = window.offlineStore;
  var banner = document.querySelector("[data-offline-banner]");
  var statusLine = root.querySelector("[data-status]");
  var form = root.querySelector("[data-attempt-form]");
  var formSection = root.querySelector("[data-attempt-section]");
  var casesList = root.querySelector("[data-cases]");
  var token = null;
  var user = null;
  var sending = false;
  var editing = null; // the outbox item being corrected, or null for a new attempt
  var chosenCase = null;
  var FIELDS = ["kind", "occurred_on_0", "occurred_on_1", "occurred_on_2", "occurred_time", "outcome",
    "with_person", "with_other", "notes"];
  var NOT_THEIRS = gettext("This case is not one you can record on now: it may have been given to another " +
    "practitioner. Copy the text and send it to your manager.");
  var NOT_SIGNED_IN = gettext("Sign in again to send what is waiting. It stays in the outbox until then.");
  var NO_CONNECTION = gettext("Not sent: no connection. It will be sent when the connection returns.");

  root.hidden = false;

  function say(text) {
    statusLine.textContent = text;
  }

  function showConnection() {
    banner.hidden = navigator.onLine;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // --- Cases -----------------------------------------------------------------------------------

  function refreshKept() {
    // Also the moment to take a fresh token for sending: the one in a kept page may be old.
    return fetch(config.dataset.casesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!response.ok || response.redirected || !json) {
          token = null;
          return null;
        }
        return response.json().then(function (answer) {
          token = answer.csrf_token;
          user = answer.user;
          return store.keepCases(answer).then(function () { return answer; });
        });
      });
  }

  function renderCases() {
    return Promise.all([store.allCases(), store.meta("kept")]).then(function (found) {
      var cases = found[0];
      var kept = found[1];
      casesList.textContent = "";
      var note = root.querySelector("[data-kept-note]");
      if (!cases.length) {
        note.textContent = kept
          ? gettext("You have no open cases.")
          : gettext("No cases are kept on this device. Open this page with a connection, signed in, to keep your open cases here.");
        return;
      }
      note.textContent = interpolate(gettext("Kept on this device since %(time)s. Deleted when you sign out."), {
        time: new Date(kept.fetched_at).toLocaleString("en-GB", { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" })
      }, true);
      cases.sort(function (a, b) { return a.family_name.localeCompare(b.family_name); });
      cases.forEach(function (item) {
        var li = el("li", "app-offline-case");
        var title = el("h3", "govuk-heading-s govuk-!-margin-bottom-1", item.family_name + " ");
        title.append(el("span", "govuk-caption-s", item.reference));
        li.append(title);
        if (item.next_step) {
          li.append(el("p", "govuk-body-s govuk-!-margin-bottom-2",
            interpolate(gettext("Next step: %(step)s (%(status)s, due %(date)s)"), {
              step: item.next_step.title,
              status: item.next_step.status.toLowerCase(),
              date: new Date(item.next_step.due_on + "T12:00:00").toLocaleDateString("en-GB", { day: "numeric", month: "long" })
            }, true)));
        }
        var button = el("button", "govuk-button govuk-button--secondary govuk-!-margin-bottom-4", gettext("Record an attempt"));
        button.type = "button";
        // Translators: read after "Record an attempt", with its leading space.
        var hidden = el("span", "govuk-visually-hidden", interpolate(gettext(" on %(reference)s"), { reference: item.reference }, true));
        button.append(hidden);
        button.addEventListener("click", function () { openForm(item, null); });
        li.append(button);
        casesList.append(li);
      });
    });
  }

  // --- The form ----------------------------------------------------------------------------------

  function openForm(item, outboxItem) {
    chosenCase = item;
    editing = outboxItem;
    form.reset();
    clearErrors();
    root.querySelector("[data-attempt-family]").textContent = item.family_name + ", " + item.reference;
    var people = form.elements.with_person;
    people.textContent = "";
    people.append(new Option(gettext("No one in the family"), ""));
    (item.people || []).forEach(function (person) {
      people.append(new Option(person.name, String(person.id)));
    });
    if (outboxItem) {
      FIELDS.forEach(function (name) { form.elements[name].value = outboxItem.fields[name] || ""; });
    } else {
      var now = new Date();
      form.elements.occurred_on_0.value = now.getDate();
      form.elements.occurred_on_1.value = now.getMonth() + 1;
      form.elements.occurred_on_2.value = now.getFullYear();
      form.elements.occurred_time.value = pad(now.getHours()) + ":" + pad(now.getMinutes());
    }
    formSection.hidden = false;
    root.querySelector("#attempt-heading").focus();
  }

  function closeForm() {
    formSection.hidden = true;
    editing = null;
    chosenCase = null;
  }

  function clearErrors() {
    root.querySelector("[data-error-summary]").hidden = true;
    root.querySelector("[data-error-list]").textContent = "";
    form.querySelectorAll("[data-error]").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll(".govuk-form-group--error").forEach(function (g) { g.classList.remove("govuk-form-group--error"); });
  }

  // Only what cannot wait for the server: that the essentials are there. Everything else is
  // checked by the server, as for an attempt saved online.
  function check(values) {
    var errors = [];
    if (!values.kind) {
      errors.push(["kind", gettext("Select the kind of attempt"), "offline-kind"]);
    }
    var day = parseInt(values.occurred_on_0, 10);
    var month = parseInt(values.occurred_on_1, 10);
    var year = parseInt(values.occurred_on_2, 10);
    var date = new Date(year, month - 1, day);
    if (!(date.getDate() === day && date.getMonth() === month - 1 && year > 2000)) {
      errors.push(["occurred_on", gettext("Enter the date of the attempt as a real date, for example 27 3 2026"), "offline-day"]);
    } else if (date > new Date()) {
      errors.push(["occurred_on", gettext("The date of the attempt must be today or in the past"), "offline-day"]);
    }
    if (!/^\s*\d{1,2}\s*[:.]?\s*\d{2}\s*$/.test(values.occurred_time)) {
      errors.push(["occurred_time", gettext("Enter the time of the attempt as hours and minutes, for example 14:30"), "offline-time"]);
    }
    if (!values.outcome) {
      errors.push(["outcome", gettext("Select what happened"), "offline-outcome"]);
    }
    return errors;
  }

  function showErrors(errors) {
    clearErrors();
    var list = root.querySelector("[data-error-list]");
    errors.forEach(function (error) {
      var li = el("li");
      var a = el("a", "", error[1]);
      a.href = "#" + error[2];
      li.append(a);
      list.append(li);
      var message = form.querySelector("[data-error='" + error[0] + "']");
      message.hidden = false;
      message.textContent = "";
      message.append(el("span", "govuk-visually-hidden", gettext("Error:") + " "), document.createTextNode(error[1]));
      form.querySelector("[data-group='" + error[0] + "']").classList.add("govuk-form-group--error");
    });
    var summary = root.querySelector("[data-error-summary]");
    summary.hidden = false;
    summary.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var values = {};
    FIELDS.forEach(function (name) { values[name] = form.elements[name].value; });
    var errors = check(values);
    if (errors.length) {
      showErrors(errors);
      return;
    }
    var kindSelect = form.elements.kind;
    var item = editing || {
      client_id: crypto.randomUUID(),
      case_id: chosenCase.id,
      reference: chosenCase.reference,
      family_name: chosenCase.family_name,
      send_to: chosenCase.send_to,
      user: user,
      recorded_at: new Date().toISOString()
    };
    item.fields = values;
    var day = new Date(parseInt(values.occurred_on_2, 10), parseInt(values.occurred_on_1, 10) - 1,
      parseInt(values.occurred_on_0, 10));
    item.summary = interpolate(gettext("%(kind)s on %(date)s at %(time)s"), {
      kind: kindSelect.options[kindSelect.selectedIndex].text,
      date: day.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" }),
      time: values.occurred_time
    }, true);
    item.state = "waiting";
    item.reason = "";
    store.outboxPut(item).then(function () {
      closeForm();
      say(interpolate(gettext("Saved to the outbox: %(attempt)s, %(family)s."), {
        attempt: item.summary,
        family: item.family_name
      }, true));
      return renderOutbox();
    }).then(function () {
      if (navigator.onLine) {
        sendAll();
      }
    });
  });

  root.querySelector("[data-cancel]").addEventListener("click", closeForm);

  // --- The outbox --------------------------------------------------------------------------------

  function renderOutbox() {
    return store.outbox().then(function (items) {
      var mine = items.filter(function (item) { return user === null || item.user === null || item.user === user; });
      mine.sort(function (a, b) { return a.recorded_at < b.recorded_at ? -1 : 1; });
      var waiting = mine.filter(function (item) { return item.state !== "refused"; });
      var refused = mine.filter(function (item) { return item.state === "refused"; });
      root.querySelector("[data-outbox-empty]").hidden = mine.length > 0;
      root.querySelector("[data-outbox-waiting-section]").hidden = waiting.length === 0;
      root.querySelector("[data-outbox-refused-section]").hidden = refused.length === 0;
      root.querySelector("[data-outbox-waiting-heading]").textContent =
        interpolate(ngettext("Waiting to be sent: %(count)s attempt", "Waiting to be sent: %(count)s attempts", waiting.length), {
          count: waiting.length
        }, true);
      var list = root.querySelector("[data-outbox-waiting]");
      list.textContent = "";
      waiting.forEach(function (item) {
        var li = el("li", "app-outbox-item");
        li.dataset.clientId = item.client_id;
        li.append(el("strong", "", item.family_name + " (" + item.reference + ")"), el("br"),
          document.createTextNode(item.summary));
        if (item.last_problem) {
          li.append(el("br"), el("span", "govuk-hint", item.last_problem));
        }
        list.append(li);
      });
      var refusedBox = root.querySelector("[data-outbox-refused]");
      refusedBox.textContent = "";
      refused.forEach(function (item) { refusedBox.append(refusedCard(item)); });
    });
  }

  function refusedCard(item) {
    var card = el("div", "govuk-summary-card app-outbox-refused");
    card.dataset.clientId = item.client_id;
    var head = el("div", "govuk-summary-card__title-wrapper");
    head.append(el("h4", "govuk-summary-card__title", item.family_name + " (" + item.reference + "): " + item.summary));
    var content = el("div", "govuk-summary-card__content");
    var reason = el("p", "govuk-body govuk-!-font-weight-bold app-outbox-reason", item.reason);
    var text = el("p", "govuk-body app-outbox-text", item.fields.notes || gettext("(No notes)"));
    var group = el("div", "govuk-button-group");
    var kept = null;
    store.allCases().then(function (cases) {
      kept = cases.filter(function (c) { return c.id === item.case_id; })[0] || null;
      if (kept) {
        var fix = el("button", "govuk-button govuk-button--secondary", gettext("Correct and send again"));
        fix.type = "button";
        fix.addEventListener("click", function () { openForm(kept, item); });
        group.prepend(fix);
      }
    });
    var copy = el("button", "govuk-button govuk-button--secondary", gettext("Copy the text"));
    copy.type = "button";
    copy.addEventListener("click", function () {
      var words = item.family_name + " (" + item.reference + "), " + item.summary + ". " + (item.fields.notes || "");
      if (navigator.clipboard) {
        navigator.clipboard.writeText(words).then(function () { say(gettext("Copied. Paste it into a message to your manager.")); });
      }
    });
    var remove = el("button", "govuk-button govuk-button--warning", gettext("Remove from this device"));
    remove.type = "button";
    remove.addEventListener("click", function () {
      // Removing is the practitioner's choice alone, and asked twice: the text is gone after it.
      if (remove.dataset.confirming) {
        store.outboxDelete(item.client_id).then(function () {
          say(interpolate(gettext("Removed from this device: %(attempt)s."), { attempt: item.summary }, true));
          renderOutbox();
        });
      } else {
        remove.dataset.confirming = "true";
        remove.textContent = gettext("Remove it: the text will be lost");
      }
    });
    group.append(copy, remove);
    content.append(reason, text, group);
    card.append(head, content);
    return card;
  }

  function refuse(item, reason) {
    item.state = "refused";
    item.reason = reason;
    return store.outboxPut(item);
  }

  function sendOne(item) {
    var body = new URLSearchParams();
    body.set("client_id", item.client_id);
    FIELDS.forEach(function (name) { body.set(name, item.fields[name] || ""); });
    return fetch(item.send_to, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      body: body
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || (response.status === 403 && !json)) {
        item.last_problem = NOT_SIGNED_IN;
        return store.outboxPut(item).then(function () { return "stop"; });
      }
      if (response.status === 404) {
        return refuse(item, NOT_THEIRS).then(function () { return "refused"; });
      }
      if (!json) {
        item.last_problem = gettext("The service did not answer properly. It will be sent again.");
        return store.outboxPut(item).then(function () { return "waiting"; });
      }
      return response.json().then(function (answer) {
        if (response.status === 200 || response.status === 201) {
          return store.outboxDelete(item.client_id).then(function () {
            say(answer.message);
            return "saved";
          });
        }
        if (response.status >= 400 && response.status < 500) {
          return refuse(item, answer.message).then(function () { return "refused"; });
        }
        item.last_problem = gettext("The service could not save it just now. It will be sent again.");
        return store.outboxPut(item).then(function () { return "waiting"; });
      });
    }, function () {
      item.last_problem = NO_CONNECTION;
      return store.outboxPut(item).then(function () { return "stop"; });
    });
  }

  function sendAll() {
    if (sending) {
      return Promise.resolve();
    }
    if (!navigator.onLine) {
      say(gettext("You are offline. What is in the outbox will be sent when the connection returns."));
      return Promise.resolve();
    }
    sending = true;
    var saved = 0;
    var refused = 0;
    return refreshKept().then(function (answer) {
      if (!answer) {
        say(NOT_SIGNED_IN);
        return null;
      }
      return store.outbox().then(function (items) {
        var queue = items.filter(function (item) {
          return item.state !== "refused" && (item.user === null || item.user === user);
        });
        queue.sort(function (a, b) { return a.recorded_at < b.recorded_at ? -1 : 1; });
        // One after another, oldest first: the flow chart counts them in the order they happened.
        return queue.reduce(function (previous, item) {
          return previous.then(function (stop) {
            if (stop) {
              return stop;
            }
            return sendOne(item).then(function (result) {
              saved += result === "saved" ? 1 : 0;
              refused += result === "refused" ? 1 : 0;
              return result === "stop" ? "stop" : null;
            });
          });
        }, Promise.resolve(null));
      });
    }, function () {
      say(NO_CONNECTION);
    }).then(function () {
      sending = false;
      if (saved || refused) {
        var sentences = [];
        if (saved) {
          sentences.push(interpolate(ngettext("%(count)s attempt sent and saved.", "%(count)s attempts sent and saved.", saved), {
            count: saved
          }, true));
        }
        if (refused) {
          sentences.push(interpolate(ngettext("%(count)s not accepted: see below.", "%(count)s not accepted: see below.", refused), {
            count: refused
          }, true));
        }
        say(sentences.join(" "));
      }
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "refresh-offline-page" });
      }
      return Promise.all([renderOutbox(), renderCases()]);
    }, function () {
      sending = false;
    });
  }

  root.querySelector("[data-send-now]").addEventListener("click", function () { sendAll(); });
  window.addEventListener("online", function () {
    showConnection();
    sendAll();
  });
  window.addEventListener("offline", showConnection);

  showConnection();
  store.dropStaleCases().catch(function () {}).then(function () {
    return store.meta("kept");
  }).then(function (kept) {
    user = kept ? kept.user : null;
    return Promise.all([renderCases(), renderOutbox()]);
  }).then(function () {
    if (navigator.onLine) {
      return sendAll();
    }
    return null;
  });
})();
