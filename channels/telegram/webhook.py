"""`POST /channels/telegram/webhook`: authenticate, store, acknowledge.

The secret header is compared in constant time before the body is read. An update is
stored (deduplicated on `update_id`) before the 200 goes back, so Telegram's redelivery
of an update we already have is dropped, and one we acknowledged is answered even if the
process dies right after (see `channels.delivery`).
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from channels.telegram.updates import BadUpdate, Incoming, parse_update

log = logging.getLogger(__name__)

PATH = "/channels/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
# An update with a 4096-character message and its entities is a few kB; anything this
# big is not from Telegram.
MAX_BODY_BYTES = 256 * 1024

# Stores an update; True when it was new (False: a redelivery).
Accept = Callable[[Incoming], bool]


class _TooLarge(Exception):
    pass


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _TooLarge
    return bytes(body)


def _error(status: int, code: str) -> Response:
    return JSONResponse({"ok": False, "error": code}, status_code=status)


def webhook_route(secret: bytes | None, accept: Accept) -> Route:
    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        # No secret configured: the webhook is closed (nothing unauthenticated gets in).
        if secret is None or not hmac.compare_digest(given, secret):
            return _error(403, "forbidden")
        try:
            body = await _read_limited(request, MAX_BODY_BYTES)
        except _TooLarge:
            return _error(413, "too_large")
        try:
            incoming = parse_update(json.loads(body))
        except (ValueError, RecursionError):  # BadUpdate is a ValueError too
            return _error(400, "not_an_update")
        if incoming is not None and not accept(incoming):
            log.info("telegram update redelivered; already stored")
        return JSONResponse({"ok": True})

    return Route(PATH, receive, methods=["POST"])


__all__ = ["MAX_BODY_BYTES", "PATH", "SECRET_HEADER", "BadUpdate", "webhook_route"]
