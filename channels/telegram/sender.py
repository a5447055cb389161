"""Sending through the Bot API with python-telegram-bot's `Bot`, and what its errors mean.

The `Courier` decides when to send; this module only turns a queued body into a
`sendMessage` call and the outcome into a `SendResult`: 403 (blocked, deactivated) means
stop writing to this chat, 429 carries Telegram's `retry_after`, other 4xx will never
succeed, network trouble is retried.
"""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from channels.courier import SendResult

log = logging.getLogger(__name__)

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup


def make_bot(token: str, api_base_url: str, *, poll_timeout: float = 0.0) -> Bot:
    """A Bot for `{api_base_url}/bot{token}/{method}`; long polls get a longer read timeout."""
    base = api_base_url.rstrip("/")
    return Bot(
        token,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=HTTPXRequest(connection_pool_size=32, read_timeout=15.0),
        get_updates_request=HTTPXRequest(read_timeout=poll_timeout + 10.0),
    )


def reply_markup(body: dict[str, Any]) -> ReplyMarkup | None:
    if body.get("inline"):
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(key["text"], callback_data=key["data"]) for key in row]
                for row in body["inline"]
            ]
        )
    if body.get("location_button"):
        return ReplyKeyboardMarkup(
            [[KeyboardButton(str(body["location_button"]), request_location=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    return None


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that the attribute becomes a timedelta; either form is fine here.
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    """`channels.courier.Sender` for Telegram: recipients are chat ids."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, recipient: str, body: dict[str, Any]) -> SendResult:
        try:
            message = await self.bot.send_message(
                chat_id=int(recipient),
                text=str(body["html"]),
                parse_mode=ParseMode.HTML,
                reply_markup=reply_markup(body),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except RetryAfter as exc:
            return SendResult(ok=False, retry_after=retry_after_seconds(exc), error="429")
        except Forbidden as exc:
            # "bot was blocked by the user", "user is deactivated": writing again is futile.
            return SendResult(ok=False, blocked=True, error=f"403 {exc.message}"[:200])
        except (BadRequest, ChatMigrated) as exc:
            log.warning("telegram refused a message: %s", exc.message)
            return SendResult(ok=False, permanent=True, error=f"400 {exc.message}"[:200])
        except InvalidToken:
            log.error("telegram rejected the bot token (TELEGRAM_BOT_TOKEN)")
            return SendResult(ok=False, error="invalid token")
        except TelegramError as exc:  # network trouble, 5xx: try again later
            return SendResult(ok=False, error=type(exc).__name__)
        return SendResult(ok=True, external_id=str(message.message_id))

    async def answer_callback(self, callback_id: str) -> None:
        """Stop the button's spinner. Best effort: an old query (after a restart) is refused
        by Telegram, and the answer itself still comes."""
        try:
            await self.bot.answer_callback_query(callback_id, read_timeout=5.0)
        except TelegramError as exc:
            log.info("callback query not answered: %s", type(exc).__name__)
