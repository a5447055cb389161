"""Sending through Twilio's REST API (`POST /2010-04-01/Accounts/{sid}/Messages.json`).

httpx rather than twilio's `Client`: the Client's default HTTP client blocks the event
loop (requests), and its async client needs aiohttp; both would be pointed at
`TWILIO_API_BASE_URL` the same way (`client.api.base_url`). The request and the error
codes are Twilio's documented ones; `tests/support/fake_twilio.py` serves the same URL.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from channels.courier import SendResult

log = logging.getLogger(__name__)

OPTED_OUT_CODE = 21610  # "Attempt to send to unsubscribed recipient"
# Codes that will never succeed for this message (bad number, not a mobile, ...).
_PERMANENT_CODES = {21211, 21408, 21612, 21614, 21617, 30004, 30005, 30006}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class TwilioSender:
    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str,
        api_base_url: str,
        status_callback: str | None,
        timeout: float = 10.0,
    ) -> None:
        self.account_sid = account_sid
        self.sender = sender  # a number, or a Messaging Service SID ("MG…")
        self.status_callback = status_callback
        self._path = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._http = httpx.AsyncClient(
            base_url=api_base_url.rstrip("/"), auth=(account_sid, auth_token), timeout=timeout
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    def _form(self, recipient: str, body: dict[str, Any]) -> dict[str, str]:
        form = {"To": recipient, "Body": str(body.get("text", ""))}
        origin = str(body.get("from") or self.sender)  # WhatsApp: the number they wrote to
        if origin.startswith("MG"):
            form["MessagingServiceSid"] = origin
        else:
            form["From"] = origin
        if self.status_callback:
            form["StatusCallback"] = self.status_callback
        return form

    async def send(self, recipient: str, body: dict[str, Any]) -> SendResult:
        response = await self._http.post(self._path, data=self._form(recipient, body))
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        if response.status_code in (200, 201):
            return SendResult(ok=True, external_id=str(data.get("sid") or "") or None)
        code = data.get("code")
        error = f"twilio {response.status_code} {code or ''}".strip()
        if code == OPTED_OUT_CODE:
            return SendResult(ok=False, opted_out=True, error=error)
        if response.status_code == 429 or response.status_code >= 500:
            return SendResult(ok=False, retry_after=_retry_after(response), error=error)
        if code in _PERMANENT_CODES or response.status_code in (400, 404):
            return SendResult(ok=False, permanent=True, error=error)
        return SendResult(ok=False, error=error)  # 401/403: configuration; back off, retry
