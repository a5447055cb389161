"""Forget numbers not seen for a while: `navigator sms purge --days N`."""

from __future__ import annotations

from datetime import timedelta

from channels.delivery import Delivery
from channels.sms.choices import ChoiceStore

CHANNEL = "sms"
MIN_DAYS = 2


def purge_sms(delivery: Delivery, choices: ChoiceStore, days: int) -> dict[str, int]:
    """Every message, contact status and reply choice of numbers (SMS and WhatsApp) not
    seen for `days` days, and answered SMS older than that. At least two days: message
    ids must outlive Twilio's redeliveries. (`navigator purge` forgets the conversations
    themselves — Rasa's events and the language memory — for every channel.)"""
    if days < MIN_DAYS:
        raise ValueError(f"keep at least {MIN_DAYS} days (redeliveries must still be recognised)")
    counts = delivery.purge(
        keep_messages=timedelta(days=days),
        forget_contacts_after=timedelta(days=days),
        channel=CHANNEL,
    )
    counts["choices"] = choices.forget_older_than(delivery.now() - timedelta(days=days))
    return counts
