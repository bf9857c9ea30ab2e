/* Pairing screen: asks every few seconds whether an administrator approved the code shown, then
 * collects the screen's token (a cookie set by the server) and opens the page of its role, with
 * no keyboard. An expired code is replaced by reloading (the server shows a new one).
 * window.MotcuaPairing.state is the last state seen (for diagnostics and tests).
 */
(function () {
  "use strict";
  var root = document.getElementById("pairing");
  if (!root) { return; }
  var stateEl = document.getElementById("pairing-state");
  var texts = root.querySelector(".p-text").dataset;
  var pollMs = parseInt(root.dataset.pollMs, 10) || 3000;
  var done = false;
  var info = { state: "pending", polls: 0 };
  window.MotcuaPairing = info;

  function request(method, url) {
    return fetch(url, { method: method, credentials: "same-origin", cache: "no-store",
                        headers: { "X-Requested-With": "motcua" } })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); });
  }

  function go(home) {
    done = true;
    window.location.replace(home || window.location.pathname);
  }

  function claim() {
    stateEl.textContent = texts.approved;
    return request("POST", root.dataset.claimUrl).then(function (r) {
      if (r.status === 200 && r.body.home) {
        info.state = "claimed";
        go(r.body.home);
      }
    });
  }

  function poll() {
    if (done) { return; }
    info.polls += 1;
    request("GET", root.dataset.statusUrl).then(function (r) {
      var state = r.body.state;
      info.state = state;
      if (state === "approved") { return claim(); }
      if (state === "expired" || state === "unknown" || state === "claimed") {
        stateEl.textContent = texts.expired;
        go(null);   // the page itself: a new code, or the role's page once paired
      }
    }, function () {
      stateEl.textContent = texts.offline;
    }).then(function () {
      if (!done) { setTimeout(poll, pollMs); }
    });
  }
  setTimeout(poll, pollMs);
})();
