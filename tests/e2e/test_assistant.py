"""A newcomer asks; the real model, actions and directory answer (through /api/try)."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.catalog import Catalog
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e
CATALOG = Catalog.from_files()


def test_free_english_classes_in_burnaby(stack: Stack) -> None:
    answer = stack.try_("where can I take free English classes in Burnaby", user="burnaby")
    assert answer["language"] == "en"
    assert answer["intent"]["name"] == "find_service"
    assert "language" in answer["categories"]
    services = answer["services"]
    assert services, answer
    assert all("language" in s["categories"] for s in services)
    assert services[0]["distance_km"] is None or services[0]["distance_km"] < 15
    texts = "\n".join(m["text"] for m in answer["messages"])
    assert services[0]["name"] in texts
    assert not answer["emergency"]


def test_job_search_in_surrey_in_french(stack: Stack) -> None:
    answer = stack.try_("je cherche un emploi à Surrey", user="surrey-fr")
    assert answer["language"] == "fr"
    assert "employment" in answer["categories"]
    assert answer["services"], answer
    header = CATALOG.text(
        "utter_results_header",
        "fr",
        count=len(answer["services"]),
        category_name=CATALOG.text("utter_category_employment", "fr"),
        place="Surrey",
    )
    assert answer["messages"][0]["text"] == header


def test_a_question_without_a_place_asks_for_one_then_answers(stack: Stack) -> None:
    first = stack.try_("I need a family doctor", user="no-place")
    assert first["messages"][0]["text"] == CATALOG.text("utter_ask_place", "en")
    assert first["services"] == []
    second = stack.try_("Richmond", user="no-place")
    assert second["services"], second
    assert "health" in second["categories"]
    details = stack.try_("2", user="no-place")
    assert details["intent"]["name"] == "service_details"
    assert details["messages"][0]["text"].startswith("2. ")


def test_danger_is_answered_with_emergency_numbers_first(stack: Stack) -> None:
    for text, language in (
        ("I want to kill myself", "en"),
        ("mon mari me frappe, j'ai peur", "fr"),
    ):
        answer = stack.try_(text, user=f"danger-{language}", language=language)
        assert answer["emergency"] is True, (text, answer)
        assert "911" in answer["messages"][0]["text"].splitlines()[0]


def test_emergency_interrupts_a_search_in_progress(stack: Stack) -> None:
    stack.try_("I need food", user="interrupt")
    answer = stack.try_("someone is hitting me right now", user="interrupt")
    assert answer["emergency"] is True
    assert "911" in answer["messages"][0]["text"]


def test_gibberish_gets_the_category_menu_not_a_dead_end(stack: Stack) -> None:
    answer = stack.try_("qwzx vbnm plkj", user="menu")
    assert answer["intent"]["name"] == "nlu_fallback", answer["intent"]
    buttons = [b for m in answer["messages"] for b in m.get("buttons", [])]
    assert len(buttons) == 16
    assert all(b["payload"].startswith("/find_service") for b in buttons)


@pytest.mark.parametrize(
    ("text", "category"), [("resume help", "employment"), ("counsellor arabic", "mental_health")]
)
def test_a_two_word_request_is_a_request_not_small_talk(
    stack: Stack, text: str, category: str
) -> None:
    # The intent model alone reads these as "help" and "ask for a person".
    answer = stack.try_(text, user=f"short-{category}")
    assert answer["intent"]["name"] == "find_service", answer["intent"]
    assert category in answer["categories"], answer


def test_asking_for_another_language_stays_a_change_of_language(stack: Stack) -> None:
    answer = stack.try_("écris en anglais s'il te plaît", user="switch")
    assert answer["intent"]["name"] == "change_language", answer["intent"]
    assert not answer["services"], answer


def test_health_reports_every_component(stack: Stack) -> None:
    body = httpx.get(f"{stack.base_url}/healthz", timeout=10).json()
    assert body == {"status": "ok", "components": {"rasa": True, "actions": True, "database": True}}


BAD_TEXTS = [
    "",
    "   \n\t ",
    "x" * 10_000,
    "\ud800 broken surrogate",
    "\u202eevil override\u202c food",
    "\x00\x01\x07 control",
    "<script>alert(1)</script> housing in Surrey",
]


@pytest.mark.parametrize("text", BAD_TEXTS, ids=range(len(BAD_TEXTS)))
def test_bad_input_gets_a_polite_answer_never_a_500(stack: Stack, text: str) -> None:
    for path, body in (
        ("/api/try", {"text": text, "user": "bad"}),
        ("/chat/message", {"conversation": "bad-input-conv", "text": text, "language": "auto"}),
    ):
        # json.dumps escapes lone surrogates as \\udXXX, as a buggy client would send them
        response = httpx.post(
            f"{stack.base_url}{path}",
            content=json.dumps(body).encode(),
            headers={"content-type": "application/json"},
            timeout=60,
        )
        assert response.status_code < 500, (path, response.text)
        data = response.json()
        assert data.get("messages") or data.get("message"), data
    # the conversation goes on
    assert stack.try_("food bank in Vancouver", user="bad")["services"]


def test_broken_bodies_get_a_4xx(stack: Stack) -> None:
    for body, ctype in (
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"{not json", "application/json"),
        (b"[1,2]", "application/json"),
        (b"x" * 200_000, "application/json"),
    ):
        for path in ("/api/try", "/chat/message"):
            r = httpx.post(
                f"{stack.base_url}{path}", content=body, headers={"content-type": ctype}, timeout=30
            )
            assert 400 <= r.status_code < 500, (path, body[:20], r.status_code)


def test_web_chat_endpoint_answers_in_the_chosen_language(stack: Stack) -> None:
    r = httpx.post(
        f"{stack.base_url}/chat/message",
        timeout=60,
        json={"conversation": "webchat-lang-1", "text": "food bank in Burnaby", "language": "fr"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["language"] == "fr" and body["dir"] == "ltr"
    assert any(m.get("buttons") for m in body["messages"])


def test_the_console_shows_an_sms_answer_as_the_phone_gets_it(stack: Stack) -> None:
    answer = stack.try_("food bank in Burnaby", channel="sms", user="e2e-sms-preview")
    messages = answer["messages"]
    assert isinstance(messages, list) and messages
    assert all(1 <= m["segments"] <= 3 for m in messages), messages
    text = "\n".join(m["text"] for m in messages)
    # Numbered services and the SMS footer instead of buttons.
    from bot.catalog import Catalog

    catalog = Catalog.from_files()
    footers = {
        catalog.text(k, "en") for k in ("utter_sms_results_footer", "utter_sms_results_footer_last")
    }
    assert "\n1. " in text and text.splitlines()[-1] in footers, text
    assert all("buttons" not in m for m in messages)
