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
      if (!ratingBox.hidden) hideRating();   // the next citizen's form takes the screen back
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

  // --- the rating screen (#18): after the service or the result, big faces with the officer's name;
  // one press is the citizen's rating of that service (the server takes it once); a GPIO rating
  // button pressed meanwhile (rating.given) thanks the citizen the same way
  const ratingBox = document.getElementById("mirror-rating");
  const ratingQuestion = document.getElementById("rating-question");
  const ratingFaces = document.getElementById("rating-faces");
  const ratingThanks = document.getElementById("rating-thanks");
  const ratingConfig = JSON.parse(document.getElementById("mirror-rating-levels").textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const FACE = {
    very_satisfied: ["#1a9850", 14], satisfied: ["#91cf60", 8], neutral: ["#fee08b", 0],
    unsatisfied: ["#fc8d59", -8], very_unsatisfied: ["#d73027", -14],
  };
  let prompt = null;            // {ticket_id, dossier_code} the screen asks about
  let ratingTimer = null;
  let sending = false;

  function faceSvg(level) {
    const look = FACE[level] || ["#ccc", 0];
    const curve = look[1];
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 100 100");
    svg.setAttribute("aria-hidden", "true");
    const parts = [["circle", {cx: 50, cy: 50, r: 46, fill: look[0], stroke: "#333", "stroke-width": 3}],
                   ["circle", {cx: 34, cy: 40, r: 6, fill: "#222"}], ["circle", {cx: 66, cy: 40, r: 6, fill: "#222"}],
                   ["path", {d: "M 28 " + (68 - curve / 2) + " Q 50 " + (68 + curve * 1.5) + " 72 " + (68 - curve / 2),
                             fill: "none", stroke: "#222", "stroke-width": 5, "stroke-linecap": "round"}]];
    parts.forEach(function (p) {
      const el = document.createElementNS(ns, p[0]);
      Object.keys(p[1]).forEach(function (k) { el.setAttribute(k, p[1][k]); });
      svg.appendChild(el);
    });
    return svg;
  }

  function hideRating() {
    if (ratingTimer) { clearTimeout(ratingTimer); ratingTimer = null; }
    prompt = null;
    sending = false;
    ratingBox.hidden = true;
    root.classList.remove("rating");
  }

  function askRating(payload) {
    if (payload.counter_id !== counter) return;
    if (ratingTimer) clearTimeout(ratingTimer);
    prompt = {ticket_id: payload.ticket_id === undefined ? null : payload.ticket_id,
              dossier_code: payload.dossier_code || null};
    sending = false;
    const who = payload.officer_name;
    ratingQuestion.textContent = who
      ? T("Mời ông/bà đánh giá sự phục vụ của cán bộ " + who, "Please rate how " + who + " served you")
      : T("Mời ông/bà đánh giá sự phục vụ của quầy", "Please rate the service at this counter");
    ratingFaces.textContent = "";
    ratingFaces.classList.remove("done");
    ratingFaces.setAttribute("aria-label", ratingQuestion.textContent);
    ratingThanks.hidden = true;
    ratingConfig.levels.forEach(function (item) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "rating-face";
      button.dataset.level = item.level;
      button.appendChild(faceSvg(item.level));
      const label = document.createElement("span");
      label.textContent = item.label;
      button.appendChild(label);
      button.addEventListener("click", function () { press(item.level, button); });
      ratingFaces.appendChild(button);
    });
    ratingBox.hidden = false;
    root.classList.add("rating");
    ratingTimer = setTimeout(hideRating, (ratingConfig.show_s || 60) * 1000);
  }

  function thank(button) {
    if (button) button.classList.add("chosen");
    ratingFaces.classList.add("done");
    ratingThanks.textContent = T("Cảm ơn ông/bà đã đánh giá!", "Thank you for your rating!");
    ratingThanks.hidden = false;
    prompt = null;
    if (ratingTimer) clearTimeout(ratingTimer);
    ratingTimer = setTimeout(hideRating, 6000);
  }

  function press(level, button) {
    if (!prompt || sending) return;
    sending = true;
    const headers = {"Content-Type": "application/json", "Accept": "application/json"};
    if (csrf) headers["X-CSRFToken"] = csrf.content;
    fetch("/api/v1/mirror/" + counter + "/rating", {
      method: "POST", credentials: "same-origin", headers: headers,
      body: JSON.stringify({level: level, ticket_id: prompt.ticket_id, dossier_code: prompt.dossier_code}),
    }).then(function (response) {
      if (response.status === 201 || response.status === 409) { thank(button); return; }
      sending = false;
      ratingThanks.textContent = T("Chưa ghi được, mời ông/bà bấm lại.", "Not recorded yet; please press again.");
      ratingThanks.hidden = false;
    }).catch(function () {
      sending = false;
      ratingThanks.textContent = T("Mất kết nối, mời ông/bà bấm lại.", "No connection; please press again.");
      ratingThanks.hidden = false;
    });
  }

  function rated(payload) {          // a rating recorded for this counter (this screen or a GPIO button)
    if (payload.counter_id !== counter || ratingBox.hidden || !prompt) return;
    if (prompt.ticket_id !== null && payload.ticket_id !== null && payload.ticket_id !== prompt.ticket_id) return;
    const button = ratingFaces.querySelector('.rating-face[data-level="' + payload.level + '"]');
    thank(button);
  }

  // The counter paused ("Tạm nghỉ") or closed: the citizen in front of it is told, in large type,
  // above whatever the form still shows; gone when the officer opens the counter again.
  const shutBox = document.getElementById("mirror-shut");
  const SHUT = {
    paused: [T("Quầy tạm nghỉ", "This counter is on a short break"),
             T("Cán bộ sẽ quay lại trong ít phút. Mời ông/bà ngồi chờ.",
               "The officer will be back in a few minutes. Please wait here.")],
    closed: [T("Quầy đã đóng", "This counter is closed"),
             T("Mời ông/bà theo dõi số gọi trên màn hình sảnh.",
               "Please watch the hall display for your number.")],
  };

  function desk(state) {
    root.dataset.state = state;
    const words = SHUT[state];
    if (!shutBox) return;
    shutBox.hidden = !words;
    if (words) {
      document.getElementById("shut-title").textContent = words[0];
      document.getElementById("shut-text").textContent = words[1];
    }
  }
  desk(root.dataset.state || "open");

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
    source.addEventListener("rating.requested", function (ev) { const p = parse(ev); if (p) askRating(p); });
    source.addEventListener("rating.given", function (ev) { const p = parse(ev); if (p) rated(p); });
    source.addEventListener("counter.state", function (ev) {
      const p = parse(ev);
      if (p && p.counter_id === counter && p.state) desk(p.state);
    });
    source.onopen = function () { root.classList.remove("offline"); };
    source.onerror = function () { root.classList.add("offline"); };
  }
  connect();
})();
