"""A stored Telegram update becomes an answer: commands, buttons, locations and text.

Everything the assistant must understand goes through the one `ConversationEngine` (as
the web chat does): text as written, a button's payload, a location as a `give_place`
payload. Only `/location` and "this is not text" are answered here, from the catalog.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from actions.language_choice import language_buttons
from channels.conversation import Answer, ConversationEngine, Turn
from channels.courier import Processed
from channels.delivery import Inbound
from channels.telegram.callbacks import CallbackKeys
from channels.telegram.render import location_request, render
from channels.telegram.updates import CALLBACK, COMMAND, LOCATION, NOT_TEXT

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# Commands the assistant answers, as the intent payload Rasa understands.
_COMMAND_TEXT = {"start": "/greet", "help": "/help", "language": "/change_language"}

AnswerCallback = Callable[[str], Awaitable[None]]


class TelegramProcessor:
    def __init__(
        self,
        engine: ConversationEngine,
        callbacks: CallbackKeys,
        answer_callback: AnswerCallback,
    ) -> None:
        self.engine = engine
        self.callbacks = callbacks
        self.answer_callback = answer_callback

    def language(self, chat: str, hint: str | None) -> str:
        """The conversation's language without asking the assistant: chosen, else last
        used, else the app's language, else the default."""
        preference, last = self.engine.store.get(self.engine.conversation_id(CHANNEL, chat))
        for code in (preference, last, _base(hint)):
            if code in self.engine.languages:
                return str(code)
        return self.engine.default_language

    def hint(self, chat: str, language_code: str | None) -> str | None:
        """Telegram's `language_code` counts only until the conversation has a language:
        a user who writes Spanish in a French app keeps Spanish when tapping a button."""
        preference, last = self.engine.store.get(self.engine.conversation_id(CHANNEL, chat))
        return language_code if preference is None and last is None else None

    async def __call__(self, inbound: Inbound) -> Processed:
        payload = inbound.payload
        kind = payload.get("kind")
        chat = inbound.recipient
        language_code = payload.get("language_code")
        if kind == CALLBACK:
            await self.answer_callback(str(payload.get("callback_id", "")))
            text = self.callbacks.resolve(str(payload.get("data", "")))
            if not text:  # a button from long ago whose key is gone: show the menu again
                text = "/help"
        elif kind == LOCATION:
            text = f'/give_place{{"place":"{payload["location"]}"}}'
        elif kind == COMMAND and payload.get("command") == "location":
            language = self.language(chat, language_code)
            return Processed(bodies=[self._location_prompt(language)])
        elif kind == COMMAND:
            text = _COMMAND_TEXT.get(str(payload.get("command")), "/help")
        elif kind == NOT_TEXT:
            language = self.language(chat, language_code)
            catalog = self.engine.catalog
            return Processed(
                bodies=render(
                    [{"text": catalog.text("utter_telegram_not_text", language)}],
                    language,
                    self.callbacks.shorten,
                )
            )
        else:
            text = str(payload.get("text", ""))
        answer = await self.engine.handle(
            Turn(channel=CHANNEL, user=chat, text=text, hint=self.hint(chat, language_code))
        )
        messages = list(answer.messages)
        if kind == COMMAND and payload.get("command") == "start" and not answer.unavailable:
            messages.append(self._language_menu(answer))
        bodies = render(messages, answer.language, self.callbacks.shorten)
        if answer.unavailable and not answer.emergency:
            # The assistant is down: say so once, and answer for real when it is back.
            return Processed(retry=True, hold=bodies)
        return Processed(bodies=bodies)

    def _language_menu(self, answer: Answer) -> dict[str, Any]:
        return {
            "text": self.engine.catalog.text("utter_choose_language", answer.language),
            "buttons": language_buttons(),
        }

    def _location_prompt(self, language: str) -> dict[str, Any]:
        catalog = self.engine.catalog
        return location_request(
            catalog.text("utter_telegram_location_prompt", language),
            catalog.text("utter_telegram_location_button", language),
        )


def _base(code: str | None) -> str | None:
    return code.split("-")[0].lower() if code else None
