"""Danger first: emergency contacts at once, whatever the dialogue state."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import EventList, NavigatorAction, report
from actions.services import FindServices
from bot.catalog import Catalog

# Dangers with services to follow up with: after the numbers, someone describing abuse at
# home or thoughts of suicide also gets the family-violence or mental-health services near
# them (or is asked where they are). Other dangers (an overdose, a medical emergency) get
# the numbers alone: the next step is the call.
FOLLOW_UP = ("family_violence", "mental_health")


class Emergency(NavigatorAction):
    def __init__(self, services: FindServices | None = None) -> None:
        self.services = services

    def name(self) -> str:
        return "action_emergency"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog, language: str
    ) -> EventList:
        dispatcher.utter_message(text=catalog.text("utter_emergency", language))
        report(dispatcher, emergency=True, categories=["emergency"], services=[])
        category = next(tracker.get_latest_entity_values("category"), None)
        if self.services is None or category not in FOLLOW_UP:
            return []
        return await self.services.find(dispatcher, tracker, catalog, language, str(category))
