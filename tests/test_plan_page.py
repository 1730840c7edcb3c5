"""The career plan's link (actions/orientation/plan_link.py) and its page (/plan), on the visitor routes."""

from __future__ import annotations

import html
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from actions.orientation import plan, plan_link
from actions.orientation.turn import CHOSEN, NOT_CHOSEN
from visitor_chat.plan_page import router as plan_page_router
from visitor_chat.router import router as visitor_chat_router

ANSWERS = {
    "situation": "jobseeker_unregistered",
    "age_band": "from_18_to_25",
    "education": "lower_secondary",
    "need_area": "training",
    "goal": "devenir électricien comme mon oncle Marc",
    "languages": {"fr": "fluent", "nl": "basic"},
    "time_available": "full_time",
    "mobility": "brussels_only",
    "counsellor_language": "fr",
    "interests": {"realistic_hands": CHOSEN, "social_help": NOT_CHOSEN},
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(visitor_chat_router)
    app.include_router(plan_page_router)
    return TestClient(app)


def query_of(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query))


def test_the_link_holds_the_options_chosen_and_nothing_typed():
    link = plan_link.link(ANSWERS, "fr")
    assert link.startswith("/plan?lang=fr&situation=jobseeker_unregistered")
    assert "oncle" not in link and "goal" not in link and "counsellor_language" not in link
    found = plan_link.answers_from(query_of(link))
    assert found["languages"] == ANSWERS["languages"] and found["interests"]["realistic_hands"] == CHOSEN
    assert [step.text for step in plan.build(found, "fr").steps] == [
        step.text for step in plan.build(ANSWERS, "fr").steps
    ]


def test_every_answer_given_still_makes_a_link_short_enough_for_a_qr_code():
    everything = {
        **ANSWERS,
        "situation": "jobseeker_unregistered",
        "education": "foreign_not_recognised",
        "need_area": "entrepreneurship",
        "languages": {"fr": "fluent", "nl": "basic", "en": "good", "other": "basic"},
        "interests": dict.fromkeys(plan_link.activities(), CHOSEN),
        "goal": "travailler en France ou au Canada",
    }
    link = plan_link.link(everything, "nl")
    assert "abroad=eu+non_eu" in link
    # With the longest address a centre would give (kiosk QR codes take at most 500 characters).
    assert len("https://passerelle.citedesmetiers.brussels" + link) < 300, len(link)


def test_a_step_abroad_from_the_link_names_the_kind_of_place():
    goal_abroad = {**ANSWERS, "goal": "travailler au Canada", "need_area": "mobility"}
    found = plan_link.answers_from(query_of(plan_link.link(goal_abroad, "fr")))
    steps = {step.rule: step for step in plan.build(found, "fr").steps}
    conversation = {step.rule for step in plan.build(goal_abroad, "fr").steps}
    assert set(steps) == conversation and "elsewhere" not in steps
    assert steps["abroad_outside_eu"].reason == "Parce que vous m'avez dit : votre projet hors de l'Union européenne."


@pytest.mark.parametrize("lang, title", [("fr", "Votre plan personnel"), ("nl", "Jouw persoonlijke plan")])
def test_the_page_shows_the_plan_in_its_language(client, lang, title):
    response = client.get(plan_link.link(ANSWERS, lang))
    assert response.status_code == 200
    page = response.text
    assert f'<html lang="{lang}">' in page and f"<h1>{title}</h1>" in page
    for step in plan.build(plan_link.answers_from(query_of(plan_link.link(ANSWERS, lang))), lang).steps:
        assert step.text in html.unescape(page)
    assert "<script" not in page and "default-src 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    "query",
    [
        "lang=de",
        "situation=astronaut",
        "languages=fr.native",
        "interests=juggling",
        "interests=12",
        "abroad=mars",
        "age_band=%00",
    ],
)
def test_a_cut_or_changed_link_gets_a_clear_page_in_both_languages(client, query):
    response = client.get(f"/plan?{query}")
    assert response.status_code == 400
    assert "Lien incomplet" in response.text and "Onvolledige link" in response.text
