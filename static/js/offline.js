/* The pages' side of the day offline: registers the service worker, keeps the phone's copies
   tied to whoever is logged in, runs the morning sync, shows what is kept and what waits,
   says in place when an htmx request failed, and offers to install NailPro. */
(function () {
  "use strict";

  var SYNC_EVERY = 30 * 60 * 1000; // the morning sync runs again after this long with signal
  var HINT_SHOWN = "nailpro-install-hint";
  var stringsNode = document.getElementById("offline-strings");
  var strings = stringsNode ? JSON.parse(stringsNode.dataset.strings) : {};
  var userMeta = document.querySelector('meta[name="nailpro-user"]');
  var user = userMeta ? userMeta.content : "";
  var store = window.NailProOffline;

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (all, name) { return values[name]; });
  }

  function moment(ms) {
    return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"
    }).format(new Date(ms));
  }

  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }

  /* htmx: a request that failed says so where it was made; nothing is swapped. */
  function failed(event, text) {
    var element = event.detail && event.detail.elt;
    if (!element || !element.parentNode) return;
    // Beside what she touched: a search box's row, a button's form, a link itself.
    var place = element.matches("input, select, textarea") ? element.parentNode : element;
    var note = place.parentNode.querySelector(".request-failed");
    if (!note) {
      note = document.createElement("p");
      note.className = "request-failed error";
      note.setAttribute("role", "alert");
      place.parentNode.insertBefore(note, place.nextSibling);
    }
    note.textContent = text;
  }
  document.addEventListener("htmx:sendError", function (event) { failed(event, strings.networkError); });
  document.addEventListener("htmx:responseError", function (event) { failed(event, strings.serverError); });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) return;
    all(".request-failed").forEach(function (note) { note.remove(); });
  });

  installHint();

  if (!("serviceWorker" in navigator) || !store || !window.caches) return;

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});

  function ask(type) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage({ type: type }, [channel.port2]);
      });
    });
  }

  /* The copies on this phone belong to one user: another login, or 48 hours, clears them. */
  function checkOwner() {
    if (!user) return Promise.resolve();
    return store.getMeta().then(function (meta) {
      if (meta && meta.user && meta.user !== user) return store.clearAll().then(function () { return null; });
      if (store.isStale(meta)) return store.clearPages().then(function () { return null; });
      return meta;
    }).then(function (meta) {
      return meta ? meta : store.setMeta({ user: user });
    });
  }

  function prepare() {
    setStatus(strings.preparing);
    return ask("sync").then(function (reply) {
      if (!reply || !reply.ok) setStatus(strings.prepareFailed);
      return render();
    });
  }

  function setStatus(text) {
    all("[data-offline-status]").forEach(function (node) { node.textContent = text; });
  }

  function render() {
    return Promise.all([store.getMeta(), store.entries()]).then(function (found) {
      var meta = found[0] || {};
      var owner = user || meta.user;
      var entries = found[1].filter(function (entry) { return entry.user === owner; });
      var waiting = entries.filter(function (entry) { return entry.state === "waiting"; });
      var toReview = entries.filter(function (entry) { return entry.state === "review"; });
      var kept = meta.at && !store.isStale(meta) ? meta.pages || [] : [];
      var since = kept.length ? format(strings.prepared, { summary: meta.summary, time: moment(meta.at) }) : strings.nothing;

      all("[data-offline-day]").forEach(function (node) { node.hidden = false; });
      setStatus(since);
      all("[data-offline-review]").forEach(function (node) {
        var count = toReview.length || waiting.length;
        node.hidden = !count;
        node.firstElementChild.textContent = format(toReview.length ? strings.review : strings.waiting, { count: count });
      });
      renderOfflinePage(kept, since, waiting, toReview);
    });
  }

  function renderOfflinePage(kept, since, waiting, toReview) {
    var list = document.querySelector("[data-offline-pages]");
    if (!list) return;
    document.querySelector("[data-offline-since]").textContent = kept.length ? since : "";
    document.querySelector("[data-offline-empty]").hidden = kept.length > 0;
    list.replaceChildren.apply(list, kept.map(function (page) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = page.url;
      link.textContent = page.title;
      item.appendChild(link);
      return item;
    }));
    var waitingList = document.querySelector("[data-offline-waiting]");
    document.querySelector("[data-offline-waiting-empty]").hidden = waiting.length > 0;
    waitingList.replaceChildren.apply(waitingList, waiting.map(function (entry) {
      var item = document.createElement("li");
      item.textContent = describe(entry) + " · " + moment(entry.created);
      return item;
    }));
    var reviewList = document.querySelector("[data-offline-review-list]");
    document.querySelector("[data-offline-review-empty]").hidden = toReview.length > 0;
    reviewList.replaceChildren.apply(reviewList, toReview.map(reviewItem));
  }

  function describe(entry) {
    var action = strings[entry.action] || entry.action;
    return entry.label ? action + " · " + entry.label : action;
  }

  function keptData(entry) {
    var rows = [];
    var labels = strings.fields || {};
    new URLSearchParams(entry.body).forEach(function (value, name) {
      // Hidden fields (token, initial values, services' ids) mean nothing to her.
      if (name === "csrfmiddlewaretoken" || /^initial-|[0-9a-f]{8}-[0-9a-f]{4}-/.test(name)) return;
      if (value.trim()) rows.push([labels[name] || name, value]);
    });
    return rows;
  }

  function reviewItem(entry) {
    var template = document.querySelector("[data-offline-review-item]");
    var item = template.content.firstElementChild.cloneNode(true);
    item.querySelector('[data-field="label"]').textContent = describe(entry);
    item.querySelector('[data-field="when"]').textContent = moment(entry.created);
    item.querySelector('[data-field="reason"]').textContent =
      entry.reasons.length ? entry.reasons.join(" ") : format(strings.refused, { status: entry.status });
    var data = item.querySelector('[data-field="data"]');
    var rows = keptData(entry);
    rows.forEach(function (row) {
      var term = document.createElement("dt");
      var value = document.createElement("dd");
      term.textContent = row[0];
      value.textContent = row[1];
      data.append(term, value);
    });
    item.querySelector('[data-action="copy"]').addEventListener("click", function (event) {
      var text = rows.map(function (row) { return row[0] + ": " + row[1]; }).join("\n");
      navigator.clipboard.writeText(describe(entry) + "\n" + text).then(function () {
        event.target.textContent = strings.copied;
      }, function () {});
    });
    item.querySelector('[data-action="retry"]').addEventListener("click", function () {
      entry.state = "waiting";
      entry.attempts = 0;
      store.putEntry(entry).then(function () { return ask("replay"); }).then(render);
    });
    item.querySelector('[data-action="discard"]').addEventListener("click", function () {
      store.removeEntry(entry.key).then(render);
    });
    return item;
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "offline-changed") render();
  });
  window.addEventListener("online", function () { ask("replay"); });
  all("[data-offline-prepare]").forEach(function (button) {
    button.addEventListener("click", prepare);
  });

  checkOwner().then(render).then(function () {
    if (!user || !navigator.onLine) return null;
    return store.getMeta().then(function (meta) {
      if (!meta || !meta.at || Date.now() - meta.at > SYNC_EVERY) return prepare();
      return ask("replay");
    });
  });

  /* Install: Android's own prompt, offered by a button; on iPhone Safari, how to do it. */
  function installHint() {
    var hint = document.querySelector("[data-install-hint]");
    if (!hint || localStorage.getItem(HINT_SHOWN)) return;
    if (window.matchMedia("(display-mode: standalone)").matches || navigator.standalone) return;
    var prompt = null;
    function show(part) {
      hint.querySelector(part).hidden = false;
      hint.hidden = false;
      localStorage.setItem(HINT_SHOWN, "1"); // once
    }
    function close() { hint.hidden = true; }
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      prompt = event;
      hint.querySelector("[data-install-accept]").hidden = false;
      show("[data-install-android]");
    });
    var ua = navigator.userAgent;
    if (/iPhone|iPad|iPod/.test(ua) && /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua)) {
      show("[data-install-ios]");
    }
    hint.querySelector("[data-install-accept]").addEventListener("click", function () {
      if (prompt) prompt.prompt();
      close();
    });
    hint.querySelector("[data-install-dismiss]").addEventListener("click", close);
  }
})();
