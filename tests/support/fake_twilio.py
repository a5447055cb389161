"""A local fake of Twilio's REST API over real HTTP, and a signer for Twilio's webhooks.

It serves `POST /2010-04-01/Accounts/{sid}/Messages.json` the way Twilio does (basic auth
with the account SID and auth token, a form, 201 with a message SID) and records every
message. Tests can make it refuse a number as opted out (error 21610) or answer the next
sends with 429 / 5xx. `sign` computes `X-Twilio-Signature` with twilio's own
`RequestValidator`, so the gateway is tested against the real algorithm.
"""

from __future__ import annotations

import base64
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "f" * 32
AUTH_TOKEN = "fake-twilio-auth-token-0123456789"
FROM_NUMBER = "+16045550100"


@dataclass
class SentMessage:
    sid: str
    to: str
    body: str
    sender: str  # From, or the Messaging Service SID
    status_callback: str | None
    form: dict[str, str] = field(repr=False, default_factory=dict)


@dataclass
class _Failure:
    status: int
    code: int
    retry_after: float | None = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FakeTwilio:
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = FROM_NUMBER
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.messages: list[SentMessage] = []
        self.attempts = 0  # every POST, refused ones included
        self.opted_out: set[str] = set()
        self._failures: list[_Failure] = []
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # -- what the tests use -----------------------------------------------------------

    def stack_env(self) -> dict[str, str]:
        """Settings that point a gateway at this fake (SMS on)."""
        return {
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_FROM": self.from_number,
            "TWILIO_API_BASE_URL": self.base_url,
        }

    def sign(self, url: str, params: dict[str, Any]) -> str:
        """X-Twilio-Signature of a form post; a list value is a repeated parameter."""
        pairs = [
            (key, str(item))
            for key, value in params.items()
            for item in (value if isinstance(value, list) else [value])
        ]
        form = ImmutableMultiDict(pairs)  # getlist(): the validator signs every value
        return str(RequestValidator(self.auth_token).compute_signature(url, form))

    def fail_next(self, status: int, code: int = 20500, retry_after: float | None = None) -> None:
        """Answer the next send with this error (queue several for several sends)."""
        with self._lock:
            self._failures.append(_Failure(status, code, retry_after))

    def sent_to(self, number: str) -> list[SentMessage]:
        with self._lock:
            return [m for m in self.messages if m.to == number]

    def wait_for(self, number: str, count: int = 1, timeout: float = 30.0) -> list[SentMessage]:
        """The messages to a number once there are at least `count` (fails on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent_to(number)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{count} message(s) expected, got {len(self.sent_to(number))}")

    def report_status(
        self, message: SentMessage, status: str, error_code: str | None = None
    ) -> httpx.Response:
        """Post a signed delivery report to the message's StatusCallback, as Twilio does."""
        assert message.status_callback, "the message was sent without a StatusCallback"
        params = {
            "MessageSid": message.sid,
            "MessageStatus": status,
            "AccountSid": self.account_sid,
            "To": message.to,
        }
        if error_code:
            params["ErrorCode"] = error_code
        return httpx.post(
            message.status_callback,
            data=params,
            headers={"X-Twilio-Signature": self.sign(message.status_callback, params)},
        )

    # -- the fake API -----------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {expected}"

    async def _messages(self, request: Request) -> Response:
        if request.path_params["sid"] != self.account_sid or not self._authorised(request):
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, 401)
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        with self._lock:
            self.attempts += 1
            failure = self._failures.pop(0) if self._failures else None
            if failure is None and form.get("To") in self.opted_out:
                failure = _Failure(400, 21610)
            if failure is not None:
                headers = {}
                if failure.retry_after is not None:
                    headers["Retry-After"] = str(failure.retry_after)
                body = {"code": failure.code, "message": "refused", "status": failure.status}
                return JSONResponse(body, failure.status, headers=headers)
            message = SentMessage(
                sid=f"SM{uuid.uuid4().hex}",
                to=form.get("To", ""),
                body=form.get("Body", ""),
                sender=form.get("From") or form.get("MessagingServiceSid", ""),
                status_callback=form.get("StatusCallback"),
                form=form,
            )
            self.messages.append(message)
        return JSONResponse(
            {"sid": message.sid, "status": "queued", "to": message.to, "body": message.body},
            201,
        )

    def start(self) -> None:
        app = Starlette(
            routes=[
                Route("/2010-04-01/Accounts/{sid}/Messages.json", self._messages, methods=["POST"])
            ]
        )
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Twilio API did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
