"""The user chooses the language of the conversation."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import EventList, NavigatorAction, report
from bot.catalog import Catalog
from bot.languages import language_named


class ChangeLanguage(NavigatorAction):
    def name(self) -> str:
        return "action_change_language"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog, language: str
    ) -> EventList:
        chosen = next(tracker.get_latest_entity_values("language"), None)
        code = language_named(str(chosen)) if chosen else None
        if code is None:
            code = language_named(tracker.latest_message.get("text") or "")
        if code is None or code not in catalog.languages("utter_language_changed"):
            dispatcher.utter_message(
                text=catalog.text("utter_choose_language", language),
                buttons=catalog.buttons("utter_choose_language", language),
            )
            report(dispatcher, categories=[], services=[])
            return []
        # Answer in the new language now; the gateway remembers the choice for next turns.
        dispatcher.utter_message(text=catalog.text("utter_language_changed", code))
        report(dispatcher, language_choice=code, categories=[], services=[])
        return []
