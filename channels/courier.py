"""Background work of the platform channels: answer stored messages, send queued ones.

`InboundWorker` turns each stored inbound message into an answer, one message at a time
per recipient (answers keep the order of questions). `Courier` sends queued messages:
oldest first per recipient, at most one per `per_recipient_interval` to the same
recipient and `per_second` in all, honouring a platform's "retry after", backing off on
errors, and giving up on a recipient who blocked us instead of retrying forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from channels.delivery import BLOCKED, OPTED_OUT, Delivery, Inbound, Outbound

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    ok: bool
    external_id: str | None = None
    retry_after: float | None = None  # the platform said when to try again
    blocked: bool = False  # the user blocked the bot (Telegram 403)
    opted_out: bool = False  # the number opted out (Twilio 21610)
    permanent: bool = False  # will never succeed (bad request): do not retry
    error: str = ""


class Sender(Protocol):
    async def send(self, recipient: str, body: dict[str, Any]) -> SendResult: ...


@dataclass
class Processed:
    """What a channel made of an inbound message."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    # The assistant could not answer now: try again later; `hold` (e.g. "we will answer
    # soon") is sent once, the first time.
    retry: bool = False
    hold: list[dict[str, Any]] = field(default_factory=list)
    # The bodies already went back in the webhook's own response (Twilio TwiML): record
    # them as sent instead of queueing them.
    sent_inline: bool = False


Processor = Callable[[Inbound], Awaitable[Processed]]


class _RateLimit:
    """At most `per_second` sends in any second (a token bucket)."""

    def __init__(self, per_second: float) -> None:
        self.per_second = per_second
        self._tokens = per_second
        self._stamp = time.monotonic()

    async def take(self) -> None:
        while True:
            now = time.monotonic()
            self._tokens = min(
                self.per_second, self._tokens + (now - self._stamp) * self.per_second
            )
            self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return
            await asyncio.sleep((1 - self._tokens) / self.per_second)


class Courier:
    def __init__(
        self,
        delivery: Delivery,
        channel: str,
        sender: Sender,
        *,
        per_recipient_interval: float = 1.0,
        per_second: float = 30.0,
        max_attempts: int = 8,
        poll_seconds: float = 0.5,
    ) -> None:
        self.delivery = delivery
        self.channel = channel
        self.sender = sender
        self.per_recipient_interval = per_recipient_interval
        self.max_attempts = max_attempts
        self.poll_seconds = poll_seconds
        self._limit = _RateLimit(per_second)
        self._last_sent: dict[str, float] = {}
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            # Cleared before draining: a message queued while we drain wakes the next wait.
            self._wake.clear()
            try:
                sent = await self.drain_once()
            except Exception:  # keep the loop alive: a bad row must not stop all sending
                log.exception("%s courier: sending failed", self.channel)
                sent = 0
            if sent:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._idle_seconds())

    def _idle_seconds(self) -> float:
        """How long to wait for new work: the poll interval, or less when a recipient's
        next message becomes due sooner."""
        now = time.monotonic()
        waits = [self.per_recipient_interval - (now - t) for t in self._last_sent.values()]
        return max(0.02, min([self.poll_seconds, *[w for w in waits if w > 0]]))

    async def drain_once(self) -> int:
        """Send every message that is due now; how many were attempted."""
        now = time.monotonic()
        # Forget recipients whose interval has passed: the table stays as small as the
        # number of people written to in the last second.
        self._last_sent = {
            r: t for r, t in self._last_sent.items() if now - t < self.per_recipient_interval
        }
        resting = set(self._last_sent)
        due = self.delivery.due_outbound(self.channel, busy=resting)
        if not due:
            return 0
        await asyncio.gather(*(self._send(message) for message in due))
        return len(due)

    async def _send(self, message: Outbound) -> None:
        await self._limit.take()
        self._last_sent[message.recipient] = time.monotonic()
        try:
            result = await self.sender.send(message.recipient, message.body)
        except Exception as exc:  # a network error: retry like any transient failure
            log.warning("%s send failed: %s", self.channel, type(exc).__name__)
            result = SendResult(ok=False, error=type(exc).__name__)
        if result.ok:
            self.delivery.sent(message.id, result.external_id)
        elif result.blocked or result.opted_out:
            self.delivery.failed(message.id, result.error or "blocked")
            status = BLOCKED if result.blocked else OPTED_OUT
            self.delivery.set_contact_status(self.channel, message.recipient, status)
        elif result.permanent or message.attempts + 1 >= self.max_attempts:
            log.warning("%s message %s given up: %s", self.channel, message.id, result.error)
            self.delivery.failed(message.id, result.error or "failed")
        else:
            delay = result.retry_after
            if delay is None:
                delay = min(300.0, 2.0**message.attempts)
            self.delivery.retry(message.id, timedelta(seconds=delay), result.error or "retry")


class InboundWorker:
    """Answers stored messages: right away when a webhook hands one over, and on a timer
    for whatever a crash or an unavailable assistant left behind."""

    def __init__(
        self,
        delivery: Delivery,
        channel: str,
        process: Processor,
        courier: Courier | None = None,
        *,
        retry_delay: timedelta = timedelta(seconds=20),
        give_up_after: timedelta = timedelta(hours=6),
        give_up: Callable[[Inbound], list[dict[str, Any]]] | None = None,
        poll_seconds: float = 1.0,
    ) -> None:
        self.delivery = delivery
        self.channel = channel
        self.process = process
        self.courier = courier
        self.retry_delay = retry_delay
        self.give_up_after = give_up_after
        self.give_up = give_up
        self.poll_seconds = poll_seconds
        self._locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[Processed | None]] = set()

    def _lock(self, recipient: str) -> asyncio.Lock:
        return self._locks.setdefault(recipient, asyncio.Lock())

    def submit(self, inbound: Inbound) -> asyncio.Task[Processed | None]:
        """Answer this message in the background (the webhook has already stored it)."""
        task = asyncio.get_running_loop().create_task(self.handle(inbound))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def handle(self, inbound: Inbound) -> Processed | None:
        """Answer one message; None when it was already answered or must wait."""
        lock = self._lock(inbound.recipient)
        async with lock:
            try:
                processed = await self.process(inbound)
            except Exception:
                log.exception("%s: message %s could not be processed", self.channel, inbound.id)
                self.delivery.postpone(inbound.id, self.retry_delay)
                return None
            if processed.retry:
                if inbound.received_at + self.give_up_after < self.delivery.now():
                    bodies = self.give_up(inbound) if self.give_up else []
                    self.delivery.answer(inbound.id, bodies)
                else:
                    if processed.hold and not inbound.held:
                        self.delivery.enqueue(
                            self.channel, inbound.recipient, processed.hold, inbound_id=inbound.id
                        )
                    self.delivery.postpone(inbound.id, self.retry_delay, held=bool(processed.hold))
                self._wake_courier()
                return None
            queued = self.delivery.answer(
                inbound.id, processed.bodies, sent_inline=processed.sent_inline
            )
            self._wake_courier()
            return processed if queued or not processed.bodies else None

    def _wake_courier(self) -> None:
        if self.courier is not None:
            self.courier.wake()

    async def run_once(self) -> int:
        busy = [r for r, lock in self._locks.items() if lock.locked()]
        claimed = self.delivery.claim_inbound(self.channel, busy=busy)
        await asyncio.gather(*(self.handle(inbound) for inbound in claimed))
        return len(claimed)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("%s inbound worker failed", self.channel)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll_seconds)

    async def drain(self) -> None:
        """Wait for the messages submitted so far (clean shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
