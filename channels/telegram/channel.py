"""The Telegram channel as the gateway sees it (`channels.app.PlatformChannel`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from starlette.routing import BaseRoute
from telegram import Bot
from telegram.error import TelegramError

from channels.courier import Courier, InboundWorker
from channels.delivery import ACTIVE, BLOCKED, Delivery
from channels.telegram.polling import Poller
from channels.telegram.processor import CHANNEL
from channels.telegram.updates import Incoming
from channels.telegram.webhook import webhook_route

log = logging.getLogger(__name__)


class TelegramChannel:
    name = CHANNEL

    def __init__(
        self,
        *,
        bot: Bot,
        delivery: Delivery,
        worker: InboundWorker,
        courier: Courier,
        webhook_secret: bytes | None,
        polling: bool,
        lease: timedelta,
        poll_timeout: int = 25,
    ) -> None:
        self.bot = bot
        self.delivery = delivery
        self.worker = worker
        self.courier = courier
        self.webhook_secret = webhook_secret
        self.poller = Poller(bot, self.accept, timeout=poll_timeout) if polling else None
        # How long the request that stored an update has to answer it before the
        # background worker may (after a crash): longer than one turn can take.
        self.lease = lease
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def routes(self) -> list[BaseRoute]:
        # In polling mode there is no webhook: the route would only ever answer 403.
        return [] if self.poller else [webhook_route(self.webhook_secret, self.accept)]

    def accept(self, incoming: Incoming) -> bool:
        """Store an update and start answering it; False when it was stored before."""
        recipient = str(incoming.chat_id)
        stored = self.delivery.receive(
            CHANNEL, str(incoming.update_id), recipient, incoming.payload, lease=self.lease
        )
        if stored is None:
            return False
        if self.delivery.contact_status(CHANNEL, recipient) == BLOCKED:
            # They wrote to us again, so they unblocked the bot.
            self.delivery.set_contact_status(CHANNEL, recipient, ACTIVE)
        self.worker.submit(stored)
        return True

    async def start(self) -> None:
        if self.webhook_secret is None and self.poller is None:
            log.warning("TELEGRAM_WEBHOOK_SECRET is not set: the Telegram webhook refuses all")
        try:
            await self.bot.initialize()
        except TelegramError as exc:  # sending retries later; the gateway still starts
            log.warning("telegram Bot API not reachable at start: %s", type(exc).__name__)
        self._stop.clear()
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self.worker.run(self._stop)),
            loop.create_task(self.courier.run(self._stop)),
        ]
        if self.poller is not None:
            self._tasks.append(loop.create_task(self.poller.run(self._stop)))

    async def stop(self) -> None:
        self._stop.set()
        # Let answers in progress finish briefly; what is cut off stays stored and leased,
        # and is answered after the next start.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.worker.drain(), 5.0)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self.bot.shutdown()
