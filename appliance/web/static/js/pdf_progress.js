/* PDF links (a[data-pdf]): while the server prints the paper, "Đang tạo PDF… 0,4 s" with a moving
   bar is shown where the officer looks, until the PDF replaces the page. A link that opens a new
   tab gets the same line in that tab, written there before the PDF is asked for, so the tab is
   never blank. The paper itself arrives from the real URL: its file name stays the server's. */
(function () {
  "use strict";
  const en = (document.documentElement.lang || "vi") === "en";
  const WORDS = en ? "Preparing the PDF…" : "Đang tạo PDF…";
  const SLOW = en ? "Still printing; the paper opens by itself when it is ready."
                  : "Vẫn đang in; tờ giấy tự mở khi xong.";
  const CSS = "#pdf-progress{position:fixed;left:50%;top:30%;transform:translateX(-50%);z-index:1000;" +
    "background:#1d3557;color:#fff;font:600 18px/1.4 system-ui,sans-serif;padding:14px 22px;border-radius:8px;" +
    "box-shadow:0 4px 18px rgba(0,0,0,.35);min-width:16em;text-align:center}" +
    "#pdf-progress .bar{height:6px;margin-top:10px;background:#2a4d7a;border-radius:3px;overflow:hidden}" +
    "#pdf-progress .bar i{display:block;height:100%;width:30%;background:#ffd166;border-radius:3px;" +
    "animation:pdfslide 1.1s ease-in-out infinite alternate}" +
    "#pdf-progress small{display:block;font-weight:400;font-size:14px;margin-top:6px}" +
    "@keyframes pdfslide{from{margin-left:0}to{margin-left:70%}}";

  function seconds(ms) {
    const s = (ms / 1000).toFixed(1);
    return (en ? s : s.replace(".", ",")) + " s";
  }

  // the progress box in ``doc`` (this page or the new tab); the timer stops once ``doc`` is gone
  function show(doc, view) {
    let box = doc.getElementById("pdf-progress");
    if (box) box.remove();
    if (!doc.getElementById("pdf-progress-css")) {
      const style = doc.createElement("style");
      style.id = "pdf-progress-css";
      style.textContent = CSS;
      (doc.head || doc.documentElement).appendChild(style);
    }
    box = doc.createElement("div");
    box.id = "pdf-progress";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    const line = doc.createElement("span");
    line.className = "words";
    line.textContent = WORDS + " " + seconds(0);
    const bar = doc.createElement("div");
    bar.className = "bar";
    bar.appendChild(doc.createElement("i"));
    const note = doc.createElement("small");
    box.appendChild(line);
    box.appendChild(bar);
    box.appendChild(note);
    doc.body.appendChild(box);
    const began = Date.now();
    const timer = setInterval(function () {
      try {
        if (!view || view.closed || !doc.getElementById("pdf-progress")) { clearInterval(timer); return; }
        const ms = Date.now() - began;
        line.textContent = WORDS + " " + seconds(ms);
        if (ms > 10000) note.textContent = SLOW;
      } catch (e) {
        clearInterval(timer);                      // the tab moved on to the PDF
      }
    }, 100);
  }

  document.addEventListener("click", function (ev) {
    const link = ev.target.closest ? ev.target.closest("a[data-pdf]") : null;
    if (!link || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) {
      return;
    }
    if (link.target === "_blank") {
      const tab = window.open("", "_blank");
      if (!tab) return;                            // blocked: the browser opens the link itself
      ev.preventDefault();
      tab.document.open();
      tab.document.write("<!doctype html><html lang=\"" + (en ? "en" : "vi") + "\"><head><meta charset=\"utf-8\">" +
                         "<title>PDF</title></head><body style=\"background:#e6e6e6\"></body></html>");
      tab.document.close();
      show(tab.document, tab);
      tab.location.replace(link.href);
    } else {
      show(document, window);                     // stays up until the PDF replaces this page
    }
  });
  // back from the PDF (the page restored from the cache): no progress left over
  window.addEventListener("pageshow", function () {
    const box = document.getElementById("pdf-progress");
    if (box) box.remove();
  });
})();
