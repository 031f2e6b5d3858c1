{% load static %}// The app's service worker (insight.today.offline.service_worker; docs/security.md, "What a
// phone keeps"). It caches the offline page, the words its scripts show (Django's JavaScript
// catalogue) and the static files, nothing else: no case page, assessment, note or document is
// ever stored by it. Attempts sent from the outbox that fail for want of a connection are kept by
// Workbox's background sync and sent again when it returns.
"use strict";
importScripts(
  "{% static 'vendor/workbox-7.4.1/workbox-core.prod.js' %}",
  "{% static 'vendor/workbox-7.4.1/workbox-routing.prod.js' %}",
  "{% static 'vendor/workbox-7.4.1/workbox-strategies.prod.js' %}",
  "{% static 'vendor/workbox-7.4.1/workbox-background-sync.prod.js' %}"
);

var OFFLINE_URL = "{{ offline_url|escapejs }}";
var CATALOGUE_URL = "{{ catalogue_url|escapejs }}";
var SHELL_CACHE = "offline-page";
var STATIC_CACHE = "static-files";
var SHELL = [
  OFFLINE_URL,
  CATALOGUE_URL,
  "{% static 'govuk/govuk-frontend.min.css' %}",
  "{% static 'govuk/govuk-frontend.min.js' %}",
  "{% static 'css/app.css' %}",
  "{% static 'vendor/idb-8.0.4/idb.umd.js' %}",
  "{% static 'js/offline-store.js' %}",
  "{% static 'js/device.js' %}",
  "{% static 'js/offline.js' %}"
];

// Kept only when the answer is the page itself: signed out, the server sends the sign-in page
// instead, and that must never stand in for the offline page.
function keep(cacheName, url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    if (response.ok && !response.redirected) {
      return caches.open(cacheName).then(function (cache) {
        return cache.put(url, response);
      });
    }
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    Promise.all(SHELL.map(function (url) {
      return keep(url === OFFLINE_URL || url === CATALOGUE_URL ? SHELL_CACHE : STATIC_CACHE, url).catch(function () {});
    })).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

// The page asks for this when it opens online, and after signing in: the copy kept is then the
// latest; at sign-out the page asks for both caches to go (static/js/offline.js).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "refresh-offline-page") {
    event.waitUntil(Promise.all([OFFLINE_URL, CATALOGUE_URL].map(function (url) {
      return keep(SHELL_CACHE, url).catch(function () {});
    })));
  } else if (data.type === "forget") {
    event.waitUntil(Promise.all([caches.delete(SHELL_CACHE), caches.delete(STATIC_CACHE)]));
  }
});

var routing = workbox.routing;
var strategies = workbox.strategies;

// The offline page: from the network when there is one (kept for next time), else the copy kept.
routing.registerRoute(
  function (options) {
    return options.request.mode === "navigate" && options.url.pathname === OFFLINE_URL;
  },
  new strategies.NetworkFirst({ cacheName: SHELL_CACHE, networkTimeoutSeconds: 4 })
);

// The catalogue is in the interface's language, not a static file: kept with the page, and like
// it from the network when there is one.
routing.registerRoute(
  function (options) {
    return options.url.origin === self.location.origin && options.url.pathname === CATALOGUE_URL;
  },
  new strategies.NetworkFirst({ cacheName: SHELL_CACHE, networkTimeoutSeconds: 4 })
);

// Static files, served from the copy kept when the network is slow or gone.
routing.registerRoute(
  function (options) {
    return options.url.origin === self.location.origin && options.url.pathname.indexOf("{% get_static_prefix %}") === 0;
  },
  new strategies.StaleWhileRevalidate({ cacheName: STATIC_CACHE })
);

// Attempts sent from the outbox: never cached; one that could not reach the server is sent again
// by the browser when the connection returns, even with the page closed. The server saves each
// attempt once (by its id), so the outbox sending it too never makes a second record.
routing.registerRoute(
  function (options) {
    return /\/attempts\/offline\/$/.test(options.url.pathname);
  },
  new strategies.NetworkOnly({
    plugins: [new workbox.backgroundSync.BackgroundSyncPlugin("offline-attempts", { maxRetentionTime: 7 * 24 * 60 })]
  }),
  "POST"
);
