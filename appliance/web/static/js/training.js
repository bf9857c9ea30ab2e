// The rehearsal clock in the training bar (templates/base.html): the server's rehearsal time when the
// page was made, moved on at the rehearsal's speed, shown in the office's time zone (its UTC offset).
(function () {
  "use strict";
  var bar = document.querySelector("[data-training]");
  if (!bar) { return; }
  var out = bar.querySelector("[data-training-clock]");
  var serverNow = parseFloat(bar.getAttribute("data-server-now")) * 1000;
  var rate = parseFloat(bar.getAttribute("data-rate")) || 1;
  var offsetMin = parseFloat(bar.getAttribute("data-offset-min")) || 0;
  var loaded = Date.now();
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var t = new Date(serverNow + (Date.now() - loaded) * rate + offsetMin * 60000);
    out.textContent = two(t.getUTCHours()) + ":" + two(t.getUTCMinutes()) + " " + two(t.getUTCDate()) + "/" +
      two(t.getUTCMonth() + 1) + "/" + t.getUTCFullYear();
  }
  window.setInterval(tick, 1000);
}());
