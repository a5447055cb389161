"""The SMS channel: Twilio's webhooks in, the conversation engine, answers out.

An inbound message is stored (deduplicated on `MessageSid`) before Twilio gets its
response. The answer goes back inside that response (TwiML) when it is ready within
`inline_seconds`; otherwise the response is an empty `<Response/>` and the answer goes
out through the outbox and Twilio's REST API. When the assistant is unavailable the
`InboundWorker` sends `utter_sms_wait` once and answers when it is back. Keywords
(STOP / START / HELP) are answered at once, ahead of any answer still being prepared.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.routing import BaseRoute

from channels.conversation import ConversationEngine, Turn
from channels.courier import Courier, InboundWorker, Processed
from channels.delivery import ACTIVE, OPTED_OUT, Delivery, Inbound
from channels.sms.choices import ChoiceStore
from channels.sms.keywords import HELP, MORE, START, STOP, Keyword, Keywords, bare_number
from channels.sms.render import render
from channels.sms.sender import TwilioSender
from channels.sms.signature import SignatureCheck

log = logging.getLogger(__name__)

CHANNEL = "sms"  # the delivery ledger's channel; WhatsApp numbers share it ("whatsapp:+1…")
WHATSAPP_PREFIX = "whatsapp:"


@dataclass(frozen=True)
class SmsOptions:
    max_segments: int = 3
    # Well under Twilio's 15 s (10 s to connect): after this the webhook acknowledges
    # with an empty response and the answer goes out through the REST API.
    inline_seconds: float = 5.0
    retry_seconds: float = 20.0  # the assistant was unavailable: try again after
    give_up_after: timedelta = timedelta(hours=6)
    worker_poll_seconds: float = 1.0
    courier_poll_seconds: float = 0.5
    per_second: float = 5.0  # Twilio queues what a number cannot send at once


def turn_channel(recipient: str) -> str:
    """The conversation channel of a Twilio address: WhatsApp or SMS."""
    return "whatsapp" if recipient.startswith(WHATSAPP_PREFIX) else CHANNEL


class _Waiter:
    """A webhook waiting to answer inline; closed when it stops waiting."""

    def __init__(self) -> None:
        self.open = True


class SmsChannel:
    name = CHANNEL

    def __init__(
        self,
        *,
        engine: ConversationEngine,
        delivery: Delivery,
        sender: TwilioSender,
        signature: SignatureCheck,
        choices: ChoiceStore,
        keywords: Keywords,
        options: SmsOptions = SmsOptions(),
    ) -> None:
        self.engine = engine
        self.catalog = engine.catalog
        self.delivery = delivery
        self.sender = sender
        self.signature = signature
        self.choices = choices
        self.keywords = keywords
        self.options = options
        self.courier = Courier(
            delivery,
            CHANNEL,
            sender,
            per_second=options.per_second,
            poll_seconds=options.courier_poll_seconds,
        )
        self.worker = InboundWorker(
            delivery,
            CHANNEL,
            self.process,
            self.courier,
            retry_delay=timedelta(seconds=options.retry_seconds),
            give_up_after=options.give_up_after,
            give_up=self._give_up,
            poll_seconds=options.worker_poll_seconds,
        )
        self._waiting: dict[int, _Waiter] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stop = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []

    # -- lifecycle -------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        from channels.sms.webhook import routes

        return routes(self)

    async def start(self) -> None:
        self._stop = asyncio.Event()
        self._loops = [
            asyncio.create_task(self.worker.run(self._stop)),
            asyncio.create_task(self.courier.run(self._stop)),
        ]

    async def stop(self) -> None:
        self._stop.set()
        self.courier.wake()
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        for task in self._loops:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=15)
        await self.sender.aclose()

    # -- answering -------------------------------------------------------------------

    def keyword(self, inbound: Inbound) -> Keyword | None:
        found = self.keywords.match(str(inbound.payload.get("text", "")))
        twilio = {"STOP": STOP, "START": START}.get(str(inbound.payload.get("opt_out", "")))
        if twilio and (found is None or found.kind != twilio):
            # Twilio acted on a keyword of its own (and answers it): follow, as English.
            return Keyword(twilio, ("en",))
        return found

    async def answer_inline(self, inbound: Inbound) -> list[dict[str, Any]] | None:
        """Answer within the deadline: the bodies to put in the TwiML response, recorded
        as sent; None when the answer will go out through the outbox instead."""
        keyword = self.keyword(inbound)
        if keyword is not None and keyword.kind in (STOP, START, HELP):
            # Ahead of anything still being prepared for this number: STOP must hold now.
            bodies = self.keyword_reply(inbound, keyword)
            self.delivery.answer(inbound.id, bodies, sent_inline=True)
            return bodies
        waiter = self._waiting[inbound.id] = _Waiter()
        task = asyncio.create_task(self.worker.handle(inbound))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            await asyncio.wait_for(asyncio.shield(task), self.options.inline_seconds)
        except TimeoutError:
            pass
        finally:
            waiter.open = False
            self._waiting.pop(inbound.id, None)
        if not task.done() or task.cancelled() or task.exception() is not None:
            return None
        processed = task.result()
        if processed is not None and processed.sent_inline:
            return processed.bodies
        return None

    async def process(self, inbound: Inbound) -> Processed:
        """What to answer to one stored message (called by the InboundWorker)."""
        text = str(inbound.payload.get("text", ""))
        recipient = inbound.recipient
        keyword = self.keyword(inbound)
        if keyword is not None and keyword.kind in (STOP, START, HELP):
            return self._inline(inbound, Processed(self.keyword_reply(inbound, keyword)))
        if self.delivery.contact_status(CHANNEL, recipient) == OPTED_OUT:
            return Processed()  # nothing is sent until START
        channel = turn_channel(recipient)
        conversation = self.engine.conversation_id(channel, recipient)
        origin = self._origin(inbound)
        if keyword is not None and keyword.kind == MORE:
            page = self.choices.next_page(conversation)
            if page is not None:  # the rest of a menu: no need to ask the assistant
                return self._inline(inbound, Processed([{"text": page, **origin}]))
        answer = await self.engine.handle(
            Turn(
                channel=channel,
                user=recipient,
                text=self._resolve(conversation, text, keyword),
                metadata={"sms_max_segments": self.options.max_segments},
            )
        )
        if answer.unavailable and not answer.emergency:
            wait = self.catalog.text("utter_sms_wait", answer.language)
            return Processed(retry=True, hold=[{"text": wait, **origin}])
        rendered = render(
            answer.messages,
            answer.facts,
            language=answer.language,
            catalog=self.catalog,
            max_segments=self.options.max_segments,
            whatsapp=channel == "whatsapp",
        )
        if rendered.choices:
            self.choices.save(conversation, rendered.choices, rendered.pages)
        return self._inline(inbound, Processed([{"text": b, **origin} for b in rendered.bodies]))

    def _inline(self, inbound: Inbound, processed: Processed) -> Processed:
        # No await from here until the worker records the answer: the webhook cannot stop
        # waiting in between, so the answer is either in its response or in the outbox.
        waiter = self._waiting.get(inbound.id)
        if waiter is not None and waiter.open:
            processed.sent_inline = True
        return processed

    def _origin(self, inbound: Inbound) -> dict[str, str]:
        to = inbound.payload.get("to")
        return {"from": str(to)} if isinstance(to, str) and to else {}

    def _resolve(self, conversation: str, text: str, keyword: Keyword | None) -> str:
        """MORE and bare numbers stand for the previous answer's choices."""
        number = bare_number(text)
        if keyword is None and number is None:
            return text
        choices = self.choices.get(conversation)
        key = MORE if keyword is not None and keyword.kind == MORE else str(number)
        return choices.get(key, text)

    def _language(self, recipient: str) -> str | None:
        preferred, last = self.engine.store.get(
            self.engine.conversation_id(turn_channel(recipient), recipient)
        )
        return preferred or last

    def keyword_reply(self, inbound: Inbound, keyword: Keyword) -> list[dict[str, Any]]:
        recipient = inbound.recipient
        language = keyword.language(self._language(recipient))
        origin = self._origin(inbound)
        if keyword.kind == STOP:
            self.delivery.set_contact_status(CHANNEL, recipient, OPTED_OUT)
            log.info("sms: a number opted out")
            if keyword.english and turn_channel(recipient) == CHANNEL:
                return []  # Twilio answers the English STOP words on SMS itself
            return [{"text": self.catalog.text("utter_sms_stopped", language), **origin}]
        if keyword.kind == START:
            self.delivery.set_contact_status(CHANNEL, recipient, ACTIVE)
            return [{"text": self.catalog.text("utter_sms_started", language), **origin}]
        return [{"text": self.catalog.text("utter_sms_help", language), **origin}]

    def _give_up(self, inbound: Inbound) -> list[dict[str, Any]]:
        language = self._language(inbound.recipient) or self.engine.default_language
        return [{"text": self.catalog.text("utter_unavailable", language), **self._origin(inbound)}]

    # -- delivery reports -------------------------------------------------------------

    def status_report(self, message_sid: str, status: str, error_code: str) -> None:
        """Twilio's status callback: a send refused as opted out marks the number."""
        if status not in ("failed", "undelivered"):
            return
        message = self.delivery.outbound_by_external_id(CHANNEL, message_sid)
        if message is None:
            return
        self.delivery.failed(message.id, f"status {status} {error_code}".strip())
        if error_code == "21610":
            self.delivery.set_contact_status(CHANNEL, message.recipient, OPTED_OUT)
