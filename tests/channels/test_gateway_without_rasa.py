"""The gateway on its own, with Rasa down: auth, safety net, polite answers, no 5xx."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from starlette.testclient import TestClient

from bot.catalog import Catalog
from channels.app import create_app
from channels.conversation import ConversationEngine
from channels.pseudonym import Pseudonymizer
from channels.rasa_client import RasaClient
from channels.store import ConversationStore
from knowledge.db import Database
from nlu.danger import load_lexicon

CATALOG = Catalog.from_files()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when we return: nothing listens


def _client(tmp_path: Path, token: SecretStr | None) -> TestClient:
    database = Database(f"sqlite:///{tmp_path / 'gw.db'}")
    store = ConversationStore(database.engine)
    store.create_tables()
    engine = ConversationEngine(
        rasa=RasaClient(f"http://127.0.0.1:{_closed_port()}", None, timeout=2.0),
        store=store,
        pseudonymize=Pseudonymizer(b"k" * 32),
        catalog=CATALOG,
        danger=load_lexicon(),
        languages=("en", "fr"),
        default_language="en",
        max_chars=1000,
    )
    app = create_app(
        engine, database, actions_url=f"http://127.0.0.1:{_closed_port()}", admin_token=token
    )
    return TestClient(app, client=("127.0.0.1", 5000))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path, None) as c:
        yield c


def test_health_is_503_when_rasa_and_actions_are_down(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["components"] == {"rasa": False, "actions": False, "database": True}


def test_rasa_down_still_answers_danger_with_emergency_numbers(client: TestClient) -> None:
    r = client.post(
        "/chat/message", json={"conversation": "abcdefgh12", "text": "I want to kill myself"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["emergency"] is True
    assert body["messages"][0]["text"] == CATALOG.text("utter_emergency", "en")


def test_rasa_down_gives_a_polite_try_again_in_the_users_language(client: TestClient) -> None:
    r = client.post(
        "/chat/message", json={"conversation": "abcdefgh13", "text": "bonjour", "language": "fr"}
    )
    assert r.status_code == 200
    assert r.json()["messages"][0]["text"] == CATALOG.text("utter_unavailable", "fr")


def test_empty_message_is_a_400_with_a_polite_message(client: TestClient) -> None:
    r = client.post("/chat/message", json={"conversation": "abcdefgh14", "text": "  "})
    assert r.status_code == 400
    assert r.json()["message"] == CATALOG.text("utter_input_empty", "en")


def test_a_bad_conversation_id_is_a_422(client: TestClient) -> None:
    r = client.post("/chat/message", json={"conversation": "../../etc", "text": "hi"})
    assert r.status_code == 422


def test_tester_api_answers_loopback_without_a_token(client: TestClient) -> None:
    r = client.post("/api/try", json={"text": "food", "channel": "sms"})
    assert r.status_code == 200
    assert r.json()["unavailable"] is True


def test_tester_api_refuses_other_machines_without_a_token(tmp_path: Path) -> None:
    loopback = _client(tmp_path, None)
    remote = TestClient(loopback.app, client=("203.0.113.9", 5000))
    assert remote.post("/api/try", json={"text": "food"}).status_code == 403
    assert remote.get("/console").status_code == 403


def test_tester_api_with_a_token_needs_the_right_bearer(tmp_path: Path) -> None:
    with _client(tmp_path, SecretStr("s3cret-token")) as c:
        assert c.post("/api/try", json={"text": "food"}).status_code == 401
        assert (
            c.post(
                "/api/try", json={"text": "food"}, headers={"Authorization": "Bearer nope"}
            ).status_code
            == 403
        )
        ok = c.post(
            "/api/try", json={"text": "food"}, headers={"Authorization": "Bearer s3cret-token"}
        )
        assert ok.status_code == 200
        assert c.get("/console").status_code == 200


def test_tester_api_rejects_unknown_channel_and_language(client: TestClient) -> None:
    assert client.post("/api/try", json={"text": "x", "channel": "fax"}).status_code == 422
    assert client.post("/api/try", json={"text": "x", "language": "tlh"}).status_code == 422
    assert client.post("/api/try", json={"text": 5}).status_code == 422


def test_page_and_static_files_are_served_without_outside_resources(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text
    assert client.get("/static/chat.js").status_code == 200
    assert client.get("/chat/languages").json()[1] == {
        "code": "fr",
        "name": "Français",
        "dir": "ltr",
    }
