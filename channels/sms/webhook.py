"""Twilio's two webhooks: incoming messages and delivery status reports."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from twilio.twiml.messaging_response import MessagingResponse

from channels.sms.signature import Rejected

if TYPE_CHECKING:
    from channels.sms.channel import SmsChannel

log = logging.getLogger(__name__)

INBOUND_PATH = "/channels/sms"
STATUS_PATH = "/channels/sms/status"
_XML = "application/xml"
_MAX_KEY = 80  # the ledger's key column


def twiml(texts: list[str]) -> Response:
    reply = MessagingResponse()
    for text in texts:
        reply.message(text)
    return Response(str(reply), media_type=_XML)


def routes(channel: SmsChannel) -> list[BaseRoute]:
    async def inbound(request: Request) -> Response:
        try:
            form = await channel.signature.verified_form(request)
        except Rejected as rejected:
            return Response(status_code=rejected.status)
        sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
        sender = form.get("From") or ""
        if not sid or not sender or len(sid) > _MAX_KEY:
            return Response(status_code=400)
        payload: dict[str, str] = {"text": form.get("Body") or ""}
        opt_out = (form.get("OptOutType") or "").upper()
        if opt_out in ("STOP", "START"):
            # Twilio's Advanced Opt-Out recognised a keyword (perhaps one configured in
            # its console that our lists lack): follow it.
            payload["opt_out"] = opt_out
        if sender.startswith("whatsapp:") and form.get("To"):
            payload["to"] = form.get("To") or ""  # answer from the number they wrote to
        stored = channel.delivery.receive("sms", sid, sender, payload)
        if stored is None:  # Twilio sent this one before: it has (or will get) its answer
            return twiml([])
        bodies = await channel.answer_inline(stored)
        return twiml([str(b.get("text", "")) for b in bodies or [] if b.get("text")])

    async def status(request: Request) -> Response:
        try:
            form = await channel.signature.verified_form(request)
        except Rejected as rejected:
            return Response(status_code=rejected.status)
        channel.status_report(
            form.get("MessageSid") or "",
            (form.get("MessageStatus") or "").lower(),
            form.get("ErrorCode") or "",
        )
        return Response(status_code=204)

    return [
        Route(INBOUND_PATH, inbound, methods=["POST"]),
        Route(STATUS_PATH, status, methods=["POST"]),
    ]
