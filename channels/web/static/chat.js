/* Newcomer Navigator web chat. Plain ES2019, no dependencies.
   Server text is only ever set with textContent / DOM nodes, never as HTML. */
"use strict";
(function () {
  var MAX = 1000;
  var KEY_CONV = "navigator.conversation", KEY_LANG = "navigator.language";
  var KEY_CONV_LANG = "navigator.conversationLanguage";
  // Used only if i18n/en.json cannot be loaded.
  var EN = {
    welcome: "Hello! I can help you find services for newcomers in Canada. Write your question in your language.",
    typing: "Typing…", error_retry: "Sorry, your message could not be sent. Please try again.",
    characters_left: "{n} characters left", you: "You", bot: "Assistant", emergency_label: "Emergency", auto: "Auto"
  };
  var FALLBACK_LANGS = [{ code: "en", name: "English", dir: "ltr" }, { code: "fr", name: "Français", dir: "ltr" }];

  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), box = $("message"), sendBtn = $("send"), picker = $("language");
  var typingEl = $("typing"), errorEl = $("error"), counter = $("counter");

  var store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  };

  function newId() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }
  var conversation = store.get(KEY_CONV);
  if (!/^[0-9a-f]{32}$/.test(conversation || "")) { conversation = newId(); store.set(KEY_CONV, conversation); }

  var CODE_RE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
  var languages = FALLBACK_LANGS;
  var chosen = store.get(KEY_LANG) || "auto";
  if (chosen !== "auto" && !CODE_RE.test(chosen)) chosen = "auto";
  var convLang = store.get(KEY_CONV_LANG);
  if (convLang && !CODE_RE.test(convLang)) convLang = null;
  var convDir = null;
  var strings = EN, uiCode = "en", cache = {}, uiSeq = 0;
  var busy = false, welcomeEl = null, onlyWelcome = true;

  function t(key) { return strings[key] || EN[key] || ""; }
  // Text in an isolated <bdi> so it reads in its own direction inside an RTL/LTR page.
  function setText(el, text) {
    el.textContent = "";
    if (text) { var b = document.createElement("bdi"); b.textContent = text; el.appendChild(b); }
  }
  function dirOf(code) {
    for (var i = 0; i < languages.length; i++) if (languages[i].code === code) return languages[i].dir === "rtl" ? "rtl" : "ltr";
    return /^(ar|fa|he|ur|ps|ckb|yi|dv|sd|ug)(-|$)/.test(code || "") ? "rtl" : "ltr";
  }
  function browserLang() {
    var l = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
    return l.toLowerCase().split(/[-_]/)[0];
  }

  /* ---------- page language / direction ---------- */
  function setPageLang(code, dir) {
    if (!code || !CODE_RE.test(code)) return;
    document.documentElement.lang = code;
    document.documentElement.dir = dir === "rtl" ? "rtl" : "ltr";
  }

  /* ---------- UI strings ---------- */
  function fetchStrings(code) {
    if (code in cache) return Promise.resolve(cache[code]);
    return fetch("/static/i18n/" + encodeURIComponent(code) + ".json", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { cache[code] = d && typeof d === "object" ? d : null; return cache[code]; },
            function () { return null; }); // network trouble: not cached, tried again next time
  }
  function loadUI() {
    var want = chosen !== "auto" ? chosen : (convLang || browserLang());
    var seq = ++uiSeq;
    var tries = [want, want.split("-")[0], "en"].filter(function (c, i, a) { return CODE_RE.test(c) && a.indexOf(c) === i; });
    return fetchStrings("en").then(function (en) {
      var next = function (i) {
        if (i >= tries.length) return Promise.resolve(["en", null]);
        return fetchStrings(tries[i]).then(function (d) { return d ? [tries[i], d] : next(i + 1); });
      };
      return next(0).then(function (found) {
        if (seq !== uiSeq) return;
        uiCode = found[0];
        strings = Object.assign({}, EN, en || {}, found[1] || {});
        applyStrings();
      });
    });
  }
  function applyStrings() {
    var uiDir = dirOf(uiCode);
    document.title = t("title") || "Newcomer Navigator";
    document.querySelectorAll("[data-i18n]").forEach(function (el) {
      var v = t(el.getAttribute("data-i18n"));
      if (v) { el.textContent = v; el.lang = uiCode; el.dir = uiDir; }
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach(function (el) {
      var v = t(el.getAttribute("data-i18n-placeholder")); if (v) el.placeholder = v;
    });
    document.querySelectorAll("[data-i18n-aria]").forEach(function (el) {
      var v = t(el.getAttribute("data-i18n-aria")); if (v) el.setAttribute("aria-label", v);
    });
    updateCounter();
    if (busy) setText(typingEl, t("typing"));
    // The welcome follows the UI language until the conversation starts.
    if (onlyWelcome) {
      if (welcomeEl) welcomeEl.remove();
      welcomeEl = addBot(t("welcome"), null, false, false, uiCode);
    }
  }

  /* ---------- language picker ---------- */
  function fillPicker() {
    while (picker.options.length > 1) picker.remove(1);
    languages.forEach(function (l) {
      var o = document.createElement("option");
      o.value = l.code; o.textContent = l.name || l.code; o.lang = l.code; o.dir = l.dir === "rtl" ? "rtl" : "ltr";
      picker.appendChild(o);
    });
    picker.value = chosen;
    if (picker.value !== chosen) { chosen = "auto"; picker.value = "auto"; }
  }
  function loadLanguages() {
    return fetch("/chat/languages", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (list) {
        if (Array.isArray(list)) {
          list = list.filter(function (l) { return l && typeof l.code === "string" && CODE_RE.test(l.code); });
          if (list.length) languages = list;
        }
        fillPicker();
      });
  }
  picker.addEventListener("change", function () {
    chosen = picker.value;
    store.set(KEY_LANG, chosen);
    if (chosen !== "auto") { convLang = chosen; convDir = dirOf(chosen); setPageLang(convLang, convDir); }
    loadUI();
  });

  /* ---------- text rendering with tappable phone numbers ---------- */
  // 1: web link. 2: North American number (optional +1/1, optional extension). 3: short codes.
  var LINK_RE = new RegExp(
    "(https?://[^\\s<>\"']+)" +
    "|((?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}(?:,? ?(?:ext\\.?|x|poste) ?\\d{1,6})?" +
    "|[2-9]-1-1|9-8-8|911|988|211|811)", "gi");
  var ALNUM = /[0-9A-Za-z$]/;

  function telHref(s) {
    var parts = s.split(/ext\.?|x|poste/i);
    var d = parts[0].replace(/\D/g, "");
    if (d.length === 10) d = "+1" + d;
    else if (d.length === 11 && d.charAt(0) === "1") d = "+" + d;
    var ext = parts[1] ? parts[1].replace(/\D/g, "") : "";
    return "tel:" + d + (ext ? "," + ext : "");
  }
  function renderText(el, text) {
    var last = 0, m;
    LINK_RE.lastIndex = 0;
    while ((m = LINK_RE.exec(text)) !== null) {
      var s = m[0], i = m.index, a;
      if (m[1]) {
        s = s.replace(/[.,;:!?)\]]+$/, "");
        a = document.createElement("a");
        a.href = s; a.className = "url-link"; a.rel = "noopener noreferrer"; a.target = "_blank";
        a.textContent = s;
      } else {
        // Not part of a longer number, word or amount ("$911.50", "1911", "911B").
        if (ALNUM.test(text.charAt(i - 1)) || /^(?:[0-9A-Za-z]|[.,-]\d)/.test(text.substr(i + s.length, 2))) continue;
        a = document.createElement("a");
        a.href = telHref(s); a.className = "tel-link"; a.textContent = s;
      }
      if (i > last) el.appendChild(document.createTextNode(text.slice(last, i)));
      var bdi = document.createElement("bdi");
      bdi.dir = "ltr";
      bdi.appendChild(a);
      el.appendChild(bdi);
      last = i + s.length;
      LINK_RE.lastIndex = last;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }

  /* ---------- messages ---------- */
  function addMessage(who, text, lang) {
    var div = document.createElement("div");
    div.className = "msg msg-" + who;
    if (lang) div.lang = lang;
    var who_ = document.createElement("span");
    who_.className = "sr-only";
    who_.lang = uiCode;
    who_.textContent = t(who === "user" ? "you" : "bot") + ": ";
    div.appendChild(who_);
    var p = document.createElement("p");
    p.className = "msg-text";
    p.dir = "auto";
    if (who === "bot") renderText(p, text); else p.textContent = text;
    div.appendChild(p);
    log.appendChild(div);
    return div;
  }
  function addBot(text, buttons, emergency, labelled, lang) {
    var div = addMessage("bot", text || "", lang);
    if (emergency) {
      div.classList.add("msg-emergency");
      if (labelled) {
        var lab = document.createElement("strong");
        lab.className = "emergency-label";
        lab.lang = uiCode;
        lab.textContent = t("emergency_label");
        div.insertBefore(lab, div.children[1]);
      }
    }
    if (Array.isArray(buttons) && buttons.length) {
      var wrap = document.createElement("div");
      wrap.className = "buttons";
      buttons.forEach(function (b) {
        if (!b || (b.title == null && b.payload == null)) return;
        var title = String(b.title != null ? b.title : b.payload);
        var payload = String(b.payload != null ? b.payload : b.title);
        var btn = document.createElement("button");
        btn.type = "button"; btn.className = "reply-btn"; btn.dir = "auto";
        btn.textContent = title;
        btn.addEventListener("click", function () { send(payload, title, null); });
        wrap.appendChild(btn);
      });
      div.appendChild(wrap);
    }
    return div;
  }
  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  /* ---------- sending ---------- */
  function setBusy(on) {
    busy = on;
    sendBtn.setAttribute("aria-disabled", on ? "true" : "false");
    log.setAttribute("aria-busy", on ? "true" : "false");
    setText(typingEl, on ? t("typing") : "");
  }
  function showError(msg) { setText(errorEl, msg); errorEl.hidden = false; }
  function hideError() { errorEl.hidden = true; errorEl.textContent = ""; }

  function send(text, shown, typed) {
    if (busy || !text.trim()) return;
    hideError();
    onlyWelcome = false;
    var userMsg = addMessage("user", shown);
    scrollToEnd();
    setBusy(true);
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctrl) ctrl.abort(); }, 60000);
    fetch("/chat/message", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ conversation: conversation, text: text, language: chosen }),
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (data) {
        if (r.ok && data && Array.isArray(data.messages)) return data;
        var e = new Error("http " + r.status);
        e.serverMessage = data && typeof data.message === "string" ? data.message : "";
        throw e;
      });
    }).then(function (data) {
      clearTimeout(timer);
      setBusy(false);
      if (typeof data.language === "string" && CODE_RE.test(data.language)) {
        var changed = data.language !== convLang;
        convLang = data.language;
        convDir = data.dir === "rtl" ? "rtl" : data.dir === "ltr" ? "ltr" : dirOf(convLang);
        store.set(KEY_CONV_LANG, convLang);
        setPageLang(convLang, convDir);
        if (changed && chosen === "auto") loadUI();
      }
      var first = null;
      data.messages.forEach(function (m) {
        if (!m || (!m.text && !(m.buttons && m.buttons.length))) return;
        var d = addBot(typeof m.text === "string" ? m.text : "", m.buttons, data.emergency === true, !first);
        if (!first) first = d;
      });
      // Show the start of the answer (long answers are read from the top).
      if (first) log.scrollTop = Math.max(0, first.offsetTop - userMsg.offsetHeight - 16);
    }).catch(function (e) {
      clearTimeout(timer);
      setBusy(false);
      userMsg.remove();
      if (typed != null) { // put the text back so nothing is lost
        box.value = (typed + (box.value ? "\n" + box.value : "")).slice(0, MAX);
        updateCounter(); grow();
      }
      showError((e && e.serverMessage) || t("error_retry"));
    });
  }
  function submit() {
    var v = box.value;
    if (busy || !v.trim()) return;
    box.value = "";
    updateCounter(); grow();
    send(v.trim(), v.trim(), v);
  }

  /* ---------- composer ---------- */
  function updateCounter() {
    var left = MAX - box.value.length;
    setText(counter, t("characters_left").replace("{n}", String(left)));
    counter.classList.toggle("low", left <= 50);
  }
  function grow() { box.style.height = "auto"; box.style.height = box.scrollHeight + 4 + "px"; }
  $("composer").addEventListener("submit", function (e) { e.preventDefault(); submit(); });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); submit(); }
  });
  box.addEventListener("input", function () { updateCounter(); grow(); });

  /* ---------- start ---------- */
  if (chosen !== "auto") setPageLang(chosen, dirOf(chosen));
  else if (convLang) setPageLang(convLang, dirOf(convLang));
  loadLanguages().then(function () {
    if (chosen !== "auto") setPageLang(chosen, dirOf(chosen));
    else if (convLang) setPageLang(convLang, dirOf(convLang));
    return loadUI();
  });
})();
