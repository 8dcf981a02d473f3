/* The trainer's roll call, online or not (issue #14 §2).
 *
 * Every mark is first written to IndexedDB with its own client_id and the time it was tapped, then sent to
 * POST /api/v1/sessions/{id}/attendance/sync/. A mark leaves the queue only once the server has answered
 * for it, so a lost connection, a failed request or a reload while offline never loses one; the server
 * answers a mark it has already seen with "duplicate", which makes sending again safe.
 * Without JavaScript (or without IndexedDB) the buttons post the form as before.
 * On the trainer dashboard and the roll call the script also registers the trainer pages' service worker
 * and asks it to keep today's and tomorrow's roll calls for offline use.
 */
(function () {
  "use strict";
  var box = document.getElementById("rc-offline");
  if (!box) { return; }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
    navigator.serviceWorker.register(box.getAttribute("data-sw"), {scope: box.getAttribute("data-scope")})
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        if (navigator.onLine && registration.active) {
          registration.active.postMessage({type: "prefetch", url: box.getAttribute("data-pages")});
        }
      })
      .catch(function () { /* the page works without the worker, online */ });
  }
  registerWorker();

  var sessionId = box.getAttribute("data-session");
  if (!sessionId || !window.indexedDB || !window.fetch || !window.Promise) { return; }

  var api = box.getAttribute("data-api");
  var failedText = box.getAttribute("data-failed");
  var DB = "academy-rollcall", STORE = "marks", RETRY_MS = 20000;
  var sending = false, again = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) { crypto.getRandomValues(bytes); }
    else { for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var opened = null;
  function db() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, {keyPath: "client_id"});
          store.createIndex("session", "session");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }

  function run(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(STORE, mode), result;
        var store = tx.objectStore(STORE);
        result = work(store);
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function queued() {
    return run("readonly", function (store) { return store.index("session").getAll(sessionId); })
      .then(function (marks) {
        return (marks || []).sort(function (a, b) { return a.recorded_at < b.recorded_at ? -1 : 1; });
      });
  }

  function rowOf(mark) {
    var row = document.getElementById("r" + mark.registration);
    if (!row) { return null; }
    var form = row.querySelector("form[data-rollcall]");
    var day = form.querySelector("input[name=day]"), block = form.querySelector("input[name=block]");
    var sameSlot = (day ? day.value : "") === (mark.day || "") &&
      String(block ? block.value : "") === String(mark.agenda_item || "");
    return sameSlot ? row : null;
  }

  function show(row, status, pending, problem) {
    row.setAttribute("data-status", status || "");
    row.classList.toggle("rc-unsent", !!pending);
    row.querySelectorAll(".rc-btn").forEach(function (b) {
      b.setAttribute("aria-pressed", b.value === status ? "true" : "false");
    });
    var note = row.querySelector(".rc-pending");
    if (note) { note.hidden = !pending; }
    var error = row.querySelector(".rc-error");
    if (error) { error.textContent = problem || ""; error.hidden = !problem; }
  }

  function recount(marks) {
    var counts = {"present": 0, "late": 0, "absent": 0, "": 0};
    document.querySelectorAll(".rc-row").forEach(function (row) { counts[row.getAttribute("data-status") || ""] += 1; });
    document.querySelectorAll("#rc-summary [data-count]").forEach(function (el) {
      el.textContent = counts[el.getAttribute("data-count")];
    });
    var unsent = document.getElementById("rc-unsent");
    if (unsent && marks) {
      unsent.querySelector("[data-unsent]").textContent = marks.length;
      unsent.hidden = marks.length === 0;
    }
  }

  // The marks still on the phone are shown over the page, which may be an older copy from the worker.
  function showQueued() {
    return queued().then(function (marks) {
      marks.forEach(function (mark) { var row = rowOf(mark); if (row) { show(row, mark.status, true); } });
      recount(marks);
      return marks;
    });
  }

  function answer(marks, body) {
    var byId = {};
    marks.forEach(function (mark) { byId[mark.client_id] = mark; });
    var done = [], latest = {};
    (body.results || []).forEach(function (result) {
      var mark = byId[result.client_id];
      if (!mark) { return; }
      // "refused" is final too (not a participant, not a day of the session): sending it again cannot help.
      done.push(result.client_id);
      latest[mark.registration + "|" + mark.day + "|" + (mark.agenda_item || "")] = {mark: mark, result: result};
    });
    return run("readwrite", function (store) { done.forEach(function (id) { store.delete(id); }); })
      .then(queued)
      .then(function (left) {
        var stillPending = {};
        left.forEach(function (mark) { stillPending[mark.registration + "|" + mark.day + "|" + (mark.agenda_item || "")] = true; });
        Object.keys(latest).forEach(function (key) {
          if (stillPending[key]) { return; }
          var row = rowOf(latest[key].mark), result = latest[key].result;
          // For a conflict or a refusal the row shows what the server holds, not what was tapped.
          if (row) { show(row, result.status || row.getAttribute("data-status"), false, result.outcome === "refused" ? result.detail : ""); }
        });
        recount(left);
      });
  }

  function csrf() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function flush() {
    if (sending) { again = true; return Promise.resolve(); }
    sending = true;
    return queued().then(function (marks) {
      if (!marks.length) { return; }
      marks = marks.slice(0, 500);
      var payload = marks.map(function (mark) {
        var item = {client_id: mark.client_id, registration: mark.registration, day: mark.day,
                    status: mark.status, recorded_at: mark.recorded_at};
        if (mark.agenda_item) { item.agenda_item = mark.agenda_item; }
        return item;
      });
      return fetch(api, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf()},
        body: JSON.stringify({marks: payload})
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (body) { return answer(marks, body); });
    }).catch(function () { /* kept in the queue for the next try */ })
      .then(function () {
        sending = false;
        if (again) { again = false; return flush(); }
      });
  }

  function mark(form, status) {
    var row = form.closest(".rc-row");
    var block = form.querySelector("input[name=block]");
    var entry = {
      client_id: uuid(),
      session: sessionId,
      registration: parseInt(form.querySelector("input[name=registration]").value, 10),
      day: form.querySelector("input[name=day]").value,
      agenda_item: block && block.value ? parseInt(block.value, 10) : null,
      status: status,
      recorded_at: new Date().toISOString()
    };
    show(row, status, true);
    return run("readwrite", function (store) { store.put(entry); })
      .then(showQueued)
      .then(flush)
      .catch(function () { show(row, row.getAttribute("data-status"), true, failedText); });
  }

  db().then(function () {
    document.querySelectorAll("form[data-rollcall]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var button = event.submitter;
        if (!button || !button.value) { return; }
        event.preventDefault();
        mark(form, button.value);
      });
    });
    box.setAttribute("data-ready", "true");
    return showQueued().then(flush);
  }).catch(function () { /* no IndexedDB here (private mode): the forms post as without JavaScript */ });

  window.addEventListener("online", flush);
  setInterval(function () { if (navigator.onLine !== false) { flush(); } }, RETRY_MS);
})();
