"""Telegram end to end: the real stack (trained model, Rasa, actions, gateway) behind the
webhook, the fake Bot API over HTTP in front of it, as a Telegram user would live it."""

from __future__ import annotations

import html
import os
import random
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.catalog import Catalog
from bot.settings import Settings
from bot.wiring import build_gateway
from channels.delivery import ACTIVE, BLOCKED, Delivery
from knowledge.db import Database
from tests.e2e.conftest import Stack
from tests.support.fake_telegram import Call, FakeTelegram, check_text

pytestmark = pytest.mark.e2e

CATALOG = Catalog.from_files()
CARD_TITLE = re.compile(r"<b>(\d+)\. ([^<]+)</b>")


def new_chat() -> int:
    return random.randint(10**8, 10**9)


def say(stack: Stack, update: dict[str, Any]) -> None:
    response = stack.telegram.post(stack.base_url, update)
    assert response.status_code == 200, response.text


def reply_to(stack: Stack, chat: int, update: dict[str, Any], timeout: float = 60) -> Call:
    """Send an update and return the answer's last message (the one with the keyboard)."""
    before = len(stack.telegram.messages(chat))
    say(stack, update)
    messages = stack.telegram.wait_for_messages(chat, before + 1, timeout)
    # An answer may take several messages; the next update's answer marks its end.
    return messages[-1]


def plain(call: Call) -> str:
    return html.unescape(call.text)


def callback_data(call: Call) -> list[str]:
    return [key["callback_data"] for key in call.inline_buttons]


def gateway_env(stack: Stack) -> dict[str, str]:
    """The stack's gateway's settings (its process's environment)."""
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(stack.process.pid)], capture_output=True, text=True
    )
    for pid in map(int, out.stdout.split()):
        if b"serve-gateway" in Path(f"/proc/{pid}/cmdline").read_bytes():
            raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            env = dict(item.decode().split("=", 1) for item in raw if b"=" in item)
            env["PID"] = str(pid)
            return env
    raise AssertionError("no gateway process")


def stack_delivery(stack: Stack) -> Delivery:
    return Delivery(Database(gateway_env(stack)["DATABASE_URL"]).engine)


def test_a_question_gets_services_with_a_keyboard_and_a_tap_gets_the_details(
    stack: Stack,
) -> None:
    chat = new_chat()
    answer = reply_to(stack, chat, stack.telegram.text_update(chat, "English classes in Burnaby"))
    titles = CARD_TITLE.findall(answer.text)
    assert [n for n, _ in titles] == ["1", "2", "3"], answer.text
    assert "Burnaby" in plain(answer)
    data = callback_data(answer)
    assert '/service_details{"number":"1"}' in data and "/more_results" in data
    assert all(len(d.encode()) <= 64 for d in data)

    tap = stack.telegram.callback_update(chat, '/service_details{"number":"1"}')
    details = reply_to(stack, chat, tap)
    assert titles[0][1] in details.text  # the same service, now in detail
    assert any(
        c.params.get("callback_query_id") == tap["callback_query"]["id"]
        for c in stack.telegram.calls("answerCallbackQuery")
    )

    more = reply_to(stack, chat, stack.telegram.callback_update(chat, "/more_results"))
    assert [n for n, _ in CARD_TITLE.findall(more.text)][:1] == ["4"]


def test_a_shared_location_is_answered_with_services_near_it(stack: Stack) -> None:
    chat = new_chat()
    asked = reply_to(stack, chat, stack.telegram.text_update(chat, "I need a food bank"))
    assert plain(asked) == CATALOG.text("utter_ask_place", "en")
    located = reply_to(stack, chat, stack.telegram.location_update(chat, 49.2827, -123.1207))
    assert "Vancouver" in plain(located)
    assert "49.28" not in plain(located)  # named, not raw coordinates
    assert CARD_TITLE.findall(located.text), located.text


def test_start_welcomes_in_the_apps_language_and_offers_the_languages(stack: Stack) -> None:
    chat = new_chat()
    welcome = reply_to(stack, chat, stack.telegram.text_update(chat, "/start", language_code="fr"))
    assert CATALOG.text("utter_greet", "fr") in plain(welcome)
    assert CATALOG.text("utter_choose_language", "fr") in plain(welcome)
    data = callback_data(welcome)
    assert '/change_language{"language":"fr"}' in data and len(data) == 13

    chosen = reply_to(
        stack, chat, stack.telegram.callback_update(chat, '/change_language{"language":"es"}')
    )
    assert plain(chosen) == CATALOG.text("utter_language_changed", "es")
    # From now on Spanish, although the app is French and "/help" says nothing.
    helped = reply_to(stack, chat, stack.telegram.text_update(chat, "/help", language_code="fr"))
    assert CATALOG.text("utter_help", "es") in plain(helped)


def test_a_duplicate_update_gets_one_answer(stack: Stack) -> None:
    chat = new_chat()
    update = stack.telegram.text_update(chat, "food bank in Burnaby")
    say(stack, update)
    say(stack, update)
    stack.telegram.wait_for_messages(chat, 1, 60)
    barrier = reply_to(stack, chat, stack.telegram.text_update(chat, "/location"))
    messages = stack.telegram.messages(chat)
    assert len(messages) == 2 and messages[-1] == barrier
    assert CARD_TITLE.findall(messages[0].text)


def test_markup_in_a_question_is_escaped_and_every_answer_is_valid_telegram_html(
    stack: Stack,
) -> None:
    chat = new_chat()
    text = "<b>food</b> bank in Surrey & <a href='x'>me</a>"
    answer = reply_to(stack, chat, stack.telegram.text_update(chat, text))
    assert CARD_TITLE.findall(answer.text) or plain(answer)
    for call in stack.telegram.messages(chat):
        assert check_text(call.text, "HTML") is None
        assert "<a " not in call.text and "<script" not in call.text
    assert not [c for c in stack.telegram.refused if c.chat_id == chat]


def test_429_retry_after_is_honoured_and_403_blocked_stops_writing(stack: Stack) -> None:
    slow, gone = new_chat(), new_chat()
    stack.telegram.rate_limit_next_send(slow, retry_after=1)
    say(stack, stack.telegram.text_update(slow, "food bank in Surrey"))
    first, second = stack.telegram.wait_for_messages(slow, 2, 60)
    assert first.text == second.text and CARD_TITLE.findall(second.text)

    delivery = stack_delivery(stack)
    stack.telegram.block_next_sends(gone)
    say(stack, stack.telegram.text_update(gone, "food bank in Surrey"))
    stack.telegram.wait_for(
        lambda: delivery.contact_status("telegram", str(gone)) == BLOCKED, 60, "blocked"
    )
    assert [s for s, _ in delivery.outbound_for("telegram", str(gone))] == ["failed"]
    assert len(stack.telegram.messages(gone)) == 1
    # They unblocked the bot and write again: answered.
    reply_to(stack, gone, stack.telegram.text_update(gone, "/help"))
    assert delivery.contact_status("telegram", str(gone)) == ACTIVE


def test_a_gateway_killed_after_acknowledging_answers_once_after_its_restart(
    stack: Stack,
) -> None:
    chat = new_chat()
    tap = stack.telegram.callback_update(chat, '/change_language{"language":"uk"}')
    stack.telegram.hold_callback_answers()
    try:
        say(stack, tap)  # stored and acknowledged
        stack.telegram.wait_for(
            lambda: any(
                c.params.get("callback_query_id") == tap["callback_query"]["id"]
                for c in stack.telegram.calls("answerCallbackQuery")
            ),
            60,
            "the gateway to start answering",
        )
        os.kill(int(gateway_env(stack)["PID"]), signal.SIGKILL)
    finally:
        stack.telegram.release_callback_answers()
    # The supervisor restarts the gateway; the stored update is answered when its lease
    # runs out, exactly once, even if Telegram also delivers it again.
    stack.telegram.wait_for(lambda: _webhook_up(stack, tap), 120, "the gateway back")
    [answer] = stack.telegram.wait_for_messages(chat, 1, 120)
    assert plain(answer) == CATALOG.text("utter_language_changed", "uk")
    barrier = reply_to(stack, chat, stack.telegram.text_update(chat, "/location"))
    assert stack.telegram.messages(chat) == [answer, barrier]


def _webhook_up(stack: Stack, update: dict[str, Any]) -> bool:
    try:
        return stack.telegram.post(stack.base_url, update).status_code == 200
    except Exception:  # connection refused while the gateway restarts
        return False


@pytest.fixture
def polling_gateway(stack: Stack, tmp_path: Path) -> Iterator[FakeTelegram]:
    """A second gateway in this process, in polling mode, on the stack's Rasa."""
    env = gateway_env(stack)
    settings = Settings.model_validate(
        {
            "NAVIGATOR_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'polling.db'}",
            "NAVIGATOR_RASA_PORT": env["NAVIGATOR_RASA_PORT"],
            "NAVIGATOR_ACTIONS_PORT": env["NAVIGATOR_ACTIONS_PORT"],
            "NAVIGATOR_TELEGRAM_POLLING": True,
            **stack.telegram.stack_env(),
        }
    )
    with TestClient(build_gateway(settings)):
        yield stack.telegram


def test_polling_mode_answers_and_drops_a_repeat(polling_gateway: FakeTelegram) -> None:
    fake, chat = polling_gateway, new_chat()
    question = fake.text_update(chat, "necesito clases de inglés en Surrey", language_code="es")
    fake.queue_update(question)
    [answer] = fake.wait_for_messages(chat, 1, 60)
    assert CARD_TITLE.findall(answer.text) and "Surrey" in plain(answer)
    fake.redeliver_update(question)
    fake.queue_update(fake.text_update(chat, "/location", language_code="es"))
    messages = fake.wait_for_messages(chat, 2, 60)
    assert len(messages) == 2
    assert plain(messages[1]) == CATALOG.text("utter_telegram_location_prompt", "es")
