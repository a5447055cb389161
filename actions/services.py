"""Find services, show more of them, and show one in detail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import EventList, NavigatorAction, report
from actions.cards import (
    SMS_FULL,
    SMS_MINIMAL,
    SMS_SHORT,
    service_card,
    service_facts,
    sms_card,
    sms_detail_lines,
)
from bot.catalog import Catalog
from channels.sms.compose import segment_count
from channels.sms.segments import DEFAULT_SMS_SEGMENTS
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


@dataclass(frozen=True)
class TextChannel:
    """A channel without buttons (SMS, WhatsApp through Twilio): choices are answered by
    number or MORE; SMS also has a segment budget per answer."""

    kind: str  # sms | whatsapp
    max_segments: int

    @property
    def compact(self) -> bool:
        return self.kind == "sms"


def text_channel(tracker: Tracker) -> TextChannel | None:
    metadata = tracker.latest_message.get("metadata") or {}
    channel = str(metadata.get("channel") or tracker.get_slot("channel") or "")
    kind = channel.rsplit("-", 1)[-1]  # the console's "tester-sms" shows what SMS shows
    if kind not in ("sms", "whatsapp"):
        return None
    budget = metadata.get("sms_max_segments")
    if not isinstance(budget, int) or budget < 1:
        budget = DEFAULT_SMS_SEGMENTS
    return TextChannel(kind, budget)


# Ways to fit a page into the SMS budget, best first: (card level, with header). Fewer
# services are tried before cards without an address (where to go matters).
_WITH_ADDRESS = ((SMS_FULL, True), (SMS_SHORT, True), (SMS_SHORT, False))
_WITHOUT_ADDRESS = ((SMS_MINIMAL, False),)


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
        """Cards, then a footer saying how to answer instead of buttons; for SMS the page
        that fits the segment budget with the most services and detail. `before`: what
        this answer already said (counted in the budget)."""
        hits = result.hits

        def page(count: int, level: int | None, with_header: bool) -> list[str]:
            shown = hits[:count]
            more = first_number - 1 + count < result.total
            footer = "utter_sms_results_footer" if more else "utter_sms_results_footer_last"
            cards = [
                service_card(catalog, language, first_number + i, hit)
                if level is None
                else sms_card(catalog, language, first_number + i, hit, level)
                for i, hit in enumerate(shown)
            ]
            top = [header(count)] if header is not None and with_header else []
            return [*top, *cards, catalog.text(footer, language)]

        chosen: tuple[int, list[str]] | None = None
        if not plain.compact:
            chosen = (len(hits), page(len(hits), None, True))
        else:
            sizes = range(len(hits), 0, -1)
            for ways in (_WITH_ADDRESS, _WITHOUT_ADDRESS):
                for count in sizes:
                    for level, with_header in ways:
                        texts = page(count, level, with_header)
                        if segment_count([*before, *texts], language) <= plain.max_segments:
                            chosen = (count, texts)
                            break
                    if chosen:
                        break
                if chosen:
                    break
            if chosen is None:  # nothing fits: the smallest page, whole words still
                chosen = (1, page(1, SMS_MINIMAL, False))
        count, texts = chosen
        for text in texts:
            dispatcher.utter_message(text=text)
        shown = hits[:count]
        replies = {
            str(first_number + i): f'/service_details{{"number":"{first_number + i}"}}'
            for i in range(count)
        }
        if first_number - 1 + count < result.total:
            replies["more"] = "/more_results"
        report(dispatcher, replies=replies)
        return shown


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
            dispatcher.utter_message(text=_fit_lines(catalog, language, number, hit, plain))
        else:
            dispatcher.utter_message(
                text=service_card(catalog, language, number, hit, detailed=True)
            )
        report(dispatcher, categories=list(hit.categories[:1]), services=[service_facts(hit)])
        return []


def _fit_lines(
    catalog: Catalog, language: str, number: int, hit: ServiceHit, plain: TextChannel
) -> str:
    """The details that fit the SMS budget, most useful first; a line fits whole or not
    at all (the first, name and phone, always)."""
    lines = sms_detail_lines(catalog, language, number, hit)
    kept = lines[:1]
    for line in lines[1:]:
        if segment_count([*kept, line], language) <= plain.max_segments:
            kept.append(line)
    return "\n".join(kept)


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
