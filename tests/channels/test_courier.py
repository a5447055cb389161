"""Sending queued messages and answering stored ones, against a recording platform."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from channels.courier import Courier, InboundWorker, Processed, SendResult
from channels.delivery import BLOCKED, FAILED, OPTED_OUT, PENDING, SENT, Delivery, Inbound
from knowledge.db import Database


class Platform:
    """Stands in for the messaging platform's API: records sends, answers as scripted."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.script: dict[str, list[SendResult]] = {}

    async def send(self, recipient: str, body: dict[str, Any]) -> SendResult:
        scripted = self.script.get(body["text"])
        if scripted:
            return scripted.pop(0)
        self.sent.append((recipient, body["text"]))
        return SendResult(ok=True, external_id=f"m{len(self.sent)}")


@pytest.fixture
def ledger(tmp_path: Path) -> Delivery:
    delivery = Delivery(Database(f"sqlite:///{tmp_path / 'c.db'}").engine)
    delivery.create_tables()
    return delivery


def courier(ledger: Delivery, platform: Platform) -> Courier:
    return Courier(ledger, "telegram", platform, per_recipient_interval=0, per_second=1000)


async def test_messages_to_one_person_arrive_in_order(ledger: Delivery) -> None:
    platform = Platform()
    ledger.enqueue("telegram", "a", [{"text": "1"}, {"text": "2"}, {"text": "3"}])
    ledger.enqueue("telegram", "b", [{"text": "x"}])
    c = courier(ledger, platform)
    while await c.drain_once():
        pass
    assert [t for r, t in platform.sent if r == "a"] == ["1", "2", "3"]
    assert ("b", "x") in platform.sent


async def test_retry_after_is_honoured_and_order_kept(ledger: Delivery) -> None:
    platform = Platform()
    platform.script["1"] = [SendResult(ok=False, retry_after=3600, error="429")]
    ledger.enqueue("telegram", "a", [{"text": "1"}, {"text": "2"}])
    c = courier(ledger, platform)
    assert await c.drain_once() == 1
    assert await c.drain_once() == 0  # "2" waits behind "1", which waits an hour
    assert platform.sent == []
    assert [s for s, _ in ledger.outbound_for("telegram", "a")] == [PENDING, PENDING]


async def test_a_user_who_blocked_the_bot_is_not_retried(ledger: Delivery) -> None:
    platform = Platform()
    platform.script["1"] = [SendResult(ok=False, blocked=True, error="403 blocked")]
    ledger.enqueue("telegram", "a", [{"text": "1"}, {"text": "2"}])
    c = courier(ledger, platform)
    while await c.drain_once():
        pass
    assert platform.sent == []
    assert ledger.contact_status("telegram", "a") == BLOCKED
    assert [s for s, _ in ledger.outbound_for("telegram", "a")] == [FAILED, "dropped"]


async def test_an_opted_out_number_is_marked(ledger: Delivery) -> None:
    platform = Platform()
    platform.script["1"] = [SendResult(ok=False, opted_out=True, error="21610")]
    ledger.enqueue("telegram", "+1604", [{"text": "1"}])
    await courier(ledger, platform).drain_once()
    assert ledger.contact_status("telegram", "+1604") == OPTED_OUT


async def test_transient_errors_back_off_then_give_up(ledger: Delivery) -> None:
    platform = Platform()
    platform.script["1"] = [SendResult(ok=False, error="500")] * 3
    ledger.enqueue("telegram", "a", [{"text": "1"}])
    c = Courier(ledger, "telegram", platform, per_recipient_interval=0, max_attempts=3)
    for _ in range(3):
        # Each failure pushes the next attempt out; make it due again.
        with ledger._engine.begin() as connection:
            connection.exec_driver_sql("UPDATE channel_outbound SET next_attempt_at = '2000-01-01'")
        await c.drain_once()
    assert [s for s, _ in ledger.outbound_for("telegram", "a")] == [FAILED]


async def test_the_worker_holds_once_while_the_assistant_is_down_then_answers(
    ledger: Delivery,
) -> None:
    platform = Platform()
    c = courier(ledger, platform)
    down = {"value": True}

    async def process(inbound: Inbound) -> Processed:
        if down["value"]:
            return Processed(retry=True, hold=[{"text": "we will answer soon"}])
        return Processed(bodies=[{"text": f"answer to {inbound.payload['text']}"}])

    worker = InboundWorker(ledger, "telegram", process, c, retry_delay=timedelta(0))
    stored = ledger.receive("telegram", "u1", "a", {"text": "food"}, lease=timedelta(0))
    assert stored is not None
    await worker.run_once()
    await worker.run_once()  # still down: no second "soon"
    down["value"] = False
    await worker.run_once()
    await worker.run_once()  # answered: nothing left to claim
    while await c.drain_once():
        pass
    assert platform.sent == [("a", "we will answer soon"), ("a", "answer to food")]
    assert [s for s, _ in ledger.outbound_for("telegram", "a")] == [SENT, SENT]
