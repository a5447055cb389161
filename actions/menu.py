"""The category menu: for a message not understood, or a question the bot cannot help with."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import EventList, NavigatorAction, report
from bot.catalog import Catalog

MENUS = {"out_of_scope": "utter_out_of_scope"}
DEFAULT_MENU = "utter_fallback_menu"


class ShowMenu(NavigatorAction):
    def name(self) -> str:
        return "action_show_menu"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog, language: str
    ) -> EventList:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        response = MENUS.get(str(intent), DEFAULT_MENU)
        dispatcher.utter_message(
            text=catalog.text(response, language), buttons=catalog.buttons(response, language)
        )
        report(dispatcher, categories=[], services=[])
        return []
