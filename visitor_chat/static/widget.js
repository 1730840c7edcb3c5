/* Passerelle website widget: a chat bubble and panel in a shadow root, so that the host page's styles
   and the widget's do not mix. Embedded with one script tag (see templates/demo.html):
     <script src="https://…/widget.js" defer data-server="…" data-language="fr|nl"
             data-colour="#0a4d8c" data-text-colour="#ffffff"></script>
   Every attribute is optional. The conversation goes through the chat core (chat-core.js, above in the
   same file) and survives page changes within the site through sessionStorage, nothing longer. */
(function () {
  "use strict";
  if (window.PasserelleWidget) return;
  window.PasserelleWidget = true;

  var Chat = window.PasserelleChat;
  var OPEN_KEY = "passerelle-widget-open";
  var DEFAULT_COLOURS = { colour: "#0a4d8c", text: "#ffffff" };
  var AA_CONTRAST = 4.5;
  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var data = (script && script.dataset) || {};

  var element = Chat.element;

  // A widget text in a given language (each message keeps the language it was written in).
  function say(language, key, values) {
    return Chat.texts("widget", language)(key, values);
  }

  // sessionStorage, or null where the page may not use it.
  var storage = (function () {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null;
    }
  })();

  function hiddenText(text) {
    return element("span", { "class": "visually-hidden" }, [text]);
  }

  /* Colours */

  // "rgb(r, g, b)" as the browser computes any CSS colour; null if it is not one (or not opaque).
  function parseColour(value, probe) {
    probe.style.color = value || "";
    var computed = probe.style.color && getComputedStyle(probe).color;
    probe.style.color = "";
    var parts = computed && computed.match(/^rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)$/);
    if (!parts || (parts[4] !== undefined && Number(parts[4]) < 1)) return null;
    return [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  }

  // WCAG 2 relative luminance and contrast ratio.
  function luminance(rgb) {
    var linear = rgb.map(function (channel) {
      var c = channel / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  // The page's colours if both are given, valid and readable together; else the default pair.
  function chooseColours(probe) {
    if (!data.colour && !data.textColour) return DEFAULT_COLOURS;
    var colour = parseColour(data.colour || DEFAULT_COLOURS.colour, probe);
    var text = parseColour(data.textColour || DEFAULT_COLOURS.text, probe);
    if (!colour || !text) {
      console.warn("Passerelle widget: data-colour or data-text-colour is not an opaque CSS colour; " +
                   "the default colours are used.");
      return DEFAULT_COLOURS;
    }
    var ratio = contrast(colour, text);
    if (ratio < AA_CONTRAST) {
      console.warn("Passerelle widget: data-colour and data-text-colour have a contrast of " + ratio.toFixed(2) +
                   ":1, below the 4.5:1 of WCAG AA; the default colours are used.");
      return DEFAULT_COLOURS;
    }
    return { colour: "rgb(" + colour.join(",") + ")", text: "rgb(" + text.join(",") + ")" };
  }

  /* The widget's DOM */

  var host = element("div", { id: "passerelle-widget" });
  var shadow = host.attachShadow({ mode: "open" });
  var style = element("style", {}, [Chat.served.stylesheet || ""]);
  var bubble = element("button", { type: "button", "class": "bubble", "aria-expanded": "false",
                                    "aria-controls": "panel" });
  bubble.innerHTML = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 ' +
    '2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"/></svg>';
  var title = element("h2", { id: "title" });
  var subtitle = element("p", { "class": "subtitle" });
  var close = element("button", { type: "button", "class": "close" }, ["×"]);
  var languageGroup = element("div", { "class": "languages", role: "group" });
  var languageButtons = Chat.LANGUAGES.map(function (language) {
    var button = element("button", { type: "button", lang: language, "data-language": language },
                         [language.toUpperCase(), hiddenText("")]);
    languageGroup.append(button);
    return button;
  });
  var restart = element("button", { type: "button", "class": "restart" });
  var list = element("ol", { "class": "messages" });
  var log = element("div", { "class": "log", role: "region", tabindex: "0" }, [list]);
  var typing = element("p", { "class": "typing", hidden: "" },
                       [element("span", { "class": "dots", "aria-hidden": "true" }), element("span")]);
  var errorText = element("span");
  var retry = element("button", { type: "button", "class": "retry" });
  var error = element("div", { "class": "error", role: "alert", hidden: "" }, [errorText, retry]);
  var live = element("div", { "class": "visually-hidden", "aria-live": "polite" });
  var inputLabel = element("label", { "for": "message", "class": "visually-hidden" });
  var input = element("input", { id: "message", type: "text", autocomplete: "off", maxlength: "1000" });
  var send = element("button", { type: "submit", "class": "send" });
  var form = element("form", { "class": "composer" }, [inputLabel, input, send]);
  var panel = element("section", { id: "panel", "class": "panel", role: "dialog", "aria-labelledby": "title",
                                   hidden: "" }, [
    element("header", {}, [element("div", { "class": "heading" }, [title, subtitle]), close]),
    element("div", { "class": "toolbar" }, [languageGroup, restart]),
    log, typing, error, live, form
  ]);
  var root = element("div", { "class": "widget" }, [bubble, panel]);
  shadow.append(style, root);

  /* State */

  var conversation = null;
  var language = Chat.pickLanguage(data.language) || Chat.pickLanguage(document.documentElement.lang) || "fr";
  var t = Chat.texts("widget", language);
  var rendered = new WeakMap();
  var suggestions = null;
  var answering = false;  // the latest message asks a question of the questionnaire

  function applyTexts(newLanguage) {
    language = newLanguage;
    t = Chat.texts("widget", language);
    host.lang = root.lang = language;
    bubble.setAttribute("aria-label", t("open"));
    title.textContent = t("title");
    subtitle.textContent = t("subtitle");
    close.setAttribute("aria-label", t("close"));
    languageGroup.setAttribute("aria-label", t("language_switch"));
    languageButtons.forEach(function (button) {
      var own = button.dataset.language;
      button.setAttribute("aria-pressed", String(own === language));
      button.lastChild.textContent = " " + t("language_" + own);
    });
    restart.textContent = t("restart");
    log.setAttribute("aria-label", t("conversation"));
    typing.lastChild.textContent = t("typing");
    errorText.textContent = t("unreachable") + " ";
    retry.textContent = t("retry");
    inputLabel.textContent = t("input_label");
    input.placeholder = t(answering ? "placeholder_answer" : "placeholder");
    send.textContent = t("send");
  }

  /* Messages */

  function renderMessage(message) {
    var lang = message.language;
    var item = element("li", { "class": "message from-" + message.from, lang: lang });
    var ticket = message.custom && message.custom.ticket;
    item.append(hiddenText(say(lang, message.from === "bot" ? "bot_said" : "you_said") + " "));
    if (ticket) {
      item.classList.add("ticket");
      item.append(element("p", { "class": "ticket-number" }, ticketNumber(lang, String(ticket.number))));
      if (ticket.where) item.append(element("p", {}, [ticket.where]));
    } else if (message.plan) {
      item.classList.add("plan-card", "plan-" + message.plan.part);
      var options = { links: "anchor", newWindow: say(lang, "new_window"), lang: lang };
      item.append.apply(item, Chat.renderPlanCard(message.plan, message.text, options));
      if (message.plan.part === "whole") item.append(keepControls(message, lang));
    } else if (message.from === "bot") {
      item.append(Chat.renderText(message.text, { links: "anchor", newWindow: say(lang, "new_window"), lang: lang }));
    } else {
      item.append(message.text);
    }
    item.classList.toggle("failed", Boolean(message.failed));
    item.append(element("span", { "class": "not-sent" }, [" " + say(lang, "not_sent")]));
    rendered.set(message, item);
    list.append(item);
  }

  /* "Keep my plan": copy its text, share its page (where the browser can), open its page to print or
     bookmark it. The page's address holds the answers chosen and nothing typed (plan_page.py). */
  var webService = script && script.src ? new URL(script.src).origin : location.origin;

  function keepControls(message, lang) {
    var page = webService + message.plan.link;
    var controls = element("div", { "class": "keep" });
    if (navigator.clipboard) {
      var copy = element("button", { type: "button" }, [say(lang, "plan_copy")]);
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(message.text.replace(/\n\u00a0\n/g, "\n\n").replace(/ +\n/g, "\n")).then(function () {
          copy.textContent = say(lang, "plan_copied");
          live.append(element("p", { lang: lang }, [say(lang, "plan_copied")]));
        }, function () {
          copy.hidden = true;  // refused by the browser: the other ways remain
        });
      });
      controls.append(copy);
    }
    if (navigator.share) {
      var share = element("button", { type: "button" }, [say(lang, "plan_share")]);
      share.addEventListener("click", function () {
        navigator.share({ title: message.plan.title, url: page }).catch(function () {});
      });
      controls.append(share);
    }
    var open = element("a", { href: page, target: "_blank", rel: "noopener noreferrer", "class": "keep-page" },
                       [say(lang, "plan_open"), hiddenText(" " + say(lang, "new_window"))]);
    controls.append(open);
    return controls;
  }

  // "Votre numéro : FR-027", the number in one piece: a line never breaks after its hyphen.
  function ticketNumber(lang, number) {
    var parts = Chat.typeset(say(lang, "ticket_number", { number: "\u0000" }), lang).split("\u0000");
    return [parts[0], element("span", { "class": "number" }, [number]), parts.slice(1).join("")];
  }

  // Buttons belong to the latest message only: any later message (a press, a typed one) removes them.
  function showSuggestions(message) {
    if (suggestions) suggestions.remove();
    suggestions = null;
    if (message.from !== "bot" || !message.buttons.length) return;
    var group = element("div", { "class": "suggestions", role: "group", lang: message.language,
                                 "aria-label": say(message.language, "suggestions") });
    var make = function (title) { return element("button", { type: "button" }, [title]); };
    group.append.apply(group, Chat.choiceButtons(message, make, function (payload, display, event) {
      conversation.send(payload, { display: display });
      if (event.detail === 0) input.focus();  // a keyboard's click
      else focusAfterTap();
    }));
    suggestions = element("li", { "class": "suggestions-item" }, [group]);
    list.append(suggestions);
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  // A plan is read from its start: while its cards arrive, and until the visitor writes, the view stays on
  // its first card rather than following the latest message.
  var planStart = null;

  function scrollToLatest() {
    if (planStart) log.scrollTop += planStart.getBoundingClientRect().top - log.getBoundingClientRect().top;
    else scrollToEnd();
  }

  function announce(message) {
    var ticket = message.custom && message.custom.ticket;
    var text = ticket ? say(message.language, "ticket_number", { number: ticket.number }) : message.text;
    if (!text) return;
    live.append(element("p", { lang: message.language }, [text]));
    // Only additions are read out; clearing keeps the region short without repeating anything.
    setTimeout(function () { live.textContent = ""; }, 10000);
  }

  // Custom messages other than a ticket are for other clients (e.g. the kiosk's printout).
  function shown(message) {
    return message.from === "visitor" || Boolean(message.text) || Boolean(message.custom && message.custom.ticket);
  }

  // The input invites an answer while the questionnaire asks, a question otherwise.
  function follow(message) {
    if (message.from !== "bot") return;
    answering = Boolean(message.asks);
    input.placeholder = say(message.language, answering ? "placeholder_answer" : "placeholder");
  }

  function onMessage(message) {
    follow(message);
    if (!shown(message)) return;
    renderMessage(message);
    showSuggestions(message);
    if (message.from === "bot") announce(message);
    if (message.from === "visitor") planStart = null;
    else if (message.plan && (message.plan.part === "summary" || message.plan.part === "whole")) {
      planStart = rendered.get(message);
    }
    scrollToLatest();
  }

  function onStatus(status) {
    typing.hidden = !status.waiting;
    error.hidden = !status.failed;
    if (status.language !== language) applyTexts(status.language);
    if (conversation) {
      conversation.history().forEach(function (message) {
        var item = rendered.get(message);
        if (item) item.classList.toggle("failed", Boolean(message.failed));
      });
      scrollToLatest();
    }
  }

  function showHistory() {
    list.textContent = "";
    suggestions = null;
    planStart = null;
    answering = false;
    input.placeholder = t("placeholder");
    var history = conversation.history();
    history.filter(shown).forEach(renderMessage);
    history.forEach(follow);
    if (history.length) showSuggestions(history[history.length - 1]);
    scrollToEnd();
  }

  function greet() {
    conversation.send("/greet", { display: false });
  }

  function start() {
    conversation = Chat.connect({ server: data.server, language: language, storage: storage,
                                  transport: data.transport || "auto", onMessage: onMessage, onStatus: onStatus });
    applyTexts(conversation.language);
    showHistory();
    if (!conversation.history().length) greet();
  }

  /* Opening and closing */

  // A tap on a touch screen leaves the input alone: focusing it would raise the phone's keyboard over
  // the conversation. The mouse and the keyboard get the input, ready to type in.
  var touched = false;
  root.addEventListener("pointerdown", function (event) { touched = event.pointerType !== "mouse"; });
  root.addEventListener("keydown", function () { touched = false; });

  // After a control that goes away (a suggestion, the error's retry): the input, or after a tap the
  // conversation, so that a screen reader keeps its place and no keyboard comes up.
  function focusAfterTap() {
    (touched ? log : input).focus();
  }

  function setOpen(open, moveFocus) {
    if (open && !conversation) start();
    panel.hidden = !open;
    bubble.hidden = open;
    bubble.setAttribute("aria-expanded", String(open));
    if (storage) storage.setItem(OPEN_KEY, open ? "1" : "");
    if (open) scrollToEnd();
    // Opened by a tap, the conversation takes the focus (a screen reader starts there).
    if (moveFocus) (open ? (touched ? log : input) : bubble).focus();
  }

  bubble.addEventListener("click", function () { setOpen(true, true); });
  close.addEventListener("click", function () { setOpen(false, true); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false, true);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    conversation.send(text);
  });

  languageButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.dataset.language !== language) conversation.setLanguage(button.dataset.language);
    });
  });

  restart.addEventListener("click", function () {
    conversation.restart();
    showHistory();
    greet();
    focusAfterTap();
  });

  retry.addEventListener("click", function () {
    conversation.retry();
    focusAfterTap();
  });

  // The phone's keyboard coming up shrinks the visible area: the latest message stays in view, unless
  // the visitor had scrolled back to read (a pinch-zoom resizes the viewport too).
  var atEnd = true;
  log.addEventListener("scroll", function () { atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 8; });
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", function () { if (!panel.hidden && atEnd) scrollToLatest(); });
  }

  function mount() {
    applyTexts(language);
    document.body.append(host);
    // Colours are checked once the probe is in the document, where the browser computes them.
    var colours = chooseColours(input);
    root.style.setProperty("--colour", colours.colour);
    root.style.setProperty("--text", colours.text);
    if (storage && storage.getItem(OPEN_KEY)) setOpen(true, false);
  }

  // A script tag in the <head> without `defer` runs before there is a body.
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
