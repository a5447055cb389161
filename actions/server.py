"""The action server: rasa-sdk's executor behind a small ASGI app on loopback.

rasa-sdk's own server (Sanic) imports action classes by module path and pickles them into
worker processes; building the executor here lets every action receive its dependencies
(the directory database) from the composition root instead of reading globals.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from actions.conversation_slots import ValidateSlotMappings
from actions.emergency import Emergency
from actions.language_choice import ChangeLanguage
from actions.menu import ShowMenu
from actions.services import FindServices, MoreResults, ServiceDetails
from knowledge.db import Database
from knowledge.translation import NoTranslator, Translator

log = logging.getLogger(__name__)


def all_actions(database: Database, translator: Translator) -> list[Action]:
    find = FindServices(database, translator)
    return [
        ValidateSlotMappings(),
        Emergency(find),
        ChangeLanguage(),
        ShowMenu(),
        find,
        MoreResults(database, translator),
        ServiceDetails(database, translator),
    ]


def build_executor(database: Database, translator: Translator) -> ActionExecutor:
    executor = ActionExecutor()
    for action in all_actions(database, translator):
        executor.register_action(action)
    return executor


def create_app(database: Database, translator: Translator | None = None) -> Starlette:
    executor = build_executor(database, translator or NoTranslator())

    async def health(_: Request) -> JSONResponse:
        ok = database.ping()
        return JSONResponse({"status": "ok" if ok else "database unavailable"}, 200 if ok else 503)

    async def webhook(request: Request) -> JSONResponse:
        try:
            action_call: Any = await request.json()
        except ValueError:
            return JSONResponse({"error": "invalid JSON"}, 400)
        if not isinstance(action_call, dict):
            return JSONResponse({"error": "invalid body"}, 400)
        try:
            result = await executor.run(action_call)
        except ActionNotFoundException as e:
            return JSONResponse({"error": e.message, "action_name": e.action_name}, 404)
        except ActionExecutionRejection as e:
            return JSONResponse({"error": e.message, "action_name": e.action_name}, 400)
        return JSONResponse(result.model_dump() if result else None)

    async def actions(_: Request) -> JSONResponse:
        return JSONResponse([a.model_dump() for a in executor.list_actions()])

    return Starlette(
        routes=[
            Route("/health", health),
            Route("/webhook", webhook, methods=["POST"]),
            Route("/actions", actions),
        ]
    )
