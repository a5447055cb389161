"""`navigator sms purge --days N`: numbers not seen for N days leave no trace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from channels.delivery import OPTED_OUT, Delivery
from channels.sms.choices import ChoiceStore
from channels.sms.purge import purge_sms
from knowledge.db import Database


def test_purge_forgets_old_numbers_and_keeps_recent_ones_and_other_channels(
    channel_database: Database,
) -> None:
    now = [datetime.now(UTC)]
    delivery = Delivery(channel_database.engine, clock=lambda: now[0])
    delivery.create_tables()
    choices = ChoiceStore(channel_database.engine)
    choices.create_tables()
    old, recent = "+16045550001", "+16045550002"
    inbound = delivery.receive("sms", "SMold", old, {"text": "hi"})
    assert inbound is not None
    delivery.answer(inbound.id, [{"text": "hello"}])
    delivery.set_contact_status("sms", old, OPTED_OUT)
    delivery.receive("telegram", "1", "42", {"text": "hi"})
    choices.save("sms-oldpseudonym", {"1": "/more_results"})
    now[0] += timedelta(days=40)
    delivery.receive("sms", "SMrecent", recent, {"text": "hi"})

    counts = purge_sms(delivery, choices, days=30)

    assert counts["contacts"] == 1
    assert counts["choices"] == 1
    assert delivery.outbound_for("sms", old) == []
    assert delivery.inbound_status("sms", "SMold") is None
    assert delivery.inbound_status("sms", "SMrecent") is not None
    assert delivery.inbound_status("telegram", "1") is not None  # not this command's
    assert choices.get("sms-oldpseudonym") == {}


def test_purge_refuses_less_than_two_days(channel_database: Database) -> None:
    delivery = Delivery(channel_database.engine)
    with pytest.raises(ValueError):
        purge_sms(delivery, ChoiceStore(channel_database.engine), days=1)


def test_the_command(tmp_path: object, monkeypatch: pytest.MonkeyPatch, capsys: object) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("NAVIGATOR_VAR_DIR", str(tmp_path))
    assert main(["sms", "purge", "--days", "30"]) == 0
    assert main(["sms", "purge", "--days", "1"]) == 2
