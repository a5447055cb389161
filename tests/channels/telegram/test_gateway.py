"""The Telegram channel in the real gateway, talking to the fake Bot API over HTTP.

The assistant is down here (nothing listens on the Rasa port): danger still gets the
emergency numbers, a question gets one polite "try again", and the channel's own answers
(/location, not text) work fully. Answers that need the trained assistant are end to end.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.catalog import Catalog
from channels.delivery import ACTIVE, BLOCKED, PENDING
from tests.channels.telegram.conftest import Gateway
from tests.support.fake_telegram import FakeTelegram

CATALOG = Catalog.from_files()
WEBHOOK = "/channels/telegram/webhook"


@pytest.fixture
def chat() -> int:
    return random.randint(10**8, 10**9)


def _key(update: dict[str, Any]) -> str:
    return str(update["update_id"])


def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_stored(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    danger = fake_telegram.text_update(chat, "I want to kill myself")
    assert gateway.post(danger, secret="not-the-secret") == 403
    assert gateway.client.post(WEBHOOK, json=danger).status_code == 403
    assert gateway.delivery.inbound_status("telegram", _key(danger)) is None
    # A later, authentic update is the only one answered.
    assert gateway.post(fake_telegram.text_update(chat, "/location")) == 200
    messages = fake_telegram.wait_for_messages(chat, 1)
    assert len(messages) == 1
    assert "911" not in messages[0].text


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"update_id": "seven"}', b'{"message": {}}', b"\xff\xfe"],
)
def test_garbage_gets_a_4xx_not_a_5xx(
    gateway: Gateway, fake_telegram: FakeTelegram, body: bytes
) -> None:
    response = gateway.client.post(
        WEBHOOK, content=body, headers={"X-Telegram-Bot-Api-Secret-Token": fake_telegram.secret}
    )
    assert response.status_code == 400


def test_an_oversized_body_is_refused(gateway: Gateway, fake_telegram: FakeTelegram) -> None:
    response = gateway.client.post(
        WEBHOOK,
        content=b"{" + b" " * 300_000 + b"}",
        headers={"X-Telegram-Bot-Api-Secret-Token": fake_telegram.secret},
    )
    assert response.status_code == 413


def test_danger_gets_the_emergency_numbers_even_with_the_assistant_down(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    assert gateway.post(fake_telegram.text_update(chat, "I want to kill myself")) == 200
    [message] = fake_telegram.wait_for_messages(chat, 1)
    assert message.params["parse_mode"] == "HTML"
    assert html.unescape(message.text) == CATALOG.text("utter_emergency", "en")


def test_a_redelivered_update_is_answered_once(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    update = fake_telegram.text_update(chat, "I want to kill myself")
    assert gateway.post(update) == 200
    fake_telegram.wait_for_messages(chat, 1)
    assert gateway.post(update) == 200  # Telegram did not see our 200 and sent it again
    # The next update's answer comes after anything the repeat could have caused.
    assert gateway.post(fake_telegram.text_update(chat, "/location")) == 200
    messages = fake_telegram.wait_for_messages(chat, 2)
    assert len(messages) == 2
    assert "911" in messages[0].text and "911" not in messages[1].text


def test_with_the_assistant_down_a_question_gets_one_polite_note_and_stays_pending(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    update = fake_telegram.text_update(chat, "English classes in Surrey")
    assert gateway.post(update) == 200
    [note] = fake_telegram.wait_for_messages(chat, 1)
    assert html.unescape(note.text) == CATALOG.text("utter_unavailable", "en")
    # Kept to be answered for real when the assistant is back; a repeat changes nothing.
    assert gateway.delivery.inbound_status("telegram", _key(update)) == PENDING
    assert gateway.post(update) == 200
    gateway.post(fake_telegram.sticker_update(chat))
    messages = fake_telegram.wait_for_messages(chat, 2)
    assert len(messages) == 2


def test_location_command_offers_a_share_location_button_in_the_users_language(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    assert gateway.post(fake_telegram.text_update(chat, "/location", language_code="fr")) == 200
    [message] = fake_telegram.wait_for_messages(chat, 1)
    assert html.unescape(message.text) == CATALOG.text("utter_telegram_location_prompt", "fr")
    [[button]] = message.markup["keyboard"]
    assert button == {
        "text": CATALOG.text("utter_telegram_location_button", "fr"),
        "request_location": True,
    }


def test_a_sticker_gets_text_and_locations_only_in_the_users_language(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    assert gateway.post(fake_telegram.sticker_update(chat, language_code="es-MX")) == 200
    [message] = fake_telegram.wait_for_messages(chat, 1)
    assert html.unescape(message.text) == CATALOG.text("utter_telegram_not_text", "es")


def test_arabic_answers_keep_direction_marks_around_numbers(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    gateway.post(fake_telegram.text_update(chat, "اريد ان اقتل نفسي", language_code="ar"))
    [message] = fake_telegram.wait_for_messages(chat, 1)
    assert "\u200e911\u200e" in message.text


def test_answers_to_one_chat_keep_the_order_of_its_messages(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    gateway.post(fake_telegram.text_update(chat, "/location"))
    gateway.post(fake_telegram.sticker_update(chat))
    gateway.post(fake_telegram.text_update(chat, "I want to kill myself"))
    messages = fake_telegram.wait_for_messages(chat, 3)
    assert [m.text for m in messages] == [
        html.escape(CATALOG.text("utter_telegram_location_prompt", "en")),
        html.escape(CATALOG.text("utter_telegram_not_text", "en")),
        html.escape(CATALOG.text("utter_emergency", "en")),
    ]


def test_a_button_tap_is_acknowledged(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    update = fake_telegram.callback_update(chat, '/service_details{"number":"1"}')
    assert gateway.post(update) == 200
    query_id = update["callback_query"]["id"]
    fake_telegram.wait_for(
        lambda: any(
            c.params.get("callback_query_id") == query_id
            for c in fake_telegram.calls("answerCallbackQuery")
        ),
        what="answerCallbackQuery",
    )
    fake_telegram.wait_for_messages(chat, 1)  # and the chat hears back (here: "try again")


def test_group_chats_and_edits_are_acknowledged_and_ignored(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    group = fake_telegram.text_update(-chat, "I want to kill myself")
    group["message"]["chat"]["type"] = "group"
    edited = fake_telegram.text_update(chat, "I want to kill myself")
    edited["edited_message"] = edited.pop("message")
    assert gateway.post(group) == 200
    assert gateway.post(edited) == 200
    assert gateway.delivery.inbound_status("telegram", _key(group)) is None
    gateway.post(fake_telegram.text_update(chat, "/location"))
    assert len(fake_telegram.wait_for_messages(chat, 1)) == 1
    assert fake_telegram.messages(-chat) == []


def test_429_retry_after_is_honoured_and_the_message_still_arrives_once(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    fake_telegram.rate_limit_next_send(chat, retry_after=1)
    gateway.post(fake_telegram.text_update(chat, "/location"))
    first, second = fake_telegram.wait_for_messages(chat, 2)
    assert first.text == second.text
    fake_telegram.wait_for(
        lambda: [s for s, _ in gateway.delivery.outbound_for("telegram", str(chat))] == ["sent"],
        what="the message recorded as sent",
    )


def test_403_blocked_marks_the_chat_blocked_without_retrying_and_a_new_message_unblocks(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    fake_telegram.block_next_sends(chat)
    gateway.post(fake_telegram.text_update(chat, "/location"))
    fake_telegram.wait_for(
        lambda: gateway.delivery.contact_status("telegram", str(chat)) == BLOCKED,
        what="the chat marked blocked",
    )
    # Given up, not waiting for another try.
    assert [s for s, _ in gateway.delivery.outbound_for("telegram", str(chat))] == ["failed"]
    gateway.post(fake_telegram.sticker_update(chat))
    messages = fake_telegram.wait_for_messages(chat, 2)
    assert len(messages) == 2 and "Tap" not in messages[1].text
    assert gateway.delivery.contact_status("telegram", str(chat)) == ACTIVE


def test_an_update_acknowledged_before_a_stop_is_answered_once_after_the_restart(
    gateway_for: Callable[..., Any], fake_telegram: FakeTelegram, chat: int
) -> None:
    update = fake_telegram.callback_update(chat, "I want to kill myself")
    fake_telegram.hold_callback_answers()  # the first gateway stops in the middle
    try:
        with gateway_for() as first:
            assert first.post(update) == 200
            fake_telegram.wait_for(
                lambda: any(
                    c.params.get("callback_query_id") == update["callback_query"]["id"]
                    for c in fake_telegram.calls("answerCallbackQuery")
                ),
                what="the first gateway to start answering",
            )
    finally:
        fake_telegram.release_callback_answers()
    assert fake_telegram.messages(chat) == []
    with gateway_for() as second:
        assert second.post(update) == 200  # Telegram may also redeliver: still one answer
        [message] = fake_telegram.wait_for_messages(chat, 1, timeout=60)
        assert html.unescape(message.text) == CATALOG.text("utter_emergency", "en")
        second.post(fake_telegram.text_update(chat, "/location"))
        assert len(fake_telegram.wait_for_messages(chat, 2)) == 2


@pytest.fixture
def polling(gateway_for: Callable[..., Any]) -> Iterator[Gateway]:
    with gateway_for(NAVIGATOR_TELEGRAM_POLLING=True) as running:
        yield running


def test_polling_answers_updates_and_drops_a_repeat(
    polling: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    assert polling.client.post(WEBHOOK, json={}).status_code in (404, 405)  # no webhook
    update = fake_telegram.text_update(chat, "I want to kill myself")
    fake_telegram.queue_update(update)
    fake_telegram.wait_for_messages(chat, 1)
    fake_telegram.redeliver_update(update)  # as after a crash before the offset moved on
    fake_telegram.queue_update(fake_telegram.text_update(chat, "/location"))
    messages = fake_telegram.wait_for_messages(chat, 2)
    assert len(messages) == 2 and "911" not in messages[1].text
    assert fake_telegram.calls("deleteWebhook")


def test_start_speaks_the_language_of_the_users_telegram_app(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int
) -> None:
    # "/start" is sent to the assistant as a payload, which says nothing about the
    # language: the app's language_code decides (here the assistant is down, so the
    # polite note is what shows it).
    gateway.post(fake_telegram.text_update(chat, "/start", language_code="fr-CA"))
    [message] = fake_telegram.wait_for_messages(chat, 1)
    assert html.unescape(message.text) == CATALOG.text("utter_unavailable", "fr")


@pytest.mark.parametrize("text", ["", "\u202e\u0000<b>hi</b> \x07", "\u2066" * 5000])
def test_odd_text_is_stored_and_answered_politely(
    gateway: Gateway, fake_telegram: FakeTelegram, chat: int, text: str
) -> None:
    update = fake_telegram.text_update(chat, text)
    assert gateway.post(update) == 200
    [reply] = fake_telegram.wait_for_messages(chat, 1)
    assert reply.text and "<b>hi</b>" not in reply.text
    assert not fake_telegram.refused  # valid Telegram HTML, within the length limit
