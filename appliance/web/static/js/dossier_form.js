/* Form entry for one procedure: autosave as the officer types (PUT /api/v1/drafts/<id>), the
   server's Vietnamese message next to each field, keyboard-first moves, and submission.
   The citizen mirror of the counter follows every save (the server publishes draft.changed). */
(function () {
  "use strict";
  const form = document.getElementById("dossier-form");
  if (!form) return;

  const api = form.dataset.api || "/api/v1";
  const procedure = form.dataset.procedure;
  const en = form.dataset.lang === "en";
  const T = (vi, e) => (en ? e : vi);
  const LANG = "?lang=" + (en ? "en" : "vi");   // the API answers in the page's language
  // Cookie-authorised API writes carry the page's CSRF token (appliance/web/auth.py).
  const csrfToken = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const COUNTER_KEY = "motcua.counter";
  const SUBMISSION = ["pager", "channel", "portal_code", "return_by_post", "post_address", "sms_opt_in",
                      "it_familiarity", "vneid_created", "digitised"];
  const counterSelect = document.getElementById("counter");
  const saveState = document.getElementById("save-state");
  const formError = document.getElementById("form-error");

  const fields = Array.from(form.querySelectorAll("fieldset.section:not(.submission) [data-field]"));
  const names = fields.map(div => div.dataset.field);
  const kinds = {};
  fields.forEach(div => {
    const kind = Array.from(div.classList).find(c => c.startsWith("field-"));
    kinds[div.dataset.field] = kind ? kind.slice(6) : "text";
  });

  let draftId = form.dataset.draft || null;
  let focusName = null;
  let submitted = false;
  let busy = false;
  const touched = new Set();
  const sentValues = {};
  let lastResult = null;

  // --- helpers ----------------------------------------------------------------------------
  function uuid4() {  // crypto.randomUUID needs https; getRandomValues works on the LAN over http
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, x => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().trim();
  }
  function el(name) { return document.getElementById("f-" + name); }
  function rawValue(name) {
    const e = el(name);
    if (!e) return null;
    if (e.type === "checkbox") return e.checked;
    return e.value;
  }
  function collect() {
    const values = {};
    names.forEach(name => { if (kinds[name] !== "generated") values[name] = rawValue(name); });
    return values;
  }
  function counterId() {
    const v = parseInt(counterSelect && counterSelect.value, 10);
    return Number.isFinite(v) ? v : null;
  }
  function isoToDisplay(iso) {
    if (!iso) return "";
    const p = String(iso).split("-");
    if (p.length === 3) return p[2] + "/" + p[1] + "/" + p[0];
    if (p.length === 2) return p[1] + "/" + p[0];
    return p[0];
  }
  function money(amount) {
    if (!amount) return T("Miễn phí", "Free");
    if (en) return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ",") + " VND";
    return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " đồng";
  }
  function localTime(iso) {
    if (!iso) return T("không quy định", "not set");
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
    return m ? m[4] + ":" + m[5] + " " + m[3] + "/" + m[2] + "/" + m[1] : iso;
  }
  // The office's clock (data-tz, e.g. Asia/Ho_Chi_Minh), not the browser's: a kiosk PC set to UTC
  // must still say "Đã lưu nháp lúc 08:42:05" at 08:42 in the office.
  const OFFICE_TZ = form.dataset.tz || undefined;
  function now() {
    const options = {hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit"};
    try { return new Date().toLocaleTimeString("en-GB", Object.assign({timeZone: OFFICE_TZ}, options)); }
    catch (e) { return new Date().toLocaleTimeString("en-GB", options); }
  }

  function showMessage(name, text, level) {
    const box = document.getElementById("msg-" + name);
    const div = form.querySelector('[data-field="' + name + '"]');
    if (!box) return;
    box.textContent = text || "";
    box.className = "msg" + (text ? " " + level : "");
    if (div) {
      div.classList.toggle("has-error", level === "error" && !!text);
      div.classList.toggle("has-warning", level === "warning" && !!text);
    }
    const input = el(name);
    if (input && input.setAttribute) input.setAttribute("aria-invalid", level === "error" && text ? "true" : "false");
  }

  // --- autosave ---------------------------------------------------------------------------
  let chain = Promise.resolve();
  let queued = false;
  function save() {             // at most one save in flight and one waiting (with the newest values)
    if (queued) return chain;
    queued = true;
    chain = chain.then(() => { queued = false; return saveNow(); });
    return chain;
  }
  function saveNow() {
    if (!draftId) {
      draftId = uuid4();
      const url = new URL(window.location.href);
      url.searchParams.set("draft", draftId);
      if (counterId()) url.searchParams.set("counter", counterId());
      history.replaceState(null, "", url);
    }
    const values = collect();
    Object.assign(sentValues, values);
    const body = {procedure: procedure, counter_id: counterId(), values: values, focus: focusName};
    return fetch(api + "/drafts/" + draftId + LANG, {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify(body),
    }).then(r => r.json().catch(() => null).then(data => ({ok: r.ok, status: r.status, data: data})))
      .then(res => {
        if (!res.ok) {
          const err = res.data && res.data.error;
          saveState.textContent = (err && err.message) || T("Không lưu được bản nháp (lỗi " + res.status + ").",
                                                           "The draft could not be saved (" + res.status + ").");
          saveState.className = "save-state error";
          if (err && err.errors) Object.keys(err.errors).forEach(n => showMessage(n, err.errors[n], "error"));
          return;
        }
        apply(res.data);
      })
      .catch(() => {
        saveState.textContent = T("Mất kết nối: chưa lưu. Sẽ lưu lại khi gõ tiếp.",
                                  "Connection lost: not saved. It will save when you type again.");
        saveState.className = "save-state error";
      });
  }

  function apply(result) {
    lastResult = result;
    saveState.textContent = T("Đã lưu nháp lúc ", "Draft saved at ") + now();
    saveState.className = "save-state ok";
    document.getElementById("fee").textContent = money(result.fee);
    document.getElementById("fee-note").textContent = result.fee_note || "";
    document.getElementById("due").textContent = localTime(result.due_at);
    const values = result.values || {};
    names.forEach(name => {
      if (kinds[name] === "generated") {
        const out = el(name);
        if (out) out.value = values[name] || "";
        return;
      }
      const error = result.errors && result.errors[name];
      const warning = result.warnings && result.warnings[name];
      const raw = rawValue(name);
      const filled = raw !== null && raw !== "" && raw !== false;
      if (error && (submitted || touched.has(name) && (filled || !isActive(name)))) showMessage(name, error, "error");
      else if (warning && filled) showMessage(name, warning, "warning");
      else if (!error && kinds[name] === "date" && values[name] && isoToDisplay(values[name]) !== raw)
        showMessage(name, "= " + isoToDisplay(values[name]), "info");
      else showMessage(name, "", "");
      normalize(name, values[name], error);
    });
  }
  function isActive(name) { return document.activeElement === el(name); }

  // After the officer leaves a field, show the value as it will be printed (uppercase names,
  // 12/03/1988, the listed spelling of an ethnic group), unless it is being typed again.
  function normalize(name, clean, error) {
    if (error || clean === null || clean === undefined || isActive(name) || !touched.has(name)) return;
    const input = el(name);
    if (!input || input.type === "checkbox" || input.tagName === "SELECT") return;
    if (input.value !== sentValues[name]) return;
    let shown = String(clean);
    if (kinds[name] === "date") shown = isoToDisplay(clean);
    if (kinds[name] === "number" || kinds[name] === "bool") return;
    if (shown !== input.value) input.value = shown;
  }

  // --- keyboard ---------------------------------------------------------------------------
  function focusables() {
    return Array.from(form.querySelectorAll("input, select, button[type=submit]"))
      .filter(e => !e.disabled && e.type !== "hidden" && e.offsetParent !== null);
  }
  function complete(input) {   // Enter in a list field: the one listed name the letters begin
    const list = input.list;
    if (!list || !input.value.trim()) return;
    const key = fold(input.value);
    const options = Array.from(list.options).map(o => o.value);
    const exact = options.find(o => fold(o) === key);
    if (exact) { input.value = exact; return; }
    const starts = options.filter(o => fold(o).startsWith(key));
    if (starts.length === 1) input.value = starts[0];
  }
  form.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    const target = ev.target;
    if (ev.ctrlKey || ev.metaKey) { ev.preventDefault(); submit(); return; }
    if (target.tagName === "BUTTON" || target.tagName === "A") return;
    ev.preventDefault();
    const div = target.closest("[data-field]");
    if (div && div.classList.contains("field-list")) { complete(target); target.dispatchEvent(new Event("input", {bubbles: true})); }
    const all = focusables();
    const index = all.indexOf(target);
    const next = all[index + (ev.shiftKey ? -1 : 1)];
    if (next) { next.focus(); if (next.select && next.tagName === "INPUT" && next.type === "text") next.select(); }
  });

  // --- events -----------------------------------------------------------------------------
  form.addEventListener("input", function (ev) {
    const div = ev.target.closest("[data-field]");
    if (!div || SUBMISSION.includes(div.dataset.field)) return;
    save();
  });
  form.addEventListener("change", function (ev) {
    const div = ev.target.closest("[data-field]");
    if (!div || SUBMISSION.includes(div.dataset.field)) return;
    touched.add(div.dataset.field);
    save();
  });
  form.addEventListener("focusin", function (ev) {
    const div = ev.target.closest("[data-field]");
    const name = div && !SUBMISSION.includes(div.dataset.field) ? div.dataset.field : null;
    if (name === focusName) return;
    if (focusName) touched.add(focusName);
    focusName = name;
    if (draftId || name) save();   // the mirror highlights the field being edited
  });
  if (counterSelect) {
    counterSelect.addEventListener("change", function () {
      if (counterId()) localStorage.setItem(COUNTER_KEY, String(counterId()));
      showMessage("counter", "", "");
      save();
    });
    if (!counterSelect.value) {
      const remembered = localStorage.getItem(COUNTER_KEY);
      if (remembered && counterSelect.querySelector('option[value="' + remembered + '"]')) counterSelect.value = remembered;
    }
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); submit(); });

  // --- submission -------------------------------------------------------------------------
  function submissionBody() {
    const body = {};
    const pager = el("pager").value.trim().toLowerCase();
    if (pager === "auto") body.pager = "auto";
    else if (/^\d+$/.test(pager)) body.pager = parseInt(pager, 10);
    else if (pager) body.pager = pager;  // the server explains what is wrong
    body.channel = el("channel").value;
    if (el("portal_code").value.trim()) body.portal_code = el("portal_code").value.trim();
    body.return_by_post = el("return_by_post").checked;
    if (el("post_address").value.trim()) body.post_address = el("post_address").value.trim();
    body.sms_opt_in = el("sms_opt_in").checked;
    if (el("it_familiarity").value) body.it_familiarity = el("it_familiarity").value;
    body.vneid_created = el("vneid_created").checked;
    body.digitised = el("digitised").checked;
    if (form.dataset.ticket) body.ticket_id = parseInt(form.dataset.ticket, 10);
    return body;
  }
  function submit() {
    if (busy) return;
    submitted = true;
    formError.hidden = true;
    SUBMISSION.forEach(n => showMessage(n, "", ""));
    busy = true;
    document.getElementById("submit").disabled = true;
    save().then(function () {
      return fetch(api + "/drafts/" + draftId + "/submit" + LANG, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()},
        body: JSON.stringify(submissionBody()),
      }).then(r => r.json().catch(() => null).then(data => ({ok: r.ok, status: r.status, data: data})));
    }).then(function (res) {
      if (res.ok && res.data && res.data.code) {
        window.location.href = "/dossiers/" + encodeURIComponent(res.data.code) + "?received=1";
        return;
      }
      const err = (res.data && res.data.error) || {};
      formError.textContent = err.message || T("Không tiếp nhận được hồ sơ (lỗi " + res.status + ").",
                                                "The dossier was not received (" + res.status + ").");
      formError.hidden = false;
      const errors = err.errors || (err.field ? {[err.field]: err.message} : {});
      Object.keys(errors).forEach(n => showMessage(n, errors[n], "error"));
      const first = Object.keys(errors).map(el).find(Boolean);
      if (first) first.focus();
    }).catch(function () {
      formError.textContent = T("Mất kết nối với máy chủ; bản nháp vẫn còn, hãy thử lại.",
                                "Connection lost; the draft is kept, try again.");
      formError.hidden = false;
    }).finally(function () {
      busy = false;
      document.getElementById("submit").disabled = false;
    });
  }

  // --- resume a draft (?draft=…) ----------------------------------------------------------
  function fill(values) {
    Object.keys(values || {}).forEach(function (name) {
      const input = el(name);
      if (!input || kinds[name] === "generated") return;
      const v = values[name];
      if (input.type === "checkbox") input.checked = v === true || v === "1" || v === "true";
      else input.value = v === null || v === undefined ? "" : String(v);
      if (v !== null && v !== "" && v !== false) touched.add(name);
    });
  }
  if (draftId) {
    fetch(api + "/drafts/" + draftId + LANG, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(r => (r.ok ? r.json() : null))
      .then(function (draft) {
        if (!draft) { draftId = null; return; }
        if (draft.dossier_code) { window.location.href = "/dossiers/" + encodeURIComponent(draft.dossier_code); return; }
        fill(draft.values);
        save();
      });
  }
  const first = fields.map(d => el(d.dataset.field)).find(e => e && e.tagName !== "OUTPUT");
  if (first) first.focus();
})();
