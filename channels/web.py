"""The web chat: the page, its languages and its message endpoint."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from bot.catalog import Catalog
from bot.languages import direction, supported_languages
from channels.conversation import ConversationEngine, Turn
from channels.render import for_web
from channels.requests import BadRequest, optional_str, read_json_object
from channels.text_input import Problem

STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_PROBLEM_STATUS = {Problem.EMPTY: 400, Problem.TOO_LONG: 413, Problem.UNREADABLE: 400}
_CODE_RESPONSE = {
    "too_large": "utter_input_too_long",
    "unreadable": "utter_input_unreadable",
}


def error_response(catalog: Catalog, status: int, code: str, language: str, limit: int) -> Response:
    name = _CODE_RESPONSE.get(code, "utter_input_unreadable")
    return JSONResponse(
        {"error": code, "message": catalog.text(name, language, limit=limit)}, status_code=status
    )


def routes(engine: ConversationEngine, languages: tuple[str, ...]) -> list[Route]:
    async def page(_: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", headers=PAGE_HEADERS)

    async def list_languages(_: Request) -> Response:
        known = supported_languages()
        return JSONResponse(
            [
                {"code": c, "name": known[c].name, "dir": known[c].dir}
                for c in languages
                if c in known
            ]
        )

    async def message(request: Request) -> Response:
        try:
            data = await read_json_object(request)
            conversation = optional_str(data, "conversation") or ""
            text = optional_str(data, "text", "") or ""
            requested = optional_str(data, "language", "auto")
        except BadRequest as e:
            return error_response(engine.catalog, e.status, e.code, "en", engine.max_chars)
        if not CONVERSATION_ID.match(conversation):
            return error_response(
                engine.catalog, 422, "invalid_conversation", "en", engine.max_chars
            )
        answer = await engine.handle(
            Turn(channel="web", user=conversation, text=text, requested_language=requested)
        )
        body = {
            "language": answer.language,
            "dir": direction(answer.language),
            "emergency": answer.emergency,
            "messages": for_web(answer.messages),
        }
        if answer.problem is not None:
            body["error"] = answer.problem.value
            body["message"] = answer.messages[0]["text"]
            return JSONResponse(body, status_code=_PROBLEM_STATUS[answer.problem])
        return JSONResponse(body)

    return [
        Route("/", page),
        Route("/chat/languages", list_languages),
        Route("/chat/message", message, methods=["POST"]),
    ]


# The page loads only its own files: no CDN, nothing from elsewhere.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
