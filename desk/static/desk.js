/*
 * The desk pages' behaviour: the live queue, claim / release / close, the ticket page and the profile form.
 * Plain JavaScript, no build step; the page gives its texts and data in the JSON block #desk-data.
 *
 * The queue and the ticket page ask the JSON API again every 5 seconds (polling): a plain request gets
 * through any proxy unchanged, and any process of the service can answer it, since all of them read the
 * same database. The queue also listens to the service's server-sent events, which say at once that a
 * ticket arrived or changed; the polling stays, for a stream a proxy holds back.
 *
 * Whatever a visitor typed reaches the page only through textContent and createElement, never innerHTML.
 */
(function () {
  "use strict";

  var POLL_MS = 5000;
  var data = JSON.parse(document.getElementById("desk-data").textContent);

  /* Set once a form the page does not handle itself (such as "log out") is sent: the page is on its way
     out, so a poll that meets the session just closed must not race it to the login page with a
     "come back to" link. The forms handled here call preventDefault before this listener runs. */
  var leaving = false;
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) {
      leaving = true;
    }
  });

  /* The page text `key` with its {placeholders} filled in (the same format as texts.yml on the server). */
  function t(key, values) {
    var text = data.texts[key];
    if (text === undefined) {
      return key;
    }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  /* A new element; `children` are nodes or strings (strings become text nodes). */
  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attributes[name];
      } else {
        node.setAttribute(name, attributes[name]);
      }
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function hiddenText(text) {
    return element("span", {"class": "visually-hidden", text: text});
  }

  /* Calls the JSON API; resolves to {ok, status, body, retryAfter} (status 0 when the service could not be
     reached; retryAfter: the seconds of a 429's Retry-After). */
  function callApi(method, url, body) {
    var options = {method: method, credentials: "same-origin", cache: "no-store",
                   headers: {"Accept": "application/json"}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 401 && !leaving) {
        window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname +
                                                                    window.location.search));
      }
      return response.json().catch(function () { return null; }).then(function (payload) {
        return {ok: response.ok, status: response.status, body: payload,
                retryAfter: Number(response.headers.get("Retry-After")) || null};
      });
    }, function () {
      return {ok: false, status: 0, body: null};
    });
  }

  /* Says in words why an action on a ticket failed; `current` is the ticket as the API sees it now. */
  function refusal(status, ticket, current) {
    if (status === 409 && current && current.status === "closed") {
      return t("errors.already_closed", {number: ticket.number});
    }
    if (status === 409 && current && current.claimed_by) {
      return t("errors.claimed_by_other", {number: ticket.number, login: current.claimed_by});
    }
    if (status === 403) {
      return t("errors.not_yours", {number: ticket.number});
    }
    if (status === 404) {
      return t("errors.not_found", {number: ticket.number});
    }
    if (status === 0) {
      return t("errors.unreachable");
    }
    return t("errors.unexpected", {status: status});
  }

  function setMessage(box, text) {
    box.textContent = text;
  }

  /* A message for a live region; emptied first so that the same words said twice are read twice. */
  function announce(region, text) {
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 100);
  }

  /* Calls claim / release / close on the ticket, then `done(ok)`; a refusal is explained in `messageBox`. */
  function ticketAction(ticket, action, body, messageBox, done) {
    setMessage(messageBox, "");
    callApi("POST", "/api/tickets/" + ticket.id + "/" + action, body).then(function (result) {
      if (result.ok) {
        done(true, result.body);
        return;
      }
      if (result.status === 401) {
        return;
      }
      callApi("GET", "/api/tickets/" + ticket.id).then(function (now) {
        setMessage(messageBox, refusal(result.status, ticket, now.ok ? now.body : null));
        done(false, now.ok ? now.body : null);
      });
    });
  }

  /* The close dialog: asks the outcome, then closes the ticket. One dialog per page, reused. */
  var closeDialog = {
    dialog: document.getElementById("close-dialog"),
    open: function (ticket, messageBox, done) {
      var dialog = this.dialog;
      var form = dialog.querySelector("form");
      var error = dialog.querySelector("[data-dialog-error]");
      form.reset();
      setMessage(error, "");
      dialog.querySelector("[data-dialog-title]").textContent = t("close.title", {number: ticket.number});
      form.onsubmit = function (event) {
        event.preventDefault();
        var outcome = form.elements.outcome.value;
        ticketAction(ticket, "close", {outcome: outcome}, error, function (ok, body) {
          if (ok) {
            dialog.close();
            setMessage(messageBox, "");
          }
          done(ok, body);
        });
      };
      dialog.querySelector("[data-dialog-cancel]").onclick = function () { dialog.close(); };
      dialog.showModal();
    }
  };

  function statusText(ticket) {
    if (ticket.status === "claimed") {
      return ticket.claimed_by === data.me.login ? t("status.claimed_by_you")
                                                  : t("status.claimed_by", {login: ticket.claimed_by});
    }
    return t("status." + ticket.status);
  }

  /* What a successful claim, release or close did, for the pages' status messages. */
  function confirmation(ticket) {
    return t("done." + ticket.status, {number: ticket.number});
  }

  function areaText(ticket) {
    return ticket.area ? t("area." + ticket.area) : t("area.undetermined");
  }

  /* The buttons a counsellor has on a ticket: claim it while it waits; release or close it once theirs. */
  function actionButtons(ticket, messageBox, refresh) {
    var box = element("div", {"class": "actions"});
    function button(action, label, style) {
      var node = element("button", {type: "button", "class": "button " + style,
                                    "data-focus-key": ticket.id + ":" + action},
                         [label, hiddenText(" " + ticket.number)]);
      box.append(node);
      return node;
    }
    if (ticket.status === "waiting") {
      button("claim", t("actions.claim"), "button-primary").addEventListener("click", function () {
        ticketAction(ticket, "claim", undefined, messageBox, refresh);
      });
    } else if (ticket.status === "claimed" && ticket.claimed_by === data.me.login) {
      button("close", t("actions.close"), "button-primary").addEventListener("click", function () {
        closeDialog.open(ticket, messageBox, refresh);
      });
      button("release", t("actions.release"), "button-secondary").addEventListener("click", function () {
        ticketAction(ticket, "release", undefined, messageBox, refresh);
      });
    }
    return box;
  }

  /* Runs `task` now and then POLL_MS after each run ends (never two at once). */
  function every(task) {
    function run() {
      task().catch(function (error) { console.error(error); }).then(function () {
        window.setTimeout(run, POLL_MS);
      });
    }
    run();
  }

  /* Keeps keyboard focus on "the same" control when the rows it sat in are drawn again. */
  function keepingFocus(container, redraw) {
    var active = document.activeElement;
    var key = active && container.contains(active) ? active.getAttribute("data-focus-key") : null;
    redraw();
    if (key && !container.contains(active)) {
      var again = container.querySelector('[data-focus-key="' + key + '"]');
      var row = key.split(":")[0];
      (again || container.querySelector('[data-focus-key="' + row + ':open"]') ||
       document.querySelector("h1")).focus();
    }
  }

  function initQueue() {
    var rows = document.getElementById("queue-rows");
    var table = document.getElementById("queue-table");
    var empty = document.getElementById("queue-empty");
    var summary = document.getElementById("queue-summary");
    var announcer = document.getElementById("queue-announcer");
    var messageBox = document.getElementById("queue-message");
    var connection = document.getElementById("queue-connection");
    var gapsBox = document.getElementById("duty-gaps");
    var whoBox = document.getElementById("duty-who");
    var pageTitle = document.title;
    var known = null;
    var drawn = {};
    var latest = 0;
    var shown = 0;

    function cell(tag, label, children, attributes) {
      var node = element(tag, attributes || {}, children);
      node.setAttribute("data-label", label);
      return node;
    }

    function row(ticket) {
      var numberCell = cell("th", t("queue.column_number"), [
        element("a", {href: "/tickets/" + ticket.id, "class": "ticket-number",
                      "data-focus-key": ticket.id + ":open", text: ticket.number})
      ], {scope: "row"});
      if (ticket.overdue) {
        numberCell.append(element("span", {"class": "badge badge-overdue", text: t("queue.overdue")}));
      }
      return element("tr", {"class": ticket.overdue ? "overdue" : "", "data-ticket": String(ticket.id)}, [
        numberCell,
        cell("td", t("queue.column_language"), [t("language." + ticket.language)]),
        cell("td", t("queue.column_area"), [areaText(ticket)], ticket.area ? {} : {"class": "to-determine"}),
        cell("td", t("queue.column_reason"), [t("reason." + ticket.reason)]),
        cell("td", t("queue.column_waiting"), [t("queue.minutes", {minutes: ticket.waiting_minutes})],
             {"class": "waiting"}),
        cell("td", t("queue.column_status"), [statusText(ticket)]),
        cell("td", t("queue.column_actions"), [actionButtons(ticket, messageBox, afterAction)])
      ]);
    }

    /* Draws again only the rows whose ticket changed, so that a focused button is not taken away. */
    function draw(tickets) {
      var next = {};
      var order = tickets.map(function (ticket) {
        var signature = JSON.stringify([ticket.status, ticket.claimed_by, ticket.overdue, ticket.waiting_minutes,
                                        ticket.area]);
        var old = drawn[ticket.id];
        next[ticket.id] = old && old.signature === signature ? old : {signature: signature, node: row(ticket)};
        return next[ticket.id].node;
      });
      var same = order.length === rows.children.length && order.every(function (node, index) {
        return rows.children[index] === node;
      });
      drawn = next;
      if (!same) {
        keepingFocus(rows, function () { rows.replaceChildren.apply(rows, order); });
      }
      table.hidden = tickets.length === 0;
      empty.hidden = tickets.length > 0;
      var waiting = tickets.filter(function (ticket) { return ticket.status === "waiting"; });
      var overdue = waiting.filter(function (ticket) { return ticket.overdue; });
      summary.textContent = t("queue.summary", {waiting: waiting.length, overdue: overdue.length});
      // The count of waiting visitors shows on the browser tab too.
      document.title = "(" + waiting.length + ") " + pageTitle;
    }

    function announceNew(tickets) {
      var fresh = tickets.filter(function (ticket) { return known && !known.has(ticket.id); });
      known = known || new Set();
      tickets.forEach(function (ticket) { known.add(ticket.id); });
      if (fresh.length) {
        announce(announcer, fresh.map(function (ticket) {
          return t("queue.new_ticket", {number: ticket.number, language: t("language." + ticket.language),
                                        area: areaText(ticket)});
        }).join(" "));
      }
    }

    /* Who is on duty (for managers) and the languages and areas nobody on duty covers while the centre is
       open (for everyone): the list's answer carries both. */
    function drawDuty(list) {
      var gaps = list.uncovered.map(function (gap) {
        return t("language." + gap.language) + " – " + t("area." + gap.area);
      });
      var text = gaps.length ? t("queue.uncovered", {pairs: gaps.join(", ")}) : "";
      if (gapsBox.textContent !== text) {
        setMessage(gapsBox, text);
      }
      if (list.on_duty) {
        whoBox.textContent = list.on_duty.length ? t("queue.on_duty_list", {names: list.on_duty.map(function (c) {
          return c.login + " (" + c.languages.join("/").toUpperCase() + " · " +
                 c.areas.map(function (area) { return t("area." + area); }).join(", ") + ")";
        }).join("; ")}) : t("queue.nobody_on_duty");
      }
    }

    function afterAction(ok, current) {
      if (ok) {
        announce(announcer, confirmation(current));
      }
      refresh();
    }

    function refresh() {
      var asked = ++latest;
      return callApi("GET", "/api/tickets?scope=" + data.scope + "&status=waiting,claimed").then(function (result) {
        if (asked < shown) {
          return;
        }
        shown = asked;
        if (!result.ok) {
          setMessage(connection, result.status === 401 ? "" : t("errors.queue_unavailable"));
          return;
        }
        setMessage(connection, "");
        announceNew(result.body.tickets);
        draw(result.body.tickets);
        drawDuty(result.body);
      });
    }

    every(refresh);
    listenForChanges(refresh);
  }

  /* The queue's changes pushed by the service (server-sent events, desk/routes/queue_events.py): the list
     is fetched again at once. The polling goes on besides: if the stream cannot get through, the page is
     only slower. EventSource opens a new stream by itself when one ends or the network drops, but gives up
     for good on an error answer (a desk restarting behind nginx answers 502 for a while): then the page
     opens a new one itself, a little later each time. Each new stream starts with a refresh, for what
     changed in between. */
  function listenForChanges(refresh) {
    if (!window.EventSource) {
      return;
    }
    var source = null;
    var delay = 5000;
    var timer = null;
    function update() {
      refresh().catch(function (error) { console.error(error); });
    }
    function open() {
      source = new EventSource("/api/tickets/changes");
      source.addEventListener("open", function () {
        delay = 5000;
        update();
      });
      source.addEventListener("change", update);
      source.addEventListener("error", function () {
        if (source.readyState === EventSource.CLOSED) {
          timer = window.setTimeout(open, delay);
          delay = Math.min(delay * 2, 60000);
        }
      });
    }
    open();
    window.addEventListener("pagehide", function () {
      window.clearTimeout(timer);
      source.close();
    });
    // Back to the page from the browser's history: it was kept, its stream was not.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        open();
      }
    });
  }

  function initTicket() {
    var ticket = data.ticket;
    var status = document.getElementById("ticket-status");
    var actions = document.getElementById("ticket-actions");
    var messageBox = document.getElementById("ticket-message");
    var announcer = document.getElementById("ticket-announcer");
    var drawnSignature = null;

    function draw(current) {
      var signature = JSON.stringify([current.status, current.claimed_by]);
      ticket = current;
      status.textContent = statusText(current);
      if (signature !== drawnSignature) {
        drawnSignature = signature;
        keepingFocus(actions, function () {
          actions.replaceChildren(actionButtons(current, messageBox, afterAction));
        });
      }
    }

    function refresh() {
      return callApi("GET", "/api/tickets/" + ticket.id).then(function (result) {
        if (result.ok) {
          draw(result.body);
        }
      });
    }

    function afterAction(ok, current) {
      if (ok) {
        announce(announcer, confirmation(current));
      }
      refresh().then(function () {
        var first = actions.querySelector("button");
        (first || document.querySelector("h1")).focus();
      });
    }

    draw(ticket);
    every(refresh);
  }

  function initProfile() {
    var form = document.getElementById("profile-form");
    var messageBox = document.getElementById("profile-message");
    var savedBox = document.getElementById("profile-saved");
    function checked(name) {
      return Array.prototype.filter.call(form.elements[name], function (box) { return box.checked; })
        .map(function (box) { return box.value; });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var languages = checked("languages");
      if (!languages.length) {
        setMessage(messageBox, t("profile.need_language"));
        form.elements.languages[0].focus();
        return;
      }
      var body = {languages: languages, areas: checked("areas"), on_duty: form.elements.on_duty.checked,
                  ui_language: form.elements.ui_language.value};
      setMessage(messageBox, "");
      setMessage(savedBox, "");
      callApi("PUT", "/api/me", body).then(function (result) {
        if (result.ok && body.ui_language !== data.language) {
          window.location.reload();
        } else if (result.ok) {
          announce(savedBox, t("profile.saved"));
        } else if (result.status !== 401) {
          setMessage(messageBox, result.status === 0 ? t("errors.unreachable")
                                                     : t("errors.unexpected", {status: result.status}));
        }
      });
    });
  }

  /* The counsellor's own password: checked here first (length, the two copies alike), then by the service. */
  function initPasswordForm() {
    var form = document.getElementById("password-form");
    var messageBox = document.getElementById("password-message");
    var doneBox = document.getElementById("password-changed");
    var fields = form.elements;
    function refuse(text, field) {
      setMessage(messageBox, text);
      field.focus();
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      setMessage(messageBox, "");
      setMessage(doneBox, "");
      if (fields.new_password.value.length < data.password_min) {
        return refuse(t("profile.password_short", {min: data.password_min}), fields.new_password);
      }
      if (fields.new_password.value !== fields.new_password_again.value) {
        return refuse(t("profile.password_mismatch"), fields.new_password_again);
      }
      var body = {current_password: fields.current_password.value, new_password: fields.new_password.value};
      callApi("POST", "/api/me/password", body).then(function (result) {
        if (result.ok) {
          form.reset();
          announce(doneBox, t("profile.password_changed"));
        } else if (result.status === 403) {
          refuse(t("profile.password_wrong"), fields.current_password);
        } else if (result.status === 429) {
          refuse(t("profile.password_wait", {seconds: result.retryAfter || 60}), fields.current_password);
        } else if (result.status !== 401) {
          setMessage(messageBox, result.status === 0 ? t("errors.unreachable")
                                                     : t("errors.unexpected", {status: result.status}));
        }
      });
    });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var pages = {queue: initQueue, ticket: initTicket, profile: function () { initProfile(); initPasswordForm(); }};
  var init = pages[document.body.getAttribute("data-page")];
  if (init) {
    init();
  }
})();
