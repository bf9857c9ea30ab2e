/* A paired kiosk or citizen screen asks every few seconds whether it is still paired
 * (GET /pair/me); once an administrator revoked it, the page reloads and shows its pairing code.
 * Only loaded for a screen that uses a device token (never for a logged-in person). */
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script.dataset.url;
  var everyMs = parseInt(script.dataset.everyMs, 10) || 15000;
  function check() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "X-Requested-With": "motcua" } })
      .then(function (r) {
        if (r.status === 401) { window.location.reload(); return; }
        setTimeout(check, everyMs);
      }, function () { setTimeout(check, everyMs); });   // offline: try again later
  }
  setTimeout(check, everyMs);
})();
