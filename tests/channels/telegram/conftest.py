"""The real gateway app with the Telegram channel on, against the fake Bot API over HTTP.

Nothing listens on the Rasa port: the assistant is "down", so the engine answers danger
with emergency numbers and anything else with a polite "try again" (our own Rasa is never
faked). What needs the trained assistant is in tests/e2e/test_telegram.py.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.settings import Settings
from bot.wiring import build_gateway
from channels.delivery import Delivery
from knowledge.db import Database
from tests.support.fake_telegram import FakeTelegram, fake_telegram  # noqa: F401 (fixture)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again on return: nothing listens there


class Gateway:
    def __init__(self, client: TestClient, fake: FakeTelegram, database_url: str) -> None:
        self.client = client
        self.fake = fake
        self.delivery = Delivery(Database(database_url).engine)

    def post(self, update: dict[str, object], secret: str | None = None) -> int:
        headers = {
            "X-Telegram-Bot-Api-Secret-Token": self.fake.secret if secret is None else secret
        }
        response = self.client.post("/channels/telegram/webhook", json=update, headers=headers)
        return int(response.status_code)


@pytest.fixture
def settings_for(tmp_path: Path, fake_telegram: FakeTelegram) -> Callable[..., Settings]:  # noqa: F811
    var = tmp_path / "var"
    rasa_port = closed_port()

    def make(**extra: object) -> Settings:
        values: dict[str, object] = {
            "NAVIGATOR_VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'gateway.db'}",
            "NAVIGATOR_RASA_PORT": str(rasa_port),
            "NAVIGATOR_ACTIONS_PORT": str(closed_port()),
            "NAVIGATOR_LANGUAGES": ("en", "fr", "es", "ar"),
            "NAVIGATOR_RASA_TIMEOUT": "2",
            **fake_telegram.stack_env(),
            **extra,
        }
        return Settings.model_validate(values)  # the values only, not this shell's

    return make


@pytest.fixture
def gateway_for(
    settings_for: Callable[..., Settings],
    fake_telegram: FakeTelegram,  # noqa: F811
) -> Callable[..., object]:
    @contextmanager
    def run(**extra: str) -> Iterator[Gateway]:
        settings = settings_for(**extra)
        with TestClient(build_gateway(settings), client=("127.0.0.1", 5000)) as client:
            yield Gateway(client, fake_telegram, settings.db_url)

    return run


@pytest.fixture
def gateway(gateway_for: Callable[..., object]) -> Iterator[Gateway]:
    with gateway_for() as running:  # type: ignore[attr-defined]
        yield running
