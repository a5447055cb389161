"""The gateway's ASGI app, assembled from its parts (wired in `bot.wiring`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from channels import health, tester, web
from channels.conversation import ConversationEngine
from knowledge.db import Database

log = logging.getLogger(__name__)


class PlatformChannel(Protocol):
    """A messaging platform's side of the gateway (Telegram, SMS): its webhook routes and
    the background work (answering stored messages, sending queued ones)."""

    name: str

    def routes(self) -> list[BaseRoute]: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def create_app(
    engine: ConversationEngine,
    database: Database,
    *,
    actions_url: str,
    admin_token: object,
    platforms: Sequence[PlatformChannel] = (),
) -> Starlette:
    from pydantic import SecretStr

    token = admin_token if isinstance(admin_token, SecretStr) else None

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        for platform in platforms:
            await platform.start()
        try:
            yield
        finally:
            for platform in reversed(platforms):
                await platform.stop()
        await engine.rasa.aclose()
        database.dispose()

    async def server_error(request: Request, exc: Exception) -> Response:
        # Last line of defence: log it, and still answer politely and parseably.
        log.exception("unhandled error on %s", request.url.path, exc_info=exc)
        return JSONResponse(
            {"error": "internal", "message": engine.catalog.text("utter_sorry_error", "en")},
            status_code=500,
        )

    return Starlette(
        routes=[
            *web.routes(engine, engine.languages),
            *tester.routes(engine, token),
            *health.routes(engine.rasa, actions_url, database),
            *(route for platform in platforms for route in platform.routes()),
            Mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static"),
        ],
        exception_handlers={Exception: server_error},
        lifespan=lifespan,
    )
