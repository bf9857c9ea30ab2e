/* Read the citizen's card, not the pen: a USB 2D scanner set up as a keyboard types the QR code
   of the CCCD ("001099012345|123456789|NGUYỄN VĂN AN|01011999|Nam|…|15082021") and Enter, faster
   than anyone types. Whatever field has the focus, the scan never lands in it:

   - fast digits (a key less than FAST_MS after the one before) are held back for a moment;
   - twelve fast digits then "|" is a card: the held digits are dropped, the field gets back the
     value it had before the first of them, and the rest of the scan goes into a catcher outside the form
     (so it is never autosaved, never mirrored, whatever keys the scanner uses for Vietnamese);
   - anything else is typing: the held digits go in at once, in order, before the next key.

   Enter (or a pause) ends the scan: it is posted once to /api/v1/cccd/read, which stores and logs
   nothing, and forgotten here. The card's fields are shown for the officer to confirm and to say
   whose they are (người yêu cầu, người được đăng ký, …); "Điền vào tờ khai" fills that person's
   fields as if typed, so the draft saves and the mirror follows. A layout the server does not
   recognise is said so; nothing is guessed. */
(function () {
  "use strict";
  const form = document.getElementById("dossier-form");
  const catcher = document.getElementById("card-catcher");
  const panel = document.getElementById("card-panel");
  if (!form || !catcher || !panel) return;

  const FAST_MS = 60;         // scanners type a character every 2–20 ms; people rarely twice within 60 ms
  const IDLE_MS = 400;        // a scanner set up without Enter: the scan ends after this pause
  const api = form.dataset.api || "/api/v1";
  const en = form.dataset.lang === "en";
  const csrfToken = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const text = panel.dataset;

  let last = 0;               // when the previous printable key came
  let run = "";               // the run of fast digits typed last (its first one may be slow)
  let held = "";              // fast digits held back
  let heldTarget = null;
  let before = null;          // the focused field as it was before the run's first digit
  let flushTimer = null;
  let capturing = false;
  let idleTimer = null;
  let returnTo = null;
  let result = null;          // the answer being confirmed

  function editable(el) {
    return el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && /^(text|search|tel|)$/.test(el.type)));
  }
  function snapshot(el) {
    return editable(el) ? {el: el, value: el.value, start: el.selectionStart, end: el.selectionEnd} : {el: el};
  }
  function insert(el, chars) {
    if (!editable(el) || !chars) return;
    el.setRangeText(chars, el.selectionStart, el.selectionEnd, "end");
    el.dispatchEvent(new Event("input", {bubbles: true}));
  }
  function flush() {
    clearTimeout(flushTimer);
    flushTimer = null;
    const chars = held, el = heldTarget;
    held = "";
    heldTarget = null;
    insert(el, chars);
  }

  document.addEventListener("keydown", function (ev) {
    if (capturing || ev.target === catcher) return;
    if (ev.isComposing || ev.ctrlKey || ev.metaKey || ev.altKey) { flush(); run = ""; last = 0; return; }
    if (ev.key === "Shift" || ev.key === "CapsLock") return;
    if (!panel.hidden) return;                      // the confirm panel has its own keys
    const now = performance.now();
    if (ev.key.length !== 1) { flush(); run = ""; last = 0; return; }
    const fast = last > 0 && now - last < FAST_MS;
    last = now;
    if (/^\d$/.test(ev.key)) {
      if (!run || !fast || run.length >= 12) {      // a run of digits starts: its first goes in as usual
        flush();
        run = ev.key;
        before = snapshot(ev.target);
        return;
      }
      run += ev.key;                                // maybe a card's number: hold it back a moment
      ev.preventDefault();
      held += ev.key;
      heldTarget = ev.target;
      clearTimeout(flushTimer);
      flushTimer = setTimeout(flush, FAST_MS * 2);
      return;
    }
    if (ev.key === "|" && fast && run.length === 12) {   // a card: catch the rest outside the form
      ev.preventDefault();
      startCapture(run + "|");
      return;
    }
    flush();                                        // typing, not a card
    run = "";
  }, true);

  function startCapture(start) {
    clearTimeout(flushTimer);
    held = "";
    heldTarget = null;
    run = "";
    last = 0;
    if (before && before.el && editable(before.el) && before.el.value !== before.value) {
      before.el.value = before.value;               // take back the burst's first digit
      before.el.setSelectionRange(before.start, before.end);
      before.el.dispatchEvent(new Event("input", {bubbles: true}));
    }
    returnTo = before && before.el && before.el !== document.body ? before.el : null;
    capturing = true;
    catcher.value = start;
    catcher.focus();
    catcher.setSelectionRange(start.length, start.length);
    idle();
  }
  function idle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(finishCapture, IDLE_MS);
  }
  catcher.addEventListener("input", idle);
  catcher.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); finishCapture(); }
    else if (ev.key === "Escape") { ev.preventDefault(); catcher.value = ""; finishCapture(); }
  });
  catcher.addEventListener("blur", function () { if (capturing) finishCapture(); });

  function finishCapture() {
    if (!capturing) return;
    clearTimeout(idleTimer);
    capturing = false;
    let scan = catcher.value;
    catcher.value = "";
    if (returnTo && returnTo.focus) returnTo.focus();
    if (!scan) return;
    const request = fetch(api + "/cccd/read?lang=" + (en ? "en" : "vi"), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify({scan: scan, procedure: form.dataset.procedure}),
    });
    scan = null;                                     // read once, forgotten
    request.then(r => r.json().catch(() => null).then(data => ({ok: r.ok, status: r.status, data: data})))
      .then(show, function () { show({ok: false, data: {error: {message: text.offline}}}); });
  }

  // --- the confirm panel --------------------------------------------------------------------
  const fieldsBox = panel.querySelector("[data-card-fields]");
  const warningsBox = panel.querySelector("[data-card-warnings]");
  const errorBox = panel.querySelector("[data-card-error]");
  const targetsBox = panel.querySelector("[data-card-targets]");
  const fillButton = panel.querySelector("[data-card-fill]");
  const cancelButton = panel.querySelector("[data-card-cancel]");

  function row(label, value) {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = value || "—";
    fieldsBox.appendChild(dt);
    fieldsBox.appendChild(dd);
  }
  function prefixOf(el) {
    const div = el && el.closest && el.closest("[data-field]");
    return div ? div.dataset.field : "";
  }

  function show(res) {
    fieldsBox.textContent = "";
    warningsBox.textContent = "";
    targetsBox.textContent = "";
    errorBox.hidden = true;
    result = null;
    if (!res.ok || !res.data || !res.data.card) {
      const err = (res.data && res.data.error) || {};
      errorBox.textContent = err.message || text.failed;
      errorBox.hidden = false;
      fillButton.hidden = true;
      targetsBox.hidden = true;
      panel.hidden = false;
      cancelButton.focus();
      return;
    }
    result = res.data;
    const card = result.card;
    row(text.name, card.name);
    row(text.number, card.personal_number);
    row(text.dob, card.dob_text);
    row(text.sex, en ? (card.sex === "Nam" ? "Male" : "Female") : card.sex);
    row(text.residence, card.residence);
    row(text.issued, card.issued_on_text);
    if (card.old_id_number) row(text.old, card.old_id_number);
    (card.warnings || []).forEach(function (w) {
      const li = document.createElement("li");
      li.textContent = w;
      warningsBox.appendChild(li);
    });
    const focusedField = prefixOf(returnTo);
    const targets = result.targets || [];
    let chosen = targets.findIndex(t => focusedField.startsWith(t.prefix));
    if (chosen < 0) chosen = 0;
    targets.forEach(function (t, i) {
      const label = document.createElement("label");
      label.className = "card-target";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "card-target";
      input.value = String(i);
      input.checked = i === chosen;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + (i + 1) + ". " + t.title));
      targetsBox.appendChild(label);
    });
    targetsBox.hidden = targets.length === 0;
    fillButton.hidden = targets.length === 0;
    panel.hidden = false;
    (targets.length ? fillButton : cancelButton).focus();
  }

  function close() {
    panel.hidden = true;
    result = null;
    fieldsBox.textContent = "";
    if (returnTo && returnTo.focus) returnTo.focus();
  }

  function setField(name, value) {
    const el = document.getElementById("f-" + name);
    if (!el) return false;
    if (el.tagName === "SELECT") {
      const option = Array.from(el.options).find(o => o.value === value || o.value.toLowerCase() === value.toLowerCase());
      if (!option) return false;
      el.value = option.value;
    } else if (el.type === "checkbox") {
      return false;
    } else {
      el.value = value;
    }
    el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true}));
    return true;
  }

  function fill() {
    if (!result) return;
    const picked = targetsBox.querySelector("input:checked");
    const target = (result.targets || [])[picked ? parseInt(picked.value, 10) : 0];
    if (!target) return;
    let lastFilled = null;
    Object.keys(target.values).forEach(function (name) {
      if (setField(name, target.values[name])) lastFilled = name;
    });
    panel.hidden = true;
    result = null;
    fieldsBox.textContent = "";
    const next = lastFilled && document.getElementById("f-" + lastFilled);
    if (next) next.focus(); else if (returnTo && returnTo.focus) returnTo.focus();
  }

  fillButton.addEventListener("click", fill);
  cancelButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { ev.preventDefault(); close(); return; }
    if (/^[1-9]$/.test(ev.key)) {
      const radio = targetsBox.querySelector('input[value="' + (parseInt(ev.key, 10) - 1) + '"]');
      if (radio) { ev.preventDefault(); radio.checked = true; fillButton.focus(); }
      return;
    }
    if (ev.key === "Enter" && ev.target.type === "radio") { ev.preventDefault(); fill(); }
  });
})();
