"""The tester API and console for settlement workers: what the bot understood and answered."""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any

from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from channels.conversation import Answer, ConversationEngine, Turn
from channels.rasa_client import RasaUnavailable
from channels.render import for_channel
from channels.requests import BadRequest, optional_str, read_json_object
from channels.sms.render import render
from channels.sms.segments import DEFAULT_SMS_SEGMENTS, count
from channels.web import PAGE_HEADERS, STATIC_DIR

CHANNELS = ("web", "sms", "telegram")


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def authorise(request: Request, token: SecretStr | None) -> Response | None:
    """None when allowed; else the 401/403 to send. No token configured: loopback only."""
    if token is None:
        if _is_loopback(request):
            return None
        return JSONResponse({"error": "forbidden"}, status_code=403)
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return JSONResponse(
            {"error": "unauthorized"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    if not hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode()):
        return JSONResponse({"error": "forbidden"}, status_code=403)
    return None


def _as_shown(engine: ConversationEngine, channel: str, answer: Answer) -> list[dict[str, Any]]:
    """The answer exactly as the channel shows it; for SMS, the bodies the phone gets and
    what each costs in segments."""
    if channel != "sms":
        return for_channel(channel, answer.messages, answer.language)
    rendered = render(
        answer.messages,
        answer.facts,
        language=answer.language,
        catalog=engine.catalog,
        max_segments=DEFAULT_SMS_SEGMENTS,
    )
    return [{"text": body, "segments": count(body).count} for body in rendered.bodies]


async def try_question(engine: ConversationEngine, data: dict[str, Any]) -> dict[str, Any]:
    """The tester's answer: understanding, services and messages as the channel shows them."""
    text = optional_str(data, "text", "") or ""
    language = optional_str(data, "language", "auto") or "auto"
    channel = optional_str(data, "channel", "web") or "web"
    user = optional_str(data, "user", "tester") or "tester"
    if channel not in CHANNELS:
        raise BadRequest(422, "invalid_channel")
    if language != "auto" and language not in engine.languages:
        raise BadRequest(422, "invalid_language")
    # Testers get their own conversations, apart from real users of the same channel.
    turn = Turn(channel=f"tester-{channel}", user=user, text=text, requested_language=language)
    answer = await engine.handle(turn)
    intent: dict[str, Any] = {"name": None, "confidence": None}
    entities: list[dict[str, Any]] = []
    if answer.problem is None and not answer.unavailable:
        try:
            latest = await engine.rasa.latest_message(answer.conversation_id)
            raw_intent = latest.get("intent") or {}
            intent = {"name": raw_intent.get("name"), "confidence": raw_intent.get("confidence")}
            entities = [
                {
                    "entity": e.get("entity"),
                    "value": e.get("value"),
                    "extractor": e.get("extractor"),
                    "confidence": e.get("confidence_entity") or e.get("confidence"),
                }
                for e in latest.get("entities") or []
            ]
        except RasaUnavailable:
            pass
    return {
        "language": answer.language,
        "language_source": answer.language_source,
        "intent": intent,
        "entities": entities,
        "categories": answer.facts.get("categories", []),
        "services": answer.facts.get("services", []),
        "place": answer.facts.get("place"),
        "messages": _as_shown(engine, channel, answer),
        "emergency": answer.emergency,
        "written_in": answer.written_in,
        "translated_to": answer.translated_to,
        "problem": answer.problem.value if answer.problem else None,
        "unavailable": answer.unavailable,
    }


def routes(engine: ConversationEngine, token: SecretStr | None) -> list[Route]:
    async def api_try(request: Request) -> Response:
        denied = authorise(request, token)
        if denied is not None:
            return denied
        try:
            data = await read_json_object(request)
            return JSONResponse(await try_question(engine, data))
        except BadRequest as e:
            return JSONResponse({"error": e.code}, status_code=e.status)

    async def console(request: Request) -> Response:
        # The page holds no data; with a token it loads anywhere and asks for the token,
        # without one it follows the API's loopback-only rule.
        if token is None:
            denied = authorise(request, None)
            if denied is not None:
                return denied
        return FileResponse(STATIC_DIR / "console.html", headers=PAGE_HEADERS)

    return [Route("/api/try", api_try, methods=["POST"]), Route("/console", console)]
