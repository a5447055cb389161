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

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 900  # a first run trains the model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Stack:
    def __init__(self, base_url: str, log: Path) -> None:
        self.base_url = base_url
        self.log = log

    def try_(self, text: str, **extra: object) -> dict[str, object]:
        body = {"text": text, "language": "auto", "channel": "web", "user": "e2e", **extra}
        response = httpx.post(f"{self.base_url}/api/try", json=body, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
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
    env.pop("NAVIGATOR_ADMIN_TOKEN", None)
    log = var / "stack.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
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
        yield Stack(base_url, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
