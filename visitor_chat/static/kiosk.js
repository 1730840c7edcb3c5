/* Passerelle kiosk: full-screen chat on the centre's shared computers and tablets (templates/kiosk.html).
   A start screen with the two languages, then the conversation through the chat core (chat-core.js,
   above in the same file), kept in memory only. Many people use the same device one after the other:
   after a silence, a warning, then everything is wiped and the start screen returns; the same at the
   end of the session time, or at once with "Terminer / nouveau visiteur". Links are never followed:
   they show as text with a QR code to scan with one's own phone. */
(function () {
  "use strict";

  var Chat = window.PasserelleChat;
  // The session's end is announced this long before (or half-way through a shorter session).
  var NOTICE_BEFORE_SECONDS = 120;
  var TRANSPORTS = ["auto", "socketio", "rest"];

  var query = new URLSearchParams(location.search);
  var timing = readTiming(JSON.parse(document.getElementById("kiosk-settings").textContent));
  var transport = TRANSPORTS.indexOf(query.get("transport")) >= 0 ? query.get("transport") : "auto";

  /* Tests shorten the timers from the page's address (?idle=5&warning=3&session=20, in seconds): the
     test servers are shared by every test, so their settings cannot change for one of them. Only
     shorter values count, so that no link can keep a visitor's conversation on a shared device
     longer than the centre decided. */
  function readTiming(configured) {
    function shorter(name, seconds) {
      var wanted = Number(query.get(name));
      return wanted > 0 && wanted < seconds ? wanted : seconds;
    }
    var session = shorter("session", configured.session_seconds);
    return {
      idle: shorter("idle", configured.idle_seconds),
      warning: shorter("warning", configured.warning_seconds),
      session: session,
      notice: Math.min(NOTICE_BEFORE_SECONDS, session / 2)
    };
  }

  function byId(id) {
    return document.getElementById(id);
  }

  var element = Chat.element;

  var kiosk = byId("kiosk");
  var startScreen = byId("start-screen");
  var chatScreen = byId("chat-screen");
  var chatTitle = byId("chat-title");
  var conversationArea = byId("conversation");
  var messages = byId("messages");
  var choicesArea = byId("choices");
  var ticketPanel = byId("ticket-panel");
  var printTicket = byId("print-ticket");
  var printPlanArea = byId("print-plan");
  var typing = byId("typing");
  var errorBox = byId("error");
  var notice = byId("notice");
  var composer = byId("composer");
  var input = byId("message");
  var idleDialog = byId("idle-dialog");
  var idleCountdown = byId("idle-countdown");
  var idleTicket = byId("idle-ticket");
  var idlePrint = byId("idle-print");
  var endDialog = byId("end-dialog");

  var conversation = null;
  var language = "fr";
  var answering = false;  // the latest message asks a question of the questionnaire

  /* Texts: the kiosk's, else the core's, in the conversation's language. */

  function say(lang, key, values) {
    return Chat.texts("kiosk", lang)(key, values);
  }

  function applyLanguage(lang) {
    language = lang;
    document.documentElement.lang = lang;
    chatScreen.querySelectorAll("[data-text]").forEach(function (node) {
      node.textContent = say(lang, node.dataset.text);
    });
    document.querySelectorAll("dialog [data-text]").forEach(function (node) {
      node.textContent = say(lang, node.dataset.text);
    });
    input.placeholder = say(lang, answering ? "input_placeholder_answer" : "input_placeholder");
    byId("idle-text").textContent = say(lang, "idle_text", { seconds: timing.warning });
    if (notice.textContent) showSessionNotice();
    chatScreen.querySelectorAll("[data-switch]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.switch === lang));
    });
  }

  /* The visible area: an on-screen keyboard that covers the page (instead of resizing it) must not
     hide the input, so the kiosk fits the visual viewport. Not while zoomed in: the zoom would undo. */

  function fitVisibleArea() {
    var view = window.visualViewport;
    if (!view || Math.abs(view.scale - 1) > 0.01) {
      kiosk.style.removeProperty("--visible-height");
      kiosk.style.removeProperty("--visible-top");
      return;
    }
    kiosk.style.setProperty("--visible-height", view.height + "px");
    kiosk.style.setProperty("--visible-top", view.offsetTop + "px");
    scrollToLatest();
  }

  /* Messages */

  // The conversation scrolls, or on a small screen the whole chat (kiosk.css).
  function scrollToEnd() {
    [conversationArea, chatScreen].forEach(function (area) { area.scrollTop = area.scrollHeight; });
  }

  // A plan is read from its start: while its cards arrive, and until the visitor writes, the view stays on
  // its first card rather than following the latest message.
  var planStart = null;

  function scrollToLatest() {
    if (!planStart) return scrollToEnd();
    [conversationArea, chatScreen].forEach(function (area) {
      area.scrollTop += planStart.getBoundingClientRect().top - area.getBoundingClientRect().top;
    });
  }

  // A bot message's text, or its plan card, with each link as its address and a QR code to scan.
  function renderBotText(message, lang) {
    var options = { links: "text", lang: lang };
    // The plan to keep: its cards are on screen already; what the kiosk adds is the way to take it along.
    if (message.plan && message.plan.part === "whole") {
      return element("div", { "class": "message-text plan-card plan-whole" }, [planOnPhone(message.plan, lang)]);
    }
    var body = message.plan
      ? element("div", { "class": "message-text plan-card plan-" + message.plan.part },
                Chat.renderPlanCard(message.plan, message.text, options))
      : element("p", { "class": "message-text" }, [Chat.renderText(message.text, options)]);
    body.querySelectorAll(".link-text").forEach(function (link) {
      var url = link.firstChild.textContent;
      link.querySelector("img").alt = say(lang, "qr_alt", { url: url });
      link.append(element("span", { "class": "qr-hint" }, [say(lang, "qr_hint")]));
    });
    return body;
  }

  // The plan to keep: a QR code of its page (its address holds the answers chosen, nothing typed), to open
  // it on one's own phone; nothing is stored.
  function planOnPhone(card, lang) {
    var qr = element("img", { "class": "plan-qr", alt: say(lang, "plan_qr_alt"),
                              src: "/kiosk/qr.svg?text=" + encodeURIComponent(location.origin + card.link) });
    var print = element("button", { type: "button", "class": "big-button primary print" }, [say(lang, "plan_print")]);
    print.addEventListener("click", function () { printPlan(card, lang); });
    return element("div", { "class": "plan-phone" }, [qr, element("div", {}, [element("p", {}, [say(lang, "plan_qr")]), print])]);
  }

  // On paper: the steps and interests, each link its site's name and a QR code; the ticket's printout stays
  // as it is, for its own button.
  function printPlan(card, lang) {
    printPlanArea.replaceChildren(
      element("h1", {}, [say(lang, "print_plan_title")]),
      element("p", {}, [printedOn(lang)]),
      element("p", { "class": "plan" }, [Chat.renderText(String(card.printable || ""), { links: "qr", lang: lang })]));
    printPlanArea.lang = lang;
    document.documentElement.classList.add("printing-plan");
    window.print();
  }

  function renderMessage(message) {
    var lang = message.language;
    var prefix = element("span", { "class": "visually-hidden" },
                         [say(lang, message.from === "bot" ? "bot_said" : "you_said") + " "]);
    var body = message.from === "bot" ? renderBotText(message, lang)
                                      : element("p", { "class": "message-text" }, [message.text]);
    var item = element("li", { "class": "message " + message.from, lang: lang }, [prefix, body]);
    messages.append(item);
    return item;
  }

  // Buttons belong to the latest message only: a press, or any later message, removes them.
  function showChoices(message) {
    choicesArea.textContent = "";
    if (message.from !== "bot" || !message.buttons.length) return;
    var group = element("div", { "class": "choices", role: "group", lang: message.language,
                                 "aria-label": say(message.language, "choices") });
    var make = function (title) { return element("button", { type: "button", "class": "choice" }, [title]); };
    group.append.apply(group, Chat.choiceButtons(message, make, function (payload, display, event) {
      choicesArea.textContent = "";
      conversation.send(payload, { display: display });
      if (event.detail === 0) input.focus();  // keyboard users keep a place to type
    }));
    choicesArea.append(group);
  }

  /* The ticket after a handoff: its number in large type with where to go, kept above the
     conversation, and a printout with the number, the date, the wait, language, area and plan, nothing
     the visitor typed. */

  var shownTicket = null;  // {number, lang} of the ticket on screen, for the idle warning

  function showTicket(ticket, lang) {
    var print = element("button", { type: "button", "class": "big-button primary print" },
                        [say(lang, "ticket_print")]);
    print.addEventListener("click", printTicketNow);
    ticketPanel.replaceChildren(
      element("p", { "class": "ticket-label" }, [say(lang, "ticket_heading")]),
      element("p", { "class": "ticket-number" }, [String(ticket.number)]),
      element("p", { "class": "ticket-where" }, [String(ticket.where || "")]),
      print);
    ticketPanel.lang = lang;
    ticketPanel.setAttribute("aria-label", say(lang, "ticket_heading"));
    ticketPanel.hidden = false;

    var details = element("dl", {}, [
      element("dt", {}, [say(lang, "ticket_language")]),
      element("dd", {}, [say(lang, "language_" + ticket.language)]),
      element("dt", {}, [say(lang, "ticket_area")]),
      element("dd", {}, [String(ticket.area || "")])
    ]);
    printTicket.replaceChildren(
      element("h1", {}, [say(lang, "print_title")]),
      element("p", { "class": "ticket-number" }, [String(ticket.number)]),
      element("p", {}, [printedOn(lang)]),
      element("p", {}, [String(ticket.where || "")]));
    if (ticket.wait) {
      printTicket.append(element("p", {}, [ticket.wait.ahead
        ? say(lang, "print_wait", { ahead: ticket.wait.ahead, minutes: ticket.wait.minutes })
        : say(lang, "print_no_wait")]));
    }
    printTicket.append(details);
    if (ticket.plan) {
      // On paper a link is its site's name and a QR code to scan, not a long address to type.
      printTicket.append(element("h2", {}, [say(lang, "ticket_plan")]),
                         element("p", { "class": "plan" }, [Chat.renderText(String(ticket.plan), { links: "qr", lang: lang })]));
    }
    printTicket.lang = lang;
    shownTicket = { number: String(ticket.number), lang: lang };
  }

  // The ticket's printout (not the plan's, whichever was printed last).
  function printTicketNow() {
    document.documentElement.classList.remove("printing-plan");
    window.print();
  }

  // "lundi 7 décembre 2026, 14:05": when the ticket was printed, in the centre's time.
  function printedOn(lang) {
    var when = new Date().toLocaleString(lang + "-BE", { weekday: "long", day: "numeric", month: "long", year: "numeric",
                                                        hour: "2-digit", minute: "2-digit", timeZone: "Europe/Brussels" });
    return say(lang, "print_date", { date: when });
  }

  function onMessage(message) {
    var ticket = message.custom && message.custom.ticket;
    if (message.from === "bot") {
      // The input invites an answer while the questionnaire asks, a question otherwise.
      answering = Boolean(message.asks);
      input.placeholder = say(message.language, answering ? "input_placeholder_answer" : "input_placeholder");
    }
    if (ticket) showTicket(ticket, message.language);
    if (message.from === "visitor" || message.text) {
      var item = renderMessage(message);
      showChoices(message);
      if (message.from === "visitor") planStart = null;
      else if (message.plan && (message.plan.part === "summary" || message.plan.part === "whole")) planStart = item;
    }
    scrollToLatest();
  }

  function onStatus(status) {
    typing.hidden = !status.waiting;
    errorBox.hidden = !status.failed;
    if (status.language !== language) applyLanguage(status.language);
    scrollToLatest();
  }

  /* Timers of a visit: the idle warning and the session's length. Only the visitor's own actions
     count as presence, not the assistant's messages. */

  var timers = {
    idle: null, ticking: null, noticeAt: null, endAt: null, warningEnds: 0,
    start: function () {
      this.stop();
      this.noticeAt = setTimeout(showSessionNotice, (timing.session - timing.notice) * 1000);
      this.endAt = setTimeout(wipe, timing.session * 1000);
      this.active();
    },
    active: function () {
      if (this.warningEnds || !this.endAt) return;
      clearTimeout(this.idle);
      this.idle = setTimeout(warnIdle, timing.idle * 1000);
    },
    warn: function () {
      var self = this;
      this.warningEnds = Date.now() + timing.warning * 1000;
      this.ticking = setInterval(function () { self.tick(); }, 250);
      this.tick();
    },
    tick: function () {
      var left = Math.ceil((this.warningEnds - Date.now()) / 1000);
      if (left <= 0) wipe();
      else idleCountdown.textContent = String(left);
    },
    resume: function () {
      clearInterval(this.ticking);
      this.warningEnds = 0;
      this.active();
    },
    stop: function () {
      clearTimeout(this.idle);
      clearInterval(this.ticking);
      clearTimeout(this.noticeAt);
      clearTimeout(this.endAt);
      this.idle = this.ticking = this.noticeAt = this.endAt = null;
      this.warningEnds = 0;
    }
  };

  function warnIdle() {
    if (endDialog.open) endDialog.close();
    timers.warn();
    // The number about to be wiped, and a last chance to print it.
    idleTicket.hidden = idlePrint.hidden = !shownTicket;
    if (shownTicket) idleTicket.textContent = say(shownTicket.lang, "idle_ticket", { number: shownTicket.number });
    idleDialog.showModal();
  }

  function showSessionNotice() {
    notice.textContent = say(language, "session_ending", { minutes: Math.max(1, Math.round(timing.notice / 60)) });
  }

  /* A visit: from a language on the start screen to the wipe. */

  function greet() {
    conversation.send("/greet", { display: false });
  }

  function startVisit(lang, fromKeyboard) {
    var own = Chat.connect({
      language: lang, storage: null, transport: transport,
      // A reply still on its way when the visit was wiped must not show to the next visitor.
      onMessage: function (message) { if (conversation === own) onMessage(message); },
      onStatus: function (status) { if (conversation === own) onStatus(status); }
    });
    conversation = own;
    applyLanguage(lang);
    startScreen.hidden = true;
    chatScreen.hidden = false;
    timers.start();
    greet();
    // On a touch screen, focusing the input would open the keyboard over the first answer.
    (fromKeyboard ? input : chatTitle).focus();
  }

  // Whatever a browser may keep for this site: the kiosk writes none of it, but other pages might.
  function forgetBrowserData() {
    try {
      sessionStorage.clear();
      localStorage.clear();
    } catch (refused) {
      // Storage refused by the browser: there is nothing in it either.
    }
    document.cookie.split(";").forEach(function (cookie) {
      var name = cookie.split("=")[0].trim();
      if (!name) return;
      ["/", location.pathname].forEach(function (path) {
        [location.hostname, ""].forEach(function (domain) {
          document.cookie = name + "=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=" + path +
                            (domain ? "; domain=" + domain : "");
        });
      });
    });
    if (window.indexedDB && indexedDB.databases) {
      indexedDB.databases().then(function (databases) {
        databases.forEach(function (database) { indexedDB.deleteDatabase(database.name); });
      });
    }
    if (window.caches) {
      caches.keys().then(function (names) { names.forEach(function (name) { caches.delete(name); }); });
    }
  }

  // Everything of the visit goes: the conversation (a new sender id next time), its DOM, the browser's data.
  function wipe() {
    timers.stop();
    if (conversation) conversation.close();
    conversation = null;
    [idleDialog, endDialog].forEach(function (dialog) { if (dialog.open) dialog.close(); });
    messages.textContent = "";
    choicesArea.textContent = "";
    ticketPanel.textContent = "";
    ticketPanel.hidden = true;
    printTicket.textContent = "";
    printPlanArea.textContent = "";
    shownTicket = null;
    planStart = null;
    document.documentElement.classList.remove("printing-plan");
    answering = false;
    notice.textContent = "";
    typing.hidden = true;
    errorBox.hidden = true;
    input.value = "";
    window.getSelection().removeAllRanges();
    forgetBrowserData();
    chatScreen.hidden = true;
    startScreen.hidden = false;
    document.documentElement.lang = "fr";
    startScreen.querySelector(".language-choice").focus();
  }

  /* Events */

  startScreen.querySelectorAll("[data-language]").forEach(function (button) {
    button.addEventListener("click", function (event) { startVisit(button.dataset.language, event.detail === 0); });
  });

  chatScreen.querySelectorAll("[data-switch]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.dataset.switch !== language) conversation.setLanguage(button.dataset.switch);
    });
  });

  // A new conversation for the same visitor: their ticket, if any, and the session's time stay.
  byId("restart").addEventListener("click", function () {
    conversation.restart();
    messages.textContent = "";
    choicesArea.textContent = "";
    greet();
  });

  byId("retry").addEventListener("click", function () { conversation.retry(); });

  byId("end").addEventListener("click", function () { endDialog.showModal(); });
  byId("end-cancel").addEventListener("click", function () { endDialog.close(); });
  byId("end-confirm").addEventListener("click", wipe);

  byId("idle-continue").addEventListener("click", function () { idleDialog.close(); });
  idlePrint.addEventListener("click", function () {
    idleDialog.close();  // a tap is presence: the visit goes on
    printTicketNow();
  });
  // However the warning closes (the button, Escape), the visitor is there.
  idleDialog.addEventListener("close", function () { if (conversation) timers.resume(); });
  // The next printout is the ticket's again, unless the plan is printed again.
  window.addEventListener("afterprint", function () { document.documentElement.classList.remove("printing-plan"); });

  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    choicesArea.textContent = "";
    conversation.send(text);
  });

  ["pointerdown", "keydown", "input", "wheel", "scroll"].forEach(function (type) {
    document.addEventListener(type, function () { timers.active(); }, { capture: true, passive: true });
  });

  // Nothing leaves the page: no link (there is none, but just in case), no dropped address or file.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a[href]")) event.preventDefault();
  }, true);
  ["dragover", "drop"].forEach(function (type) {
    document.addEventListener(type, function (event) { event.preventDefault(); });
  });

  if (window.visualViewport) {
    visualViewport.addEventListener("resize", fitVisibleArea);
    visualViewport.addEventListener("scroll", fitVisibleArea);
    fitVisibleArea();
  }
})();
