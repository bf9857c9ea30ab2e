/* Kiosk: one ticket per touch (buttons lock while it is issued), and the number screen returns
 * to the start by itself. Works without this file too (plain form, meta refresh). */
(function () {
  "use strict";
  var form = document.getElementById("kiosk-form");
  if (form) {
    var sending = false;
    form.addEventListener("submit", function (e) {
      if (sending) { e.preventDefault(); return; }
      sending = true;
      var chosen = e.submitter;
      setTimeout(function () {  // after the browser has read the pressed button's value
        form.querySelectorAll("button").forEach(function (b) {
          b.disabled = true;
          if (b === chosen) { b.classList.add("chosen"); }
        });
      }, 0);
    });
    // Back to "no priority" after a while, so the next person does not inherit a choice.
    var reset = null;
    form.addEventListener("change", function () {
      clearTimeout(reset);
      reset = setTimeout(function () { form.reset(); }, 60000);
    });
  }
  var issued = document.getElementById("issued");
  if (issued) {
    var left = parseInt(issued.dataset.returnAfter, 10) || 20;
    var countdown = issued.querySelector("[data-countdown]");
    setInterval(function () {
      left -= 1;
      if (countdown) { countdown.textContent = String(Math.max(left, 0)); }
      if (left <= 0) { window.location.replace(issued.dataset.returnUrl); }
    }, 1000);
  }
})();
