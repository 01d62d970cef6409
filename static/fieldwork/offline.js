// Fieldwork offline (views/offline.py, sw.js): registers the service worker, tells it who is signed in,
// shows how many visits wait on this phone, lists them, and asks the worker to send them (on the
// `online` event and on every page). The worker keeps and sends; this file only reads IndexedDB.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.indexedDB) return;
  var script = document.currentScript;
  var workerUrl = script && script.dataset.sw;
  var DB_NAME = "fieldwork-offline";
  var PENDING = ["waiting", "signin", "refused"];

  function user() {
    var raw = document.body && document.body.dataset.fieldworkUser;
    return raw ? parseInt(raw, 10) : null;
  }

  function items() {
    return new Promise(function (resolve) {
      var open = indexedDB.open(DB_NAME, 1);
      open.onupgradeneeded = function () {
        var base = open.result;
        if (!base.objectStoreNames.contains("items")) base.createObjectStore("items", { keyPath: "id" });
        if (!base.objectStoreNames.contains("meta")) base.createObjectStore("meta", { keyPath: "name" });
      };
      open.onerror = function () { resolve([]); };
      open.onsuccess = function () {
        var base = open.result;
        var request = base.transaction("items", "readonly").objectStore("items").getAll();
        request.onsuccess = function () { base.close(); resolve(request.result || []); };
        request.onerror = function () { base.close(); resolve([]); };
      };
    });
  }

  function putItem(item) {
    return new Promise(function (resolve) {
      var open = indexedDB.open(DB_NAME, 1);
      open.onsuccess = function () {
        var base = open.result;
        var t = base.transaction("items", "readwrite");
        t.objectStore("items").put(item);
        t.oncomplete = function () { base.close(); resolve(); };
        t.onerror = function () { base.close(); resolve(); };
      };
      open.onerror = function () { resolve(); };
    });
  }

  function mine(all) {
    var me = user();
    return all.filter(function (item) { return item.user === me; });
  }

  function tell(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  // --- the badge in the header --------------------------------------------------------------------

  function showCount() {
    return items().then(function (all) {
      var count = mine(all).filter(function (item) { return PENDING.indexOf(item.status) >= 0; }).length;
      document.querySelectorAll("[data-offline-badge]").forEach(function (badge) {
        badge.querySelector("[data-offline-count]").textContent = String(count);
        badge.hidden = count === 0;
      });
      return all;
    }).then(renderList);
  }

  // --- the list of what waits (templates/fieldwork/offline/list.html) ------------------------------

  function text(name) {
    var holder = document.querySelector("template[data-offline-text]");
    var node = holder && holder.content.querySelector('[data-t="' + name + '"]');
    return node ? node.textContent : name;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function status(message) {
    var box = document.querySelector("[data-offline-status]");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  function renderList(all) {
    var list = document.querySelector("[data-offline-list]");
    if (!list) return;
    var own = mine(all).sort(function (a, b) { return a.savedAt < b.savedAt ? 1 : -1; });
    list.textContent = "";
    document.querySelector("[data-offline-empty]").hidden = own.length > 0;
    own.forEach(function (item) {
      var li = element("li", "card mb-2");
      li.dataset.offlineItem = item.id;
      li.dataset.status = item.status;
      var body = element("div", "card-body py-2");
      var head = element("div", "d-flex justify-content-between gap-2 flex-wrap");
      head.appendChild(element("strong", "", (item.summary && item.summary.date) || ""));
      var labels = { waiting: "waiting", sent: "sent", refused: "refused", signin: "signin", opened: "opened" };
      var colours = { waiting: "text-bg-warning", sent: "text-bg-success", refused: "text-bg-danger",
        signin: "text-bg-secondary", opened: "text-bg-light" };
      head.appendChild(element("span", "badge " + (colours[item.status] || ""), text(labels[item.status] || "waiting")));
      body.appendChild(head);
      if (item.summary && item.summary.summary) body.appendChild(element("div", "small", item.summary.summary));
      var when = new Date(item.savedAt);
      body.appendChild(element("div", "small text-body-secondary", text("saved_on") + " " + when.toLocaleString()));
      if (item.status === "sent" && item.result) {
        var result = element("div", "small mt-1");
        var link = element("a", "", text("visit") + " " + item.result.visit);
        link.href = item.result.url;
        link.dataset.offlineVisit = item.result.visit;
        result.appendChild(link);
        if (item.result.concerns && item.result.concerns.length) {
          result.appendChild(document.createTextNode(" · " + text("concerns") + ": " + item.result.concerns.join(", ")));
        }
        body.appendChild(result);
      }
      if (item.status === "refused") {
        var errors = element("ul", "small text-danger mb-1 mt-1");
        errors.dataset.offlineErrors = "";
        Object.keys(item.errors || {}).forEach(function (field) {
          (item.errors[field] || []).forEach(function (message) { errors.appendChild(element("li", "", message)); });
        });
        body.appendChild(errors);
      }
      if (item.status === "refused" || item.status === "opened") {
        var open = element("button", "btn btn-sm btn-outline-primary", text("open"));
        open.type = "button";
        open.addEventListener("click", function () { reopen(item); });
        body.appendChild(open);
      }
      li.appendChild(body);
      list.appendChild(li);
    });
    var others = all.filter(function (item) { return item.user !== user() && PENDING.indexOf(item.status) >= 0; });
    if (others.length) list.appendChild(element("li", "small text-body-secondary", text("other_user") + " (" + others.length + ")"));
    if (own.some(function (item) { return item.status === "signin"; })) status(text("need_signin"));
  }

  // A visit the server refused goes back to the form as it was typed: posted to the page, which shows
  // the messages beside their fields (and the confirmation step), under the same submission key.
  function reopen(item) {
    var list = document.querySelector("[data-offline-list]");
    fetch(list.dataset.sessionUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (who) {
        if (!who.user) { window.location.assign(who.login + "?next=" + encodeURIComponent(window.location.pathname)); return; }
        var form = document.createElement("form");
        form.method = "post";
        form.enctype = "multipart/form-data";
        form.action = list.dataset.formUrl;
        form.hidden = true;
        var files = {};
        item.entries.forEach(function (pair) {
          if (pair[0] === "csrfmiddlewaretoken" || pair[0] === "form_token" || pair[0] === "saved_at") return;
          if (pair[1] instanceof Blob) {
            (files[pair[0]] = files[pair[0]] || []).push(pair[1]);
            return;
          }
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = pair[0];
          input.value = pair[1];
          form.appendChild(input);
        });
        Object.keys(files).forEach(function (name) {
          var input = document.createElement("input");
          input.type = "file";
          input.name = name;
          input.multiple = true;
          var transfer = new DataTransfer();
          files[name].forEach(function (file) { transfer.items.add(file); });
          input.files = transfer.files;
          form.appendChild(input);
        });
        [["csrfmiddlewaretoken", who.csrf], ["form_token", item.key], ["saved_at", item.savedAt]].forEach(function (pair) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = pair[0];
          input.value = pair[1];
          form.appendChild(input);
        });
        item.status = "opened";
        return putItem(item).then(function () {
          document.body.appendChild(form);
          form.submit();
        });
      })
      .catch(function () { status(text("offline")); });
  }

  // --- the visit form: its own key when the page came from the phone's cache; never-offline fields --

  function prepareVisitForm() {
    var form = document.getElementById("visit-form");
    if (!form || !window.crypto || !window.crypto.randomUUID) return;
    var token = form.querySelector("input[name=form_token]");
    if (token && !token.value) token.value = "client." + window.crypto.randomUUID();
    form.addEventListener("submit", function () {
      var names = [];
      form.querySelectorAll("[data-never-offline]").forEach(function (field) {
        if (field.name && names.indexOf(field.name) < 0) names.push(field.name);
      });
      var holder = form.querySelector("input[name=_never_offline]");
      if (!holder) {
        holder = document.createElement("input");
        holder.type = "hidden";
        holder.name = "_never_offline";
        form.appendChild(holder);
      }
      holder.value = names.join(",");
    }, true);
  }

  // --- signing out: the visits waiting stay on the phone for their user ----------------------------

  function guardSignOut() {
    document.querySelectorAll("form[action$='/accounts/logout/']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.offlineWarned === "1") return;
        event.preventDefault();
        items().then(function (all) {
          var count = mine(all).filter(function (item) { return PENDING.indexOf(item.status) >= 0; }).length;
          var badge = document.querySelector("[data-offline-badge]");
          var go = function () {
            form.dataset.offlineWarned = "1";
            var done = false;
            var submit = function () { if (!done) { done = true; form.submit(); } };
            tell({ type: "signout" }).then(submit);
            setTimeout(submit, 1500);
          };
          if (!count || !badge) { go(); return; }
          var warning = document.querySelector("[data-offline-signout]");
          if (!warning) {
            warning = element("div", "alert alert-warning d-flex flex-wrap gap-2 align-items-center");
            warning.setAttribute("role", "alert");
            warning.dataset.offlineSignout = "";
            var words = (count === 1 ? badge.dataset.textSignoutOne : badge.dataset.textSignoutOther) || "";
            warning.appendChild(element("span", "", words.replace("%(count)s", String(count))));
            var button = element("button", "btn btn-sm btn-outline-dark", badge.dataset.textSignoutAnyway || "Sign out");
            button.type = "button";
            button.addEventListener("click", go);
            warning.appendChild(button);
            var main = document.getElementById("main");
            main.insertBefore(warning, main.firstChild);
          }
          warning.scrollIntoView({ block: "nearest" });
          warning.querySelector("button").focus();
        });
      });
    });
  }

  // --- start ---------------------------------------------------------------------------------------

  function send() {
    if (!navigator.serviceWorker.controller) return Promise.resolve();
    if (document.querySelector("[data-offline-list]")) status(text("sending"));
    return tell({ type: "send" }).then(function (outcome) {
      if (document.querySelector("[data-offline-list]")) {
        status(outcome && outcome.offline ? text("offline") : "");
      }
      return showCount().then(function () { return outcome; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    prepareVisitForm();
    guardSignOut();
    var list = document.querySelector("[data-offline-list]");
    if (list && /[?&]saved=1/.test(window.location.search)) status(text("saved"));
    var button = document.querySelector("[data-offline-send]");
    if (button) button.addEventListener("click", send);
    showCount();
    if (!workerUrl) return;
    navigator.serviceWorker.register(workerUrl, { scope: "/" }).catch(function () { /* no worker: online only */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "changed") showCount();
    });
    var me = user();
    if (me !== null) {
      // tells the worker who is signed in; it refreshes what it keeps and sends what waits for this user
      tell({ type: "user", user: me }).then(function () { return showCount(); });
    }
  });
  // The `online` event can come a moment before requests get through: send after a second, and try
  // again a few times while the worker still finds no network.
  window.addEventListener("online", function () {
    var tries = 0;
    var attempt = function () {
      tries += 1;
      send().then(function (outcome) {
        if (outcome && outcome.offline && tries < 4) setTimeout(attempt, 3000);
      });
    };
    setTimeout(attempt, 1000);
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) showCount(); });
})();
