"""The kiosk page (/kiosk) in Debian's chromium, against the whole assistant: the start screen, a
conversation, the ticket after a handoff and its printout, links as QR codes, the wipes between
visitors (after a silence, at the end of the session's time, with the end button), accessibility.

The timers are shortened from the page's address (?idle=…&warning=…&session=…, seconds): the servers
are shared by the tests, so their settings cannot change for one test. Most tests force the REST
channel (?transport=rest) to read the sender id the page uses from its requests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import unquote

import httpx
import pytest
import yaml
from playwright.sync_api import expect

from tests.conftest import axe_violations, screenshot
from visitor_chat.router import TEXTS_FILE

pytestmark = pytest.mark.servers

DESKTOP = {"width": 1280, "height": 800}
WEBHOOK = "/webhooks/rest/webhook"
REPLY_TIMEOUT = 30_000
VDAB_QUESTION = "Kan ik een opleiding volgen bij VDAB als ik werkloos ben?"


class Kiosk:
    """A kiosk page in a fresh browser context, with the sender ids its REST requests used."""

    def __init__(self, browser, servers, query: str = "transport=rest", bypass_csp: bool = False) -> None:
        self.context = browser.new_context(viewport=DESKTOP, bypass_csp=bypass_csp)
        self.page = self.context.new_page()
        self.senders: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self.note_sender)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{servers.web.address}/kiosk?{query}")

    def note_sender(self, request) -> None:
        if request.url.endswith(WEBHOOK) and request.method == "POST":
            sender = json.loads(request.post_data)["sender"]
            if sender not in self.senders:
                self.senders.append(sender)

    def choose(self, language_name: str) -> None:
        self.page.get_by_role("button", name=language_name).click()
        self.page.locator("#messages .message.bot").first.wait_for(timeout=REPLY_TIMEOUT)

    def say(self, text: str) -> None:
        """Types `text`, sends it with Enter and waits for the assistant's answer."""
        bot_messages = self.page.locator("#messages .message.bot")
        before = bot_messages.count()
        self.page.fill("#message", text)
        self.page.press("#message", "Enter")
        self.page.wait_for_function(
            "count => document.querySelectorAll('#messages .message.bot').length > count",
            arg=before,
            timeout=REPLY_TIMEOUT,
        )

    def browser_data(self) -> dict:
        return self.page.evaluate("""async () => ({
            session: sessionStorage.length, local: localStorage.length, cookie: document.cookie,
            databases: (await indexedDB.databases()).length})""")

    def leave_browser_data(self) -> None:
        """What another page of the site (or a browser extension) could have left on the shared device."""
        self.page.evaluate("""() => new Promise(resolve => {
            sessionStorage.setItem('left', '1'); localStorage.setItem('left', '1');
            document.cookie = 'left=1; path=/';
            indexedDB.open('left').onsuccess = event => { event.target.result.close(); resolve(); };
        })""")
        assert self.browser_data() == {"session": 1, "local": 1, "cookie": "left=1", "databases": 1}

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors


@pytest.fixture
def open_kiosk(browser, servers) -> Iterator:
    opened: list[Kiosk] = []

    def open_(query: str = "transport=rest", bypass_csp: bool = False) -> Kiosk:
        opened.append(Kiosk(browser, servers, query, bypass_csp))
        return opened[-1]

    yield open_
    for kiosk in opened:
        kiosk.close()


def assert_wiped(kiosk: Kiosk) -> None:
    page = kiosk.page
    page.locator("#start-screen").wait_for(state="visible", timeout=1000)
    assert page.locator("#chat-screen").is_hidden()
    assert page.locator(".message, .choice, .ticket-number").count() == 0
    assert page.input_value("#message") == ""
    assert page.evaluate("document.documentElement.lang") == "fr"
    # indexedDB.deleteDatabase is asynchronous: give it a moment.
    page.wait_for_function("async () => (await indexedDB.databases()).length === 0", timeout=5000)
    assert kiosk.browser_data() == {"session": 0, "local": 0, "cookie": "", "databases": 0}


def user_texts(assistant, sender: str) -> list[str]:
    return [event["text"] for event in assistant.tracker(sender)["events"] if event["event"] == "user"]


def assert_new_visitor_is_a_new_conversation(kiosk: Kiosk, assistant) -> None:
    """The next visitor's conversation has another sender id, and Rasa did not continue the old one."""
    old = kiosk.senders[-1]
    old_texts = user_texts(assistant, old)
    kiosk.choose("Nederlands")
    new = kiosk.senders[-1]
    assert new != old
    assert user_texts(assistant, new) == ["/greet"]
    assert user_texts(assistant, old) == old_texts


def test_every_text_the_kiosk_asks_for_exists():
    texts = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    script = (TEXTS_FILE.parent / "static" / "kiosk.js").read_text(encoding="utf-8")
    page = (TEXTS_FILE.parent / "templates" / "kiosk.html").read_text(encoding="utf-8")
    asked = set(re.findall(r'\bsay\([^,]+, "(\w+)"[,)]', script)) | set(re.findall(r'data-text="(\w+)"', page))
    asked |= set(re.findall(r"\b(?:t|core)(?:\.fr|\[code\])\.(\w+)", page))
    known = set(texts["kiosk"]["fr"]) | set(texts["core"]["fr"])
    assert len(asked) > 20 and asked <= known, f"unknown texts: {asked - known}"


def test_the_start_screen_has_two_large_language_buttons(open_kiosk):
    kiosk = open_kiosk()
    page = kiosk.page
    french = page.get_by_role("button", name="Français")
    dutch = page.get_by_role("button", name="Nederlands")
    for button, lang, welcome in ((french, "fr", "Bonjour"), (dutch, "nl", "Hallo")):
        box = button.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48, box
        assert button.get_attribute("lang") == lang
        assert welcome in button.inner_text()
    assert page.locator("#chat-screen").is_hidden()
    assert page.locator("a").count() == 0
    screenshot(page, "kiosk-start")


@pytest.mark.parametrize("transport", ["socketio", "rest"])
def test_choosing_nederlands_starts_a_dutch_conversation(open_kiosk, transport):
    kiosk = open_kiosk(f"transport={transport}")
    page = kiosk.page
    kiosk.choose("Nederlands")
    greeting = page.locator("#messages .message.bot").first
    assert greeting.get_attribute("lang") == "nl" and "Hallo, ik ben Passerelle" in greeting.inner_text()
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.locator("[data-switch=nl]").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="Afsluiten / nieuwe bezoeker").is_visible()
    # Large text and large buttons.
    assert float(greeting.evaluate("node => getComputedStyle(node).fontSize").rstrip("px")) >= 20
    choices = page.locator("#choices .choice")
    assert choices.count() == 5
    for index in range(choices.count()):
        assert choices.nth(index).bounding_box()["height"] >= 48
    # An input made for on-screen keyboards.
    message = page.locator("#message")
    attributes = {
        name: message.get_attribute(name)
        for name in ("type", "enterkeyhint", "autocorrect", "autocapitalize", "spellcheck", "autocomplete")
    }
    assert attributes == {
        "type": "text",
        "enterkeyhint": "send",
        "autocorrect": "off",
        "autocapitalize": "off",
        "spellcheck": "false",
        "autocomplete": "off",
    }
    # A button that was used disappears; the visitor's choice shows as their message.
    page.get_by_role("button", name="Praktische info").click()
    page.locator("#messages .message.visitor", has_text="Praktische info").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('#messages .message.bot').length > 1", timeout=REPLY_TIMEOUT
    )
    assert page.get_by_role("button", name="Praktische info").count() == 0


def test_the_activities_are_large_cards_to_pick_several_of(open_kiosk):
    kiosk = open_kiosk(bypass_csp=True)  # for axe-core's script
    page = kiosk.page
    kiosk.choose("Nederlands")
    choices = page.locator("#choices .choice")

    def tap(title: str, progress: str) -> None:
        choices.filter(has_text=title).first.click()
        expect(page.locator("#messages .message.bot").last).to_contain_text(progress, timeout=REPLY_TIMEOUT)

    tap("Mijn situatie bekijken (11 vragen)", "Vraag 1 van 11")
    assert page.locator("#message").get_attribute("placeholder") == "Typ hier je antwoord"
    for number in range(5):
        tap("Overslaan", f"Vraag {number + 2} van 11")
    picks = page.locator("#choices .choice.pick")
    assert picks.count() == 6
    for index in range(6):
        assert picks.nth(index).bounding_box()["height"] >= 48
    picks.filter(has_text="Mensen helpen").click()
    picks.filter(has_text="Tekenen").click()
    picks.filter(has_text="Tekenen").click()  # changed their mind
    picks.filter(has_text="Overtuigen").click()
    expect(page.locator("#choices .choice.confirm")).to_have_text("Bevestigen (2)")
    assert not axe_violations(page)
    screenshot(page, "kiosk-nl-activities-picked")
    tap("Bevestigen", "Vraag 7 van 11")
    said = page.locator("#messages .message.visitor .message-text").last.inner_text()
    assert said == "Mensen helpen, verzorgen of naar hen luisteren; Overtuigen, verkopen, onderhandelen"


def test_a_plan_to_keep_opens_on_the_visitors_phone_from_a_qr_code(open_kiosk):
    kiosk = open_kiosk()
    page = kiosk.page
    kiosk.choose("Nederlands")
    kiosk.say("/print_plan")
    keep = page.locator(".plan-whole")
    keep.wait_for(timeout=REPLY_TIMEOUT)
    assert "Scan deze code met je telefoon" in keep.inner_text()
    source = keep.locator("img.plan-qr").get_attribute("src")
    assert source.startswith("/kiosk/qr.svg?text=")
    link = unquote(source.split("text=", 1)[1])
    assert link.startswith(page.evaluate("location.origin") + "/plan?lang=nl")
    screenshot(page, "kiosk-nl-plan-to-keep")
    # Printed: the steps with their links as QR codes, not the ticket's printout nor the conversation.
    page.evaluate("window.print = () => { window.printed = true; }")
    keep.get_by_role("button", name="Mijn plan afdrukken").click()
    assert page.evaluate("window.printed")
    page.emulate_media(media="print")
    printout = page.locator("#print-plan")
    assert printout.is_visible() and page.locator("#print-ticket").is_hidden()
    printed = printout.inner_text()
    assert printed.startswith("Beroepenpunt Brussel – jouw persoonlijke plan") and "Afgedrukt op" in printed
    assert "https://" not in printed and printout.locator("img.link-qr").count() >= 1
    page.emulate_media(media="screen")
    # What the phone opens: the plan's page, in Dutch, with nothing to log into.
    page.goto(link)
    assert page.locator("h1").inner_text() == "Jouw persoonlijke plan"


def test_the_language_switch_and_restart(open_kiosk, assistant):
    kiosk = open_kiosk()
    page = kiosk.page
    kiosk.choose("Nederlands")
    page.get_by_role("button", name="FR – Français").click()
    page.locator("#messages .message.bot[lang=fr]").wait_for(timeout=REPLY_TIMEOUT)
    assert "on continue en français" in page.locator("#messages .message.bot").last.inner_text()
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.get_attribute("#message", "placeholder") == "Écrivez votre question ici"
    first = kiosk.senders[-1]
    page.get_by_role("button", name="Recommencer").click()
    page.wait_for_function("() => document.querySelectorAll('#messages .message').length === 1", timeout=REPLY_TIMEOUT)
    assert "Bonjour, je suis Passerelle" in page.inner_text("#messages")
    assert kiosk.senders[-1] != first and user_texts(assistant, kiosk.senders[-1]) == ["/greet"]


@pytest.mark.parametrize("transport", ["socketio", "rest"])
def test_a_handoff_shows_the_ticket_large_with_where_to_go_and_prints_it(open_kiosk, transport):
    kiosk = open_kiosk(f"transport={transport}")
    page = kiosk.page
    kiosk.choose("Nederlands")
    kiosk.say("ik wil met een adviseur praten")
    panel = page.locator("#ticket-panel")
    panel.wait_for(state="visible", timeout=REPLY_TIMEOUT)
    number = panel.locator(".ticket-number").inner_text()
    assert re.fullmatch(r"NL-\d{3}", number)
    assert float(panel.locator(".ticket-number").evaluate("node => getComputedStyle(node).fontSize").rstrip("px")) >= 48
    assert "Ga naar het onthaal" in panel.inner_text()
    assert panel.get_by_role("button", name="Ticket afdrukken").is_visible()
    if transport == "rest":
        page.wait_for_timeout(1500)  # the messages after the ticket (the wait, the survey)
        screenshot(page, "kiosk-ticket")

    page.emulate_media(media="print")
    printout = page.locator("#print-ticket")
    assert printout.is_visible()
    assert page.locator("#chat-screen").is_hidden() and page.locator("#messages").is_hidden()
    printed = printout.inner_text()
    assert number in printed and "Taal" in printed and "Nederlands" in printed and "Thema" in printed
    assert "adviseur praten" not in printed  # nothing the visitor typed
    # When it was printed, in Dutch. (The wait is printed when the desk knows it: open, someone on duty.)
    assert re.search(r"Afgedrukt op \w+dag \d{1,2} \w+ 20\d\d", printed), printed
    page.emulate_media(media="screen")
    assert printout.is_hidden()


def test_links_show_as_text_with_a_qr_code_and_never_as_links(open_kiosk, servers):
    kiosk = open_kiosk()
    page = kiosk.page
    kiosk.choose("Nederlands")
    kiosk.say(VDAB_QUESTION)
    link = page.locator("#messages .message.bot .link-text").first
    link.wait_for()
    url = link.evaluate("node => node.firstChild.textContent")
    assert url.startswith("https://")
    assert page.locator("a").count() == 0
    qr = link.locator("img.link-qr")
    assert qr.get_attribute("alt") == f"QR-code: {url}"
    # The image loads after the message is shown: wait for it rather than race it.
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=qr.element_handle(), timeout=REPLY_TIMEOUT
    )
    response = httpx.get(servers.web.address + qr.get_attribute("src"))
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert response.text.startswith("<svg")


def test_the_qr_code_route_refuses_long_texts(servers):
    assert httpx.get(f"{servers.web.address}/kiosk/qr.svg", params={"text": "x" * 500}).status_code == 200
    assert httpx.get(f"{servers.web.address}/kiosk/qr.svg", params={"text": "x" * 501}).status_code == 422


def test_after_a_silence_a_warning_then_everything_is_wiped(open_kiosk, assistant):
    kiosk = open_kiosk("transport=rest&idle=4&warning=3")
    page = kiosk.page
    kiosk.choose("Français")
    kiosk.say("je cherche une formation")
    kiosk.leave_browser_data()
    warning = page.locator("#idle-dialog")
    warning.wait_for(state="visible", timeout=10_000)
    assert "Vous êtes toujours là ?" in warning.inner_text()
    assert warning.get_by_role("button", name="Continuer").bounding_box()["height"] >= 48
    assert re.fullmatch(r"[1-3]", page.inner_text("#idle-countdown"))
    page.locator("#start-screen").wait_for(state="visible", timeout=10_000)
    assert warning.is_hidden()
    assert_wiped(kiosk)
    assert "je cherche une formation" not in page.content()
    assert_new_visitor_is_a_new_conversation(kiosk, assistant)


def test_continuer_keeps_the_conversation(open_kiosk):
    kiosk = open_kiosk("transport=rest&idle=2&warning=30")
    page = kiosk.page
    kiosk.choose("Français")
    warning = page.locator("#idle-dialog")
    warning.wait_for(state="visible", timeout=10_000)
    warning.get_by_role("button", name="Continuer").click()
    assert warning.is_hidden()
    assert page.locator("#chat-screen").is_visible() and page.locator("#messages .message").count() == 1


def test_the_end_button_wipes_at_once_after_a_confirmation(open_kiosk, assistant):
    kiosk = open_kiosk()
    page = kiosk.page
    kiosk.choose("Français")
    kiosk.say("je cherche une formation")
    kiosk.leave_browser_data()
    page.get_by_role("button", name="Terminer / nouveau visiteur").click()
    confirmation = page.locator("#end-dialog")
    assert confirmation.is_visible()
    confirmation.get_by_role("button", name="Non, continuer").click()
    assert confirmation.is_hidden() and page.locator("#messages .message").count() >= 3
    page.get_by_role("button", name="Terminer / nouveau visiteur").click()
    confirmation.get_by_role("button", name="Oui, terminer").click()
    assert_wiped(kiosk)
    assert_new_visitor_is_a_new_conversation(kiosk, assistant)


def test_the_session_ends_after_its_time_with_a_notice_before(open_kiosk):
    kiosk = open_kiosk("transport=rest&session=10")
    page = kiosk.page
    kiosk.choose("Français")
    notice = page.locator("#notice")
    page.wait_for_function("() => document.getElementById('notice').textContent !== ''", timeout=10_000)
    assert "Cette session se termine dans 1 min" in notice.inner_text()
    assert page.locator("#chat-screen").is_visible()
    page.locator("#start-screen").wait_for(state="visible", timeout=10_000)
    assert_wiped(kiosk)
    assert notice.inner_text() == ""


def test_the_keyboard_works(open_kiosk):
    kiosk = open_kiosk()
    page = kiosk.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.language") == "fr"
    page.keyboard.press("Enter")
    page.locator("#messages .message.bot").first.wait_for(timeout=REPLY_TIMEOUT)
    # Chosen with the keyboard: the input has the focus, ready to type.
    assert page.evaluate("document.activeElement.id") == "message"
    page.keyboard.type("bonjour")
    page.keyboard.press("Enter")
    page.locator("#messages .message.visitor", has_text="bonjour").wait_for()


def test_no_serious_accessibility_violation(open_kiosk):
    # axe is injected as an inline script, which the page's policy refuses (rightly, for everything else).
    kiosk = open_kiosk(bypass_csp=True)
    page = kiosk.page
    assert axe_violations(page) == []
    kiosk.choose("Nederlands")
    kiosk.say(VDAB_QUESTION)
    page.locator("#messages .link-text").first.wait_for()
    assert axe_violations(page) == []


def test_on_paper_a_link_is_its_sites_name_and_a_qr_code(open_kiosk):
    page = open_kiosk().page
    shown = page.evaluate("""() => {
        const node = document.createElement('p');
        const text = 'Voir https://www.actiris.brussels/fr/citoyens/ ; merci';
        node.append(PasserelleChat.renderText(text, {links: 'qr', lang: 'fr'}));
        return {text: node.textContent, qr: node.querySelector('img.link-qr').getAttribute('src')};
    }""")
    assert shown["text"] == "Voir actiris.brussels\u202f; merci"
    assert "actiris.brussels%2Ffr%2Fcitoyens" in shown["qr"]


def test_the_idle_warning_shows_the_number_about_to_be_wiped_and_prints_it(open_kiosk):
    kiosk = open_kiosk("transport=rest&idle=6&warning=20")
    page = kiosk.page
    kiosk.choose("Français")
    kiosk.say("je voudrais parler à un conseiller")
    number = page.locator("#ticket-panel .ticket-number").inner_text()
    warning = page.locator("#idle-dialog")
    warning.wait_for(state="visible", timeout=15_000)
    assert f"Votre numéro : {number}" in warning.inner_text()
    printing = warning.get_by_role("button", name="Imprimer le ticket")
    assert printing.bounding_box()["height"] >= 48
    page.evaluate("window.print = () => { window.printed = true; }")
    printing.click()
    assert page.evaluate("window.printed") is True
    assert warning.is_hidden()  # a tap is presence: the visit goes on
