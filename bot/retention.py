"""`navigator purge --days N`: forget conversations nobody has continued for N days.

Newcomers can be vulnerable; what they wrote is kept only as long as it helps answer
them. Three stores hold it: Rasa's tracker store (every event, with the message text),
the gateway's language memory (a pseudonym and a language), and the platform channels'
ledger (phone numbers and chat ids, messages in and out). The directory is not touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from channels.delivery import Delivery
from channels.sms.choices import ChoiceStore
from channels.store import ConversationStore

# Shorter than this would drop the dedupe keys a platform may still redeliver against.
MIN_DAYS = 2


@dataclass(frozen=True)
class PurgeReport:
    tracker_events: int
    conversations: int
    channel_messages: int
    channel_contacts: int


def purge_tracker_events(engine: Engine, cutoff: datetime) -> int:
    """Delete the events of conversations whose last event is older than `cutoff`."""
    if not inspect(engine).has_table("events"):
        return 0
    with engine.begin() as connection:
        stale = text(
            "DELETE FROM events WHERE sender_id IN ("
            " SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff)"
        )
        result = connection.execute(stale, {"cutoff": cutoff.timestamp()})
        return int(result.rowcount or 0)


def purge(
    *, tracker: Engine, gateway: Engine, days: int, now: datetime | None = None
) -> PurgeReport:
    if days < MIN_DAYS:
        raise ValueError(f"keep at least {MIN_DAYS} days (platforms redeliver for a day)")
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=days)
    events = purge_tracker_events(tracker, cutoff)
    store = ConversationStore(gateway)
    store.create_tables()
    conversations = store.forget_older_than(cutoff)
    choices = ChoiceStore(gateway)  # what "1" or MORE meant in an SMS conversation
    choices.create_tables()
    choices.forget_older_than(cutoff)
    delivery = Delivery(gateway, clock=lambda: now)
    delivery.create_tables()
    ledger = delivery.purge(
        keep_messages=timedelta(days=days), forget_contacts_after=timedelta(days=days)
    )
    return PurgeReport(
        events, conversations, ledger["inbound"] + ledger["outbound"], ledger["contacts"]
    )
