"""`navigator purge`: idle conversations are forgotten everywhere, recent ones kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.retention import purge
from channels.delivery import Delivery
from channels.store import ConversationStore

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _tracker(path: Path) -> object:
    # The columns of Rasa's SQL tracker store that purging reads.
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as c:
        c.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255),"
                " type_name VARCHAR(255), timestamp FLOAT, data TEXT)"
            )
        )
        for sender, age_days in (("old", 40), ("old", 31), ("recent", 40), ("recent", 1)):
            stamp = (NOW - timedelta(days=age_days)).timestamp()
            c.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES"
                    " (:s, 'user', :t, '{\"text\": \"secret\"}')"
                ),
                {"s": sender, "t": stamp},
            )
    return engine


def test_idle_conversations_are_forgotten_and_active_ones_kept(tmp_path: Path) -> None:
    tracker = _tracker(tmp_path / "tracker.db")
    gateway = create_engine(f"sqlite:///{tmp_path / 'gateway.db'}")
    old_clock = lambda: NOW - timedelta(days=40)  # noqa: E731
    delivery = Delivery(gateway, clock=old_clock)
    delivery.create_tables()
    inbound = delivery.receive("sms", "SM1", "+16045550100", {"text": "food"})
    assert inbound is not None
    delivery.answer(inbound.id, [{"text": "answer"}])
    store = ConversationStore(gateway)
    store.create_tables()
    store.save("pseudonym-old", "fr")
    store.save("pseudonym-new", "ar")
    with gateway.begin() as c:
        c.execute(
            text("UPDATE gateway_conversation SET last_seen = :t WHERE id = 'pseudonym-old'"),
            {"t": NOW - timedelta(days=40)},
        )

    report = purge(tracker=tracker, gateway=gateway, days=30, now=NOW)  # type: ignore[arg-type]

    with tracker.connect() as c:  # type: ignore[attr-defined]
        left = c.execute(text("SELECT DISTINCT sender_id FROM events")).scalars().all()
    assert left == ["recent"]
    assert report.tracker_events == 2
    assert report.channel_contacts == 1
    assert delivery.outbound_for("sms", "+16045550100") == []
    assert store.get("pseudonym-old") == (None, None)
    assert store.get("pseudonym-new") == (None, "ar")
    assert report.conversations == 1


def test_a_retention_shorter_than_redeliveries_is_refused(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ValueError):
        purge(tracker=engine, gateway=engine, days=1, now=NOW)
