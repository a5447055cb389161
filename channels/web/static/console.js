/* Settlement-worker console: calls POST /api/try and shows what the bot understood.
   Plain ES2019; server text is only set with textContent. */
"use strict";
(function () {
  var KEY_TOKEN = "navigator.consoleToken";
  var $ = function (id) { return document.getElementById(id); };
  var form = $("try-form"), token = $("token"), text = $("text"), lang = $("language");
  var statusEl = $("status"), errorEl = $("error"), result = $("result"), tryBtn = $("try");
  var strings = {}, ui = "en", busy = false;

  function t(k) { return strings[k] || k.replace(/^console_/, "").replace(/_/g, " "); }
  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt != null) e.textContent = String(txt);
    return e;
  }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  }

  /* UI strings: ?lang=xx or the browser language, falling back to en. */
  var want = (new URLSearchParams(location.search).get("lang") || navigator.language || "en").toLowerCase().split(/[-_]/)[0];
  if (!/^[a-z]{2,3}$/.test(want)) want = "en";
  Promise.all([getJSON("/static/i18n/en.json"), want === "en" ? null : getJSON("/static/i18n/" + want + ".json")])
    .then(function (r) {
      if (r[1]) ui = want;
      strings = Object.assign({}, r[0] || {}, r[1] || {});
      document.documentElement.lang = ui;
      document.title = t("console_title");
      document.querySelectorAll("[data-i18n]").forEach(function (e) {
        if (strings[e.getAttribute("data-i18n")]) e.textContent = strings[e.getAttribute("data-i18n")];
      });
    });

  /* Language choices: auto, en, fr, plus what the server offers. */
  getJSON("/chat/languages").then(function (list) {
    if (!Array.isArray(list)) return;
    list.forEach(function (l) {
      if (!l || typeof l.code !== "string") return;
      var o = lang.querySelector('option[value="' + l.code.replace(/[^A-Za-z0-9-]/g, "") + '"]');
      if (!o) { o = el("option"); o.value = l.code; lang.appendChild(o); }
      o.textContent = l.code + (l.name ? " — " + l.name : "");
    });
  });

  /* The token lives in sessionStorage only. */
  try { token.value = sessionStorage.getItem(KEY_TOKEN) || ""; } catch (e) { /* storage blocked */ }
  token.addEventListener("input", function () {
    try { sessionStorage.setItem(KEY_TOKEN, token.value); } catch (e) { /* storage blocked */ }
  });
  text.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); tryBtn.click(); }
  });

  function fmtNum(n, opts) {
    try { return new Intl.NumberFormat(ui, opts).format(n); } catch (e) { return String(n); }
  }
  function table(heads, rows) {
    if (!rows.length) return el("p", null, t("console_none"));
    var wrap = el("div", "scroll"), tb = el("table"), tr = el("tr"), body = el("tbody");
    heads.forEach(function (h) { var th = el("th", null, h); th.scope = "col"; tr.appendChild(th); });
    var thead = el("thead"); thead.appendChild(tr); tb.appendChild(thead);
    rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (c) { row.appendChild(el("td", null, c)); });
      body.appendChild(row);
    });
    tb.appendChild(body); wrap.appendChild(tb);
    wrap.tabIndex = 0; // wide tables scroll sideways with the keyboard too
    return wrap;
  }
  function list(a) { return Array.isArray(a) && a.length ? a.join(", ") : t("console_none"); }

  function render(d) {
    result.textContent = "";
    if (d.emergency === true) result.appendChild(el("p", null)).appendChild(el("span", "badge-emergency", t("console_emergency")));
    var dl = el("dl");
    var add = function (k, v) { dl.appendChild(el("dt", null, k)); dl.appendChild(el("dd", null, v)); };
    add(t("console_detected"), (d.language || "?") + (d.language_source ? " (" + t("console_source") + " " + d.language_source + ")" : ""));
    var it = d.intent || {};
    add(t("console_intent"), (it.name || "—") + (typeof it.confidence === "number" ? " (" + fmtNum(it.confidence, { style: "percent", maximumFractionDigits: 1 }) + ")" : ""));
    add(t("console_categories"), list(d.categories));
    if (d.place && d.place.name) add(t("console_place"), d.place.name);
    if (d.problem) add(t("console_problem"), d.problem);
    if (d.unavailable) add(t("console_problem"), t("console_unavailable"));
    result.appendChild(dl);

    result.appendChild(el("h2", null, t("console_entities")));
    result.appendChild(table([t("console_entity"), t("console_value")], (d.entities || []).map(function (e) {
      return [e.entity, typeof e.value === "object" ? JSON.stringify(e.value) : e.value];
    })));

    result.appendChild(el("h2", null, t("console_services")));
    result.appendChild(table([t("console_id"), t("console_name"), t("console_categories"), t("console_distance")],
      (d.services || []).map(function (s) {
        return [s.id, s.name, list(s.categories), typeof s.distance_km === "number" ? fmtNum(s.distance_km, { maximumFractionDigits: 1 }) : "—"];
      })));

    result.appendChild(el("h2", null, t("console_messages")));
    var msgs = Array.isArray(d.messages) ? d.messages : [];
    if (!msgs.length) result.appendChild(el("p", null, t("console_none")));
    msgs.forEach(function (m) {
      var box = el("div", "preview-msg", m && m.text != null ? m.text : "");
      box.dir = "auto";
      if (d.language) box.lang = d.language;
      (m && Array.isArray(m.buttons) ? m.buttons : []).forEach(function (b) {
        box.appendChild(document.createTextNode(" "));
        box.appendChild(el("span", "preview-btn", b.title));
      });
      result.appendChild(box);
    });

    var det = el("details"), sum = el("summary", null, t("console_raw")), pre = el("pre", null, JSON.stringify(d, null, 2));
    pre.id = "raw";
    det.appendChild(sum); det.appendChild(pre);
    result.appendChild(det);
    result.hidden = false;
  }

  function fail(line) {
    errorEl.textContent = line;
    errorEl.hidden = false;
    statusEl.textContent = "";
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (busy || !text.value.trim()) return;
    busy = true;
    tryBtn.setAttribute("aria-disabled", "true");
    errorEl.hidden = true;
    statusEl.textContent = t("console_working");
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (token.value.trim()) headers.Authorization = "Bearer " + token.value.trim();
    var body = { text: text.value.trim(), language: lang.value, channel: $("channel").value, user: $("user").value.trim() || "console" };
    fetch("/api/try", { method: "POST", headers: headers, body: JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (raw) {
          var d = null;
          try { d = JSON.parse(raw); } catch (x) { /* not JSON */ }
          if (r.ok && d && typeof d === "object") { render(d); statusEl.textContent = t("console_done"); return; }
          result.hidden = true;
          var why = r.status === 401 ? t("console_error_401") : r.status === 403 ? t("console_error_403") : "";
          var detail = d && (d.message || d.error) ? String(d.message || d.error) : raw.slice(0, 200);
          fail(t("console_error") + " " + r.status + (r.statusText ? " " + r.statusText : "") + ": " +
               [why, detail].filter(Boolean).join(" — "));
        });
      })
      .catch(function () { result.hidden = true; fail(t("console_error_network")); })
      .then(function () { busy = false; tryBtn.setAttribute("aria-disabled", "false"); });
  });
})();
