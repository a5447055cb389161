"""Result pages for channels without buttons (SMS, WhatsApp through Twilio).

Choices are answered by number or MORE. An SMS page must also fit a segment budget: it is
fitted here, where the results are known, so that `result_ids` holds exactly the services
shown and MORE continues after them. The segment rule is the channel's own
(`channels.sms.compose`), imported so that the count is of exactly the text sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rasa_sdk import Tracker

from actions.cards import (
    SMS_FULL,
    SMS_MINIMAL,
    SMS_SHORT,
    service_card,
    sms_card,
    sms_detail_lines,
)
from bot.catalog import Catalog
from channels.sms.compose import segment_count
from channels.sms.segments import DEFAULT_SMS_SEGMENTS
from knowledge.search import SearchResult, ServiceHit


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


@dataclass(frozen=True)
class TextPage:
    texts: list[str]  # the messages to send, in order
    shown: tuple[ServiceHit, ...]
    replies: dict[str, str]  # what "1", "2", "more" stand for in the next message


def text_page(
    catalog: Catalog,
    language: str,
    result: SearchResult,
    first_number: int,
    plain: TextChannel,
    header: Callable[[int], str] | None,
    before: tuple[str, ...],
) -> TextPage:
    """The page with the most services and detail that fits (`before`: what this answer
    already said, counted in the budget). Words are never cut."""
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
        for ways in (_WITH_ADDRESS, _WITHOUT_ADDRESS):
            for count in range(len(hits), 0, -1):
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
    replies = {
        str(first_number + i): f'/service_details{{"number":"{first_number + i}"}}'
        for i in range(count)
    }
    if first_number - 1 + count < result.total:
        replies["more"] = "/more_results"
    return TextPage(texts, hits[:count], replies)


def text_details(
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
