"""A local fake of the Telegram Bot API over real HTTP, for the Telegram channel's tests.

A small Starlette app served by uvicorn on a free loopback port, in a thread. It answers
`{base}/bot{token}/{method}` the way the Bot API does (python-telegram-bot posts form
fields, JSON-encoding the structured ones), records every call with its parameters, and
can be told to answer a chat's next sends with 429 `retry_after` or 403 "bot was blocked
by the user", to hold `answerCallbackQuery` (to stop a gateway mid-answer), and to serve
queued updates to `getUpdates` (polling mode).

Builders for updates (`text_update`, `callback_update`, ...) give the JSON Telegram sends.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# Parameters python-telegram-bot sends JSON-encoded.
_JSON_FIELDS = {"reply_markup", "commands", "allowed_updates", "link_preview_options"}
BOT_ID = 7000000001


# What Telegram's HTML parse mode accepts (core.telegram.org/bots/api#html-style).
_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_TOKEN = re.compile(r"(<(/?)([a-z-]+)(?:\s[^<>]*)?>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
MAX_UNITS = 4096


def check_text(text: str, parse_mode: str | None) -> str | None:
    """Why Telegram would refuse this text (400), or None: bad HTML, too long, empty."""
    plain = text
    if parse_mode == "HTML":
        parts: list[str] = []
        open_tags: list[str] = []
        position = 0
        for match in _TOKEN.finditer(text):
            parts.append(text[position : match.start()])
            position = match.end()
            if match.group(3) is None:  # an entity
                parts.append(html.unescape(match.group(0)))
                continue
            closing, name = match.group(2), match.group(3)
            if name not in _TAGS:
                return f'can\'t parse entities: unsupported start tag "{name}"'
            if not closing:
                open_tags.append(name)
            elif not open_tags or open_tags.pop() != name:
                return f'can\'t parse entities: unexpected end tag "{name}"'
        parts.append(text[position:])
        if open_tags:
            return "can't parse entities: unclosed start tag"
        raw = _TOKEN.sub("", text)
        if any(c in raw for c in "<>&"):
            return "can't parse entities: unescaped <, > or &"
        plain = "".join(parts)
    if not plain.strip():
        return "message text is empty"
    if len(plain.encode("utf-16-le")) // 2 > MAX_UNITS:
        return "message is too long"
    return None


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def markup(self) -> dict[str, Any]:
        markup = self.params.get("reply_markup")
        return markup if isinstance(markup, dict) else {}

    @property
    def inline_buttons(self) -> list[dict[str, Any]]:
        return [key for row in self.markup.get("inline_keyboard", []) for key in row]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _error(code: int, description: str, **parameters: Any) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)


class FakeTelegram:
    def __init__(self) -> None:
        self.token = f"{BOT_ID}:fake-{secrets.token_hex(8)}"
        self.secret = secrets.token_urlsafe(24)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self.refused: list[Call] = []  # sends Telegram would answer with 400
        self._scripted: dict[int, list[Response]] = {}
        self._updates: list[dict[str, Any]] = []
        self._redeliveries: list[dict[str, Any]] = []
        self._hold_callbacks = threading.Event()
        self._hold_callbacks.set()  # set = not holding
        self._ids = itertools.count(int(time.time()) % 1_000_000 * 1000)
        self._message_ids = itertools.count(1)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # -- the server -------------------------------------------------------------------

    def start(self) -> FakeTelegram:
        app = Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["POST"])])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Bot API did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._hold_callbacks.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)

    def stack_env(self) -> dict[str, str]:
        """Settings that point a gateway at this fake, Telegram on, webhook mode."""
        return {
            "TELEGRAM_BOT_TOKEN": self.token,
            "TELEGRAM_WEBHOOK_SECRET": self.secret,
            "TELEGRAM_API_BASE_URL": self.url,
        }

    async def _endpoint(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        raw = (await request.body()).decode()
        if request.headers.get("content-type", "").startswith("application/json"):
            params = json.loads(raw or "{}")
        else:
            params = dict(parse_qsl(raw))
            for name in _JSON_FIELDS & params.keys():
                params[name] = json.loads(params[name])
        call = Call(method, params)
        with self._lock:
            self._calls.append(call)
        handler = getattr(self, f"_on_{method}", None)
        if handler is None:
            return JSONResponse({"ok": True, "result": True})
        return await handler(call)  # type: ignore[no-any-return]

    async def _on_getMe(self, call: Call) -> Response:
        user = {"id": BOT_ID, "is_bot": True, "first_name": "Navigator", "username": "fake_bot"}
        return JSONResponse({"ok": True, "result": user})

    async def _on_sendMessage(self, call: Call) -> Response:
        chat_id = call.chat_id or 0
        problem = check_text(call.text, call.params.get("parse_mode"))
        if problem:
            with self._lock:
                self.refused.append(call)
            return _error(400, f"Bad Request: {problem}")
        with self._lock:
            scripted = self._scripted.get(chat_id)
            reply = scripted.pop(0) if scripted else None
        if reply is not None:
            return reply
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": call.text,
        }
        return JSONResponse({"ok": True, "result": message})

    async def _on_answerCallbackQuery(self, call: Call) -> Response:
        deadline = time.monotonic() + 120
        # The hold is a threading.Event set from the test's thread, so poll it.
        while not self._hold_callbacks.is_set() and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        return JSONResponse({"ok": True, "result": True})

    async def _on_getUpdates(self, call: Call) -> Response:
        offset = int(call.params.get("offset", 0) or 0)
        wait = min(float(call.params.get("timeout", 0) or 0), 1.0)
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = self._redeliveries + self._updates
                self._redeliveries = []
            if ready or time.monotonic() >= deadline:
                return JSONResponse({"ok": True, "result": ready})
            await asyncio.sleep(0.05)

    # -- scripting --------------------------------------------------------------------

    def answer_next_sends(self, chat_id: int, *replies: Response) -> None:
        with self._lock:
            self._scripted.setdefault(chat_id, []).extend(replies)

    def rate_limit_next_send(self, chat_id: int, retry_after: int) -> None:
        self.answer_next_sends(
            chat_id,
            _error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after),
        )

    def block_next_sends(self, chat_id: int, count: int = 1) -> None:
        self.answer_next_sends(
            chat_id, *(_error(403, "Forbidden: bot was blocked by the user") for _ in range(count))
        )

    def hold_callback_answers(self) -> None:
        self._hold_callbacks.clear()

    def release_callback_answers(self) -> None:
        self._hold_callbacks.set()

    def queue_update(self, update: dict[str, Any]) -> None:
        """Served by getUpdates until a later offset confirms it (polling mode)."""
        with self._lock:
            self._updates.append(update)

    def redeliver_update(self, update: dict[str, Any]) -> None:
        """Served once more whatever the offset, as Telegram does when it missed a
        confirmation (the poller crashed after storing a batch)."""
        with self._lock:
            self._redeliveries.append(update)

    # -- what happened ----------------------------------------------------------------

    def calls(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        with self._lock:
            found = list(self._calls)
        return [
            c
            for c in found
            if (method is None or c.method == method) and (chat_id is None or c.chat_id == chat_id)
        ]

    def messages(self, chat_id: int) -> list[Call]:
        """sendMessage calls to a chat, in the order they arrived."""
        return self.calls("sendMessage", chat_id)

    def wait_for(
        self, condition: Callable[[], bool], timeout: float = 30.0, what: str = "calls"
    ) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}: {self.calls()[-10:]}")
            time.sleep(0.05)

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 30.0) -> list[Call]:
        self.wait_for(lambda: len(self.messages(chat_id)) >= count, timeout, f"{count} messages")
        return self.messages(chat_id)

    # -- updates as Telegram sends them -----------------------------------------------

    def next_update_id(self) -> int:
        return next(self._ids)

    def _message(self, chat_id: int, language_code: str | None, **content: Any) -> dict[str, Any]:
        sender: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": "Test"}
        if language_code:
            sender["language_code"] = language_code
        return {
            "update_id": self.next_update_id(),
            "message": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
                "from": sender,
                **content,
            },
        }

    def text_update(
        self, chat_id: int, text: str, language_code: str | None = "en"
    ) -> dict[str, Any]:
        update = self._message(chat_id, language_code, text=text)
        if text.startswith("/"):
            length = len(text.split()[0])
            update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return update

    def location_update(
        self, chat_id: int, latitude: float, longitude: float, language_code: str | None = "en"
    ) -> dict[str, Any]:
        return self._message(
            chat_id, language_code, location={"latitude": latitude, "longitude": longitude}
        )

    def sticker_update(self, chat_id: int, language_code: str | None = "en") -> dict[str, Any]:
        sticker = {
            "file_id": "CAAC",
            "file_unique_id": "AgAD",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._message(chat_id, language_code, sticker=sticker)

    def callback_update(
        self, chat_id: int, data: str, language_code: str | None = "en"
    ) -> dict[str, Any]:
        sender: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": "Test"}
        if language_code:
            sender["language_code"] = language_code
        return {
            "update_id": self.next_update_id(),
            "callback_query": {
                "id": f"cb-{secrets.token_hex(6)}",
                "from": sender,
                "chat_instance": "ci-1",
                "data": data,
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Navigator"},
                    "text": "…",
                },
            },
        }

    def post(
        self, gateway: str, update: dict[str, Any] | bytes, secret: str | None = None
    ) -> httpx.Response:
        """Deliver an update to a gateway's webhook as Telegram does."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.secret if secret is None else secret}
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        headers["Content-Type"] = "application/json"
        return httpx.post(
            f"{gateway}/channels/telegram/webhook", content=body, headers=headers, timeout=30
        )


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    try:
        yield fake
    finally:
        fake.stop()
