"""GET /healthz: 200 only when Rasa (with a model), the action server and the database answer."""

from __future__ import annotations

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from channels.rasa_client import RasaClient
from knowledge.db import Database


def routes(rasa: RasaClient, actions_url: str, database: Database) -> list[Route]:
    async def healthz(_: Request) -> Response:
        components = {"rasa": await rasa.ready(), "actions": False, "database": database.ping()}
        try:
            async with httpx.AsyncClient(timeout=3.0) as http:
                components["actions"] = (await http.get(f"{actions_url}/health")).status_code == 200
        except httpx.HTTPError:
            components["actions"] = False
        ok = all(components.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "components": components},
            status_code=200 if ok else 503,
        )

    return [Route("/healthz", healthz)]
