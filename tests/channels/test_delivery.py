"""The durable ledger: one answer per platform message, order per recipient, opt-outs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from channels.delivery import ACTIVE, BLOCKED, DONE, DROPPED, OPTED_OUT, PENDING, Delivery
from knowledge.db import Database


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ledger(channel_database: Database, clock: Clock) -> Delivery:
    delivery = Delivery(channel_database.engine, clock)
    delivery.create_tables()
    return delivery


def test_a_redelivered_message_is_stored_once(ledger: Delivery) -> None:
    first = ledger.receive("telegram", "1001", "42", {"text": "hi"})
    again = ledger.receive("telegram", "1001", "42", {"text": "hi"})
    assert first is not None and again is None
    assert ledger.inbound_status("telegram", "1001") == PENDING
    # The same key on another channel is another message.
    assert ledger.receive("sms", "1001", "+16045550100", {"text": "hi"}) is not None


def test_a_message_is_answered_exactly_once(ledger: Delivery) -> None:
    inbound = ledger.receive("sms", "SM1", "+16045550100", {"text": "food bank"})
    assert inbound is not None
    first = ledger.answer(inbound.id, [{"text": "1. Food bank"}])
    second = ledger.answer(inbound.id, [{"text": "1. Food bank"}])
    assert len(first) == 1 and second == []
    assert ledger.inbound_status("sms", "SM1") == DONE
    assert ledger.outbound_for("sms", "+16045550100") == [(PENDING, {"text": "1. Food bank"})]


def test_an_inline_answer_is_recorded_as_sent(ledger: Delivery) -> None:
    inbound = ledger.receive("sms", "SM2", "+16045550100", {"text": "help"})
    assert inbound is not None
    ledger.answer(inbound.id, [{"text": "Help text"}], sent_inline=True)
    assert ledger.due_outbound("sms") == []
    assert ledger.outbound_for("sms", "+16045550100")[0][0] == "sent"


def test_a_crash_leaves_the_message_for_the_worker_after_its_lease(
    ledger: Delivery, clock: Clock
) -> None:
    inbound = ledger.receive("telegram", "7", "42", {"text": "hi"}, lease=timedelta(seconds=30))
    assert inbound is not None
    assert ledger.claim_inbound("telegram") == []  # the webhook is still answering it
    clock.advance(seconds=31)
    claimed = ledger.claim_inbound("telegram")
    assert [m.key for m in claimed] == ["7"]
    assert ledger.claim_inbound("telegram") == []  # leased again to this worker


def test_claims_take_the_oldest_message_of_each_recipient_only(
    ledger: Delivery, clock: Clock
) -> None:
    for key, who in (("1", "a"), ("2", "a"), ("3", "b")):
        ledger.receive("telegram", key, who, {"text": key}, lease=timedelta(0))
    clock.advance(seconds=1)
    assert sorted(m.key for m in ledger.claim_inbound("telegram")) == ["1", "3"]
    clock.advance(seconds=61)
    assert sorted(m.key for m in ledger.claim_inbound("telegram", busy=["b"])) == ["1"]


def test_outbound_goes_oldest_first_per_recipient(ledger: Delivery, clock: Clock) -> None:
    ledger.enqueue("telegram", "a", [{"text": "a1"}, {"text": "a2"}])
    ledger.enqueue("telegram", "b", [{"text": "b1"}])
    due = ledger.due_outbound("telegram")
    assert sorted(m.body["text"] for m in due) == ["a1", "b1"]
    a1 = next(m for m in due if m.recipient == "a")
    ledger.retry(a1.id, timedelta(seconds=5), "429")
    assert [m.body["text"] for m in ledger.due_outbound("telegram")] == ["b1"]  # a2 waits
    clock.advance(seconds=6)
    ledger.sent(a1.id, "m1")
    assert "a2" in [m.body["text"] for m in ledger.due_outbound("telegram")]


def test_blocking_drops_what_waits_and_start_allows_sending_again(ledger: Delivery) -> None:
    ledger.enqueue("sms", "+16045550100", [{"text": "x"}, {"text": "y"}])
    assert ledger.set_contact_status("sms", "+16045550100", OPTED_OUT) == 2
    assert ledger.contact_status("sms", "+16045550100") == OPTED_OUT
    assert ledger.due_outbound("sms") == []
    assert [s for s, _ in ledger.outbound_for("sms", "+16045550100")] == [DROPPED, DROPPED]
    ledger.set_contact_status("sms", "+16045550100", ACTIVE)
    assert ledger.contact_status("sms", "+16045550100") == ACTIVE
    ledger.set_contact_status("telegram", "42", BLOCKED)
    assert ledger.contact_status("telegram", "42") == BLOCKED


def test_purge_keeps_keys_a_day_and_forgets_people_not_seen(ledger: Delivery, clock: Clock) -> None:
    old = ledger.receive("sms", "SM-old", "+16045550100", {"text": "hi"})
    assert old is not None
    ledger.answer(old.id, [{"text": "hello"}])
    clock.advance(hours=30)
    assert ledger.purge()["inbound"] == 0  # kept 48 h: a late redelivery is still dropped
    clock.advance(hours=20)
    recent = ledger.receive("sms", "SM-new", "+16045550199", {"text": "hi"})
    assert recent is not None
    counts = ledger.purge(forget_contacts_after=timedelta(days=1))
    assert counts["inbound"] == 1 and counts["contacts"] == 1
    assert ledger.outbound_for("sms", "+16045550100") == []
    assert ledger.inbound_status("sms", "SM-new") == PENDING
    with pytest.raises(ValueError):
        ledger.purge(keep_messages=timedelta(hours=1))
