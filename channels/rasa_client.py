"""The gateway's client of the Rasa server (REST channel + HTTP API, loopback only)."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


class RasaClient:
    def __init__(self, base_url: str, token: str | None, timeout: float) -> None:
        self._token = token
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def aclose(self) -> None:
        await self._http.aclose()

    def _params(self) -> dict[str, str]:
        return {"token": self._token} if self._token else {}

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            response = await self._http.post(
                "/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
            )
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(str(exc)) from exc
        return [m for m in body if isinstance(m, dict)] if isinstance(body, list) else []

    async def latest_message(self, sender: str) -> dict[str, Any]:
        """What Rasa understood of the sender's last message (intent, entities)."""
        try:
            response = await self._http.get(
                f"/conversations/{sender}/tracker",
                params={**self._params(), "include_events": "NONE"},
            )
            response.raise_for_status()
            latest = response.json().get("latest_message") or {}
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            raise RasaUnavailable(str(exc)) from exc
        return latest if isinstance(latest, dict) else {}

    async def ready(self) -> bool:
        """True when Rasa answers and has a model loaded."""
        try:
            response = await self._http.get("/status", params=self._params(), timeout=3.0)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError, AttributeError):
            return False
