/* The trainer pages' service worker (issue #14 §2): keeps the roll calls of today's and tomorrow's sessions
 * and the files they need, so the trainer can open them without a connection. Pages are fetched from the
 * network when it answers (always the newest roll) and from the cache only when it does not. Marks are not
 * kept here: the page keeps them in IndexedDB and sends them itself (static/js/rollcall.js). */
"use strict";
var CACHE = "academy-trainer-{{ version }}";
var ASSETS = {{ assets|safe }};
var SCOPE = {{ scope|safe }};
var STATIC = {{ static_url|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("academy-trainer-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(request, response) {
  // Only a page the trainer may see: a redirect (signed out) or an error page would hide the roll.
  if (response && response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
  }
  return response;
}

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    // Vary (Cookie, Accept-Language) is ignored: the kept pages are this trainer's, in this page's language.
    return cache.match(request, {ignoreVary: true}).then(function (hit) {
      // A roll call opened by another link to it (?day=) than the one kept.
      return hit || cache.match(request, {ignoreVary: true, ignoreSearch: true});
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var page = request.mode === "navigate" && url.pathname.indexOf(SCOPE) === 0;
  if (!page && url.pathname.indexOf(STATIC) !== 0) { return; }
  // Network first, for files too: under `make run` their names carry no hash, so a kept copy could be stale.
  event.respondWith(fetch(request).then(function (response) { return keep(request, response); }).catch(function () {
    return fromCache(request).then(function (hit) {
      return hit || new Response("", {status: 503, statusText: "Offline"});
    });
  }));
});

// The page asks for today's and tomorrow's roll calls (a list from the server) to be kept.
self.addEventListener("message", function (event) {
  if (!event.data || event.data.type !== "prefetch" || !event.data.url) { return; }
  event.waitUntil(fetch(event.data.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then(function (response) { return response.ok ? response.json() : {urls: []}; })
    .then(function (body) {
      return Promise.all((body.urls || []).map(function (url) {
        var request = new Request(url, {credentials: "same-origin"});
        return fetch(request).then(function (response) { return keep(request, response); }).catch(function () {});
      }));
    })
    .catch(function () {}));
});
