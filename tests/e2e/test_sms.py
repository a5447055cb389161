"""SMS end to end: signed Twilio webhooks into the real trained stack, answers inline
(TwiML) or through the fake Twilio REST API; a slow and a down Rasa behind a TCP proxy."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
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
from bot.languages import available_languages
from bot.settings import Settings
from bot.wiring import build_database, build_engine
from channels.app import create_app
from channels.delivery import OPTED_OUT, Delivery
from channels.sms import build_sms, segments
from channels.sms.channel import SmsOptions
from channels.store import ConversationStore
from tests.e2e.conftest import Stack
from tests.support.fake_twilio import FakeTwilio

pytestmark = pytest.mark.e2e
CATALOG = Catalog.from_files()
_numbers = count(2000)


def new_number() -> str:
    return f"+1778555{next(_numbers):04d}"


def _twiml(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [m.text or "" for m in ET.fromstring(response.text).iter("Message")]


@dataclass
class Phone:
    """A newcomer's phone: posts to a gateway as Twilio does, reads the replies."""

    post: Any  # (path, data, headers) -> httpx.Response
    base: str  # PUBLIC_BASE_URL of that gateway
    twilio: FakeTwilio
    number: str

    def send(self, text: str, sid: str | None = None) -> httpx.Response:
        params = {
            "MessageSid": sid or f"SM{next(_numbers):032d}",
            "AccountSid": self.twilio.account_sid,
            "From": self.number,
            "To": self.twilio.from_number,
            "Body": text,
            "NumMedia": "0",
        }
        signature = self.twilio.sign(f"{self.base}/channels/sms", params)
        return self.post("/channels/sms", params, {"X-Twilio-Signature": signature})

    def ask(self, text: str, timeout: float = 60.0) -> list[str]:
        """The reply: inline when the assistant answered in time, else by REST."""
        before = len(self.twilio.sent_to(self.number))
        inline = _twiml(self.send(text))
        if inline:
            return inline
        sent = self.twilio.wait_for(self.number, before + 1, timeout=timeout)
        return [m.body for m in sent[before:]]


def _phone(stack: Stack, number: str | None = None) -> Phone:
    def post(path: str, data: dict[str, str], headers: dict[str, str]) -> httpx.Response:
        return httpx.post(f"{stack.base_url}{path}", data=data, headers=headers, timeout=30)

    return Phone(post, stack.base_url, stack.twilio, number or new_number())


def _needs(*codes: str) -> None:
    missing = [c for c in codes if c not in available_languages()]
    if missing:
        pytest.skip(f"languages not built: {missing}")


# -- authenticity and exactly one answer ----------------------------------------------------


def test_missing_and_bad_signatures_are_refused(stack: Stack) -> None:
    params = {"MessageSid": "SMe2enosig", "From": new_number(), "Body": "HELP"}
    url = f"{stack.base_url}/channels/sms"
    assert httpx.post(url, data=params).status_code == 403
    bad = {"X-Twilio-Signature": stack.twilio.sign(url, {**params, "Body": "STOP"})}
    assert httpx.post(url, data=params, headers=bad).status_code == 403


def test_a_duplicate_message_is_answered_once(stack: Stack) -> None:
    phone = _phone(stack)
    sid = "SMe2edup000000000000000000000001"
    first = _twiml(phone.send("food bank in Surrey", sid=sid))
    again = _twiml(phone.send("food bank in Surrey", sid=sid))
    assert again == []
    if not first:  # the answer went out by REST
        stack.twilio.wait_for(phone.number, 1, timeout=60)
    time.sleep(2)
    answers = first + [m.body for m in stack.twilio.sent_to(phone.number)]
    assert len(answers) == 1, answers


# -- answers in three scripts within the budget -------------------------------------------

QUESTIONS = [
    ("ar", "أحتاج بنك طعام في سري"),
    ("pa", "ਮੈਨੂੰ ਸਰੀ ਵਿੱਚ ਫੈਮਿਲੀ ਡਾਕਟਰ ਚਾਹੀਦਾ"),
    ("zh", "列治文哪里有食物银行"),
]


@pytest.mark.parametrize(("language", "question"), QUESTIONS)
def test_services_in_arabic_punjabi_and_chinese_fit_three_segments(
    stack: Stack, language: str, question: str
) -> None:
    _needs(language)
    phone = _phone(stack)
    (reply,) = phone.ask(question)
    counted = segments.count(reply)
    print(f"{language}: {counted.encoding} {counted.units} units, {counted.count} segments")
    assert counted.count <= 3
    assert "\n1. " in f"\n{reply}"
    footers = {
        CATALOG.text(name, language)
        for name in ("utter_sms_results_footer", "utter_sms_results_footer_last")
    }
    assert reply.split("\n")[-1].replace("\u200e", "") in footers
    if language == "ar":
        assert "\u200e" in reply  # numbers isolated in right-to-left text
    # "1" stands for the first service of that list: its details, still within budget.
    (details,) = phone.ask("1")
    assert details.replace("\u200e", "").startswith("1. ")
    assert segments.count(details).count <= 3


def test_more_and_numbers_continue_the_list(stack: Stack) -> None:
    phone = _phone(stack)
    (first,) = phone.ask("I need help to settle in Surrey")
    assert first.endswith(CATALOG.text("utter_sms_results_footer", "en")), first
    shown = sum(1 for line in first.split("\n") if line.split(". ")[0].isdigit())
    (more,) = phone.ask("more")
    assert more.startswith(f"{shown + 1}. "), more
    (details,) = phone.ask(str(shown + 1))
    assert details.startswith(f"{shown + 1}. "), details
    assert segments.count(details).count <= 3


def test_a_category_menu_too_long_for_three_segments_continues_on_more(stack: Stack) -> None:
    _needs("es")
    phone = _phone(stack)
    more_hint = CATALOG.text("utter_sms_reply_number_more", "es")
    # Not a service question: the answer offers the sixteen categories, which in Spanish
    # (UCS-2, 67 characters a segment) do not fit three segments with it.
    pages = [phone.ask("quien gano el partido de futbol ayer?")[-1]]
    assert pages[0].endswith(more_hint), pages
    while pages[-1].endswith(more_hint) and len(pages) < 5:
        (page,) = phone.ask("mas")
        pages.append(page)
    assert pages[-1].endswith(CATALOG.text("utter_sms_reply_number", "es")), pages
    assert all(segments.count(page).count <= 3 for page in pages)
    # Every category on one page or another, numbered on from page to page.
    lines = [line for page in pages for line in page.split("\n")]
    numbered = [line for line in lines if line.split(". ")[0].isdigit()]
    assert [int(line.split(". ")[0]) for line in numbered] == list(range(1, 17)), pages
    # A number from a later page is that category: "Food" is past the first page.
    titles = {b["payload"]: b["title"] for b in CATALOG.buttons("utter_sms_categories", "es")}
    food = next(p for p in titles if '"food"' in p)
    line = next(x for x in numbered if x.endswith(f". {titles[food]}"))
    assert line not in pages[0]
    (answer,) = phone.ask(line.split(". ")[0])
    assert not answer.endswith(more_hint), answer


# -- keywords ---------------------------------------------------------------------------


def test_help_stop_start_in_english_and_french(stack: Stack) -> None:
    phone = _phone(stack)
    assert _twiml(phone.send("HELP")) == [CATALOG.text("utter_sms_help", "en")]
    assert _twiml(phone.send("STOP")) == []
    assert _twiml(phone.send("food bank in Surrey")) == []  # opted out: nothing
    assert _twiml(phone.send("START")) == [CATALOG.text("utter_sms_started", "en")]
    assert phone.ask("food bank in Surrey")
    time.sleep(1)
    before = len(stack.twilio.sent_to(phone.number))
    assert _twiml(phone.send("ARRET")) == [CATALOG.text("utter_sms_stopped", "fr")]
    assert _twiml(phone.send("banque alimentaire à Surrey")) == []
    time.sleep(2)
    assert len(stack.twilio.sent_to(phone.number)) == before  # nothing by REST either
    assert _twiml(phone.send("Début")) == [CATALOG.text("utter_sms_started", "fr")]


# -- a slow Rasa, a Rasa down then back ------------------------------------------------------


class RasaProxy:
    """A TCP proxy in front of the stack's Rasa: refuses (closes at once) or forwards,
    each request delayed by `delay` seconds."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = upstream_port
        self.refuse = False
        self.delay = 0.0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = int(self.sock.getsockname()[1])
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            if self.refuse:
                client.close()
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
        except OSError:
            client.close()
            return
        self._open += [client, upstream]
        threading.Thread(target=self._pipe, args=(upstream, client, 0.0), daemon=True).start()
        self._pipe(client, upstream, self.delay)

    def _pipe(self, source: socket.socket, target: socket.socket, delay: float) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if self.refuse:
                    break
                if delay:
                    time.sleep(delay)
                target.sendall(data)
        for s in (source, target):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.sock.close()
        for s in self._open:
            with contextlib.suppress(OSError):
                s.close()


def _stack_rasa_port(stack: Stack) -> int:
    environ = Path(f"/proc/{stack.process.pid}/environ").read_bytes().split(b"\0")
    for entry in environ:
        if entry.startswith(b"NAVIGATOR_RASA_PORT="):
            return int(entry.split(b"=", 1)[1])
    pytest.skip("the stack's Rasa port is not readable")


@contextlib.contextmanager
def in_process_gateway(
    stack: Stack, tmp_path: Path, rasa_port: int, options: SmsOptions
) -> Iterator[tuple[Phone, Delivery]]:
    """A second gateway, in this process, whose Rasa is the proxy."""
    public = "https://sms-e2e.example.org"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        NAVIGATOR_RASA_PORT=rasa_port,
        NAVIGATOR_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'gateway.db'}",
        PUBLIC_BASE_URL=public,
        **stack.twilio.stack_env(),
    )
    database = build_database(settings)
    store = ConversationStore(database.engine)
    store.create_tables()
    delivery = Delivery(database.engine)
    delivery.create_tables()
    engine = build_engine(settings, store)
    channel = build_sms(settings, engine, delivery, options=options)
    app = create_app(
        engine, database, actions_url=settings.actions_url, admin_token=None, platforms=[channel]
    )
    with TestClient(app) as client:

        def post(path: str, data: dict[str, str], headers: dict[str, str]) -> httpx.Response:
            return client.post(path, data=data, headers=headers)

        yield Phone(post, public, stack.twilio, new_number()), delivery


def test_a_slow_rasa_gets_an_empty_response_then_the_answer_by_rest(
    stack: Stack, tmp_path: Path
) -> None:
    proxy = RasaProxy(_stack_rasa_port(stack))
    proxy.delay = 4.0  # longer than the webhook's deadline below, shorter than Rasa's timeout
    options = SmsOptions(inline_seconds=1.5, worker_poll_seconds=0.2, courier_poll_seconds=0.1)
    try:
        with in_process_gateway(stack, tmp_path, proxy.port, options) as (phone, _):
            assert _twiml(phone.send("food bank in Surrey")) == []
            (reply,) = stack.twilio.wait_for(phone.number, timeout=60)
            assert reply.body != CATALOG.text("utter_sms_wait", "en")
            assert "1. " in reply.body
            assert segments.count(reply.body).count <= 3
    finally:
        proxy.close()


def test_rasa_down_then_back_sends_the_wait_message_once_then_the_answer(
    stack: Stack, tmp_path: Path
) -> None:
    proxy = RasaProxy(_stack_rasa_port(stack))
    proxy.refuse = True
    options = SmsOptions(retry_seconds=1.0, worker_poll_seconds=0.2, courier_poll_seconds=0.1)
    try:
        with in_process_gateway(stack, tmp_path, proxy.port, options) as (phone, delivery):
            assert _twiml(phone.send("food bank in Surrey")) == []
            (wait,) = stack.twilio.wait_for(phone.number, timeout=30)
            assert wait.body == CATALOG.text("utter_sms_wait", "en")
            time.sleep(3)  # several retries while Rasa is down: no second wait message
            assert len(stack.twilio.sent_to(phone.number)) == 1
            # Danger is answered at once, even now.
            emergency = _twiml(phone.send("I want to kill myself"))
            assert emergency == [CATALOG.text("utter_sms_emergency", "en")]
            proxy.refuse = False
            sent = stack.twilio.wait_for(phone.number, 2, timeout=60)
            assert "1. " in sent[1].body
            assert sent[1].body != wait.body
            time.sleep(2)
            assert len(stack.twilio.sent_to(phone.number)) == 2
            assert delivery.contact_status("sms", phone.number) != OPTED_OUT
    finally:
        proxy.close()
