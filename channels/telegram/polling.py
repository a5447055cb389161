"""Long polling (`getUpdates`) for a developer without a public URL.

Each batch is stored (the same durable, deduplicated path as the webhook) before the
next request's `offset` tells Telegram it may forget it; a crash in between means
Telegram sends the batch again and the stored keys drop the repeats.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError

from channels.telegram.sender import retry_after_seconds
from channels.telegram.updates import BadUpdate, parse_update
from channels.telegram.webhook import Accept

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "callback_query")


class Poller:
    def __init__(self, bot: Bot, accept: Accept, *, timeout: int = 25) -> None:
        self.bot = bot
        self.accept = accept
        self.timeout = timeout
        self.offset: int | None = None

    async def prepare(self) -> None:
        """getUpdates does not work while a webhook is set (409): remove it, keeping the
        updates Telegram holds for us."""
        await self.bot.delete_webhook(drop_pending_updates=False)

    async def poll_once(self) -> int:
        updates = await self.bot.get_updates(
            offset=self.offset, timeout=self.timeout, allowed_updates=ALLOWED_UPDATES
        )
        for update in updates:
            try:
                incoming = parse_update(update.to_dict())
            except BadUpdate:
                incoming = None
            if incoming is not None:
                self.accept(incoming)
            self.offset = update.update_id + 1
        return len(updates)

    async def run(self, stop: asyncio.Event) -> None:
        prepared = False
        delay = 1.0
        while not stop.is_set():
            try:
                if not prepared:
                    await self.prepare()
                    prepared = True
                await self.poll_once()
                delay = 1.0
                continue
            except RetryAfter as exc:
                pause = retry_after_seconds(exc)
            except (Conflict, InvalidToken) as exc:
                log.error("telegram polling refused: %s", type(exc).__name__)
                prepared, pause = False, 30.0
            except TelegramError as exc:
                log.warning("telegram polling failed: %s", type(exc).__name__)
                pause, delay = delay, min(delay * 2, 60.0)
            try:
                await asyncio.wait_for(stop.wait(), pause)
            except TimeoutError:
                pass
