/* The citizen mirror: the form being typed at THIS counter, live, in large type, the field being
   edited highlighted. Only the fields already filled and the one being typed are shown (a long
   form's empty fields would push what matters off the screen); a section with none is hidden. Events come from /api/v1/mirror/<counter>/events, which carries only this
   counter's drafts; every event's counter is checked again here. */
(function () {
  "use strict";
  const root = document.getElementById("mirror");
  if (!root) return;
  const counter = parseInt(root.dataset.counter, 10);
  const en = root.dataset.lang === "en";
  const T = (vi, e) => (en ? e : vi);
  const layout = JSON.parse(document.getElementById("mirror-layout").textContent);
  const formBox = document.getElementById("mirror-form");
  const title = document.getElementById("mirror-title");
  const link = document.getElementById("mirror-link");
  const idleTitle = title.textContent;
  const CLEAR_AFTER_MS = 45000;

  let current = null;          // {draft_id, procedure}
  let cells = {};              // field name → {row, value, spec, section}
  let sections = [];           // the section boxes, hidden while none of their fields shows
  let focused = null;
  let clearTimer = null;

  function clear() {
    current = null;
    cells = {};
    focused = null;
    formBox.textContent = "";
    title.textContent = idleTitle;
    link.textContent = "";
  }

  function build(procedure) {
    const spec = layout[procedure];
    formBox.textContent = "";
    cells = {};
    sections = [];
    focused = null;
    if (!spec) { title.textContent = procedure; return; }
    title.textContent = spec.name;
    spec.sections.forEach(function (section) {
      const box = document.createElement("section");
      box.className = "mirror-section blank";
      sections.push(box);
      const h = document.createElement("h2");
      h.textContent = section.title;
      box.appendChild(h);
      section.fields.forEach(function (field) {
        const row = document.createElement("div");
        row.className = "mirror-field empty" + (field.generated ? " generated" : "") + (field.upper ? " upper" : "");
        row.dataset.field = field.name;
        const label = document.createElement("span");
        label.className = "mirror-label";
        label.textContent = field.label;
        const value = document.createElement("span");
        value.className = "mirror-value";
        row.appendChild(label);
        row.appendChild(value);
        box.appendChild(row);
        cells[field.name] = {row: row, value: value, spec: field, section: box};
      });
      formBox.appendChild(box);
    });
  }

  function shown(spec, raw) {
    if (raw === null || raw === undefined || raw === "") return "";
    if (spec.type === "bool") return raw === true || raw === "1" || raw === "true" ? T("Có", "Yes") : "";
    const text = String(raw);
    if (spec.options && spec.options[text]) return spec.options[text];
    return text;
  }

  function paint(payload) {
    if (payload.counter_id !== counter) return;            // never another counter's data
    if (clearTimer) { clearTimeout(clearTimer); clearTimer = null; }
    if (!current || current.draft_id !== payload.draft_id || current.procedure !== payload.procedure) {
      current = {draft_id: payload.draft_id, procedure: payload.procedure};
      link.textContent = "";
      build(payload.procedure);
      if (payload.ticket_number) {           // the citizen's own number: this form is theirs
        title.textContent += " · " + T("số ", "number ") + payload.ticket_number;
      }
    }
    const values = payload.values || {};
    Object.keys(cells).forEach(function (name) {
      const cell = cells[name];
      if (cell.spec.generated) return;
      const text = shown(cell.spec, values[name]);
      if (cell.value.textContent !== text) cell.value.textContent = text;
      cell.row.classList.toggle("empty", !text);
    });
    const focus = payload.focus && cells[payload.focus] ? payload.focus : null;
    const moved = focus !== focused;
    if (moved) {
      if (focused && cells[focused]) cells[focused].row.classList.remove("editing");
      focused = focus;
      if (focused) cells[focused].row.classList.add("editing");
    }
    showSections();
    if (moved && focused) cells[focused].row.scrollIntoView({block: "center", behavior: "auto"});
  }

  // a section shows while one of its fields is filled or being typed
  function showSections() {
    sections.forEach(function (box) {
      box.classList.toggle("blank", !box.querySelector(".mirror-field:not(.empty):not(.generated), .mirror-field.editing"));
    });
  }

  function submitted(payload) {
    if (payload.counter_id !== counter || !current || payload.draft_id !== current.draft_id) return;
    link.textContent = T("Đã tiếp nhận hồ sơ mã ", "Dossier received: ") + (payload.code || "") +
      T(". Mời ông/bà kiểm tra tờ khai in ra và ký.", ". Please check the printed form and sign it.");
    if (focused && cells[focused]) cells[focused].row.classList.remove("editing");
    focused = null;
    showSections();
    clearTimer = setTimeout(clear, CLEAR_AFTER_MS);
  }

  function parse(ev) {
    try {
      const data = JSON.parse(ev.data);
      return data && data.payload ? data.payload : data;
    } catch (e) {
      return null;
    }
  }

  function connect() {
    const source = new EventSource(root.dataset.events);
    source.addEventListener("draft.changed", function (ev) { const p = parse(ev); if (p) paint(p); });
    source.addEventListener("draft.submitted", function (ev) { const p = parse(ev); if (p) submitted(p); });
    source.onopen = function () { root.classList.remove("offline"); };
    source.onerror = function () { root.classList.add("offline"); };
  }
  connect();
})();
