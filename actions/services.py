"""Find services, show more of them, and show one in detail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import EventList, NavigatorAction, report
from actions.cards import service_card, service_facts
from actions.text_pages import TextChannel, text_channel, text_details, text_page
from bot.catalog import Catalog
from knowledge.db import Database
from knowledge.places import Place, resolve_place
from knowledge.search import (
    SearchResult,
    ServiceHit,
    ServiceQuery,
    get_service,
    search_services,
)
from knowledge.translation import NoTranslator, Translator, cached_translation

PAGE_SIZE = 3


def _place_facts(place: Place) -> dict[str, object]:
    return {"name": place.name, "latitude": place.latitude, "longitude": place.longitude}


class _ServiceAction(NavigatorAction):
    def __init__(
        self, database: Database, translator: Translator | None = None, page_size: int = PAGE_SIZE
    ) -> None:
        self.database = database
        self.translator = translator or NoTranslator()
        self.page_size = page_size

    def search(self, category: str, place: Place, language: str, offset: int) -> SearchResult:
        query = ServiceQuery(
            categories=(category,),
            near=place,
            display_language=language,
            limit=self.page_size,
            offset=offset,
        )
        with self.database.session() as session:
            result = search_services(session, query)
            hits = tuple(self.in_language(session, hit, language) for hit in result.hits)
        return replace(result, hits=hits)

    def in_language(self, session: Session, hit: ServiceHit, language: str) -> ServiceHit:
        """The description in the user's language: curated, else machine-translated (and
        cached for review), else left in English for the card to say so."""
        if hit.description_language == language or not hit.description:
            return hit
        translated = cached_translation(
            session,
            self.translator,
            entity_type="service",
            entity_id=hit.id,
            field="description",
            text=hit.description,
            source=hit.description_language,
            target=language,
            keep=[hit.name, hit.organization_name, *(hit.address or "").split(", ")],
        )
        if translated is None:
            return hit
        return replace(hit, description=translated, description_language=language)

    def show_page(
        self,
        dispatcher: CollectingDispatcher,
        catalog: Catalog,
        language: str,
        result: SearchResult,
        first_number: int,
        *,
        plain: TextChannel | None = None,
        header: Callable[[int], str] | None = None,
        before: tuple[str, ...] = (),
    ) -> tuple[ServiceHit, ...]:
        """Show a page of results; the hits shown (SMS may show fewer to fit)."""
        if plain is not None:
            return self.show_text_page(
                dispatcher, catalog, language, result, first_number, plain, header, before
            )
        if header is not None:
            dispatcher.utter_message(text=header(len(result.hits)))
        for index, hit in enumerate(result.hits):
            dispatcher.utter_message(
                text=service_card(catalog, language, first_number + index, hit)
            )
        numbers = range(first_number, first_number + len(result.hits))
        buttons = [
            {
                "title": catalog.text("utter_details_button", language, number=n),
                "payload": f'/service_details{{"number":"{n}"}}',
            }
            for n in numbers
        ]
        footer = "utter_results_footer_last"
        if first_number - 1 + len(result.hits) < result.total:
            footer = "utter_results_footer"
            buttons.append(
                {"title": catalog.text("utter_more_button", language), "payload": "/more_results"}
            )
        dispatcher.utter_message(text=catalog.text(footer, language), buttons=buttons)
        return result.hits

    def show_text_page(
        self,
        dispatcher: CollectingDispatcher,
        catalog: Catalog,
        language: str,
        result: SearchResult,
        first_number: int,
        plain: TextChannel,
        header: Callable[[int], str] | None,
        before: tuple[str, ...],
    ) -> tuple[ServiceHit, ...]:
        """Cards, then a footer saying how to answer instead of buttons (SMS: the page
        that fits the segment budget)."""
        page = text_page(catalog, language, result, first_number, plain, header, before)
        for text in page.texts:
            dispatcher.utter_message(text=text)
        report(dispatcher, replies=page.replies)
        return page.shown


class FindServices(_ServiceAction):
    def name(self) -> str:
        return "action_find_services"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog, language: str
    ) -> EventList:
        return await self.find(dispatcher, tracker, catalog, language, tracker.get_slot("category"))

    async def find(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        catalog: Catalog,
        language: str,
        category: str | None,
    ) -> EventList:
        """Services of `category` near the conversation's place, or a question for what
        is missing."""
        place_text = tracker.get_slot("place")
        if category == "emergency":
            dispatcher.utter_message(text=catalog.text("utter_emergency", language))
        if not category:
            dispatcher.utter_message(
                text=catalog.text("utter_ask_category", language),
                buttons=catalog.buttons("utter_ask_category", language),
            )
            report(dispatcher, categories=[], services=[])
            return []
        if not place_text:
            dispatcher.utter_message(text=catalog.text("utter_ask_place", language))
            report(
                dispatcher, categories=[category], services=[], emergency=category == "emergency"
            )
            return []
        place = resolve_place(str(place_text))
        if place is None:
            dispatcher.utter_message(
                text=catalog.text("utter_place_unknown", language, place=place_text)
            )
            report(
                dispatcher, categories=[category], services=[], emergency=category == "emergency"
            )
            return [SlotSet("place", None)]
        result = self.search(category, place, language, offset=0)
        category_name = catalog.text(f"utter_category_{category}", language)
        shown: tuple[ServiceHit, ...] = ()
        if not result.hits:
            dispatcher.utter_message(
                text=catalog.text(
                    "utter_no_results", language, category_name=category_name, place=place.name
                )
            )
        else:

            def header(count: int) -> str:
                return catalog.text(
                    "utter_results_header",
                    language,
                    count=count,
                    category_name=category_name,
                    place=place.name,
                )

            before = (catalog.text("utter_emergency", language),) if category == "emergency" else ()
            shown = self.show_page(
                dispatcher,
                catalog,
                language,
                result,
                first_number=1,
                plain=text_channel(tracker),
                header=header,
                before=before,
            )
        report(
            dispatcher,
            categories=[category],
            place=_place_facts(place),
            services=[service_facts(h) for h in shown],
            emergency=category == "emergency",
        )
        return [
            SlotSet("result_ids", [h.id for h in shown]),
            SlotSet("results_shown", float(len(shown))),
        ]


class MoreResults(_ServiceAction):
    def name(self) -> str:
        return "action_more_results"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog, language: str
    ) -> EventList:
        category = tracker.get_slot("category")
        place = resolve_place(str(tracker.get_slot("place") or ""))
        shown = list(tracker.get_slot("result_ids") or [])
        if not category or place is None or not shown:
            dispatcher.utter_message(text=catalog.text("utter_details_expired", language))
            report(dispatcher, categories=[], services=[])
            return []
        result = self.search(category, place, language, offset=len(shown))
        if not result.hits:
            dispatcher.utter_message(text=catalog.text("utter_no_more_results", language))
            report(dispatcher, categories=[category], services=[])
            return []
        page = self.show_page(
            dispatcher,
            catalog,
            language,
            result,
            first_number=len(shown) + 1,
            plain=text_channel(tracker),
        )
        report(
            dispatcher,
            categories=[category],
            place=_place_facts(place),
            services=[service_facts(h) for h in page],
        )
        ids = shown + [h.id for h in page]
        return [SlotSet("result_ids", ids), SlotSet("results_shown", float(len(ids)))]


class ServiceDetails(_ServiceAction):
    def name(self) -> str:
        return "action_service_details"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog, language: str
    ) -> EventList:
        shown = list(tracker.get_slot("result_ids") or [])
        if not shown:
            dispatcher.utter_message(text=catalog.text("utter_details_expired", language))
            report(dispatcher, categories=[], services=[])
            return []
        number = _number(tracker)
        if number is None or not 1 <= number <= len(shown):
            dispatcher.utter_message(text=catalog.text("utter_details_which", language))
            report(dispatcher, categories=[], services=[])
            return []
        with self.database.session() as session:
            hit = get_service(session, shown[number - 1], display_language=language)
            if hit is not None:
                hit = self.in_language(session, hit, language)
        if hit is None:
            dispatcher.utter_message(text=catalog.text("utter_details_expired", language))
            report(dispatcher, categories=[], services=[])
            return []
        plain = text_channel(tracker)
        if plain is not None and plain.compact:
            dispatcher.utter_message(text=text_details(catalog, language, number, hit, plain))
        else:
            dispatcher.utter_message(
                text=service_card(catalog, language, number, hit, detailed=True)
            )
        report(dispatcher, categories=list(hit.categories[:1]), services=[service_facts(hit)])
        return []


def _number(tracker: Tracker) -> int | None:
    for value in tracker.get_latest_entity_values("number"):
        try:
            return int(str(value).strip())
        except ValueError:
            continue
    text = (tracker.latest_message.get("text") or "").strip()
    digits = [ch for ch in text if ch.isdigit()]
    if len(digits) == 1:
        return int(digits[0])
    return None
