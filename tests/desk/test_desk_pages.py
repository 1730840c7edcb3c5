"""The desk pages in a real browser: Debian's chromium, driven by Playwright, on the desk service started with
uvicorn on a free port, once on SQLite and once on PostgreSQL.

Accounts and tickets are made with conftest.py's fixtures (make_counsellor writes the account, make_ticket
posts to the API with the service token) on the same database the service reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
import yaml
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Dialog, Page, expect

from common.clock import utc_now
from common.vocabulary import AREAS
from desk.login_limits import counter_key
from desk.main import create_app
from desk.models import LoginFailures
from knowledge.opening_hours import WEEKDAYS
from launcher.services import desk_service, free_port
from launcher.settings import LauncherSettings
from tests.desk.conftest import SERVICE_TOKEN, empty_tables, iso

# The pages poll every 5 seconds: a change must show within two polls.
UPDATE_MS = 12_000
SESSION_SECRET = "pages-test-secret"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def page_database(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def database_url(page_database: str) -> Iterator[str]:
    """conftest's fixtures (accounts, tickets) write to the database the running service reads."""
    yield page_database
    empty_tables(page_database)


@pytest.fixture(scope="module")
def desk_url(page_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The desk service as `make run` starts it: uvicorn in its own process."""
    directory = tmp_path_factory.mktemp("desk-service")
    # Open around the clock: what the pages show while the centre is open does not depend on when tests run.
    centre = directory / "centre.yml"
    centre.write_text(yaml.safe_dump({"hours": {day: [["00:00", "24:00"]] for day in WEEKDAYS}}), encoding="utf-8")
    port = free_port()
    service = desk_service(
        LauncherSettings(desk_port=port, service_token=SERVICE_TOKEN, dev_mode=False),
        {
            "PASSERELLE_CENTRE_INFO_FILE": str(centre),
            "DATABASE_URL": page_database,
            "PASSERELLE_SESSION_SECRET": SESSION_SECRET,
            "PASSERELLE_OVERDUE_MINUTES": "20",
            "PASSERELLE_TRACKER_DB_URL": f"sqlite:///{directory}/tracker.db",
        },
    )
    with (directory / "desk.log").open("w") as log:
        service.start(60, log)
        yield service.address
        service.stop()


class Desk:
    """Browser windows on the desk, each with its own cookies (one per counsellor)."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.browser, self.url = browser, url
        self.contexts: list = []
        self.dialogs: list[str] = []

    def window(self, locale: str = "fr-BE") -> Page:
        context = self.browser.new_context(base_url=self.url, locale=locale, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(UPDATE_MS)
        self.contexts.append(context)
        page = context.new_page()

        # Any alert() would be an injected script running: recorded, then dismissed.
        def dismiss(dialog: Dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        return page

    def logged_in(self, login: str, password: str, locale: str = "fr-BE") -> Page:
        page = self.window(locale)
        page.goto("/login")
        page.fill("#login", login)
        page.fill("#password", password)
        page.click("form.stacked-form button[type=submit]")
        page.wait_for_url(f"{self.url}/")
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def desk(browser: Browser, desk_url: str, client) -> Iterator[Desk]:
    # `client` starts the in-process app the account and ticket fixtures use.
    opened = Desk(browser, desk_url)
    yield opened
    opened.close()


def queue_loaded(page: Page) -> None:
    """Waits for the queue's first answer from the API."""
    expect(page.locator("#queue-summary")).not_to_be_empty()


def row(page: Page, number: str):
    return page.locator("#queue-rows tr", has=page.locator(".ticket-number", has_text=number))


def shown_numbers(page: Page) -> list[str]:
    return page.locator("#queue-rows .ticket-number").all_inner_texts()


@pytest.fixture
def api_ticket(make_client, make_counsellor, logged_in):
    """A ticket as the API gives it to a counsellor (the service token reads none), off duty so as to
    change no queue."""
    reader = logged_in(make_client(), *make_counsellor("reader", languages=["fr"], areas=[], on_duty=False))

    def read(ticket_id: int) -> dict:
        response = reader.get(f"/api/tickets/{ticket_id}")
        assert response.status_code == 200, response.text
        return response.json()

    return read


def test_login_shows_a_message_when_it_fails_then_opens_the_queue(desk, make_counsellor):
    login, password = make_counsellor("amelie", languages=["fr"])
    page = desk.window()
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("demo")
    page.fill("#login", login)
    page.fill("#password", "not-the-password")
    page.click("form.stacked-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/login\?error=1$"))
    expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect. Vérifiez-les et réessayez.")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("form.stacked-form button[type=submit]")
    expect(page).to_have_url(f"{desk.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("File d'attente")
    expect(page.locator(".duty")).to_contain_text("Vous êtes de permanence.")


@pytest.mark.parametrize(
    "locale, message",
    [
        ("fr-BE", "Trop de tentatives. Réessayez dans 15 minutes."),
        ("nl-BE", "Te veel pogingen. Probeer het over 15 minuten opnieuw."),
    ],
)
def test_a_locked_account_shows_how_long_to_wait(desk, app, make_counsellor, locale, message):
    login, password = make_counsellor("amelie", languages=["fr"])
    with app.state.database.session() as session:
        session.add(
            LoginFailures(key=counter_key(SESSION_SECRET, "login", login), failures=20, last_failure_at=utc_now())
        )
        session.commit()
    page = desk.window(locale)
    page.goto("/login")
    page.fill("#login", login)
    page.fill("#password", password)  # the right one: refused all the same while the account is locked
    with page.expect_response(f"{desk.url}/login") as answer:
        page.click("form.stacked-form button[type=submit]")
    assert answer.value.status == 429 and answer.value.headers["retry-after"] in {"899", "900"}
    expect(page.get_by_role("alert")).to_have_text(message)
    expect(page.locator("#login")).to_have_attribute("aria-describedby", "login-error")


def test_after_logout_the_same_cookie_opens_nothing(desk, make_counsellor):
    page = desk.logged_in(*make_counsellor("amelie", languages=["fr"]))
    cookies = page.context.cookies()
    page.get_by_role("button", name="Se déconnecter (amelie)").click()
    expect(page).to_have_url(f"{desk.url}/login")
    copy = desk.window()
    copy.context.add_cookies(cookies)
    copy.goto("/")
    expect(copy).to_have_url(f"{desk.url}/login")
    expect(copy.get_by_role("heading", level=1)).to_have_text("Connexion")


def test_pages_send_to_the_login_first_and_come_back(desk, make_counsellor, make_ticket):
    login, password = make_counsellor("bert", languages=["nl"])
    ticket = make_ticket(language="nl")
    page = desk.window("nl-BE")
    page.goto(f"/tickets/{ticket['id']}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("form.stacked-form button[type=submit]")
    expect(page).to_have_url(f"{desk.url}/tickets/{ticket['id']}")
    expect(page.locator("h1 .ticket-number")).to_have_text(ticket["number"])


def test_the_queue_shows_the_counsellors_tickets_and_see_all_shows_the_others(desk, make_counsellor, make_ticket):
    login, password = make_counsellor("claire", languages=["fr"], areas=["training", "employment"])
    theirs = [make_ticket(language="fr", area="training"), make_ticket(language="fr", area=None)]
    others = [make_ticket(language="nl", area="training"), make_ticket(language="fr", area="mobility")]
    page = desk.logged_in(login, password)
    queue_loaded(page)
    assert shown_numbers(page) == [ticket["number"] for ticket in theirs]
    expect(row(page, theirs[1]["number"])).to_contain_text("À déterminer")
    expect(row(page, theirs[0]["number"])).to_contain_text("Formation")
    expect(page.locator(".duty")).to_contain_text("Langues : français. Domaines : Formation, Emploi.")
    expect(page.locator("#queue-summary")).to_have_text("En attente : 2 — en retard : 0")
    expect(page).to_have_title("(2) File d'attente – Passerelle – Accueil des conseillers")

    page.get_by_role("link", name="Tous les tickets").click()
    expect(page).to_have_url(f"{desk.url}/?scope=all")
    expect(page.get_by_role("link", name="Tous les tickets")).to_have_attribute("aria-current", "page")
    expect(page.locator("#queue-rows tr")).to_have_count(4)
    assert sorted(shown_numbers(page)) == sorted(ticket["number"] for ticket in theirs + others)
    expect(row(page, others[0]["number"])).to_contain_text("néerlandais")


def test_an_overdue_ticket_stands_out_and_reaches_everyone_on_duty(desk, make_counsellor, make_ticket):
    on_duty = make_counsellor("dirk", languages=["nl"], areas=["mobility"], on_duty=True)
    off_duty = make_counsellor("emma", languages=["nl"], areas=["mobility"], on_duty=False)
    late = make_ticket(
        language="fr", area="training", requested_at=iso(datetime.now(timezone.utc) - timedelta(minutes=31))
    )
    page = desk.logged_in(*on_duty, locale="nl-BE")
    queue_loaded(page)
    late_row = row(page, late["number"])
    expect(late_row).to_have_class(re.compile(r"\boverdue\b"))
    # Said in words, not only in colour.
    expect(late_row.locator(".badge-overdue")).to_have_text("Wacht te lang")
    expect(late_row).to_contain_text(re.compile(r"3[12] min"))
    expect(page.locator("#queue-summary")).to_have_text("Wachtend: 1 — te lang: 1")

    other = desk.logged_in(*off_duty, locale="nl-BE")
    queue_loaded(other)
    expect(other.locator("#queue-rows tr")).to_have_count(0)
    expect(other.locator("#queue-empty")).to_be_visible()
    expect(other.locator(".duty")).to_contain_text("Je hebt geen permanentie.")


def test_a_new_ticket_appears_without_reload_and_is_announced(desk, make_counsellor, make_ticket):
    page = desk.logged_in(*make_counsellor("fatima", languages=["fr"], areas=["training"]))
    queue_loaded(page)
    expect(page.locator("#queue-empty")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    ticket = make_ticket(language="fr", area="training")
    expect(row(page, ticket["number"])).to_be_visible(timeout=UPDATE_MS)
    announcer = page.locator("#queue-announcer")
    expect(announcer).to_have_attribute("role", "status")
    expect(announcer).to_have_text(f"Nouveau ticket {ticket['number']} : français, Formation.")
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("#queue-empty")).to_be_hidden()


def test_claim_then_close_with_an_outcome_and_the_ticket_leaves_the_queue(
    desk, make_counsellor, make_ticket, api_ticket
):
    page = desk.logged_in(*make_counsellor("gilles", languages=["fr"], areas=["training"]))
    ticket = make_ticket(language="fr", area="training")
    page.reload()
    queue_loaded(page)
    ticket_row = row(page, ticket["number"])
    ticket_row.get_by_role("button", name=f"Prendre en charge {ticket['number']}").click()
    expect(ticket_row).to_contain_text("Pris en charge par vous")
    expect(page.locator("#queue-announcer")).to_have_text(f"Vous avez pris en charge le ticket {ticket['number']}.")

    ticket_row.get_by_role("button", name=f"Clôturer {ticket['number']}").click()
    dialog = page.get_by_role("dialog", name=f"Clôturer le ticket {ticket['number']}")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Rendez-vous fixé").check()
    dialog.get_by_role("button", name="Clôturer").click()
    expect(dialog).to_be_hidden()
    expect(ticket_row).to_have_count(0)
    expect(page.locator("#queue-announcer")).to_have_text(f"Le ticket {ticket['number']} est clôturé.")
    closed = api_ticket(ticket["id"])
    assert (closed["status"], closed["outcome"], closed["claimed_by"]) == ("closed", "appointment", "gilles")


def test_the_close_dialog_asks_for_an_outcome_and_can_be_cancelled(desk, make_counsellor, make_ticket, api_ticket):
    page = desk.logged_in(*make_counsellor("hugo", languages=["fr"], areas=["training"]))
    ticket = make_ticket(language="fr", area="training")
    page.goto(f"/tickets/{ticket['id']}")
    page.get_by_role("button", name=f"Prendre en charge {ticket['number']}").click()
    expect(page.locator("#ticket-status")).to_have_text("Pris en charge par vous")
    page.get_by_role("button", name=f"Clôturer {ticket['number']}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Clôturer").click()
    # No outcome chosen: the browser's own check keeps the dialog open.
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()
    assert api_ticket(ticket["id"])["status"] == "claimed"
    page.get_by_role("button", name=f"Remettre en attente {ticket['number']}").click()
    expect(page.locator("#ticket-status")).to_have_text("En attente")
    assert api_ticket(ticket["id"])["status"] == "waiting"


def test_a_second_counsellor_sees_the_claim_and_cannot_claim_it(desk, make_counsellor, make_ticket):
    ticket = make_ticket(language="fr", area="training")
    first = desk.logged_in(*make_counsellor("ines", languages=["fr"], areas=["training"]))
    second = desk.logged_in(*make_counsellor("jules", languages=["fr"], areas=["training"]))
    # The second page hears of changes only by polling (its stream refused), so that it is still out of date
    # when clicked: what a counsellor sees when the push cannot get through.
    second.route("**/api/tickets/changes", lambda route: route.abort())
    second.reload()
    queue_loaded(first)
    queue_loaded(second)
    claim = f"Prendre en charge {ticket['number']}"
    # Right after the second counsellor's page polled, so that it still offers the claim when clicked.
    with second.expect_response(re.compile(r"/api/tickets\?")):
        pass
    row(first, ticket["number"]).get_by_role("button", name=claim).click()
    expect(row(first, ticket["number"])).to_contain_text("Pris en charge par vous")
    row(second, ticket["number"]).get_by_role("button", name=claim).click()
    expect(second.locator("#queue-message")).to_have_text(
        f"Le ticket {ticket['number']} vient d'être pris en charge par ines."
    )
    expect(row(second, ticket["number"])).to_contain_text("Pris en charge par ines")
    expect(row(second, ticket["number"]).get_by_role("button")).to_have_count(0)


def test_what_a_visitor_typed_shows_as_text_and_runs_nothing(desk, make_counsellor, make_ticket, api_ticket):
    script, image = "<script>alert(1)</script>", '<img src=x onerror="alert(2)">'
    ticket = make_ticket(
        language="fr",
        area="training",
        goal=f"{script} {image}",
        recap=f"Résumé {image}",
        questions=[image],
        answers=[{"label": script, "value": image}],
        interests=[image],
        passages=[{"title": script, "url": "https://example.org/"}],
        excerpt=[{"speaker": "visitor", "text": script, "at": iso(datetime.now(timezone.utc))}],
    )
    stored = api_ticket(ticket["id"])
    assert "<script>" in stored["goal"] and "<img" in stored["questions"][0]
    page = desk.logged_in(*make_counsellor("karim", languages=["fr"], areas=["training"]))
    queue_loaded(page)
    page.goto(f"/tickets/{ticket['id']}")
    expect(page.locator(".ticket-number").first).to_have_text(ticket["number"])
    expect(page.locator("blockquote.visitor-words")).to_have_text(stored["goal"])
    expect(page.locator("ul.visitor-words li")).to_have_text(stored["questions"][0])
    expect(page.locator(".answers dt")).to_have_text(script)
    expect(page.locator(".excerpt li").first).to_contain_text(stored["excerpt"][0]["text"])
    expect(page.locator(".passages a")).to_contain_text(script)
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    page.wait_for_timeout(500)
    assert desk.dialogs == []


def test_the_ticket_page_and_its_print_show_the_number(desk, make_counsellor, make_ticket):
    ticket = make_ticket(language="fr", area=None, reason="not_understood")
    page = desk.logged_in(*make_counsellor("lea", languages=["fr"], areas=["education"]))
    page.goto(f"/tickets/{ticket['id']}")
    expect(page).to_have_title(f"Ticket {ticket['number']} – Passerelle – Accueil des conseillers")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(ticket["number"])
    facts = page.locator(".facts")
    for fact in ("français", "À déterminer", "L'assistant n'a pas compris", "En attente"):
        expect(facts).to_contain_text(fact)
    sections = page.locator("main h2").all_inner_texts()
    assert sections[:3] == ["En bref", "Dans ses propres mots", "Réponses au questionnaire"]
    expect(page.locator(".recap")).to_have_text(ticket["recap"])
    expect(page.locator(".answers dt").first).to_have_text("Situation")
    expect(page.locator(".passages a")).to_have_attribute("href", "https://www.bruxellesformation.brussels/")
    expect(page.locator(".excerpt li")).to_have_count(2)
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator(".ticket-head .ticket-number")).to_be_visible()
    expect(page.locator(".ticket-head .ticket-number")).to_have_text(ticket["number"])
    for hidden in (".site-header", "#ticket-actions", "[data-print]"):
        expect(page.locator(hidden)).to_be_hidden()
    size = page.locator(".ticket-head .ticket-number").evaluate("node => parseFloat(getComputedStyle(node).fontSize)")
    assert size >= 60
    colour = page.locator("body").evaluate("node => getComputedStyle(node).color")
    assert colour == "rgb(0, 0, 0)"


@pytest.mark.parametrize("ticket_id", ["999999", "99999999999999999999", "abc"])
def test_an_unknown_ticket_gets_a_404_page_in_the_counsellors_language(desk, make_counsellor, ticket_id):
    page = desk.logged_in(*make_counsellor("maarten", languages=["nl"]), locale="fr-BE")
    response = page.goto(f"/tickets/{ticket_id}")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    assert "Traceback" not in page.content()


def test_other_unknown_addresses_get_the_error_page_and_the_api_keeps_its_json(
    desk_settings, make_counsellor, logged_in
):
    with TestClient(create_app(desk_settings)) as browser:
        response = browser.get("/nowhere", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
        assert response.status_code == 404 and '<html lang="nl">' in response.text
        assert "Pagina niet gevonden" in response.text and "Naar de aanmeldpagina" in response.text
        logged_in(browser, *make_counsellor("sam", languages=["fr"]))
        response = browser.get("/tickets/7/nowhere")
        assert response.status_code == 404 and "Page introuvable" in response.text
        assert '<a href="/">Retour à la file' in response.text
        assert browser.get("/api/nowhere").json() == {"detail": "Not Found"}
        browser.post("/logout")
        response = browser.get("/api/tickets")
        assert response.status_code == 401 and response.headers["content-type"] == "application/json"


def test_the_statistics_are_drawn_for_a_manager_and_refused_to_others(
    desk, make_counsellor, make_ticket, client, service_headers, make_client, logged_in
):
    events = (
        [{"kind": "conversation", "language": "fr"}] * 3
        + [{"kind": "conversation", "language": "nl"}]
        + [{"kind": "question", "language": "fr", "area": "training"}] * 2
        + [{"kind": "questionnaire_started", "language": "fr"}] * 2
        + [
            {"kind": "questionnaire_completed", "language": "fr"},
            {"kind": "handoff", "language": "nl", "area": "mobility"},
        ]
    )
    for event in events:
        assert client.post("/api/stats/events", json=event, headers=service_headers).status_code == 204
    for rating in (5, 4, 4):
        client.post(
            "/api/survey", json={"language": "fr", "rating": rating, "after_handoff": True}, headers=service_headers
        ).raise_for_status()
    manager = make_counsellor("nadia", languages=["fr"], manager=True)
    # A first claim records an anonymous waiting time: 12 minutes.
    waited = make_ticket(requested_at=iso(datetime.now(timezone.utc) - timedelta(minutes=12, seconds=20)))
    logged_in(make_client(), *manager).post(f"/api/tickets/{waited['id']}/claim").raise_for_status()

    page = desk.logged_in(*manager)
    page.get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques")
    expect(page.get_by_role("link", name="30 derniers jours")).to_have_attribute("aria-current", "page")
    expect(page.locator("svg[role=img]")).to_have_count(8)
    for chart in page.locator("svg[role=img]").all():
        assert chart.get_attribute("aria-labelledby")
    languages = page.locator("#chart-languages table")
    expect(languages.locator("tr", has_text="français")).to_contain_text("3")
    expect(languages.locator("tr", has_text="néerlandais")).to_contain_text("1")
    expect(page.locator("#chart-questionnaires table")).to_contain_text("Commencés")
    expect(page.locator("#chart-waiting table tr", has_text="Médiane")).to_contain_text("12")
    expect(page.locator("main")).to_contain_text("Note moyenne : 4,3 sur 5 (3 réponses).")
    expect(page.locator("main")).to_contain_text("Total sur la période : 4")
    page.get_by_text("Afficher les chiffres par jour").click()
    expect(page.locator("#chart-days details table tbody tr").first).to_be_visible()

    page.get_by_role("link", name="7 derniers jours").click()
    expect(page).to_have_url(f"{desk.url}/stats?days=7")
    expect(page.locator("#chart-days details table tbody tr")).to_have_count(7)

    other = desk.logged_in(*make_counsellor("olivier", languages=["nl"]), locale="fr-BE")
    expect(other.get_by_role("link", name="Statistieken")).to_have_count(0)
    response = other.goto("/stats")
    assert response.status == 403
    expect(other.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(other.locator("svg")).to_have_count(0)


def test_the_language_switch_changes_the_texts(desk, make_counsellor):
    page = desk.window("nl-BE")
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden")
    page.get_by_role("button", name="FR – Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.get_by_role("button", name="FR – Français")).to_have_attribute("aria-current", "true")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")

    login, password = make_counsellor("pieter", languages=["fr", "nl"])
    page = desk.logged_in(login, password)
    expect(page.get_by_role("heading", level=1)).to_have_text("File d'attente")
    page.get_by_role("button", name="NL – Nederlands").click()
    expect(page).to_have_url(f"{desk.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtrij")
    queue_loaded(page)
    expect(page.locator("#queue-summary")).to_have_text("Wachtend: 0 — te lang: 0")
    # Kept with the account: another browser opens in Dutch too.
    again = desk.logged_in(login, password, locale="fr-BE")
    expect(again.get_by_role("heading", level=1)).to_have_text("Wachtrij")


def test_the_profile_sets_languages_areas_and_duty(desk, make_counsellor, make_ticket):
    ticket = make_ticket(language="nl", area="mobility")
    page = desk.logged_in(*make_counsellor("quentin", languages=["fr"], areas=["training"], on_duty=False))
    queue_loaded(page)
    expect(page.locator("#queue-rows tr")).to_have_count(0)
    page.get_by_role("link", name="Modifier mon profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    page.get_by_label("néerlandais").check()
    page.get_by_label("Mobilité").check()
    page.get_by_label("Je suis de permanence").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#profile-saved")).to_have_text("Profil enregistré.")
    page.get_by_role("link", name="File d'attente").click()
    expect(page.locator(".duty")).to_contain_text("Vous êtes de permanence.")
    expect(row(page, ticket["number"])).to_be_visible()


def test_the_queue_says_what_nobody_on_duty_covers_and_managers_see_who_is_on_duty(desk, make_counsellor):
    make_counsellor("jan", languages=["nl"], areas=["training"], on_duty=True)
    page = desk.logged_in(*make_counsellor("kim", languages=["fr"], areas=list(AREAS), on_duty=True))
    gaps = page.locator("#duty-gaps")
    expect(gaps).to_contain_text("Personne n'est de permanence pour : néerlandais – Études")
    expect(gaps).to_contain_text("néerlandais – Mobilité")
    assert "français" not in gaps.inner_text()
    expect(page.locator("#duty-who")).to_be_hidden()
    manager = desk.logged_in(*make_counsellor("lou", languages=["fr", "nl"], areas=[], manager=True, on_duty=False))
    expect(manager.locator("#duty-who")).to_contain_text("De permanence : jan (NL · Formation); kim (FR · ")


def test_a_counsellor_changes_their_password_on_the_profile_page(desk, make_counsellor):
    login, password = make_counsellor("ines", languages=["fr"], areas=["training"])
    page = desk.logged_in(login, password)
    page.goto("/profile")
    form = page.locator("#password-form")
    form.get_by_label("Mot de passe actuel").fill(password)
    form.get_by_label("Nouveau mot de passe", exact=True).fill("short")
    form.get_by_label("Confirmez le nouveau mot de passe").fill("short")
    form.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.locator("#password-message")).to_have_text(
        "Le nouveau mot de passe doit compter au moins 8 caractères."
    )
    form.get_by_label("Nouveau mot de passe", exact=True).fill("une phrase de passe")
    form.get_by_label("Confirmez le nouveau mot de passe").fill("une phrase de passe")
    form.get_by_label("Mot de passe actuel").fill("pas le bon")
    form.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.locator("#password-message")).to_have_text("Le mot de passe actuel est incorrect.")
    expect(form.get_by_label("Mot de passe actuel")).to_be_focused()
    form.get_by_label("Mot de passe actuel").fill(password)
    form.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.locator("#password-changed")).to_have_text("Mot de passe changé.")
    assert form.get_by_label("Mot de passe actuel").input_value() == ""
    # The page goes on with its new session; the new password opens the desk elsewhere.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("File d'attente")
    other = desk.logged_in(login, "une phrase de passe")
    expect(other.get_by_role("heading", level=1)).to_have_text("File d'attente")


def test_the_claim_button_is_reached_with_tab_and_pressed_with_enter(desk, make_counsellor, make_ticket):
    ticket = make_ticket(language="fr", area="training")
    page = desk.logged_in(*make_counsellor("rosa", languages=["fr"], areas=["training"]))
    queue_loaded(page)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu", "the skip link comes first"
    claim = f"Prendre en charge {ticket['number']}"
    for _ in range(30):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.textContent")
        if label == claim:
            break
    else:
        pytest.fail("the claim button cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(row(page, ticket["number"])).to_contain_text("Pris en charge par vous")
    # Focus stays in the ticket's row.
    assert page.evaluate("document.activeElement.closest('tr') !== null")
