"""The real stack for end-to-end tests: a really trained model, Rasa, actions, gateway.

Started once per test session with `navigator run` (so the supervisor is tested too) on free
ports and a temporary data folder. The model is cached in var/models by a hash of its
inputs, so only the first run after a change trains.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import require
from tests.support.fake_telegram import FakeTelegram, fake_telegram  # noqa: F401 (fixture)
from tests.support.fake_twilio import FakeTwilio, fake_twilio  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 900  # a first run trains the model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Stack:
    def __init__(
        self,
        base_url: str,
        log: Path,
        process: subprocess.Popen[bytes],
        telegram: FakeTelegram,
        twilio: FakeTwilio,
    ) -> None:
        self.base_url = base_url
        self.log = log
        self.process = process
        # The platforms' fakes the stack talks to (Telegram Bot API, Twilio REST API).
        self.telegram = telegram
        self.twilio = twilio

    def try_(self, text: str, **extra: object) -> dict[str, object]:
        body = {"text": text, "language": "auto", "channel": "web", "user": "e2e", **extra}
        response = httpx.post(f"{self.base_url}/api/try", json=body, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


def postgres_database() -> str | None:
    """A fresh PostgreSQL database on loopback for the stack, or None when none runs here."""
    try:
        import psycopg2
    except ImportError:
        return None
    name = f"navigator_e2e_{os.getpid()}"
    try:
        connection = psycopg2.connect(
            host="127.0.0.1", user="postgres", dbname="postgres", connect_timeout=3
        )
    except psycopg2.Error:
        return None
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()
    return name


def drop_postgres_database(name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    connection.close()


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    fake_telegram: FakeTelegram,  # noqa: F811
    fake_twilio: FakeTwilio,  # noqa: F811
) -> Iterator[Stack]:
    """The stack on PostgreSQL when one runs on loopback (always in CI), else on SQLite,
    with Telegram and SMS on, pointed at local fakes of their APIs."""
    require(
        (ROOT / ".venv" / "rasa" / "bin" / "rasa").exists(),
        "the Rasa runtime is missing: run `make setup`",
    )
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    env = {
        **os.environ,
        "NAVIGATOR_VAR_DIR": str(var),
        "NAVIGATOR_MODELS_DIR": str(ROOT / "var" / "models"),
        "NAVIGATOR_PORT": str(port),
        "NAVIGATOR_RASA_PORT": str(free_port()),
        "NAVIGATOR_ACTIONS_PORT": str(free_port()),
        "DATABASE_URL": f"sqlite:///{var / 'navigator.db'}",
        "NAVIGATOR_TRACKER_STORE_URL": f"sqlite:///{var / 'tracker.db'}",
    }
    pg = postgres_database()
    if pg is None and os.environ.get("NAVIGATOR_REQUIRE_SERVICES") == "1":
        pytest.fail("required in CI: PostgreSQL on 127.0.0.1:5432")
    if pg is not None:
        env["DATABASE_URL"] = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{pg}"
        env["NAVIGATOR_TRACKER_STORE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{pg}"
    env.pop("NAVIGATOR_ADMIN_TOKEN", None)
    base_url = f"http://127.0.0.1:{port}"
    env["PUBLIC_BASE_URL"] = base_url
    env.update(fake_telegram.stack_env())
    env.update(fake_twilio.stack_env())
    log = var / "stack.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"the stack stopped while starting:\n{log.read_text()[-4000:]}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the stack was not ready in time:\n{log.read_text()[-4000:]}")
            time.sleep(1)
        yield Stack(base_url, log, process, fake_telegram, fake_twilio)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        if pg is not None:
            drop_postgres_database(pg)
