"""What every action shares: the conversation language, the catalog, a safe failure."""

from __future__ import annotations

import logging
from abc import abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.catalog import FALLBACK_LANGUAGE, Catalog

log = logging.getLogger(__name__)

EventList = list[dict[str, Any]]


def conversation_language(tracker: Tracker) -> str:
    value = tracker.get_slot("language")
    return str(value) if value else FALLBACK_LANGUAGE


def report(dispatcher: CollectingDispatcher, **facts: Any) -> None:
    """The machine-readable part of the answer; the gateway strips it before users see it."""
    dispatcher.utter_message(json_message={"navigator": facts})


class NavigatorAction(Action):
    """An action that answers politely instead of failing silently when something breaks."""

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog, language: str
    ) -> EventList: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> EventList:
        catalog = Catalog.from_domain(domain)
        language = conversation_language(tracker)
        try:
            return await self.act(dispatcher, tracker, catalog, language)
        except Exception:
            log.exception("action %s failed", self.name())
            dispatcher.messages.clear()
            dispatcher.utter_message(text=catalog.text("utter_sorry_error", language))
            report(dispatcher, error=True)
            return []
