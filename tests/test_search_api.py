"""The search API in-process (FastAPI's TestClient runs the real app, model and index)."""

import logging

import pytest
from fastapi.testclient import TestClient

from common.limits import MAX_MESSAGE_CHARS, max_message_chars
from common.logs import NoQueryStrings
from web_service.main import app

# The app loads the sentence encoder and the index when it starts.
pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def client():
    with TestClient(app) as running:
        yield running


def test_search_returns_the_documented_fields(client):
    response = client.get(
        "/api/knowledge/search", params={"q": "je veux faire valider mes compétences", "lang": "fr", "k": 3}
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 3 and body["min_score"] > 0
    first = body["results"][0]
    assert set(first) == {
        "id",
        "topic",
        "area",
        "lang",
        "title",
        "text",
        "url",
        "organisations",
        "last_checked",
        "score",
    }
    assert first["topic"] == "skills_validation" and first["lang"] == "fr"
    assert first["url"].startswith("https://") and first["organisations"]


def test_the_area_filter_and_the_language(client):
    body = client.get(
        "/api/knowledge/search", params={"q": "werk in Wallonië", "lang": "nl", "area": "mobility"}
    ).json()
    assert body["results"] and all(r["area"] == "mobility" and r["lang"] == "nl" for r in body["results"])


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({}, "q", "Field required"),
        ({"q": ""}, "q", "at least 1 character"),
        ({"q": "   ?!"}, "q", "at least one letter or digit"),
        ({"q": "x" * (MAX_MESSAGE_CHARS + 1)}, "q", f"at most {MAX_MESSAGE_CHARS} characters"),
        ({"q": "cv", "lang": "en"}, "lang", "'fr' or 'nl'"),
        ({"q": "cv", "area": "sports"}, "area", "'education'"),
        ({"q": "cv", "k": 0}, "k", "greater than or equal to 1"),
        ({"q": "cv", "k": "many"}, "k", "valid integer"),
    ],
)
def test_bad_parameters_get_a_422_that_names_the_field(client, params, field, message):
    response = client.get("/api/knowledge/search", params=params)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(e["loc"][-1] == field and message in e["msg"] for e in errors), errors


def test_any_message_the_guard_lets_through_can_be_searched(client):
    # The Rasa server's message guard and the search API read the same limit (common/limits.py).
    question = ("Je cherche une formation en informatique pour adultes à Bruxelles. " * 20)[: max_message_chars()]
    assert len(question) == MAX_MESSAGE_CHARS
    assert client.get("/api/knowledge/search", params={"q": question, "lang": "fr"}).status_code == 200


@pytest.mark.parametrize(
    "query_string",
    [
        "q=%ED%A0%80",  # a UTF-16 surrogate encoded as UTF-8: not valid UTF-8
        "q=%FF%FE%00",
        "q=cv&k=99999999999999999999999999999999",
        "q=cv&k=-1",
        "q=cv&k=1e3",
        "q=cv&k=NaN",
        "q=cv&k=",
        "q=cv&lang=en",
        "q=cv&lang=",
        "q=cv&lang=FR",
        "q=cv&area=",
        "q[]=cv",
        "q=",
        "q=" + "%E2%80%8B" * 3,  # zero-width spaces only
    ],
)
def test_odd_query_strings_get_a_4xx_never_a_server_error(client, query_string):
    response = client.get(f"/api/knowledge/search?{query_string}")
    assert 400 <= response.status_code < 500, (query_string, response.status_code)


@pytest.mark.parametrize(
    "query_string, field",
    [
        ("q=cv&q=emploi", "q"),
        ("q=cv&lang=fr&lang=nl", "lang"),
        ("q=cv&k=1&k=2", "k"),
        ("q=cv&area=training&area=mobility", "area"),
    ],
)
def test_a_parameter_given_twice_is_refused_rather_than_guessed(client, query_string, field):
    response = client.get(f"/api/knowledge/search?{query_string}")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", field]]


def test_odd_but_searchable_questions_are_answered(client):
    # Undecodable bytes become U+FFFD; the words around them are still searched.
    for query_string in ("q=%ED%A0%80emploi", "q=%00cv", "q=___", "q=cv%20%25&foo=bar", "q=%F0%9F%98%80%20emploi"):
        assert client.get(f"/api/knowledge/search?{query_string}").status_code == 200, query_string


def test_the_access_log_keeps_the_path_and_never_the_question():
    # The record uvicorn's access logger makes for a search (uvicorn/protocols/http/h11_impl.py).
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/knowledge/search?q=mon+loyer+impay%C3%A9&lang=fr", "1.1", 200),
        None,
    )
    for log_filter in logging.getLogger("uvicorn.access").filters:
        assert isinstance(log_filter, logging.Filter)
        log_filter.filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /api/knowledge/search HTTP/1.1" 200'
    assert NoQueryStrings in {type(f) for f in logging.getLogger("uvicorn.access").filters}


def test_the_openapi_docs_describe_the_endpoint(client):
    spec = client.get("/openapi.json").json()
    parameters = {p["name"] for p in spec["paths"]["/api/knowledge/search"]["get"]["parameters"]}
    assert parameters == {"q", "lang", "area", "k"}
    assert client.get("/docs").status_code == 200


def test_health(client):
    assert client.get("/api/health").json()["passages"] > 300


def test_the_message_limit_is_read_from_the_environment_and_must_be_a_positive_number():
    assert max_message_chars({}) == MAX_MESSAGE_CHARS == 1000
    assert max_message_chars({"PASSERELLE_MAX_MESSAGE_CHARS": " 1500 "}) == 1500
    for wrong in ("0", "-5", "mille", "1e3"):
        with pytest.raises(ValueError, match="PASSERELLE_MAX_MESSAGE_CHARS"):
            max_message_chars({"PASSERELLE_MAX_MESSAGE_CHARS": wrong})


def test_the_answer_endpoint_gives_a_decision_and_a_composed_answer(client):
    body = client.get("/api/knowledge/answer", params={"q": "c quoi activa", "lang": "fr"}).json()
    assert body["decision"] == "answer" and 0 <= body["confidence"] <= 1
    answer = body["answer"]
    assert answer["topic"] == "hiring_aids" and answer["summary"] and answer["heading"] and answer["contacts"]
    assert body["choices"] == [] and body["known_words"] >= 1


def test_the_answer_endpoint_says_who_else_can_help(client):
    body = client.get(
        "/api/knowledge/answer", params={"q": "ik zoek een sociale woning in Brussel", "lang": "nl"}
    ).json()
    assert body["decision"] == "none" and body["answer"] is None and body["elsewhere"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "cv"}, "lang"),
        ({"q": "cv", "lang": "fr", "topic": "../etc"}, "topic"),
        ({"q": "cv", "lang": "fr", "topic": "no_such_topic"}, "topic"),
    ],
)
def test_the_answer_endpoint_refuses_bad_parameters_with_a_422(client, params, field):
    response = client.get("/api/knowledge/answer", params=params)
    assert response.status_code == 422
    assert any(error["loc"][-1] == field for error in response.json()["detail"])
