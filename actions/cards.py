"""A service as the user reads it: a few short lines, every label from the catalog."""

from __future__ import annotations

from collections.abc import Sequence

from bot.catalog import Catalog
from bot.languages import language as language_conventions
from knowledge.languages import endonym
from knowledge.search import ServiceHit

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _hours(spans: Sequence[tuple[str, str]], language: str) -> str:
    fmt = language_conventions(language).format_time
    return ", ".join(f"{fmt(opens)}–{fmt(closes)}" for opens, closes in spans)


def hours_line(catalog: Catalog, language: str, hit: ServiceHit) -> str | None:
    if hit.hours_today is None:
        # "Call to check the hours" helps for an office with a number to call, not for
        # the phone line itself.
        if hit.virtual or not hit.phones:
            return None
        return catalog.text("utter_card_hours_unknown", language)
    if not hit.hours_today:
        return catalog.text("utter_card_closed_today", language)
    if hit.hours_today == (("00:00", "24:00"),):
        return catalog.text("utter_card_open_24h", language)
    return catalog.text("utter_card_hours_today", language, hours=_hours(hit.hours_today, language))


def week_line(catalog: Catalog, language: str, hit: ServiceHit) -> str | None:
    schedule = getattr(hit, "schedule", None) or ()
    if not schedule:
        return None
    by_day: dict[str, list[tuple[str, str]]] = {}
    for day, opens, closes in schedule:
        by_day.setdefault(day, []).append((opens, closes))
    parts = [
        f"{catalog.text(f'utter_day_{day.lower()}', language)} {_hours(by_day[day], language)}"
        for day in DAYS
        if day in by_day
    ]
    return catalog.text("utter_card_hours_week", language, hours="; ".join(parts))


def service_card(
    catalog: Catalog, language: str, number: int, hit: ServiceHit, *, detailed: bool = False
) -> str:
    title = (
        hit.name if hit.organization_name in hit.name else f"{hit.name} – {hit.organization_name}"
    )
    lines = [f"{number}. {title}"]
    if hit.description:
        lines.append(hit.description)
        if hit.description_language != language:
            lines.append(catalog.text("utter_card_in_english", language))
    if hit.phones:
        lines.append(catalog.text("utter_card_phone", language, phone=", ".join(hit.phones[:2])))
    if hit.address:
        address = hit.address
        if hit.distance_km is not None:
            distance = language_conventions(language).format_decimal(hit.distance_km)
            km = catalog.text("utter_card_distance", language, distance=distance)
            address = f"{address} ({km})"
        lines.append(catalog.text("utter_card_address", language, address=address))
    elif hit.virtual:
        lines.append(catalog.text("utter_card_virtual", language))
    hours = hours_line(catalog, language, hit)
    if hours:
        lines.append(hours)
    if detailed:
        week = week_line(catalog, language, hit)
        if week:
            lines.append(week)
    if hit.languages:
        names = ", ".join(endonym(code) for code in hit.languages[: 12 if detailed else 6])
        lines.append(catalog.text("utter_card_languages", language, languages=names))
    if detailed:
        if hit.eligibility:
            who = ", ".join(
                catalog.text(f"utter_eligibility_{code}", language) for code in hit.eligibility
            )
            lines.append(catalog.text("utter_card_eligibility", language, eligibility=who))
        if hit.fees == "free":
            lines.append(catalog.text("utter_card_free", language))
        if hit.url:
            lines.append(catalog.text("utter_card_website", language, url=hit.url))
        if not hit.verified:
            lines.append(catalog.text("utter_card_not_verified", language))
    return "\n".join(line for line in lines if line)


def service_facts(hit: ServiceHit) -> dict[str, object]:
    return {
        "id": hit.id,
        "name": hit.name,
        "categories": list(hit.categories),
        "distance_km": None if hit.distance_km is None else round(hit.distance_km, 2),
    }


# -- SMS -------------------------------------------------------------------------------
# A card costs money on SMS: every accent or non-Latin letter makes a segment 67
# characters. Levels of detail, from most to least; fields are left out whole, never cut.
SMS_FULL, SMS_SHORT, SMS_MINIMAL = 0, 1, 2


def sms_card(catalog: Catalog, language: str, number: int, hit: ServiceHit, level: int) -> str:
    """Name, one phone number, address: what a newcomer needs to call or go there."""
    title = hit.name
    if level == SMS_FULL and hit.organization_name not in hit.name:
        title = f"{hit.name} – {hit.organization_name}"
    lines = [f"{number}. {title}"]
    if hit.phones:
        lines.append(catalog.text("utter_card_phone", language, phone=hit.phones[0]))
    if level < SMS_MINIMAL or not hit.phones:
        if hit.address:
            address = hit.address
            if level == SMS_FULL and hit.distance_km is not None:
                distance = language_conventions(language).format_decimal(hit.distance_km)
                km = catalog.text("utter_card_distance", language, distance=distance)
                address = f"{address} ({km})"
            lines.append(catalog.text("utter_card_address", language, address=address))
        elif hit.virtual and level < SMS_MINIMAL:
            lines.append(catalog.text("utter_card_virtual", language))
    return "\n".join(lines)


def sms_detail_lines(catalog: Catalog, language: str, number: int, hit: ServiceHit) -> list[str]:
    """A service's details for SMS, most useful first; the caller keeps what fits."""
    lines = [sms_card(catalog, language, number, hit, SMS_FULL)]
    if len(hit.phones) > 1:
        lines.append(catalog.text("utter_card_phone", language, phone=", ".join(hit.phones[1:3])))
    for line in (hours_line(catalog, language, hit), week_line(catalog, language, hit)):
        if line:
            lines.append(line)
    if hit.url:
        lines.append(catalog.text("utter_card_website", language, url=hit.url))
    if hit.description and hit.description_language == language:
        lines.append(hit.description)
    if hit.fees == "free":
        lines.append(catalog.text("utter_card_free", language))
    if hit.languages:
        names = ", ".join(endonym(code) for code in hit.languages[:6])
        lines.append(catalog.text("utter_card_languages", language, languages=names))
    if not hit.verified:
        lines.append(catalog.text("utter_card_not_verified", language))
    return lines
