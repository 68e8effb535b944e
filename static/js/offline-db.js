/* What NailPro keeps on the phone for a day without signal, shared by the pages and the
   service worker: the morning sync's index ("meta") and the writes queued offline ("queue"),
   in IndexedDB; the pages themselves in Cache Storage ("nailpro-pages-<time>"). */
(function (scope) {
  "use strict";

  var PAGES_PREFIX = "nailpro-pages-";
  var SHELL = "nailpro-shell";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("nailpro-offline", 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("meta");
        db.createObjectStore("queue", { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var request = action(transaction.objectStore(store));
        transaction.oncomplete = function () {
          db.close();
          resolve(request ? request.result : undefined);
        };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      });
    });
  }

  function deletePages() {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PAGES_PREFIX) === 0;
      }).map(function (name) { return caches.delete(name); }));
    });
  }

  scope.NailProOffline = {
    PAGES_PREFIX: PAGES_PREFIX,
    SHELL: SHELL,
    MAX_AGE: 48 * 3600 * 1000, // as nailpro.offline.KEPT_FOR
    getMeta: function () {
      return run("meta", "readonly", function (s) { return s.get("sync"); });
    },
    setMeta: function (meta) {
      return run("meta", "readwrite", function (s) { return s.put(meta, "sync"); });
    },
    entries: function () {
      return run("queue", "readonly", function (s) { return s.getAll(); });
    },
    putEntry: function (entry) {
      return run("queue", "readwrite", function (s) { return s.put(entry); });
    },
    removeEntry: function (key) {
      return run("queue", "readwrite", function (s) { return s.delete(key); });
    },
    isStale: function (meta) {
      return Boolean(meta && meta.at && Date.now() - meta.at > this.MAX_AGE);
    },
    // The day's copies go; her queued writes stay (expiry, a session ending).
    clearPages: function () {
      return deletePages().then(function () {
        return run("meta", "readwrite", function (s) { return s.clear(); });
      });
    },
    // Everything of hers goes (logout, someone else logging in).
    clearAll: function () {
      return this.clearPages().then(function () {
        return run("queue", "readwrite", function (s) { return s.clear(); });
      });
    }
  };
})(self);
