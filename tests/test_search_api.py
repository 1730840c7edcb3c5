"""The search API in-process (FastAPI's TestClient runs the real app, model and index)."""
import pytest
from fastapi.testclient import TestClient

from search_api.main import app


@pytest.fixture(scope="module")
def client():
    with TestClient(app) as running:
        yield running


def test_search_returns_the_documented_fields(client):
    response = client.get("/api/knowledge/search",
                          params={"q": "je veux faire valider mes compétences", "lang": "fr", "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 3 and body["min_score"] > 0
    first = body["results"][0]
    assert set(first) == {"id", "topic", "area", "lang", "title", "text", "url", "organisations",
                          "last_checked", "score"}
    assert first["topic"] == "skills_validation" and first["lang"] == "fr"
    assert first["url"].startswith("https://") and first["organisations"]


def test_the_area_filter_and_the_language(client):
    body = client.get("/api/knowledge/search",
                      params={"q": "werk in Wallonië", "lang": "nl", "area": "mobility"}).json()
    assert body["results"] and all(r["area"] == "mobility" and r["lang"] == "nl" for r in body["results"])


@pytest.mark.parametrize("params, field, message", [
    ({}, "q", "Field required"),
    ({"q": ""}, "q", "at least 1 character"),
    ({"q": "   ?!"}, "q", "at least one letter or digit"),
    ({"q": "x" * 501}, "q", "at most 500 characters"),
    ({"q": "cv", "lang": "en"}, "lang", "'fr' or 'nl'"),
    ({"q": "cv", "area": "sports"}, "area", "'education'"),
    ({"q": "cv", "k": 0}, "k", "greater than or equal to 1"),
    ({"q": "cv", "k": "many"}, "k", "valid integer"),
])
def test_bad_parameters_get_a_422_that_names_the_field(client, params, field, message):
    response = client.get("/api/knowledge/search", params=params)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(e["loc"][-1] == field and message in e["msg"] for e in errors), errors


def test_the_openapi_docs_describe_the_endpoint(client):
    spec = client.get("/openapi.json").json()
    parameters = {p["name"] for p in spec["paths"]["/api/knowledge/search"]["get"]["parameters"]}
    assert parameters == {"q", "lang", "area", "k"}
    assert client.get("/docs").status_code == 200


def test_health(client):
    assert client.get("/api/health").json()["passages"] > 300
