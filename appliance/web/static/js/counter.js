/* Counter console: one-key shortcuts, forms sent without reloading, live refresh over SSE.
 *
 * The page works without this file (every button is a form). With it:
 *   - G L P X V press the matching button; C jumps to the transfer list (arrows, Enter, Esc);
 *   - M opens the counter, N pauses it ("Tạm nghỉ"); "Đóng quầy" asks first (data-confirm);
 *   - Z undoes the last V, or G/X that closed a ticket, while its countdown runs (the bar
 *     disappears when the server's undo window is over);
 *   - H jumps to "Nhập hồ sơ cho số này" (choose the procedure, Enter opens the form bound to the ticket);
 *   - a form is sent with fetch and the returned HTML replaces the state; its message stays
 *     in #notice until the next action;
 *   - any queue event refreshes the state from /counter/<n>/state (and every 30 s anyway).
 */
(function () {
  "use strict";
  var root = document.getElementById("state");
  if (!root) { return; }
  var notice = document.getElementById("notice");
  var liveStatus = document.querySelector("[data-live-status]");
  var busy = false;
  var refreshTimer = null;
  var refreshAgain = false;

  function showNotice(level, message) {
    notice.innerHTML = "";
    var div = document.createElement("div");
    div.className = "notice notice-" + level;
    div.setAttribute("role", level === "error" ? "alert" : "status");
    div.textContent = message;
    notice.appendChild(div);
  }

  function transferFocused() {   // a list being chosen from is kept when the state refreshes
    var active = document.activeElement;
    return active && (active.id === "transfer-target" || active.id === "dossier-procedure");
  }

  /* Swap in a state fragment; a notice inside it moves to #notice. */
  function apply(html, keepTransfer) {
    var frag = window.Motcua.fragment(html);
    var message = frag.querySelector("[data-notice]");
    if (message) {
      notice.innerHTML = "";
      notice.appendChild(message);
    }
    if (keepTransfer && transferFocused()) {
      var waiting = frag.querySelector("#waiting");
      var old = document.getElementById("waiting");
      if (waiting && old) { old.replaceWith(waiting); }
      return;
    }
    root.innerHTML = "";
    root.appendChild(frag);
    startUndoCountdown();
  }

  function refresh() {
    if (busy) { refreshAgain = true; return; }
    window.Motcua.fetchHtml(root.dataset.stateUrl).then(function (r) {
      if (r.ok) { apply(r.html, true); }
    }, function () { /* offline: the status line already says so */ });
  }

  function refreshSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 120);
  }

  var undoTimer = null;
  function startUndoCountdown() {   // the undo bar counts down and goes when the window closes
    clearInterval(undoTimer);
    var bar = root.querySelector("[data-undo]");
    if (!bar) { return; }
    var until = Date.now() + parseInt(bar.dataset.undoLeft, 10) * 1000;
    var count = bar.querySelector("[data-undo-count]");
    undoTimer = setInterval(function () {
      var left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0 || !root.contains(bar)) { clearInterval(undoTimer); bar.remove(); return; }
      if (count) { count.textContent = String(left); }
    }, 250);
  }

  function send(form) {
    if (busy) { return; }
    var button = form.querySelector("button[type=submit]");
    if (button && button.disabled) {
      if (button.dataset.why) { showNotice("error", button.dataset.why); }
      return;
    }
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
    busy = true;
    root.classList.add("sending");
    window.Motcua.fetchHtml(form.action, { method: "POST", body: new FormData(form) }).then(function (r) {
      apply(r.html, false);
    }, function () {
      showNotice("error", root.dataset.textSendFailed);
    }).then(function () {
      busy = false;
      root.classList.remove("sending");
      if (document.activeElement && document.activeElement !== document.body &&
          !transferFocused()) { document.activeElement.blur(); }
      if (refreshAgain) { refreshAgain = false; refreshSoon(); }
    });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("action-form") || !root.contains(form)) { return; }
    e.preventDefault();
    send(form);
  });

  var KEYS = { KeyG: "G", KeyL: "L", KeyP: "P", KeyX: "X", KeyV: "V", KeyC: "C", KeyM: "M", KeyN: "N", KeyZ: "Z" };

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var target = e.target;
    var tag = target && target.tagName;
    if (target && target.id === "dossier-procedure") {   // H: choose the procedure, Enter opens the form
      if (e.key === "Enter") {
        e.preventDefault();
        if (target.value) { target.form.requestSubmit(); }
      } else if (e.key === "Escape") {
        target.value = "";
        target.blur();
      }
      return;
    }
    if (target && target.id === "transfer-target") {
      if (e.key === "Enter") {
        e.preventDefault();
        if (target.value) { send(target.form); }
      } else if (e.key === "Escape") {
        target.value = "";
        target.blur();
      }
      return;
    }
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) { return; }
    var key = KEYS[e.code] || (e.key && e.key.length === 1 ? e.key.toUpperCase() : null);
    if (!key || "GLPXVCHMNZ".indexOf(key) < 0) { return; }
    e.preventDefault();
    if (key === "H") {
      var procedure = document.getElementById("dossier-procedure");
      if (procedure) { procedure.focus(); } else { showNotice("error", root.dataset.textNoDossier); }
      return;
    }
    if (key === "C") {
      var select = document.getElementById("transfer-target");
      if (select) { select.focus(); } else { showNotice("error", root.dataset.textNoTransfer); }
      return;
    }
    var form = root.querySelector("form[data-key='" + key + "']");
    if (form) { send(form); }
  });

  function setLive(online) {
    if (!liveStatus) { return; }
    liveStatus.textContent = online ? liveStatus.dataset.textOnline : liveStatus.dataset.textOffline;
    liveStatus.classList.toggle("offline", !online);
    liveStatus.classList.toggle("online", online);
  }

  window.Motcua.live({
    url: root.dataset.eventsUrl,
    onStatus: setLive,
    onOpen: refreshSoon,
    onEvent: function (type) {
      if (type.indexOf("ticket.") === 0 || type.indexOf("counter.") === 0 || type.indexOf("pager.") === 0 ||
          type === "queue.changed" || type === "resync") { refreshSoon(); }   // pager.*: the pool's free count
    }
  });
  setInterval(refresh, 30000);
  startUndoCountdown();
})();
