"""The user chooses the language of the conversation."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import EventList, NavigatorAction, report
from bot.catalog import Catalog
from bot.languages import available_languages, language_named, supported_languages


def language_buttons() -> list[dict[str, str]]:
    """One button per language the bot speaks, each named in its own language."""
    known = supported_languages()
    return [
        {"title": known[code].name, "payload": f'/change_language{{"language":"{code}"}}'}
        for code in available_languages()
    ]


class ChangeLanguage(NavigatorAction):
    def name(self) -> str:
        return "action_change_language"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog, language: str
    ) -> EventList:
        chosen = next(tracker.get_latest_entity_values("language"), None)
        # The entity's value is a code ("fr") when the NLU recognised the name.
        code = str(chosen) if chosen in supported_languages() else None
        if code is None and chosen:
            code = language_named(str(chosen), exact=False)
        if code is None:
            code = language_named(tracker.latest_message.get("text") or "", exact=False)
        if code is None or code not in available_languages():
            dispatcher.utter_message(
                text=catalog.text("utter_choose_language", language),
                buttons=language_buttons(),
            )
            report(dispatcher, categories=[], services=[])
            return []
        # Answer in the new language now; the gateway remembers the choice for next turns.
        dispatcher.utter_message(text=catalog.text("utter_language_changed", code))
        report(dispatcher, language_choice=code, categories=[], services=[])
        return []
