"""From the visitor's request to the counsellor's desk, end to end: a French and a Dutch visitor
hand off through the REST channel; a French-speaking training counsellor logs in to the desk page
(Debian's chromium, driven by Playwright), sees only the French ticket, claims it and closes it; a ticket
made while the page is open shows up without a reload, pushed by the desk's server-sent events."""

from __future__ import annotations

import queue
import threading

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.servers
# The queue refreshes every 5 seconds, and at once when the desk says a ticket changed.
UPDATE_MS = 12_000
# What the issue asks of the push: a new ticket on an open page within 2 s of the handoff (the page polls every
# 5 s besides, so only the push meets it).
PUSHED_MS = 2_000


def hand_off(assistant, sender: str, messages) -> str:
    for message in messages[:-1]:
        assistant.send(sender, message)
    reply = assistant.texts(sender, messages[-1])
    return next(word.strip(".") for word in reply.split() if word[:3] in ("FR-", "NL-"))


def row(page: Page, number: str):
    return page.locator("#queue-rows tr", has=page.locator(".ticket-number", has_text=number))


def test_a_counsellor_sees_claims_and_closes_the_ticket_that_matches_them(servers, assistant, browser):
    french = hand_off(
        assistant,
        "browser-fr-visitor",
        ["bonjour", "je cherche une formation de soudeur", "je voudrais parler à un conseiller"],
    )
    dutch = hand_off(assistant, "browser-nl-visitor", ["hallo", "kan ik met een adviseur praten?"])
    assert french.startswith("FR-") and dutch.startswith("NL-")
    login, password = servers.create_counsellor("fr", "training")

    context = browser.new_context(base_url=str(servers.desk_api.base_url), locale="fr-BE")
    context.set_default_timeout(UPDATE_MS)
    page = context.new_page()
    try:
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
        page.fill("#login", login)
        page.fill("#password", password)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("File d'attente")

        expect(row(page, french)).to_be_visible()
        expect(row(page, dutch)).to_have_count(0)
        for number in page.locator("#queue-rows .ticket-number").all_inner_texts():
            assert number.startswith("FR-")

        row(page, french).get_by_role("button", name=f"Prendre en charge {french}").click()
        expect(row(page, french)).to_contain_text("Pris en charge par vous")
        row(page, french).get_by_role("button", name=f"Clôturer {french}").click()
        dialog = page.get_by_role("dialog", name=f"Clôturer le ticket {french}")
        dialog.get_by_label("Réponse donnée").check()
        dialog.get_by_role("button", name="Clôturer").click()
        expect(row(page, french)).to_have_count(0)

        # A visitor hands off while the page is open: the row comes without a reload, before the next poll.
        later = hand_off(assistant, "browser-fr-later", ["bonjour", "je voudrais voir un conseiller en formation"])
        expect(row(page, later)).to_be_visible(timeout=PUSHED_MS)
    finally:
        context.close()

    closed = next(
        t
        for t in servers.counsellor("fr", "training")
        .get("/api/tickets", params={"scope": "all", "status": "closed"})
        .json()["tickets"]
        if t["number"] == french
    )
    assert (closed["status"], closed["outcome"], closed["claimed_by"]) == ("closed", "answered", login)
    assert closed["conversation_id"] == "browser-fr-visitor" and closed["area"] == "training"


def test_the_changes_stream_says_when_a_ticket_arrives_to_counsellors_only(servers, assistant):
    assert httpx.get(f"{servers.desk_api.base_url}/api/tickets/changes", timeout=10).status_code == 401
    counsellor = servers.counsellor("nl", "employment")
    events: queue.Queue[str] = queue.Queue()

    def listen() -> None:
        with counsellor.stream("GET", "/api/tickets/changes", timeout=30) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert stream.headers["x-accel-buffering"] == "no"
            for line in stream.iter_lines():
                events.put(line)
                if line == "event: change":
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert events.get(timeout=10) == "retry: 2000"
    hand_off(assistant, "stream-nl-visitor", ["hallo", "ik wil met een adviseur praten"])
    lines = [events.get(timeout=10)]
    while lines[-1] != "event: change":
        lines.append(events.get(timeout=10))
    listener.join(timeout=10)
