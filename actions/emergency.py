"""Danger first: emergency contacts at once, whatever the dialogue state."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import EventList, NavigatorAction, report
from bot.catalog import Catalog


class Emergency(NavigatorAction):
    def name(self) -> str:
        return "action_emergency"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog, language: str
    ) -> EventList:
        dispatcher.utter_message(text=catalog.text("utter_emergency", language))
        report(dispatcher, emergency=True, categories=["emergency"], services=[])
        return []
