// Fieldwork's service worker (views/offline.py serves it at /sw.js, after a first line that sets
// FIELDWORK: the shell's real addresses, the pages kept and the version).
//
// - Static files (their names carry their hash in production): cache-first; the shell is kept at install.
// - Pages: network-first, always; the visit form, the waiting list and the home page are kept (the
//   form without its submission key: each opening offline makes its own, see offline.js) and served
//   only when the network fails.
// - A visit form sent while the network fails is kept in IndexedDB with its key, the phone's save time
//   and its user, and sent later (sendWaiting) to the same view with `X-Fieldwork-Sync: 1`, which answers
//   JSON. Fields the form marks `data-never-offline` are never kept (offline.js names them in
//   `_never_offline` when the form is sent).
// - Offline, the people picker, the unit picker and "Add a concern" answer from what was kept.
/* global FIELDWORK */
"use strict";

const VERSION = FIELDWORK.version;
const SHELL_CACHE = "fw-shell-" + VERSION;
const PAGE_CACHE = "fw-pages-" + VERSION;
const DATA_CACHE = "fw-data-" + VERSION;
const KEPT_PAGES = [FIELDWORK.formPage, FIELDWORK.offlinePage, "/"];
const REFRESH_MS = 15 * 60 * 1000;
const TOKEN = /(name="form_token" value=")[^"]*(")/g;
const DB_NAME = "fieldwork-offline";
const SYNC_TAG = "fieldwork-send";
const NEVER_OFFLINE = "_never_offline";

// --- IndexedDB: items (one per visit saved offline) and meta (the signed-in user, last refresh) ----

function db() {
  return new Promise(function (resolve, reject) {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = function () {
      const base = open.result;
      if (!base.objectStoreNames.contains("items")) base.createObjectStore("items", { keyPath: "id" });
      if (!base.objectStoreNames.contains("meta")) base.createObjectStore("meta", { keyPath: "name" });
    };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });
}

async function tx(store, mode, work) {
  const base = await db();
  return new Promise(function (resolve, reject) {
    const t = base.transaction(store, mode);
    let result;
    Promise.resolve(work(t.objectStore(store))).then(function (value) { result = value; });
    t.oncomplete = function () { base.close(); resolve(result); };
    t.onerror = function () { base.close(); reject(t.error); };
    t.onabort = function () { base.close(); reject(t.error); };
  });
}

function req(request) {
  return new Promise(function (resolve, reject) {
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });
}

async function metaGet(name) {
  const row = await tx("meta", "readonly", function (store) { return req(store.get(name)); });
  return row ? row.value : null;
}

function metaSet(name, value) {
  return tx("meta", "readwrite", function (store) { store.put({ name: name, value: value }); });
}

function itemsAll() {
  return tx("items", "readonly", function (store) { return req(store.getAll()); });
}

function itemPut(item) {
  return tx("items", "readwrite", function (store) { store.put(item); });
}

// --- install, activate, messages ------------------------------------------------------------------

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then(function (cache) { return cache.addAll(FIELDWORK.shell); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.startsWith("fw-") && !name.endsWith("-" + VERSION);
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

async function notify(message) {
  const all = await self.clients.matchAll({ includeUncontrolled: true });
  all.forEach(function (client) { client.postMessage(message); });
}

async function forgetPages() {
  await caches.delete(PAGE_CACHE);
  await caches.delete(DATA_CACHE);
  await metaSet("refreshed", 0);
}

// Keep the visit form, the waiting list, the home page and the form's choices for this user.
async function refresh(force) {
  const last = (await metaGet("refreshed")) || 0;
  if (!force && Date.now() - last < REFRESH_MS) return;
  const pages = await caches.open(PAGE_CACHE);
  const data = await caches.open(DATA_CACHE);
  const user = await metaGet("user");
  for (const path of KEPT_PAGES) {
    try {
      const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
      if (response.ok && !response.redirected) await pages.put(path, await withoutKey(response));
    } catch (error) {
      return; // no network: try again on a later page
    }
  }
  for (const path of [FIELDWORK.choices, FIELDWORK.concernForm]) {
    try {
      const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
      if (response.ok && !response.redirected) await data.put(path, response);
    } catch (error) {
      return;
    }
  }
  if (user === (await metaGet("user"))) await metaSet("refreshed", Date.now());
}

self.addEventListener("message", function (event) {
  const message = event.data || {};
  const reply = function (value) { if (event.ports && event.ports[0]) event.ports[0].postMessage(value); };
  if (message.type === "user") {
    event.waitUntil((async function () {
      const known = await metaGet("user");
      if (known !== message.user) {
        await forgetPages(); // another user's pages and colleagues are never served to this one
        await metaSet("user", message.user);
      }
      reply({ ok: true });
      await refresh(false);
      if (message.user !== null) await sendWaiting();
    })());
  } else if (message.type === "signout") {
    event.waitUntil((async function () {
      await forgetPages();
      await metaSet("user", null);
      reply({ ok: true });
    })());
  } else if (message.type === "send") {
    event.waitUntil(sendWaiting().then(reply, function (error) { reply({ error: String(error) }); }));
  } else if (message.type === "refresh") {
    event.waitUntil(refresh(true).then(function () { reply({ ok: true }); }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(sendWaiting().then(function (outcome) {
    if (outcome && outcome.offline) throw new Error("still offline"); // the browser tries again later
  }));
});

// --- fetch ----------------------------------------------------------------------------------------

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === FIELDWORK.formPage && !request.headers.get("X-Fieldwork-Sync")) {
    event.respondWith(postVisit(request));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith(FIELDWORK.staticPrefix)) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageNetworkFirst(request, url));
  } else if (url.pathname === FIELDWORK.peopleSearch) {
    event.respondWith(networkOr(request, function () { return peopleOffline(url); }));
  } else if (url.pathname === FIELDWORK.unitSearch) {
    event.respondWith(networkOr(request, function () { return unitsOffline(url); }));
  } else if (url.pathname === FIELDWORK.formPage + "concern-form/") {
    event.respondWith(networkOr(request, function () { return concernFormOffline(url); }));
  }
});

async function staticFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function withoutKey(response) {
  // A kept form page must not carry the key of the opening it was fetched for: offline.js makes one.
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(text.replace(TOKEN, "$1$2"), { status: response.status, headers: headers });
}

async function pageNetworkFirst(request, url) {
  try {
    const response = await fetch(request);
    if (KEPT_PAGES.includes(url.pathname) && !url.search && response.ok && !response.redirected) {
      const copy = await withoutKey(response.clone());
      caches.open(PAGE_CACHE).then(function (cache) { return cache.put(url.pathname, copy); });
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGE_CACHE);
    const kept = (await cache.match(url.pathname, { ignoreVary: true, ignoreSearch: true }))
      || (await cache.match(FIELDWORK.offlinePage, { ignoreVary: true }));
    if (kept) return kept;
    return new Response("<!doctype html><title>Offline</title><p>No signal.</p>", {
      status: 503, headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  }
}

async function networkOr(request, offline) {
  try {
    return await fetch(request);
  } catch (error) {
    return offline();
  }
}

async function choices() {
  const cache = await caches.open(DATA_CACHE);
  const kept = await cache.match(FIELDWORK.choices, { ignoreVary: true });
  return kept ? kept.json() : null;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

function html(body) {
  return new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// The picker's fragment (templates/fieldwork/people/_matches.html) from the colleagues kept, found by
// the same keys as on the server (fieldwork/name_keys.py): a key beginning with what was typed.
async function peopleOffline(url) {
  const kept = await choices();
  const params = url.searchParams;
  const field = /^[A-Za-z0-9_-]{1,80}$/.test(params.get("field") || "") ? params.get("field") : "person";
  const typed = params.get("q") !== null ? params.get("q") : (params.get(field + "__q") || "");
  const query = typed.replace(/\s+/g, "").toLowerCase().slice(0, 64);
  if (!kept) return html("");
  const texts = kept.messages;
  let message = texts.offline;
  const found = [];
  if (!query) {
    message = texts.type;
  } else {
    kept.colleagues.forEach(function (person) {
      let rank = null;
      person.keys.forEach(function (pair) {
        if (pair[0].startsWith(query) && (rank === null || pair[1] < rank)) rank = pair[1];
      });
      if (rank !== null) found.push({ person: person, rank: rank });
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.person.text.localeCompare(b.person.text); });
    if (!found.length) message = texts.none.replace("%(query)s", typed) + " " + texts.offline;
    else if (found.length > kept.limit) message = texts.more + " " + texts.offline;
  }
  const type = params.get("multiple") ? "checkbox" : "radio";
  const id = "id_" + field;
  const rows = found.slice(0, kept.limit).map(function (match) {
    const p = match.person;
    const hint = p.hint ? ' <small class="text-body-secondary">' + escape(p.hint) + "</small>" : "";
    return '<div class="form-check"><input class="form-check-input" type="' + type + '" name="' + escape(field)
      + '" value="' + escape(p.value) + '" id="' + escape(id) + "-m" + escape(p.value) + '">'
      + '<label class="form-check-label" for="' + escape(id) + "-m" + escape(p.value) + '">' + escape(p.text) + hint
      + "</label></div>";
  });
  rows.push('<p class="small text-body-secondary mb-0" data-picker-message>' + escape(message) + "</p>");
  return html(rows.join("\n"));
}

async function unitsOffline(url) {
  const kept = await choices();
  const query = (url.searchParams.get("q") || "").trim().toLowerCase();
  const units = (kept ? kept.units : []).filter(function (unit) {
    return !query || unit.text.toLowerCase().includes(query) || (unit.code || "").toLowerCase().includes(query);
  });
  return new Response(JSON.stringify({ results: units.slice(0, 30) }), {
    headers: { "Content-Type": "application/json" },
  });
}

// "Add a concern": the blank concern form kept (numbered 987654), numbered as the next one.
async function concernFormOffline(url) {
  const cache = await caches.open(DATA_CACHE);
  const kept = await cache.match(FIELDWORK.concernForm, { ignoreVary: true });
  if (!kept) return html("");
  const index = Math.max(0, Math.min(parseInt(url.searchParams.get("concerns-TOTAL_FORMS") || "0", 10) || 0, 19));
  const text = (await kept.text()).replace(/987655/g, String(index + 1)).replace(/987654/g, String(index));
  return html(text);
}

// --- a visit sent while the network fails: kept, then sent -----------------------------------------

function randomKey() {
  return "client." + self.crypto.randomUUID();
}

async function postVisit(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const form = await copy.formData();
    if (form.has("add_concern") || form.has("_picker")) {
      return html("<!doctype html><title>Offline</title><p>No signal.</p>");
    }
    const user = await metaGet("user");
    if (user === null || user === undefined) {
      return Response.redirect(FIELDWORK.login, 303);
    }
    const never = (form.get(NEVER_OFFLINE) || "").split(",").filter(Boolean);
    const entries = [];
    for (const [name, value] of form.entries()) {
      if (name === NEVER_OFFLINE || name === "csrfmiddlewaretoken" || never.includes(name)) continue;
      if (value instanceof File && !value.size && !value.name) continue; // an empty file input
      entries.push([name, value]);
    }
    const token = form.get("form_token") || "";
    const key = token || randomKey();
    const item = {
      id: key,
      key: key,
      user: user,
      savedAt: new Date().toISOString(),
      entries: entries,
      status: "waiting",
      summary: {
        date: form.get("date") || "",
        summary: String(form.get("summary") || "").slice(0, 80),
        concerns: entries.filter(function (pair) { return /^concerns-\d+-title$/.test(pair[0]) && pair[1]; }).length,
      },
    };
    await itemPut(item);
    if (self.registration.sync) {
      try { await self.registration.sync.register(SYNC_TAG); } catch (ignored) { /* sent on the next page */ }
    }
    notify({ type: "changed" });
    return Response.redirect(FIELDWORK.offlinePage + "?saved=1", 303);
  }
}

let sending = null;

function sendWaiting() {
  if (!sending) {
    sending = sendAll().finally(function () { sending = null; });
  }
  return sending;
}

async function sendAll() {
  let who;
  try {
    const response = await fetch(FIELDWORK.session, { credentials: "same-origin", cache: "no-store" });
    who = await response.json();
  } catch (error) {
    return { offline: true };
  }
  const items = (await itemsAll()).filter(function (item) {
    return item.status === "waiting" || item.status === "signin";
  });
  if (!who.user) {
    // signed out or the session ended: the items wait for their user to sign in
    for (const item of items) {
      if (item.user === (await metaGet("user")) && item.status !== "signin") {
        item.status = "signin";
        await itemPut(item);
      }
    }
    notify({ type: "changed" });
    return { signin: true };
  }
  let sent = 0;
  for (const item of items) {
    if (item.user !== who.user) continue; // only under the session of the user it belongs to
    const body = new FormData();
    item.entries.forEach(function (pair) {
      if (pair[0] === "form_token" || pair[0] === "saved_at") return;
      if (pair[1] instanceof Blob) body.append(pair[0], pair[1], pair[1].name || "photo.jpg");
      else body.append(pair[0], pair[1]);
    });
    body.append("csrfmiddlewaretoken", who.csrf);
    body.append("form_token", item.key);
    body.append("saved_at", item.savedAt);
    let response;
    try {
      response = await fetch(FIELDWORK.formPage, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-Fieldwork-Sync": "1", "X-CSRFToken": who.csrf, Accept: "application/json" },
      });
    } catch (error) {
      notify({ type: "changed" });
      return { offline: true, sent: sent };
    }
    if (response.type === "opaqueredirect" || response.status === 403) {
      item.status = "signin"; // the session ended between the two requests (or its CSRF cookie)
      await itemPut(item);
      break;
    }
    let answer;
    try {
      answer = await response.json();
    } catch (error) {
      item.lastError = String(response.status);
      await itemPut(item);
      continue; // a server error: it stays waiting, sent again later
    }
    item.sentAt = new Date().toISOString();
    if (answer.ok) {
      item.status = "sent";
      item.result = { visit: answer.visit, url: answer.url, concerns: answer.concerns };
      item.entries = []; // on the server now: the phone keeps only what the list shows
      sent += 1;
    } else {
      item.status = "refused";
      item.errors = answer.errors || {};
      item.confirm = !!answer.confirm;
    }
    await itemPut(item);
  }
  notify({ type: "changed" });
  return { sent: sent };
}
