"""The gateway's ASGI app, assembled from its parts (wired in `bot.wiring`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from channels import health, tester, web
from channels.conversation import ConversationEngine
from knowledge.db import Database

log = logging.getLogger(__name__)


def create_app(
    engine: ConversationEngine,
    database: Database,
    *,
    actions_url: str,
    admin_token: object,
) -> Starlette:
    from pydantic import SecretStr

    token = admin_token if isinstance(admin_token, SecretStr) else None

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
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
            Mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static"),
        ],
        exception_handlers={Exception: server_error},
        lifespan=lifespan,
    )
