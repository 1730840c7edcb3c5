"""The website widget on its demo page, in Chromium, against the whole running assistant.

The demo page comes from the stack's web service: Rasa's Socket.IO channel accepts browsers from
that origin only. The widget lives in an open shadow root, which Playwright's CSS locators pierce.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.conftest import axe_violations, screenshot

pytestmark = pytest.mark.servers

REPLY = 30_000  # ms: the first turns of a fresh Rasa server can be slow
DEFAULT_COLOUR = "rgb(10, 77, 140)"
LANGUAGES = {
    "fr": {
        "greeting": "Bonjour, je suis Passerelle",
        "button": "Infos pratiques",
        "question": "Comment m'inscrire chez Actiris ?",
        "link": "https://www.actiris.brussels",
        "input_label": "Votre message",
        "send": "Envoyer",
        "restart": "Nouvelle conversation",
        "other": "nl",
    },
    "nl": {
        "greeting": "Hallo, ik ben Passerelle",
        "button": "Praktische info",
        # ("Hoe schrijf ik me in bij VDAB?" now gets a fair choice: Brussels residents register at Actiris.)
        "question": "Kan ik een opleiding volgen bij VDAB als ik werkloos ben?",
        "link": "https://www.vdab.be",
        "input_label": "Je bericht",
        "send": "Versturen",
        "restart": "Nieuw gesprek",
        "other": "fr",
    },
}
# The first words of the assistant's answer to a language switch (bot/language responses).
SWITCHED = {"fr": re.compile(r"fran[cç]ais", re.I), "nl": re.compile(r"Nederlands", re.I)}


def page_in(context) -> Iterator[Page]:
    """A page of `context` that fails its test on any script error."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
    assert not page.errors, page.errors


@pytest.fixture
def page(browser, servers) -> Iterator[Page]:
    yield from page_in(browser.new_context(base_url=servers.web.address, viewport={"width": 1280, "height": 800}))


def demo(page: Page, lang: str = "fr", transport: str | None = None, path: str = "/widget/demo") -> None:
    page.goto(f"{path}?lang={lang}" + (f"&transport={transport}" if transport else ""))


def open_widget(page: Page, greeting: str) -> None:
    page.locator(".bubble").click()
    expect(page.locator(".from-bot").first).to_contain_text(greeting, timeout=REPLY)


def stored(page: Page) -> dict:
    return json.loads(page.evaluate("sessionStorage.getItem('passerelle-chat')") or "null")


def focused(page: Page) -> str | None:
    """The class or id of the focused element inside the widget, None when the focus is elsewhere."""
    return page.evaluate("""() => {
        const host = document.activeElement;
        if (!host || host.id !== 'passerelle-widget' || !host.shadowRoot.activeElement) return null;
        const inner = host.shadowRoot.activeElement;
        return inner.id || inner.className;
    }""")


def send(page: Page, text: str) -> None:
    page.locator("#message").fill(text)
    page.locator(".send").click()


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_a_conversation_in_the_pages_language(page, lang):
    words, other = LANGUAGES[lang], LANGUAGES[LANGUAGES[lang]["other"]]
    rest_calls = []
    page.on("request", lambda request: rest_calls.append(request.url) if "/webhooks/rest/" in request.url else None)
    demo(page, lang)
    open_widget(page, words["greeting"])
    assert focused(page) == "message"
    expect(page.locator(".widget")).to_have_attribute("lang", lang)
    expect(page.locator(".from-bot").first).to_have_attribute("lang", lang)

    # A button: shown as the visitor's message, and the greeting's buttons are gone.
    page.locator(".suggestions button", has_text=words["button"]).click()
    expect(page.locator(".from-visitor").last).to_contain_text(words["button"])
    expect(page.locator(".suggestions button", has_text=words["button"])).to_have_count(0)
    expect(page.locator(".from-bot")).not_to_have_count(1, timeout=REPLY)

    # A typed question: the answer's link is a safe link that opens elsewhere.
    send(page, words["question"])
    link = page.locator(f".from-bot a[href^='{words['link']}']").first
    expect(link).to_be_visible(timeout=REPLY)
    assert link.get_attribute("target") == "_blank"
    assert set(link.get_attribute("rel").split()) == {"noopener", "noreferrer"}
    expect(page.locator("#message")).to_have_value("")

    # The language switch: the assistant's next message and the widget's own words change.
    bot_messages = page.locator(".from-bot").count()
    page.locator(f".languages button[data-language='{words['other']}']").click()
    expect(page.locator(".from-bot").nth(bot_messages)).to_have_attribute("lang", words["other"], timeout=REPLY)
    expect(page.locator(".from-bot").nth(bot_messages)).to_contain_text(SWITCHED[words["other"]])
    expect(page.locator(".widget")).to_have_attribute("lang", words["other"])
    expect(page.locator("label[for='message']")).to_have_text(other["input_label"])
    expect(page.locator(".send")).to_have_text(other["send"])
    switch = page.locator(f".languages button[data-language='{words['other']}']")
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert stored(page)["language"] == words["other"]

    # Restart: a new sender, an empty history, and a new greeting (in the language now chosen).
    sender = stored(page)["senderId"]
    page.locator(".restart", has_text=other["restart"]).click()
    expect(page.locator(".message")).to_have_count(1, timeout=REPLY)
    expect(page.locator(".from-bot")).to_contain_text(other["greeting"])
    assert stored(page)["senderId"] != sender
    assert len(stored(page)["messages"]) == 1
    assert rest_calls == [], "with a working socket, everything goes through Socket.IO"


def test_the_live_region_reads_each_assistant_message_once(page):
    demo(page)
    open_widget(page, LANGUAGES["fr"]["greeting"])
    live = page.locator("[aria-live='polite']")
    expect(live).to_contain_text(LANGUAGES["fr"]["greeting"])
    assert live.locator("p").count() == 1
    assert page.locator(".log").get_attribute("aria-live") is None


def test_the_conversation_follows_the_visitor_through_the_site_and_no_further(page, browser, servers):
    demo(page)
    open_widget(page, LANGUAGES["fr"]["greeting"])
    send(page, "bonjour")
    expect(page.locator(".from-bot")).to_have_count(2, timeout=REPLY)
    before = stored(page)

    page.get_by_role("link", name="Ateliers").click()
    expect(page).to_have_url(re.compile(r"/widget/demo/workshops"))
    expect(page.locator(".panel")).to_be_visible()
    expect(page.locator(".message")).to_have_count(len(before["messages"]))
    expect(page.locator(".from-visitor")).to_have_text(re.compile("bonjour"))
    assert stored(page)["senderId"] == before["senderId"]
    # The socket is back for the same conversation.
    send(page, "merci")
    expect(page.locator(".from-bot")).to_have_count(len(before["messages"]), timeout=REPLY)
    assert stored(page)["senderId"] == before["senderId"]
    assert page.evaluate("localStorage.length") == 0 and page.evaluate("document.cookie") == ""
    assert page.context.cookies() == []

    fresh = browser.new_context(base_url=servers.web.address).new_page()
    try:
        demo(fresh)
        expect(fresh.locator(".bubble")).to_be_visible()
        expect(fresh.locator(".panel")).to_be_hidden()
        assert stored(fresh) is None
        open_widget(fresh, LANGUAGES["fr"]["greeting"])
        assert stored(fresh)["senderId"] != before["senderId"]
        expect(fresh.locator(".message")).to_have_count(1)
    finally:
        fresh.context.close()


def test_the_rest_channel_takes_over_when_the_socket_is_blocked(page):
    sockets: list[str] = []

    def refuse(socket: WebSocketRoute) -> None:
        sockets.append(socket.url)
        socket.close()

    page.route_web_socket(re.compile(r"/socket\.io/"), refuse)
    demo(page, "nl")
    open_widget(page, LANGUAGES["nl"]["greeting"])
    send(page, LANGUAGES["nl"]["question"])
    expect(page.locator(f".from-bot a[href^='{LANGUAGES['nl']['link']}']").first).to_be_visible(timeout=REPLY)
    assert sockets, "the widget should have tried the socket first"


def test_the_rest_channel_takes_over_when_the_socket_drops(page):
    sockets = []

    def first_one_only(socket):
        sockets.append(socket)
        if len(sockets) == 1:
            socket.connect_to_server()
        else:
            socket.close()

    page.route_web_socket(re.compile(r"/socket\.io/"), first_one_only)
    demo(page)
    open_widget(page, LANGUAGES["fr"]["greeting"])
    sockets[0].close()
    send(page, LANGUAGES["fr"]["question"])
    expect(page.locator(f".from-bot a[href^='{LANGUAGES['fr']['link']}']").first).to_be_visible(timeout=REPLY)


def test_the_socketio_transport_alone(page):
    rest_calls = []
    page.on("request", lambda request: rest_calls.append(request.url) if "/webhooks/rest/" in request.url else None)
    demo(page, "nl", transport="socketio")
    open_widget(page, LANGUAGES["nl"]["greeting"])
    page.locator(".suggestions button", has_text="Praktische info").click()
    expect(page.locator(".from-bot")).not_to_have_count(1, timeout=REPLY)
    assert rest_calls == []


def test_the_rest_transport_alone(page):
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    demo(page, "fr", transport="rest")
    open_widget(page, LANGUAGES["fr"]["greeting"])
    page.locator(".suggestions button", has_text="Infos pratiques").click()
    expect(page.locator(".from-bot")).to_have_count(2, timeout=REPLY)
    assert sockets == []


def test_a_ticket_number_is_shown_in_large_type(page):
    demo(page)
    open_widget(page, LANGUAGES["fr"]["greeting"])
    page.locator(".suggestions button", has_text="Parler à un conseiller").click()
    number = page.locator(".ticket-number")
    expect(number).to_have_text(re.compile(r"^Votre numéro\u00a0: FR-\d{3}$"), timeout=REPLY)
    # The number is one word: a line never breaks after its hyphen.
    assert number.locator(".number").evaluate("n => getComputedStyle(n).whiteSpace") == "nowrap"
    assert float(number.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) >= 24
    # The messages after the ticket still arrive.
    expect(page.locator(".from-bot").last).to_contain_text("1 (pas du tout)", timeout=REPLY)


def test_an_unreachable_server_keeps_the_message_and_sends_it_on_retry(page, servers):
    page.route(f"{servers.rasa_url}/webhooks/rest/webhook", lambda route: route.abort())
    demo(page, "fr", transport="rest")
    page.locator(".bubble").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Impossible de joindre l'assistant")
    send(page, "Comment m'inscrire chez Actiris ?")
    expect(page.locator(".from-visitor.failed")).to_contain_text("(non envoyé)")

    page.unroute(f"{servers.rasa_url}/webhooks/rest/webhook")
    alert.get_by_role("button", name="Réessayer").click()
    expect(alert).to_be_hidden()
    expect(page.locator(".from-visitor.failed")).to_have_count(0)
    # The greeting and the question went through, in their order.
    expect(page.locator(".from-bot").first).to_contain_text(LANGUAGES["fr"]["greeting"], timeout=REPLY)
    expect(page.locator(".from-bot a[href^='https://www.actiris.brussels']").first).to_be_visible(timeout=REPLY)


def test_keyboard_only(page):
    demo(page)
    for _ in range(20):
        page.keyboard.press("Tab")
        if focused(page) == "bubble":
            break
    assert focused(page) == "bubble"
    expect(page.locator(".bubble")).to_have_attribute("aria-label", "Ouvrir le chat de la Cité des métiers")

    page.keyboard.press("Enter")
    assert focused(page) == "message"
    expect(page.locator(".from-bot").first).to_contain_text(LANGUAGES["fr"]["greeting"], timeout=REPLY)
    page.keyboard.type("Comment m'inscrire chez Actiris ?")
    page.keyboard.press("Enter")
    expect(page.locator(".from-visitor")).to_have_text(re.compile("Actiris"))
    expect(page.locator(".from-bot a").first).to_be_visible(timeout=REPLY)

    # The buttons are reachable from the input with Shift+Tab.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.closest('.suggestions') !== null")

    page.keyboard.press("Escape")
    expect(page.locator(".panel")).to_be_hidden()
    assert focused(page) == "bubble"


@pytest.fixture
def phone(browser, servers) -> Iterator[Page]:
    """A phone: a touch screen 390 px wide, whose taps are touch events."""
    yield from page_in(
        browser.new_context(
            base_url=servers.web.address, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
        )
    )


def test_on_a_phone_a_tap_never_raises_the_keyboard(phone):
    demo(phone)
    phone.locator(".bubble").tap()
    expect(phone.locator(".from-bot").first).to_contain_text(LANGUAGES["fr"]["greeting"], timeout=REPLY)
    # Opened by a tap, the conversation has the focus, not the input (which would raise the keyboard).
    assert focused(phone) == "log"
    phone.locator(".suggestions button", has_text="Infos pratiques").tap()
    expect(phone.locator(".from-bot")).to_have_count(2, timeout=REPLY)
    # The tapped button is gone with its message's buttons: the conversation keeps the focus.
    assert focused(phone) == "log"


def tap(page: Page, title: str) -> None:
    page.locator(".suggestions button", has_text=title).first.tap()


def top(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"]


def asked(page: Page, progress: str) -> None:
    expect(page.locator(".from-bot").last).to_contain_text(progress, timeout=REPLY)


def test_on_a_phone_the_whole_questionnaire_takes_twelve_messages_with_buttons(phone):
    demo(phone)
    phone.locator(".bubble").tap()
    expect(phone.locator(".from-bot").first).to_contain_text(LANGUAGES["fr"]["greeting"], timeout=REPLY)
    screenshot(phone, "phone-fr-1-welcome")
    expect(phone.locator("#message")).to_have_attribute("placeholder", "Écrivez votre question…")
    tap(phone, "Faire le point (11 questions)")
    asked(phone, "Question 1 sur 11")
    expect(phone.locator("#message")).to_have_attribute("placeholder", "Écrivez votre réponse…")
    screenshot(phone, "phone-fr-2-first-question")
    for number, choice in enumerate(
        ["Chercheur d'emploi inscrit", "18 à 25 ans", "Diplôme du secondaire", "Formation"]
    ):
        tap(phone, choice)
        asked(phone, f"Question {number + 2} sur 11")
    phone.locator("#message").fill("devenir électricien")
    phone.locator(".send").tap()
    asked(phone, "Question 6 sur 11")
    # The activities: several picked, then confirmed in one message; a tap raises no keyboard.
    for activity in ["Réparer ou construire", "Comprendre comment"]:
        tap(phone, activity)
    picks = phone.locator(".suggestions .pick[aria-pressed='true']")
    expect(picks).to_have_count(2)
    expect(phone.locator(".suggestions .confirm")).to_have_text("Valider (2)")
    assert focused(phone) != "message"
    assert not axe_violations(phone, "#passerelle-widget")
    screenshot(phone, "phone-fr-3-activities-picked")
    tap(phone, "Valider")
    asked(phone, "Question 7 sur 11")
    expect(phone.locator(".from-visitor").last).to_contain_text(
        "Réparer ou construire des choses avec mes mains\u202f; Comprendre comment les choses fonctionnent"
    )
    tap(phone, "Valider")  # none of these
    asked(phone, "Question 8 sur 11")
    expect(phone.locator(".from-visitor").last).to_have_text(re.compile("Aucune de ces activités"))
    for number, choice in enumerate(["Français et néerlandais", "Temps plein", "Plutôt à Bruxelles"]):
        tap(phone, choice)
        asked(phone, f"Question {number + 9} sur 11")
    tap(phone, "En français")
    expect(phone.locator(".from-bot").nth(-2)).to_contain_text("Voici ce que j'ai noté", timeout=REPLY)
    summary = phone.locator(".from-bot").nth(-2).inner_text()
    assert re.search("Centres d'intérêt\\s: concret et manuel, curieux et analytique", summary), summary
    expect(phone.locator("#message")).to_have_attribute("placeholder", "Écrivez votre question…")
    screenshot(phone, "phone-fr-4-summary")
    # From the request to the summary: the request and eleven answers, all but the goal tapped.
    assert phone.locator(".from-visitor").count() == 12
    tap(phone, "Oui, voir mon plan")
    expect(phone.locator(".suggestions button", has_text="Voir un conseiller")).to_be_attached(timeout=REPLY)
    # The plan: one card per part, the view on its first card (its title), not on the last line.
    cards = phone.locator(".plan-card")
    assert cards.count() >= 5 and "Votre plan personnel" in cards.first.inner_text()
    assert abs(top(phone, ".plan-summary") - top(phone, ".log")) < 40
    step = phone.locator(".plan-step").first
    link = step.locator(".plan-resources a").first
    assert link.bounding_box()["height"] >= 44
    assert step.locator("details").first.get_attribute("open") is None  # organisations behind "more"
    screenshot(phone, "phone-fr-5-plan")
    # Keeping it: copy, and its page (the answers chosen in the link, nothing typed).
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    tap(phone, "Garder mon plan")
    keep = phone.locator(".plan-whole")
    expect(keep).to_be_visible(timeout=REPLY)
    keep.get_by_role("button", name="Copier le plan").tap()
    expect(keep.get_by_role("button", name="Plan copié")).to_be_visible()
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Votre plan personnel") and "devenir électricien" in copied
    page_link = keep.locator("a.keep-page").get_attribute("href")
    assert "/plan?lang=fr&situation=jobseeker_registered" in page_link and "electricien" not in page_link
    screenshot(phone, "phone-fr-6-keep")
    phone.goto(page_link)
    expect(phone.locator("h1")).to_have_text("Votre plan personnel")
    assert phone.locator(".steps > .card").count() >= 3
    screenshot(phone, "phone-fr-7-plan-page")


def test_french_punctuation_stays_with_its_word(page):
    demo(page)
    open_widget(page, LANGUAGES["fr"]["greeting"])
    greeting = page.locator(".from-bot").first.inner_text()
    assert "faire\u202f?" in greeting and " ?" not in greeting
    demo(page, "nl")
    page.evaluate("sessionStorage.clear()")
    demo(page, "nl")
    open_widget(page, LANGUAGES["nl"]["greeting"])
    assert "\u202f" not in page.locator(".from-bot").first.inner_text()


def test_the_widget_follows_a_language_the_visitor_switches_to_by_writing(page):
    demo(page, "fr")
    open_widget(page, LANGUAGES["fr"]["greeting"])
    send(page, "Hoe schrijf ik me in als werkzoekende in Brussel?")
    expect(page.locator(".from-bot").last).to_have_attribute("lang", "nl", timeout=REPLY)
    expect(page.locator(".widget")).to_have_attribute("lang", "nl")
    expect(page.locator(".languages button[data-language='nl']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("label[for='message']")).to_have_text(LANGUAGES["nl"]["input_label"])
    assert stored(page)["language"] == "nl"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 360, "height": 640}])
def test_no_serious_accessibility_problem(page, viewport):
    page.set_viewport_size(viewport)
    demo(page)
    open_widget(page, LANGUAGES["fr"]["greeting"])
    send(page, "Comment m'inscrire chez Actiris ?")
    expect(page.locator(".from-bot a").first).to_be_visible(timeout=REPLY)
    assert axe_violations(page, "#passerelle-widget") == []
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 360, "height": 640},  # a phone
        {"width": 640, "height": 400},  # 1280 × 800 at 200 % zoom
    ],
)
def test_narrow_or_zoomed_screens_get_a_full_window_panel(page, viewport):
    page.set_viewport_size(viewport)
    demo(page)
    open_widget(page, LANGUAGES["fr"]["greeting"])
    panel = page.locator(".panel").bounding_box()
    assert panel == {"x": 0, "y": 0, "width": viewport["width"], "height": viewport["height"]}
    for control in ("#message", ".send", ".close", ".restart"):
        box = page.locator(control).bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0, control
        assert box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"], control
        assert min(box["width"], box["height"]) >= 24, control
    send(page, "bonjour")
    expect(page.locator(".from-visitor")).to_have_text(re.compile("bonjour"))
    expect(page.locator(".from-bot")).to_have_count(2, timeout=REPLY)
    # The page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def host_page(page: Page, servers, attributes: str) -> None:
    """A page with the widget's script tag as a site would write it. Playwright serves it, so Chromium's
    local network checks keep it from Rasa: these tests look at the widget, not the conversation."""
    url = f"{servers.web.address}/a-page-of-the-site"
    html = (
        f'<!DOCTYPE html><html lang="nl"><head><title>Site</title></head><body><h1>Site</h1>'
        f'<script src="/widget.js" {attributes}></script></body></html>'
    )
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(url)


def bubble_colours(page: Page) -> tuple:
    return page.locator(".bubble").evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")


def test_the_sites_colours_are_used_when_readable(page, servers):
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    host_page(page, servers, 'data-colour="#1b5e20" data-text-colour="white"')
    assert bubble_colours(page) == ["rgb(27, 94, 32)", "rgb(255, 255, 255)"]
    assert warnings == []


def test_unreadable_colours_fall_back_to_the_default_pair_with_a_console_warning(page, servers):
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    host_page(page, servers, 'data-colour="#ffeb3b" data-text-colour="#ffffff"')
    assert bubble_colours(page) == [DEFAULT_COLOUR, "rgb(255, 255, 255)"]
    assert any("contrast" in warning and "4.5:1" in warning for warning in warnings), warnings


def test_data_language_wins_over_the_pages_language(page, servers):
    host_page(page, servers, 'data-language="fr"')
    expect(page.locator(".bubble")).to_have_attribute("aria-label", "Ouvrir le chat de la Cité des métiers")
    expect(page.locator(".widget")).to_have_attribute("lang", "fr")


def test_the_pages_language_is_the_default(page, servers):
    host_page(page, servers, "")
    expect(page.locator(".bubble")).to_have_attribute("aria-label", "Open de chat van het Beroepenpunt")
    expect(page.locator(".widget")).to_have_attribute("lang", "nl")


def test_rasa_channels_accept_the_configured_origin_only(servers):
    """Socket.IO (which browsers do not submit to CORS) refuses other origins; REST gets no CORS headers."""
    handshake = f"{servers.rasa_url}/socket.io/?EIO=4&transport=polling"
    assert httpx.get(handshake, headers={"Origin": servers.web.address}).status_code == 200
    assert httpx.get(handshake, headers={"Origin": "https://elsewhere.example"}).status_code == 400
    preflight = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    response = httpx.options(f"{servers.rasa_url}/webhooks/rest/webhook", headers=preflight)
    assert response.headers.get("access-control-allow-origin") != "https://elsewhere.example"
