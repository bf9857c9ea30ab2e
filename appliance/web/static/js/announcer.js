/* Hall display announcer: plays "Mời số … đến quầy số …" announcements one after another.
 *
 *   Announcer.enqueue(urls)           queue one announcement (its clips play back to back)
 *   Announcer.announce(number, counter) fetch /audio/announce and enqueue the result
 *   Announcer.announceResult(dossierNumber, counter) the same for "Mời công dân có hồ sơ số …"
 *   Announcer.played                  every clip URL whose playback started, in order
 *   Announcer.idle()                  a Promise resolved when nothing is playing or waiting
 *
 * Two announcements never overlap: a new one waits for the current one to finish. If the browser
 * refuses to play without a user gesture (autoplay policy), the announcer waits for a click or a
 * key press and then carries on; it fires "announcer:blocked" on window so the page can show a
 * hint. Each clip is bounded by a timeout so a broken file never stalls the queue.
 * Events on window: announcer:start / announcer:end (detail: {urls}), announcer:blocked.
 * No dependencies, no build step.
 */
(function (global) {
  "use strict";
  if (global.Announcer) { return; }

  var MAX_PENDING = 10;        // older waiting announcements are dropped beyond this
  var CLIP_TIMEOUT_MS = 15000; // a clip that neither ends nor fails in this time is skipped
  var GAP_MS = 400;            // silence between two announcements

  var queue = [];
  var busy = false;
  var audio = null;
  var idleWaiters = [];
  var unblockWaiters = [];

  var Announcer = {
    played: [],
    blocked: false,
    base: "",
    enqueue: enqueue,
    announce: announce,
    announceResult: announceResult,
    idle: idle,
    pending: function () { return queue.length; },
    get busy() { return busy; }
  };

  function fire(name, detail) {
    try {
      global.dispatchEvent(new CustomEvent(name, { detail: detail }));
    } catch (e) { /* very old browsers: events are optional */ }
  }

  function element() {
    if (!audio) {
      audio = new Audio();
      audio.preload = "auto";
    }
    return audio;
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function waitForGesture() {
    return new Promise(function (resolve) { unblockWaiters.push(resolve); });
  }

  function unblock() {
    if (!Announcer.blocked) { return; }
    Announcer.blocked = false;
    var waiters = unblockWaiters;
    unblockWaiters = [];
    waiters.forEach(function (resolve) { resolve(); });
  }
  ["click", "keydown", "touchstart"].forEach(function (type) {
    global.addEventListener(type, unblock, true);
  });

  /* Resolves "ended", "failed" or "blocked". */
  function playClip(url) {
    return new Promise(function (resolve) {
      var a = element();
      var settled = false;
      var timer = null;
      var recorded = false;
      function record() {
        if (!recorded) { recorded = true; Announcer.played.push(url); }
      }
      function finish(result) {
        if (settled) { return; }
        settled = true;
        clearTimeout(timer);
        a.onended = null;
        a.onerror = null;
        resolve(result);
      }
      a.onended = function () { record(); finish("ended"); };
      a.onerror = function () {
        if (global.console) { console.warn("Không phát được đoạn âm thanh", url); }
        finish("failed");
      };
      timer = setTimeout(function () { finish("failed"); }, CLIP_TIMEOUT_MS);
      a.src = url;
      var started = a.play();
      if (started && typeof started.then === "function") {
        started.then(function () {
          if (!settled) { record(); }
        }, function (err) {
          finish(err && err.name === "NotAllowedError" ? "blocked" : "failed");
        });
      } else {
        record();
      }
    });
  }

  function playAnnouncement(urls) {
    var i = 0;
    function next() {
      if (i >= urls.length) { return Promise.resolve(); }
      return playClip(urls[i]).then(function (result) {
        if (result === "blocked") {
          Announcer.blocked = true;
          fire("announcer:blocked", { urls: urls });
          return waitForGesture().then(next);  // retry the same clip after a gesture
        }
        i += 1;
        return next();
      });
    }
    return next();
  }

  function pump() {
    if (busy) { return; }
    if (!queue.length) {
      var waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach(function (resolve) { resolve(); });
      return;
    }
    busy = true;
    var urls = queue.shift();
    fire("announcer:start", { urls: urls });
    playAnnouncement(urls).then(function () {
      fire("announcer:end", { urls: urls });
      return queue.length ? sleep(GAP_MS) : null;
    }).then(function () {
      busy = false;
      pump();
    });
  }

  function enqueue(urls) {
    if (!urls || !urls.length) { return; }
    queue.push(Array.prototype.slice.call(urls));
    while (queue.length > MAX_PENDING) { queue.shift(); }
    pump();
  }

  /* Fetches run in parallel but enqueue in call order, so two quick calls keep their order. */
  var announceOrder = Promise.resolve();
  function announce(number, counter) {
    return announceUrl(Announcer.base + "/audio/announce?number=" + encodeURIComponent(number) +
      "&counter=" + encodeURIComponent(counter), number);
  }

  /* "Mời công dân có hồ sơ số … nhận kết quả tại quầy số …": a ready result, no pager. */
  function announceResult(dossierNumber, counter) {
    return announceUrl(Announcer.base + "/audio/announce?dossier=" + encodeURIComponent(dossierNumber) +
      (counter ? "&counter=" + encodeURIComponent(counter) : ""), dossierNumber);
  }

  function announceUrl(url, number) {
    var fetched = fetch(url, { headers: { "Accept": "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error("Không lấy được lời gọi số " + number + ": HTTP " + response.status); }
      return response.json();
    });
    var result = announceOrder.then(function () { return fetched; }).then(function (urls) {
      enqueue(urls);
      return urls;
    });
    announceOrder = result.catch(function () { /* a failed call must not block the next ones */ });
    return result;
  }

  function idle() {
    if (!busy && !queue.length) { return Promise.resolve(); }
    return new Promise(function (resolve) { idleWaiters.push(resolve); });
  }

  global.Announcer = Announcer;
})(window);
