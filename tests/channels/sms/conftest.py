"""The real gateway app with the SMS channel, against the fake Twilio API over HTTP.
Rasa is not faked: where an answer needs it, nothing listens on its port (Rasa down) or
a socket accepts and never answers (Rasa hanging)."""

from __future__ import annotations

import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from bot.catalog import Catalog
from bot.settings import Settings
from channels.app import create_app
from channels.conversation import ConversationEngine
from channels.delivery import Delivery
from channels.pseudonym import Pseudonymizer
from channels.rasa_client import RasaClient
from channels.sms import build_sms
from channels.sms.channel import SmsChannel, SmsOptions
from channels.store import ConversationStore
from knowledge.db import Database
from nlu.danger import load_lexicon
from tests.support.fake_twilio import FakeTwilio, fake_twilio  # noqa: F401 (fixture)

PUBLIC = "https://navigator.example.org"
INBOUND_URL = f"{PUBLIC}/channels/sms"
STATUS_URL = f"{PUBLIC}/channels/sms/status"
CATALOG = Catalog.from_files()
LANGUAGES = ("en", "fr", "es", "ar", "fa", "prs", "zh", "pa", "hi", "tl", "uk", "ko", "vi")
FAST = SmsOptions(
    inline_seconds=1.0,
    retry_seconds=0.3,
    worker_poll_seconds=0.05,
    courier_poll_seconds=0.05,
    per_second=50.0,
)
_numbers = count(1000)


def new_number() -> str:
    """A fresh phone number per test: the fake Twilio API is shared by the session."""
    return f"+1604555{next(_numbers):04d}"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BlackHole:
    """A TCP port that accepts connections and never answers (a hanging Rasa)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self._held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self._held:
            conn.close()


@dataclass
class Gateway:
    client: TestClient
    channel: SmsChannel
    delivery: Delivery
    twilio: FakeTwilio

    def post(
        self,
        params: dict[str, Any],
        *,
        url: str = INBOUND_URL,
        signature: str | None = None,
        path: str = "/channels/sms",
    ) -> httpx.Response:
        sig = self.twilio.sign(url, params) if signature is None else signature
        headers = {"X-Twilio-Signature": sig} if sig else {}
        return self.client.post(path, data=params, headers=headers)

    def message(
        self, sender: str, text: str, sid: str | None = None, **extra: str
    ) -> httpx.Response:
        params = {
            "MessageSid": sid or f"SM{next(_numbers):032d}",
            "AccountSid": self.twilio.account_sid,
            "From": sender,
            "To": self.twilio.from_number,
            "Body": text,
            "NumMedia": "0",
            **extra,
        }
        return self.post(params)


def twiml_messages(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.text)
    assert root.tag == "Response"
    return [m.text or "" for m in root.iter("Message")]


def build_gateway(
    tmp_path: Path, twilio: FakeTwilio, rasa_port: int, options: SmsOptions = FAST
) -> tuple[Any, SmsChannel, Delivery]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        PUBLIC_BASE_URL=PUBLIC,
        NAVIGATOR_VAR_DIR=str(tmp_path),
        **twilio.stack_env(),
    )
    database = Database(f"sqlite:///{tmp_path / 'gateway.db'}")
    store = ConversationStore(database.engine)
    store.create_tables()
    delivery = Delivery(database.engine)
    delivery.create_tables()
    engine = ConversationEngine(
        rasa=RasaClient(f"http://127.0.0.1:{rasa_port}", None, timeout=3.0),
        store=store,
        pseudonymize=Pseudonymizer(b"k" * 32),
        catalog=CATALOG,
        danger=load_lexicon(),
        languages=LANGUAGES,
        default_language="en",
        max_chars=1000,
    )
    assert settings.sms_enabled
    channel = build_sms(settings, engine, delivery, options=options)
    app = create_app(
        engine,
        database,
        actions_url=f"http://127.0.0.1:{closed_port()}",
        admin_token=None,
        platforms=[channel],
    )
    return app, channel, delivery


@pytest.fixture
def gateway(tmp_path: Path, fake_twilio: FakeTwilio) -> Iterator[Gateway]:  # noqa: F811
    """Rasa down: nothing listens on its port."""
    app, channel, delivery = build_gateway(tmp_path, fake_twilio, closed_port())
    with TestClient(app) as client:
        yield Gateway(client, channel, delivery, fake_twilio)
