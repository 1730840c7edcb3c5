/* Passerelle chat core, shared by the website widget and the kiosk: the conversation with the Rasa
   server (its standard Socket.IO channel, the REST channel as a fallback), the texts, and the safe
   rendering of the assistant's messages. One global: window.PasserelleChat. */
(function () {
  "use strict";

  var LANGUAGES = ["fr", "nl"];
  var STORAGE_KEY = "passerelle-chat";
  // How long a message waits for the socket before it goes through the REST channel instead.
  var SOCKET_WAIT_MS = 3000;
  // A message the socket took but nothing answered within this goes through REST (in "auto").
  var REPLY_WAIT_MS = 15000;
  var RECONNECT_MAX_MS = 15000;
  var KEPT_MESSAGES = 200;
  var CHOOSE_LANGUAGE = /^\/choose_language\{"language": ?"(fr|nl)"\}$/;
  var URL_PATTERN = /(?:https?:\/\/|www\.)[^\s<>"']+/g;
  // Sentence punctuation after a URL is not part of it.
  var URL_TRAILER = /[.,;:!?)\]»"']+$/;

  function noop() {}

  function pickLanguage(candidate) {
    var code = String(candidate || "").slice(0, 2).toLowerCase();
    return LANGUAGES.indexOf(code) >= 0 ? code : null;
  }

  function newId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  /* A minimal Socket.IO v5 client over the browser's WebSocket (Engine.IO v4, default namespace):
     answers pings, notices a silent server, reconnects with a growing delay. */
  function SocketClient(server, handlers) {
    this.url = server.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket";
    this.handlers = handlers;
    this.ws = null;
    this.connected = false;
    this.attempts = 0;
    this.stopped = false;
    this.open();
  }

  SocketClient.prototype.open = function () {
    var self = this;
    var ws;
    clearTimeout(this.reopenTimer);
    try {
      ws = new WebSocket(this.url);
    } catch (error) {
      this.lost();
      return;
    }
    this.ws = ws;
    ws.onmessage = function (event) { if (self.ws === ws) self.receive(String(event.data)); };
    ws.onclose = function () { if (self.ws === ws) self.lost(); };
  };

  SocketClient.prototype.receive = function (packet) {
    var type = packet.charAt(0);
    if (type === "0") {
      var handshake = JSON.parse(packet.slice(1));
      this.silenceLimit = handshake.pingInterval + handshake.pingTimeout;
      this.expectPing();
      this.ws.send("40");
    } else if (type === "2") {
      this.expectPing();
      this.ws.send("3");
    } else if (type === "1") {
      this.lost();
    } else if (type === "4") {
      this.receiveSocketIO(packet.slice(1));
    }
  };

  SocketClient.prototype.receiveSocketIO = function (packet) {
    var type = packet.charAt(0);
    if (type === "0") {
      this.connected = true;
      this.attempts = 0;
      this.handlers.onConnect();
    } else if (type === "2") {
      // An optional acknowledgement id comes before the JSON array.
      var event = JSON.parse(packet.slice(1).replace(/^\d+/, ""));
      this.handlers.onEvent(event[0], event[1]);
    } else if (type === "1" || type === "4") {
      this.lost();
    }
  };

  SocketClient.prototype.expectPing = function () {
    var self = this;
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(function () { self.lost(); }, this.silenceLimit);
  };

  SocketClient.prototype.emit = function (name, data) {
    this.ws.send("42" + JSON.stringify([name, data]));
  };

  // Forgets the current connection (closing it may take long on a dead network) and plans the next one.
  SocketClient.prototype.lost = function () {
    var ws = this.ws;
    var self = this;
    this.ws = null;
    this.connected = false;
    clearTimeout(this.silenceTimer);
    if (ws && ws.readyState <= 1) ws.close();
    if (this.stopped) return;
    this.handlers.onLost();
    var delay = Math.min(1000 * Math.pow(2, this.attempts), RECONNECT_MAX_MS);
    this.attempts += 1;
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(function () { self.open(); }, delay);
  };

  // A fresh connection at once (a new conversation must not receive the old one's messages).
  SocketClient.prototype.reopen = function () {
    var ws = this.ws;
    this.ws = null;
    this.connected = false;
    clearTimeout(this.silenceTimer);
    if (ws && ws.readyState <= 1) ws.close();
    this.attempts = 0;
    this.open();
  };

  SocketClient.prototype.stop = function () {
    this.stopped = true;
    clearTimeout(this.reopenTimer);
    this.lost();
  };

  /* The assistant's messages from either channel, in one shape. */
  function normalise(raw) {
    var buttons = raw.buttons || raw.quick_replies || [];
    var custom = raw.custom || null;
    // Over Socket.IO a custom message may come as the bare object.
    if (!custom && raw.text === undefined && !buttons.length && !raw.image && !raw.attachment) {
      custom = {};
      Object.keys(raw).forEach(function (key) { if (key !== "recipient_id") custom[key] = raw[key]; });
    }
    return {
      from: "bot",
      text: raw.text || "",
      buttons: buttons.map(function (b) { return { title: String(b.title), payload: String(b.payload) }; }),
      custom: custom,
      // The questionnaire's question this message asks, if it asks one: the visitor is to answer it.
      asks: typeof raw.asks_for === "string" ? raw.asks_for : null,
      // A part of the career plan as data (actions/orientation/plan.py `cards`), shown as a card.
      plan: raw.plan && typeof raw.plan === "object" ? raw.plan : null
    };
  }

  /* One visitor's conversation. See connect() for the options. */
  function Conversation(options) {
    var self = this;
    var served = PasserelleChat.served || {};
    this.server = String(options.server || served.server || "").replace(/\/+$/, "");
    this.initialLanguage = pickLanguage(options.language) || LANGUAGES[0];
    this.storage = options.storage || null;
    this.onMessage = options.onMessage || noop;
    this.onStatus = options.onStatus || noop;
    this.transport = options.transport || "auto";
    var saved = this.load();
    this.senderId = saved ? saved.senderId : newId();
    this.language = saved ? saved.language : this.initialLanguage;
    this.messages = saved ? saved.messages : [];
    this.failed = [];
    this.waiting = false;
    this.awaiting = null;
    this.socketWaiters = [];
    this.queue = Promise.resolve();
    this.connection = this.transport === "rest" ? "rest" : "connecting";
    if (this.transport !== "rest") {
      this.socket = new SocketClient(this.server, {
        onConnect: function () { self.socket.emit("session_request", { session_id: self.senderId }); },
        onEvent: function (name, data) { self.socketEvent(name, data); },
        onLost: function () { self.socketLost(); }
      });
      this.startSocketWindow();
    }
  }

  Conversation.prototype.load = function () {
    if (!this.storage) return null;
    try {
      var saved = JSON.parse(this.storage.getItem(STORAGE_KEY));
      return saved && saved.senderId && pickLanguage(saved.language) && Array.isArray(saved.messages) ? saved : null;
    } catch (error) {
      return null;
    }
  };

  Conversation.prototype.save = function () {
    if (!this.storage) return;
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(
        { senderId: this.senderId, language: this.language, messages: this.messages.slice(-KEPT_MESSAGES) }));
    } catch (error) {
      // Storage full or refused: the conversation goes on, it just will not survive a page change.
    }
  };

  Conversation.prototype.status = function () {
    this.onStatus({ connection: this.connection, waiting: this.waiting, failed: this.failed.length > 0,
                    language: this.language });
  };

  // In "auto", the REST channel takes over if the socket is not confirmed within SOCKET_WAIT_MS.
  Conversation.prototype.startSocketWindow = function () {
    var self = this;
    this.connection = "connecting";
    clearTimeout(this.windowTimer);
    this.windowTimer = setTimeout(function () {
      if (self.connection !== "connecting") return;
      self.connection = self.transport === "auto" ? "rest" : "offline";
      self.releaseSocketWaiters(false);
      self.status();
    }, SOCKET_WAIT_MS);
    this.status();
  };

  Conversation.prototype.socketEvent = function (name, data) {
    if (name === "session_confirm") {
      clearTimeout(this.windowTimer);
      this.connection = "socket";
      this.releaseSocketWaiters(true);
      this.status();
    } else if (name === "bot_uttered" && data) {
      this.receive(data);
    }
  };

  Conversation.prototype.socketLost = function () {
    var awaiting = this.awaiting;
    if (this.connection !== "connecting") {
      this.connection = this.transport === "auto" ? "rest" : "offline";
    }
    this.status();
    // The answer to a message sent just before the drop would be lost with the socket.
    if (awaiting) this.sendAgain(awaiting);
  };

  // Nothing came back for a message the socket took. In "auto" the REST channel takes over for good
  // (the socket is closed, so a late answer cannot come twice).
  Conversation.prototype.replyMissing = function () {
    var awaiting = this.awaiting;
    this.setWaiting(false);
    if (!awaiting) return;  // a REST request answers or fails by itself
    if (this.transport === "auto") {
      this.socket.stop();
      this.socket = null;
      this.connection = "rest";
    }
    this.sendAgain(awaiting);
  };

  Conversation.prototype.sendAgain = function (outgoing) {
    this.awaiting = null;
    if (this.transport === "auto") this.deliver(outgoing);
    else this.fail(outgoing);
  };

  Conversation.prototype.releaseSocketWaiters = function (ready) {
    var waiters = this.socketWaiters;
    this.socketWaiters = [];
    waiters.forEach(function (resolve) { resolve(ready); });
  };

  // Resolves true when a message can go through the socket, false when it must go through REST.
  Conversation.prototype.socketReady = function () {
    var self = this;
    if (!this.socket) return Promise.resolve(false);
    if (this.connection === "socket") return Promise.resolve(true);
    if (this.connection === "rest") return Promise.resolve(false);
    return new Promise(function (resolve) {
      // In "socketio" mode a dropped socket gets one more window to come back.
      if (self.connection === "offline") {
        setTimeout(function () { resolve(self.connection === "socket"); }, SOCKET_WAIT_MS);
      }
      self.socketWaiters.push(resolve);
    });
  };

  Conversation.prototype.add = function (message) {
    message.at = Date.now();
    message.language = this.language;
    this.messages.push(message);
    this.save();
    this.onMessage(message);
    return message;
  };

  Conversation.prototype.setWaiting = function (waiting) {
    var self = this;
    clearTimeout(this.replyTimer);
    if (waiting) this.replyTimer = setTimeout(function () { self.replyMissing(); }, REPLY_WAIT_MS);
    if (this.waiting !== waiting) {
      this.waiting = waiting;
      this.status();
    }
  };

  /* Sends `text` (a message or a /payload). The visitor's message shows as options.display, or as the
     text itself; display: false shows nothing. Resolves true once delivered, false if it failed (it
     is then kept for retry()). */
  Conversation.prototype.send = function (text, options) {
    var display = (options || {}).display;
    var chosen = CHOOSE_LANGUAGE.exec(text);
    if (chosen && chosen[1] !== this.language) {
      this.language = chosen[1];
      this.save();
      this.status();
    }
    var message = display === false ? null
      : this.add({ from: "visitor", text: display || text, buttons: [], custom: null });
    return this.deliver({ text: text, message: message, senderId: this.senderId,
                          metadata: { language: this.language } });
  };

  Conversation.prototype.deliver = function (outgoing) {
    var self = this;
    this.setWaiting(true);
    var delivered = this.queue.then(function () {
      return self.socketReady();
    }).then(function (socket) {
      if (outgoing.senderId !== self.senderId) return true;  // restarted meanwhile
      if (socket) {
        self.awaiting = outgoing;
        self.socket.emit("user_uttered",
                         { message: outgoing.text, session_id: outgoing.senderId, metadata: outgoing.metadata });
        return true;
      }
      if (self.transport === "socketio") throw new Error("socket unavailable");
      return self.post(outgoing);
    }).then(function () {
      return true;
    }, function () {
      self.fail(outgoing);
      return false;
    });
    this.queue = delivered;
    return delivered;
  };

  Conversation.prototype.post = function (outgoing) {
    var self = this;
    return fetch(this.server + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: outgoing.senderId, message: outgoing.text, metadata: outgoing.metadata })
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (replies) {
      if (outgoing.senderId !== self.senderId) return;
      self.setWaiting(false);
      replies.forEach(function (raw) { self.receive(raw); });
    });
  };

  Conversation.prototype.receive = function (raw) {
    this.awaiting = null;
    // The assistant names the language it answered in: when the visitor wrote in the other one, it
    // switched, and the page follows (its own words, and the language sent with the next messages).
    var spoken = pickLanguage(raw.language);
    var switched = spoken !== null && spoken !== this.language;
    if (switched) this.language = spoken;
    this.setWaiting(false);
    this.add(normalise(raw));
    if (switched) this.status();
  };

  Conversation.prototype.fail = function (outgoing) {
    if (outgoing.senderId !== this.senderId) return;
    if (outgoing.message) {
      outgoing.message.failed = true;
      this.save();
    }
    this.failed.push(outgoing);
    this.setWaiting(false);
    this.status();
  };

  // Sends again, in order, the messages that could not be delivered.
  Conversation.prototype.retry = function () {
    var self = this;
    var failed = this.failed;
    this.failed = [];
    if (this.socket && !this.socket.connected) this.socket.reopen();
    failed.forEach(function (outgoing) {
      if (outgoing.message) delete outgoing.message.failed;
      self.save();
      self.deliver(outgoing);
    });
    this.status();
  };

  Conversation.prototype.reset = function (language) {
    this.senderId = newId();
    this.language = language;
    this.messages = [];
    this.failed = [];
    this.awaiting = null;
    this.setWaiting(false);
    if (this.socket) {
      this.socket.reopen();
      this.startSocketWindow();
    }
    this.status();
  };

  Conversation.prototype.history = function () {
    return this.messages.slice();
  };

  // Asks the assistant to answer in `language` from now on.
  Conversation.prototype.setLanguage = function (language) {
    return this.send('/choose_language{"language": "' + pickLanguage(language) + '"}', { display: false });
  };

  // A new conversation (new sender id, empty history), in the same language.
  Conversation.prototype.restart = function () {
    this.reset(this.language);
    this.save();
  };

  // Forgets everything, stored copy included, and starts over in the first language.
  Conversation.prototype.wipe = function () {
    this.reset(this.initialLanguage);
    if (this.storage) this.storage.removeItem(STORAGE_KEY);
  };

  Conversation.prototype.close = function () {
    clearTimeout(this.windowTimer);
    clearTimeout(this.replyTimer);
    if (this.socket) this.socket.stop();
  };

  /* The text of a message as DOM nodes (never HTML): line breaks kept, URLs as links ("anchor") or,
     where visitors must not leave the page (the kiosk), as plain text with a QR code ("text"), or on
     paper as the site's name with a QR code ("qr").
     options.newWindow: words for screen readers inside each link, e.g. "(opens in a new tab)";
     options.lang: the text's language, for its typography. */
  function renderText(text, options) {
    var links = (options && options.links) || "anchor";
    var fragment = document.createDocumentFragment();
    String(text).split("\n").forEach(function (line, index) {
      if (index) fragment.appendChild(document.createElement("br"));
      var last = 0;
      var match;
      URL_PATTERN.lastIndex = 0;
      while ((match = URL_PATTERN.exec(line))) {
        var url = match[0].replace(URL_TRAILER, "");
        fragment.appendChild(document.createTextNode(typeset(line.slice(last, match.index), (options || {}).lang)));
        fragment.appendChild(renderLink(url, links, options || {}));
        last = match.index + url.length;
        URL_PATTERN.lastIndex = last;
      }
      fragment.appendChild(document.createTextNode(typeset(line.slice(last), (options || {}).lang)));
    });
    return fragment;
  }

  // French puts a space before ? ! ; : » and after «, and that space never starts a line: the
  // punctuation stays with its word (a narrow no-break space, a full one before the colon and inside
  // the quotes). Links are left as they are.
  function typeset(text, lang) {
    if (lang !== "fr") return text;
    return text
      .replace(/ ([?!;])/g, "\u202f$1")
      .replace(/ ([:»])/g, "\u00a0$1")
      .replace(/« /g, "«\u00a0");
  }

  function siteName(href) {
    try {
      return new URL(href).hostname.replace(/^www\./, "");
    } catch (error) {
      return href;
    }
  }

  function renderLink(url, links, options) {
    var href = /^www\./.test(url) ? "https://" + url : url;
    if (links === "text" || links === "qr") {
      var span = document.createElement("span");
      span.className = "link-text";
      // "qr" (paper): the site's name and the code; "text" (screen): the whole address and the code.
      span.textContent = links === "qr" ? siteName(href) : url;
      var qr = document.createElement("img");
      qr.className = "link-qr";
      qr.src = "/kiosk/qr.svg?text=" + encodeURIComponent(href);
      qr.alt = "";  // the address is in the text next to it
      span.appendChild(qr);
      return span;
    }
    var anchor = document.createElement("a");
    anchor.href = href;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    anchor.textContent = url;
    if (options.newWindow) {
      var hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " " + options.newWindow;
      anchor.appendChild(hint);
    }
    return anchor;
  }

  /* A part of the career plan (message.plan) as a card's content: the profile, a step with its reason and
     its sheets (a large link each, the organisations behind a disclosure), the interests, the closing
     line. options as for renderText; "whole" (the plan to keep) is its text, the page adds its controls. */
  function renderPlanCard(card, text, options) {
    var say = texts("core", options.lang);
    var words = function (value) { return typeset(String(value), options.lang); };
    if (card.part === "summary") {
      return [element("h3", { "class": "plan-title" }, [words(card.title)]), element("p", {}, [words(card.summary)]),
              element("p", { "class": "plan-next" }, [words(card.next)])];
    }
    if (card.part === "step") {
      var resources = (card.resources || []).map(function (resource) {
        var link = renderLink(String(resource.url), options.links || "anchor", options);
        if (link.tagName === "A") link.textContent = resource.title;
        if (link.tagName === "A" && options.newWindow) {
          link.append(element("span", { "class": "visually-hidden" }, [" " + options.newWindow]));
        }
        var names = (resource.organisations || []).map(function (name) { return element("li", {}, [String(name)]); });
        var more = element("details", {}, [
          element("summary", {}, [say("plan_organisations", { count: names.length })]),
          element("ul", {}, names)
        ]);
        var heading = link.tagName === "A" ? [link] : [element("span", { "class": "resource-title" }, [resource.title]), link];
        return element("li", {}, heading.concat([more]));
      });
      return [element("h4", {}, [words(card.number + ". " + card.step)]), element("p", {}, [words(card.reason)]),
              element("ul", { "class": "plan-resources" }, resources)];
    }
    if (card.part === "interests") {
      return [element("h4", {}, [words(card.title)]),
              element("ul", {}, (card.lines || []).map(function (line) { return element("li", {}, [words(line)]); }))];
    }
    return [element("p", {}, [renderText(text, options)])];
  }

  /* The buttons of a bot message, each made by make(title) in the page's own style, wired to
     send(payload, display, event). Buttons whose payload is "+<activity>" (the questionnaire's
     activities) are picked several at a time (aria-pressed, class "pick"); the one whose payload is "+"
     alone (class "confirm") sends those picked in one message ("+social_help +artistic_create", or "+"
     for none). A client with one-tap buttons (rasa-webchat) sends one activity, or none, the same way. */
  var PICK = /^\+\w+$/;

  function choiceButtons(message, make, send) {
    var say = texts("core", message.language);
    var chosen = [];
    var confirm = null;
    return message.buttons.map(function (choice) {
      var button = make(choice.title);
      if (PICK.test(choice.payload)) {
        button.classList.add("pick");
        button.setAttribute("aria-pressed", "false");
        button.addEventListener("click", function () {
          var index = chosen.indexOf(choice);
          if (index >= 0) chosen.splice(index, 1);
          else chosen.push(choice);
          button.setAttribute("aria-pressed", String(index < 0));
          if (confirm) {
            confirm.button.textContent = chosen.length
              ? say("picked_count", { title: confirm.title, count: chosen.length }) : confirm.title;
          }
        });
      } else if (choice.payload === "+") {
        confirm = { button: button, title: choice.title };
        button.classList.add("confirm");
        button.addEventListener("click", function (event) {
          var inOrder = message.buttons.filter(function (b) { return chosen.indexOf(b) >= 0; });
          if (!inOrder.length) return send("+", say("none_picked"), event);
          // The activities' names hold commas: semicolons keep them apart (with French spacing).
          var names = inOrder.map(function (b) { return b.title; });
          send(inOrder.map(function (b) { return b.payload; }).join(" "),
               names.join(message.language === "fr" ? "\u202f; " : "; "), event);
        });
      } else {
        button.addEventListener("click", function (event) { send(choice.payload, choice.title, event); });
      }
      return button;
    });
  }

  /* texts("widget", "nl")("send") → the UI section's text, else the core's, {placeholders} filled in. */
  function texts(section, language) {
    var all = (PasserelleChat.served || {}).texts || {};
    return function (key, values) {
      var own = (all[section] || {})[language] || {};
      var template = key in own ? own[key] : ((all.core || {})[language] || {})[key];
      if (template === undefined) return key;
      return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
        return values && name in values ? String(values[name]) : whole;
      });
    };
  }

  /* A new element with its attributes and children (nodes or plain text, never markup). */
  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) { node.append(child); });
    return node;
  }

  var PasserelleChat = window.PasserelleChat = {
    LANGUAGES: LANGUAGES,
    /* connect({server, language, storage, onMessage, onStatus, transport}) → a Conversation.
       server: Rasa's address (default: the one the web service wrote in); language: "fr" | "nl";
       storage: sessionStorage to survive page changes, or null (memory only);
       onMessage(message): {from: "bot"|"visitor", text, buttons, custom, asks, plan, at, language, failed?};
       onStatus(status): {connection: "connecting"|"socket"|"rest"|"offline", waiting, failed, language};
       transport: "auto" (default), "socketio" or "rest". */
    connect: function (options) { return new Conversation(options || {}); },
    renderText: renderText,
    typeset: typeset,
    choiceButtons: choiceButtons,
    renderPlanCard: renderPlanCard,
    element: element,
    texts: texts,
    pickLanguage: pickLanguage,
    served: null
  };
})();
