/* NailPro's service worker, served at /sw.js (scope "/").

   - The morning sync ("sync" message) stores the pages the server lists at
     /agenda/offline/pages.json, each fetched with X-NailPro-Sync: 1; only responses carrying
     the X-NailPro-Offline marker are kept (the server decides what may sit on the phone),
     with the /static/ files those pages reference.
   - Offline, a navigation gets its stored copy (stamped as such), else the offline page.
   - A visit, an absence or a note posted without network is queued in IndexedDB with an
     idempotency key and sent again when the network returns ("sync" event, "replay"
     message from the pages on load and on "online").
   - Logging out sends what is queued, then deletes everything kept. */
"use strict";

importScripts("/static/js/offline-db.js");

var store = self.NailProOffline;
var OFFLINE_URL = "/offline/";
var INDEX_URL = "/agenda/offline/pages.json";
var LOGOUT_URL = "/accounts/logout/";
var COPY_HEADER = "X-NailPro-Offline";
var QUEUE_TAG = "nailpro-queue";
var UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
var QUEUED_WRITES = [
  { pattern: new RegExp("^/agenda/(" + UUID + ")/done/$"), action: "visit" },
  { pattern: new RegExp("^/agenda/(" + UUID + ")/no-show/$"), action: "noShow" },
  { pattern: new RegExp("^/clients/(" + UUID + ")/preferences/$"), action: "note" }
];

self.addEventListener("install", function (event) {
  event.waitUntil(cacheShell().catch(function () {}).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (url.pathname === LOGOUT_URL) {
      event.respondWith(logout(request));
    } else if (writeOf(url.pathname)) {
      event.respondWith(sendOrQueue(request, url));
    } else if (request.mode === "navigate") {
      event.respondWith(fetch(request).catch(offlinePage));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(event));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return storedCopy(request); }));
  }
});

self.addEventListener("message", function (event) {
  var type = event.data && event.data.type;
  var work = type === "sync" ? morningSync()
    : type === "replay" ? replay()
    : type === "clear" ? store.clearAll()
    : null;
  if (!work) return;
  event.waitUntil(work.then(function (result) {
    answer(event, { ok: true, result: result || null });
  }, function () {
    answer(event, { ok: false });
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag === QUEUE_TAG) event.waitUntil(replay());
});

function answer(event, data) {
  if (event.ports && event.ports[0]) event.ports[0].postMessage(data);
}

function tellPages() {
  return self.clients.matchAll().then(function (pages) {
    pages.forEach(function (page) { page.postMessage({ type: "offline-changed" }); });
  });
}

/* The app shell: the offline page (rendered without her session: nothing of hers in it)
   and the static files pages reference, kept across logouts. */
function cacheShell() {
  return caches.open(store.SHELL).then(function (shell) {
    return fetch(OFFLINE_URL, { credentials: "omit" }).then(function (response) {
      if (!response.ok) return null;
      return response.clone().text().then(function (html) {
        return Promise.all([shell.put(OFFLINE_URL, response), cacheStatic(shell, staticUrls(html))]);
      });
    });
  });
}

function staticUrls(html) {
  var found = {};
  var pattern = /(?:href|src)="(\/static\/[^"#?]+)/g;
  var match;
  while ((match = pattern.exec(html)) !== null) found[match[1]] = true;
  return Object.keys(found);
}

function cacheStatic(shell, urls) {
  return Promise.all(urls.map(function (url) {
    return fetch(url).then(function (response) {
      return response.ok ? shell.put(url, response) : null;
    }).catch(function () { return null; });
  }));
}

function staticFile(event) {
  return fetch(event.request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(caches.open(store.SHELL).then(function (shell) {
        return shell.put(event.request, copy);
      }));
    }
    return response;
  }).catch(function () {
    return caches.match(event.request, { cacheName: store.SHELL }).then(function (stored) {
      return stored || Response.error();
    });
  });
}

/* Offline: the stored copy of this very address, marked as a copy, or the offline page. */
function storedCopy(request) {
  return store.getMeta().then(function (meta) {
    if (!meta || !meta.cache) return null;
    if (store.isStale(meta)) return store.clearPages().then(function () { return null; });
    return caches.open(meta.cache).then(function (pages) { return pages.match(request.url); });
  }).then(function (copy) {
    if (!copy) return offlinePage();
    var made = Date.parse(copy.headers.get(COPY_HEADER) || "");
    if (!(Date.now() - made <= store.MAX_AGE)) return offlinePage();
    return copy.text().then(function (html) {
      // The page's own stamp ("Offline — card of 2 Dec 08:14") shows on a marked body.
      return new Response(html.replace("<body ", "<body data-offline-copy "), {
        headers: { "Content-Type": "text/html; charset=utf-8" }
      });
    });
  }).catch(offlinePage);
}

function offlinePage() {
  return caches.match(OFFLINE_URL, { cacheName: store.SHELL }).then(function (page) {
    return page || Response.error();
  });
}

/* The morning sync: send what waits, then store today's and tomorrow's pages afresh. */
var syncing = null;
function morningSync() {
  if (!syncing) {
    syncing = replay().catch(function () {}).then(storeDay).then(function (meta) {
      syncing = null;
      return tellPages().then(function () { return meta; });
    }, function (error) {
      syncing = null;
      throw error;
    });
  }
  return syncing;
}

function storeDay() {
  return fetch(INDEX_URL, { credentials: "same-origin", redirect: "error" }).then(function (response) {
    if (!response.ok) throw new Error("index " + response.status);
    return response.json();
  }).then(function (index) {
    return store.getMeta().then(function (meta) {
      // Someone else's copies never stay beside hers.
      return meta && meta.user && meta.user !== index.user ? store.clearAll() : null;
    }).then(function () { return storePages(index); });
  });
}

function storePages(index) {
  var name = store.PAGES_PREFIX + Date.now();
  var statics = {};
  var kept = {};
  // One page after the other: a gentle load on the server while she browses.
  return caches.open(name).then(function (pages) {
    return index.pages.reduce(function (previous, page) {
      return previous.then(function () { return storePage(pages, page); });
    }, Promise.resolve());

    function storePage(pages, page) {
      return fetch(page.url, {
        credentials: "same-origin",
        redirect: "error",
        cache: "no-store", // in Cache Storage only, never in the browser's HTTP cache
        headers: { "X-NailPro-Sync": "1" }
      }).then(function (response) {
        if (!response.ok || !response.headers.get(COPY_HEADER)) return null;
        return response.clone().text().then(function (html) {
          staticUrls(html).forEach(function (url) { statics[url] = true; });
          kept[page.url] = true;
          return pages.put(page.url, response);
        });
      }).catch(function () { return null; });
    }
  }).then(function () {
    if (index.pages.length && !Object.keys(kept).length) {
      // Nothing came back (server trouble, kiosk mode): keep the copies she has.
      return caches.delete(name).then(function () { throw new Error("nothing stored"); });
    }
    return caches.open(store.SHELL);
  }).then(function (shell) {
    return cacheStatic(shell, Object.keys(statics));
  }).then(function () {
    return cacheShell().catch(function () {});
  }).then(function () {
    return caches.keys();
  }).then(function (names) {
    return Promise.all(names.filter(function (other) {
      return other.indexOf(store.PAGES_PREFIX) === 0 && other !== name;
    }).map(function (other) { return caches.delete(other); }));
  }).then(function () {
    var meta = {
      user: index.user,
      at: Date.now(),
      cache: name,
      summary: index.summary,
      pages: index.pages.filter(function (page) { return kept[page.url]; })
    };
    return store.setMeta(meta).then(function () { return meta; });
  });
}

/* Writes made offline. */
function writeOf(path) {
  for (var i = 0; i < QUEUED_WRITES.length; i++) {
    if (QUEUED_WRITES[i].pattern.test(path)) return QUEUED_WRITES[i];
  }
  return null;
}

function sendOrQueue(request, url) {
  var kept = request.clone();
  return fetch(request).catch(function () {
    return kept.text().then(function (body) {
      return enqueue(kept, url, body);
    }).then(function () {
      if (kept.headers.get("HX-Request")) {
        return new Response("", { status: 200, headers: { "HX-Redirect": OFFLINE_URL + "?queued=1" } });
      }
      return Response.redirect(OFFLINE_URL + "?queued=1", 303);
    });
  });
}

function enqueue(request, url, body) {
  var write = writeOf(url.pathname);
  return store.getMeta().then(function (meta) {
    meta = meta || {};
    var pages = meta.pages || [];
    var appointment = url.pathname.replace(/(done|no-show)\/$/, "");
    var card = url.pathname.replace(/preferences\/$/, "");
    var page = pages.filter(function (p) { return p.url === appointment || p.url === card; })[0];
    return store.putEntry({
      key: self.crypto.randomUUID(),
      user: meta.user || "",
      url: url.pathname,
      body: body,
      contentType: request.headers.get("Content-Type") || "application/x-www-form-urlencoded",
      action: write.action,
      label: page ? page.title : "",
      created: Date.now(),
      state: "waiting",
      reasons: [],
      attempts: 0
    });
  }).then(function () {
    if (self.registration.sync) {
      return self.registration.sync.register(QUEUE_TAG).catch(function () {});
    }
    return null;
  }).then(tellPages);
}

var replaying = null;
function replay() {
  if (!replaying) {
    replaying = sendWaiting().then(function (sent) {
      replaying = null;
      return tellPages().then(function () { return sent; });
    }, function (error) {
      replaying = null;
      throw error;
    });
  }
  return replaying;
}

function sendWaiting() {
  return Promise.all([store.getMeta(), store.entries()]).then(function (found) {
    var meta = found[0] || {};
    var waiting = found[1].filter(function (entry) {
      return entry.state === "waiting" && entry.user === meta.user;
    }).sort(function (a, b) { return a.created - b.created; });
    var sent = 0;
    return waiting.reduce(function (previous, entry) {
      return previous.then(function () {
        return send(entry).then(function (done) { if (done) sent += 1; });
      });
    }, Promise.resolve()).then(function () { return sent; }, function () { return sent; });
  });
}

/* Send one queued write; a network failure stops the round (still offline). */
function send(entry) {
  return fetch(entry.url, {
    method: "POST",
    body: entry.body,
    credentials: "same-origin",
    redirect: "manual",
    headers: { "Content-Type": entry.contentType, "Idempotency-Key": entry.key }
  }).then(function (response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === 0) {
      return response.json().then(function (outcome) {
        if (outcome.outcome === "done") return store.removeEntry(entry.key).then(function () { return true; });
        return review(entry, outcome.messages || [], response.status);
      });
    }
    if (response.type === "opaqueredirect") return false; // her session ended: after login
    entry.attempts += 1;
    if (response.status >= 500 && entry.attempts < 5) return store.putEntry(entry).then(function () { return false; });
    return review(entry, [], response.status);
  });
}

function review(entry, reasons, status) {
  entry.state = "review";
  entry.reasons = reasons;
  entry.status = status;
  return store.putEntry(entry).then(function () { return false; });
}

function logout(request) {
  return replay().catch(function () {}).then(function () {
    return store.clearAll();
  }).catch(function () {}).then(function () {
    return fetch(request);
  });
}
