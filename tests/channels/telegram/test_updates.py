"""What is kept of a Telegram update: only what the answer needs."""

from __future__ import annotations

from typing import Any

import pytest

from channels.telegram.updates import BadUpdate, parse_update


def _message(**content: Any) -> dict[str, Any]:
    return {
        "update_id": 10,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 42, "type": "private", "first_name": "Amina", "username": "amina"},
            "from": {"id": 42, "is_bot": False, "first_name": "Amina", "language_code": "ar"},
            **content,
        },
    }


def test_text_keeps_the_text_and_the_language_hint_and_nothing_personal() -> None:
    incoming = parse_update(_message(text="food bank in Surrey"))
    assert incoming is not None
    assert (incoming.update_id, incoming.chat_id) == (10, 42)
    assert incoming.payload == {
        "kind": "text",
        "text": "food bank in Surrey",
        "language_code": "ar",
    }


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/start", "start"),
        ("/start fr-deeplink", "start"),
        ("/help@NavigatorBot", "help"),
        ("/LANGUAGE", "language"),
        ("/location", "location"),
        ("/unknown", "help"),
    ],
)
def test_commands(text: str, command: str) -> None:
    incoming = parse_update(_message(text=text))
    assert incoming is not None and incoming.payload["kind"] == "command"
    assert incoming.payload["command"] == command


def test_a_button_payload_typed_as_text_is_text() -> None:
    incoming = parse_update(_message(text='/find_service{"category":"food"}'))
    assert incoming is not None and incoming.payload["kind"] == "text"


def test_a_location_is_rounded_to_about_a_hundred_metres() -> None:
    incoming = parse_update(_message(location={"latitude": 49.282729, "longitude": -123.120738}))
    assert incoming is not None
    assert incoming.payload["location"] == "49.283,-123.121"
    assert "49.2827" not in str(incoming.payload)


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice"])
def test_other_content_is_not_text(kind: str) -> None:
    incoming = parse_update(_message(**{kind: {"file_id": "x"}}))
    assert incoming is not None and incoming.payload["kind"] == "not_text"


def test_a_photo_with_a_caption_is_its_caption() -> None:
    incoming = parse_update(_message(photo=[{"file_id": "x"}], caption="is this a food bank?"))
    assert incoming is not None and incoming.payload["text"] == "is this a food bank?"


def test_a_callback_keeps_its_data_and_query_id() -> None:
    update = {
        "update_id": 11,
        "callback_query": {
            "id": "q1",
            "from": {"id": 42, "is_bot": False, "first_name": "A", "language_code": "fr"},
            "chat_instance": "c",
            "data": "/more_results",
            "message": {"message_id": 5, "date": 0, "chat": {"id": 42, "type": "private"}},
        },
    }
    incoming = parse_update(update)
    assert incoming is not None and incoming.chat_id == 42
    assert incoming.payload == {
        "kind": "callback",
        "callback_id": "q1",
        "data": "/more_results",
        "language_code": "fr",
    }


def test_groups_edits_and_other_updates_are_not_answered() -> None:
    group = _message(text="hi")
    group["message"]["chat"]["type"] = "supergroup"
    assert parse_update(group) is None
    assert parse_update({"update_id": 12, "edited_message": _message(text="x")["message"]}) is None
    assert parse_update({"update_id": 13, "my_chat_member": {}}) is None


@pytest.mark.parametrize("data", [None, [], "x", {}, {"update_id": "1"}, {"update_id": True}])
def test_not_an_update(data: Any) -> None:
    with pytest.raises(BadUpdate):
        parse_update(data)
