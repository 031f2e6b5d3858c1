// What this device keeps for working offline, in IndexedDB through `idb` (static/vendor/idb-*):
//   cases   the signed-in practitioner's open cases: reference, family name, people's names,
//           next step (nothing else: docs/security.md, "What a phone keeps")
//   outbox  attempts recorded here and not yet accepted, each with the id this device made
//   meta    who the cases belong to, when they were fetched, how many days they may be kept
(function () {
  "use strict";

  var DB_NAME = "engaging-families";
  var DAY_MS = 24 * 60 * 60 * 1000;
  var opened = null;

  function db() {
    if (!opened) {
      opened = window.idb.openDB(DB_NAME, 1, {
        upgrade: function (database) {
          database.createObjectStore("cases", { keyPath: "id" });
          database.createObjectStore("outbox", { keyPath: "client_id" });
          database.createObjectStore("meta");
        }
      });
    }
    return opened;
  }

  function meta(key) {
    return db().then(function (d) { return d.get("meta", key); });
  }

  // The kept cases go when the practitioner has not reached the server signed in for longer than
  // the admin allows: a lost phone stops showing names after that many days.
  function dropStaleCases() {
    return meta("kept").then(function (kept) {
      if (!kept) {
        return false;
      }
      var age = Date.now() - Date.parse(kept.fetched_at);
      if (age <= kept.keep_days * DAY_MS) {
        return false;
      }
      return forgetCases().then(function () { return true; });
    });
  }

  function forgetCases() {
    return db().then(function (d) {
      var tx = d.transaction(["cases", "meta"], "readwrite");
      tx.objectStore("cases").clear();
      tx.objectStore("meta").delete("kept");
      return tx.done;
    });
  }

  // What the server says this practitioner's phone keeps, replacing what was kept before.
  function keepCases(answer) {
    return db().then(function (d) {
      var tx = d.transaction(["cases", "meta"], "readwrite");
      var store = tx.objectStore("cases");
      store.clear();
      answer.cases.forEach(function (item) { store.put(item); });
      tx.objectStore("meta").put(
        { user: answer.user, fetched_at: answer.fetched_at, keep_days: answer.keep_days },
        "kept"
      );
      return tx.done;
    });
  }

  function allCases() {
    return db().then(function (d) { return d.getAll("cases"); });
  }

  function outbox() {
    return db().then(function (d) { return d.getAll("outbox"); });
  }

  function outboxPut(item) {
    return db().then(function (d) { return d.put("outbox", item); });
  }

  function outboxDelete(clientId) {
    return db().then(function (d) { return d.delete("outbox", clientId); });
  }

  window.offlineStore = {
    allCases: allCases,
    dropStaleCases: dropStaleCases,
    forgetCases: forgetCases,
    keepCases: keepCases,
    meta: meta,
    outbox: outbox,
    outboxDelete: outboxDelete,
    outboxPut: outboxPut
  };
})();
