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
/* Kiosk keypad (appointments): the on-screen digits type into the code or phone field; the field
 * is an ordinary input, so a hardware or on-screen keyboard works too. */
(function () {
  "use strict";
  document.querySelectorAll("[data-keypad]").forEach(function (pad) {
    var input = document.getElementById(pad.dataset.keypad);
    if (!input) { return; }
    pad.removeAttribute("aria-hidden");
    pad.addEventListener("click", function (e) {
      var key = e.target.closest("[data-key]");
      if (!key) { return; }
      var value = input.value.replace(/\s+/g, "");
      if (key.dataset.key === "back") { value = value.slice(0, -1); }
      else if (value.length < (parseInt(input.getAttribute("maxlength"), 10) || 15)) { value += key.dataset.key; }
      input.value = value;
      input.focus();
    });
  });
})();
