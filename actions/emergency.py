"""Danger first: emergency contacts at once, whatever the dialogue state."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import EventList, NavigatorAction, report
from actions.services import FindServices
from bot.catalog import Catalog

# Dangers with services to follow up with: after the numbers, someone describing abuse at
# home or thoughts of suicide also gets the family-violence or mental-health services near
# them (or is asked where they are). Other dangers the lexicon names (an overdose, a medical
# emergency) get the numbers alone: the next step is the call.
FOLLOW_UP = ("family_violence", "mental_health")
# When only the statistical classifier thought of danger (no phrase of the lexicon), the
# message may well be an ordinary request ("pregnant, no MSP yet, where do I get a
# check-up"): the numbers still come first, then the services it is surely about.
UNCONFIRMED_FOLLOW_UP_CONFIDENCE = 0.5


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
        category = _follow_up(tracker)
        if self.services is None or category is None:
            return []
        return await self.services.find(dispatcher, tracker, catalog, language, category)


def _follow_up(tracker: Tracker) -> str | None:
    """The category whose services follow the emergency numbers, if any."""
    entity = next(
        (e for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "category"),
        None,
    )
    if entity is None:
        return None
    category = str(entity.get("value"))
    if category in FOLLOW_UP:
        return category
    named_by_lexicon = bool(tracker.latest_message.get("danger"))
    sure = float(entity.get("confidence") or 0.0) >= UNCONFIRMED_FOLLOW_UP_CONFIDENCE
    if not named_by_lexicon and sure and category != "emergency":
        return category
    return None
