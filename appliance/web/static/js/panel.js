/* Shared helpers of the LAN panel: a server-sent events connection that never gives up, and
 * fetching server-rendered HTML fragments.
 *
 *   Motcua.live({url, onEvent(type, data, meta), onStatus(online), onOpen(hello)})
 *     Opens an EventSource on url and reopens it after any failure (1 s, then up to 10 s apart),
 *     resuming with ?last_event_id= so short drops lose nothing. If the appliance restarted (its
 *     event ids began again), it reconnects from scratch and onOpen tells the page to reload
 *     its state. meta = {id, replayed}: replayed events happened before this connection opened.
 *   Motcua.fetchHtml(url, options) -> Promise<{ok, status, html}>
 *   Motcua.fragment(html) -> DocumentFragment
 * No dependencies, no build step.
 */
(function (global) {
  "use strict";
  var TYPES = ["ticket.issued", "ticket.called", "ticket.recalled", "ticket.serving", "ticket.done",
    "ticket.no_show", "ticket.transferred", "ticket.undone", "counter.state", "queue.changed", "rating.given", "pager.assigned",
    "pager.returned", "pager.lost", "device.status", "device.screen_revoked", "announce.request", "resync",
    "dossier.call", "dossier.ready", "dossier.returned"];

  function live(opts) {
    var es = null;
    var lastId = null;
    var helloId = 0;
    var instance = null;
    var delay = 1000;
    var timer = null;
    var online = null;
    var closed = false;

    function status(value) {
      if (online === value) { return; }
      online = value;
      if (opts.onStatus) { opts.onStatus(value); }
    }

    function reopenLater() {
      if (es) { es.close(); es = null; }
      status(false);
      if (closed || timer) { return; }
      timer = setTimeout(function () { timer = null; open(); }, delay);
      delay = Math.min(delay * 2, 10000);
    }

    function handler(type) {
      return function (e) {
        var data = {};
        try { data = JSON.parse(e.data || "{}"); } catch (err) { data = {}; }
        var id = e.lastEventId ? parseInt(e.lastEventId, 10) : null;
        if (id !== null && !isNaN(id)) { lastId = id; }
        if (opts.onEvent) { opts.onEvent(type, data, { id: id, replayed: id !== null && id <= helloId }); }
      };
    }

    function open() {
      var url = opts.url;
      if (lastId !== null) { url += (url.indexOf("?") < 0 ? "?" : "&") + "last_event_id=" + lastId; }
      es = new EventSource(url);
      es.addEventListener("hello", function (e) {
        var hello = {};
        try { hello = JSON.parse(e.data || "{}"); } catch (err) { hello = {}; }
        helloId = hello.last_id || 0;
        var restarted = instance !== null && hello.instance && hello.instance !== instance;
        instance = hello.instance || instance;
        if (lastId !== null && (restarted || helloId < lastId)) {
          // The appliance restarted: its ids start again, so resuming would skip new events.
          lastId = null;
          es.close();
          es = null;
          open();
          return;
        }
        delay = 1000;
        status(true);
        if (opts.onOpen) { opts.onOpen(hello); }
      });
      TYPES.forEach(function (type) { es.addEventListener(type, handler(type)); });
      es.onerror = reopenLater;
    }

    open();
    return {
      close: function () { closed = true; if (es) { es.close(); } clearTimeout(timer); },
      get online() { return online === true; }
    };
  }

  function fetchHtml(url, options) {
    options = options || {};
    var headers = options.headers || {};
    headers["X-Requested-With"] = "motcua";
    var controller = global.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, options.timeout || 8000) : null;
    return fetch(url, {
      method: options.method || "GET",
      body: options.body,
      headers: headers,
      credentials: "same-origin",
      cache: "no-store",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      return response.text().then(function (html) {
        return { ok: response.ok, status: response.status, html: html };
      });
    }, function (err) {
      clearTimeout(timer);
      throw err;
    });
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  global.Motcua = { live: live, fetchHtml: fetchHtml, fragment: fragment };
})(window);
