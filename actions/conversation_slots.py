"""Copies the gateway's decisions (language, channel) from message metadata into slots.

Rasa runs `action_validate_slot_mappings` after every user message, before the policies,
so the responses of that same turn are already in the right language.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import EventList

GATEWAY_SLOTS = ("language", "channel")


class ValidateSlotMappings(Action):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> EventList:
        metadata = tracker.latest_message.get("metadata") or {}
        events: EventList = []
        for slot in GATEWAY_SLOTS:
            value = metadata.get(slot)
            if isinstance(value, str) and value and value != tracker.get_slot(slot):
                events.append(SlotSet(slot, value))
        return events
