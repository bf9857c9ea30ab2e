/* Hall display: live board, flashing calls, spoken announcements, clock, offline notice.
 *
 * A call (ticket.called / ticket.recalled) updates its counter's tile at once, flashes it, shows
 * "Mời số … đến quầy số …" in the header and is queued on window.Announcer (announcer.js), so
 * two calls are never spoken over each other. Every other event, and a timer every 20 s,
 * reloads the board from /display/board. The page says it is offline whenever the event stream
 * or the board cannot be reached, and recovers by itself.
 * A dossier.call (a ready result, the citizen holds no pager) flashes its line under "Hồ sơ có kết
 * quả", shows "Mời công dân có hồ sơ số … nhận kết quả tại quầy số …" and is announced the same way.
 * window.MotcuaDisplay.log lists the calls shown ({type, number, counter, at, id}) for diagnostics.
 */
(function () {
  "use strict";
  var root = document.getElementById("display");
  if (!root) { return; }
  var board = document.getElementById("board");
  var callout = document.getElementById("callout");
  var offlineBanner = document.getElementById("offline");
  var soundHint = document.getElementById("sound-hint");
  var calloutTitle = callout.innerHTML;
  var FLASH_MS = 8000;
  var REPLAY_MAX_AGE_S = 30;   // a call missed while offline is still announced if this fresh
  var POLL_MS = 20000;
  var skewMs = 0;              // this screen's clock minus the appliance's
  var rate = 1;                // the appliance's clock's speed (the rehearsal clock in training)
  var syncedAt = Date.now();   // when skewMs was read
  var flashUntil = {};
  var calloutTimer = null;
  var refreshTimer = null;
  var streamOnline = false;
  var boardOnline = true;
  var state = { log: [], online: false };
  var onlyCounters = root.dataset.counters ? root.dataset.counters.split(",") : null;
  window.MotcuaDisplay = state;

  function readSkew() {
    var main = board.querySelector("[data-server-now]");
    if (main) {
      syncedAt = Date.now();
      skewMs = syncedAt - parseFloat(main.dataset.serverNow) * 1000;
      rate = parseFloat(main.dataset.clockRate) || 1;
    }
  }

  // the appliance's time now: its time when the board was read, moved on at its clock's speed
  function appNowMs() { return (syncedAt - skewMs) + (Date.now() - syncedAt) * rate; }

  function tileOf(counter) {
    return board.querySelector(".d-tile[data-counter='" + counter + "']");
  }

  function flash(tile) {
    tile.classList.remove("flash");
    void tile.offsetWidth; // restart the animation
    tile.classList.add("flash");
  }

  function applyFlashes() {
    var now = Date.now();
    Object.keys(flashUntil).forEach(function (counter) {
      var tile = tileOf(counter);
      if (flashUntil[counter] <= now) { delete flashUntil[counter]; return; }
      if (tile) { tile.classList.add("flash"); }
    });
  }

  function updateOnline() {
    var online = streamOnline && boardOnline;
    state.online = online;
    offlineBanner.hidden = online;
    document.body.classList.toggle("offline", !online);
  }

  function refresh() {
    window.Motcua.fetchHtml(root.dataset.boardUrl, { timeout: 5000 }).then(function (r) {
      if (r.status === 401) {   // revoked (or never paired): the page itself shows the pairing code
        window.location.reload();
        return;
      }
      boardOnline = r.ok;
      if (r.ok) {
        board.innerHTML = r.html;
        readSkew();
        applyFlashes();
        applyReadyFlashes();
      }
      updateOnline();
    }, function () {
      boardOnline = false;
      updateOnline();
    });
  }

  function refreshSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 150);
  }

  function showCallout(number, counter, template) {
    var text = (template || root.dataset.textCall).replace("{number}", number).replace("{counter}", counter);
    callout.innerHTML = "";
    var span = document.createElement("span");
    span.className = "d-call";
    span.textContent = text;
    callout.appendChild(span);
    clearTimeout(calloutTimer);
    calloutTimer = setTimeout(function () { callout.innerHTML = calloutTitle; }, FLASH_MS);
  }

  function onCall(type, data, meta) {
    var payload = data.payload || {};
    var ticket = payload.ticket || {};
    var counter = payload.counter_id;
    if (!ticket.number || !counter) { return; }
    if (onlyCounters && onlyCounters.indexOf(String(counter)) < 0) { return; }  // another hall's counter
    var tile = tileOf(counter);
    if (tile) {
      tile.querySelector("[data-number]").textContent = ticket.number;
      tile.classList.add("busy");
      flash(tile);
    }
    flashUntil[counter] = Date.now() + FLASH_MS;
    showCallout(ticket.number, counter);
    state.log.push({ type: type, number: ticket.number, counter: counter, at: Date.now(),
                     replayed: meta.replayed, id: meta.id });
    var ageS = appNowMs() / 1000 - (data.at || 0);
    if (window.Announcer && (!meta.replayed || ageS < REPLAY_MAX_AGE_S)) {
      window.Announcer.announce(ticket.number, counter).catch(function (err) {
        if (window.console) { console.warn(err && err.message); }
      });
    }
    refreshSoon();
  }

  /* A ready result whose citizen holds no pager (dossier.call): its line in "Hồ sơ có kết quả"
   * flashes, the header says "Mời công dân có hồ sơ số … nhận kết quả tại quầy số …", announced. */
  var readyFlash = {};
  function applyReadyFlashes() {
    var now = Date.now();
    Object.keys(readyFlash).forEach(function (number) {
      if (readyFlash[number] <= now) { delete readyFlash[number]; return; }
      var line = board.querySelector("[data-ready-number='" + number + "']");
      if (line) { line.classList.add("flash"); }
    });
  }

  function onResult(type, data, meta) {
    var payload = data.payload || {};
    var number = payload.number;
    var counter = payload.counter_id;
    if (!number) { return; }
    if (onlyCounters && counter && onlyCounters.indexOf(String(counter)) < 0) { return; }
    readyFlash[number] = Date.now() + FLASH_MS;
    showCallout(number, counter || "", counter ? root.dataset.textResult : root.dataset.textResultAny);
    state.log.push({ type: type, number: number, counter: counter, ticket: payload.ticket_number || null,
                     repeat: payload.repeat || 0, at: Date.now(), replayed: meta.replayed });
    var ageS = appNowMs() / 1000 - (data.at || 0);
    if (window.Announcer && window.Announcer.announceResult && (!meta.replayed || ageS < REPLAY_MAX_AGE_S)) {
      window.Announcer.announceResult(number, counter).catch(function (err) {
        if (window.console) { console.warn(err && err.message); }
      });
    }
    refreshSoon();
  }

  window.Motcua.live({
    url: root.dataset.eventsUrl,
    onStatus: function (online) { streamOnline = online; updateOnline(); },
    onOpen: refresh,
    onEvent: function (type, data, meta) {
      if (type === "ticket.called" || type === "ticket.recalled") { onCall(type, data, meta); }
      else if (type === "dossier.call") { onResult(type, data, meta); }
      else { refreshSoon(); }
    }
  });
  setInterval(refresh, POLL_MS);
  state.refresh = refresh;

  window.addEventListener("announcer:blocked", function () { soundHint.hidden = false; });
  window.addEventListener("announcer:start", function () { soundHint.hidden = true; });

  /* The clock, in the office's time zone. */
  var timeEl = document.getElementById("clock-time");
  var dateEl = document.getElementById("clock-date");
  var locale = root.dataset.locale || "vi-VN";
  function formatter(options) {
    try { return new Intl.DateTimeFormat(locale, Object.assign({ timeZone: root.dataset.timezone }, options)); }
    catch (e) { return new Intl.DateTimeFormat(locale, options); }
  }
  var timeFormat = formatter({ hour: "2-digit", minute: "2-digit", hour12: false });
  var dateFormat = formatter({ weekday: "long", day: "2-digit", month: "2-digit", year: "numeric" });
  function tick() {
    var now = new Date(appNowMs());
    timeEl.textContent = timeFormat.format(now);
    var date = dateFormat.format(now);
    dateEl.textContent = date.charAt(0).toUpperCase() + date.slice(1);
  }
  readSkew();
  tick();
  setInterval(tick, 1000);
  updateOnline();
})();
