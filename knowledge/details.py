"""Load what a page of hits shows, in a fixed number of bulk queries (no N+1)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CompoundSelect, bindparam, literal, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from knowledge.candidates import Candidate, fetch_all
from knowledge.hours import Hours, day_code, hours_on, is_open, parse_byday, weekly
from knowledge.models import (
    Address,
    Eligibility,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceTaxonomy,
    Translation,
)
from knowledge.results import ServiceHit


@dataclass
class _Details:
    """Everything loaded in bulk for the services of one page."""

    services: dict[str, Any] = field(default_factory=dict)
    categories: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    languages: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    eligibility: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    phones_by_service: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    phones_by_location: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    places: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    hours_by_sal: dict[str, list[Hours]] = field(default_factory=lambda: defaultdict(list))
    hours_by_service: dict[str, list[Hours]] = field(default_factory=lambda: defaultdict(list))
    texts: dict[tuple[str, str], str] = field(default_factory=dict)


_IDS: BindParameter[str] = bindparam("ids", expanding=True)
_SAL_IDS: BindParameter[str] = bindparam("sal_ids", expanding=True)
_LOCATION_IDS: BindParameter[str] = bindparam("location_ids", expanding=True)

# Built once: a search then only binds ids, and SQLAlchemy reuses the compiled SQL.
_SERVICES = (
    select(
        Service.id,
        Service.name,
        Service.description,
        Service.url,
        Service.fees,
        Service.virtual,
        Service.verified,
        Organization.name.label("organization_name"),
    )
    .join(Organization, Organization.id == Service.organization_id)
    .where(Service.id.in_(_IDS))
)
_CODES: CompoundSelect[str, str | None, str, int] = union_all(
    select(
        literal("c"),
        ServiceTaxonomy.service_id,
        ServiceTaxonomy.taxonomy_term_id,
        ServiceTaxonomy.rank,
    ).where(ServiceTaxonomy.service_id.in_(_IDS)),
    select(literal("l"), Language.service_id, Language.code, literal(0)).where(
        Language.service_id.in_(_IDS)
    ),
    select(literal("e"), Eligibility.service_id, Eligibility.code, literal(0)).where(
        Eligibility.service_id.in_(_IDS)
    ),
)
_PHONES = union_all(
    select(Phone.id, Phone.service_id, Phone.location_id, Phone.number).where(
        Phone.service_id.in_(_IDS)
    ),
    select(Phone.id, Phone.service_id, Phone.location_id, Phone.number).where(
        Phone.location_id.in_(_LOCATION_IDS)
    ),
)
_PLACES = (
    select(Location.id, Location.name, Address.address_1, Address.city)
    .outerjoin(Address, Address.location_id == Location.id)
    .where(Location.id.in_(_LOCATION_IDS))
    .order_by(Location.id, Address.id)
)
_SCHEDULE_COLUMNS = (
    Schedule.id,
    Schedule.service_id,
    Schedule.service_at_location_id,
    Schedule.byday,
    Schedule.opens_at,
    Schedule.closes_at,
)
_SCHEDULES = union_all(
    select(*_SCHEDULE_COLUMNS).where(Schedule.service_id.in_(_IDS)),
    select(*_SCHEDULE_COLUMNS).where(Schedule.service_at_location_id.in_(_SAL_IDS)),
)
_TEXTS = select(Translation.entity_id, Translation.language, Translation.text).where(
    Translation.entity_type == "service",
    Translation.field == "description",
    Translation.entity_id.in_(_IDS),
    Translation.language.in_(bindparam("languages", expanding=True)),
)


def _load_details(session: Session, page: Sequence[Candidate], display_language: str) -> _Details:
    """Seven queries, whatever the page size."""
    details = _Details()
    params = {
        "ids": sorted({c.service_id for c in page}),
        "sal_ids": sorted({c.sal_id for c in page if c.sal_id}),
        "location_ids": sorted({c.location_id for c in page if c.location_id}),
        "languages": sorted({display_language, "en"}),
    }
    for row in fetch_all(session, _SERVICES, params):
        details.services[row.id] = row
    targets = {"c": details.categories, "l": details.languages, "e": details.eligibility}
    for kind, owner, code, _order in sorted(fetch_all(session, _CODES, params), key=lambda r: r[3]):
        if owner is not None:
            targets[kind][owner].append(code)
    for key in ("l", "e"):
        for values in targets[key].values():
            values.sort()
    seen: set[str] = set()
    for phone_id, sid, lid, number in sorted(fetch_all(session, _PHONES, params)):
        if phone_id in seen:  # a phone of both the service and the location
            continue
        seen.add(phone_id)
        if sid is not None:
            details.phones_by_service[sid].append(number)
        if lid is not None:
            details.phones_by_location[lid].append(number)
    for lid, name, street, city in fetch_all(session, _PLACES, params):
        if lid not in details.places:
            line = ", ".join(p for p in (street, city) if p) or None
            details.places[lid] = (name, line)
    for _id, sid, sal_id, byday, opens, closes in fetch_all(session, _SCHEDULES, params):
        hours = Hours(parse_byday(byday), opens, closes)
        if sal_id is not None:
            details.hours_by_sal[sal_id].append(hours)
        elif sid is not None:
            details.hours_by_service[sid].append(hours)
    for sid, language, text in fetch_all(session, _TEXTS, params):
        details.texts[(sid, language)] = text
    return details


def _hit(
    candidate: Candidate, details: _Details, display_language: str, at_local: dt.datetime
) -> ServiceHit | None:
    row = details.services.get(candidate.service_id)
    if row is None:
        return None
    sid = candidate.service_id
    description, language = "", "en"
    for option in (display_language, "en"):
        if (sid, option) in details.texts:
            description, language = details.texts[(sid, option)], option
            break
    else:
        if row.description:
            description = row.description
    hours: list[Hours] = []
    if candidate.sal_id:
        hours = details.hours_by_sal.get(candidate.sal_id, [])
    if not hours:
        hours = details.hours_by_service.get(sid, [])
    name, address = (None, None)
    phones = list(details.phones_by_service.get(sid, []))
    if candidate.location_id:
        name, address = details.places.get(candidate.location_id, (None, None))
        phones += details.phones_by_location.get(candidate.location_id, [])
    return ServiceHit(
        id=sid,
        name=row.name,
        organization_name=row.organization_name,
        categories=tuple(details.categories.get(sid, [])),
        description=description,
        description_language=language,
        phones=tuple(dict.fromkeys(phones)),
        address=address,
        location_name=name,
        distance_km=None if candidate.distance_km is None else round(candidate.distance_km, 3),
        hours_today=hours_on(hours, day_code(at_local.date())) if hours else None,
        open_now=is_open(hours, at_local) if hours else None,
        languages=tuple(details.languages.get(sid, [])),
        url=row.url,
        eligibility=tuple(details.eligibility.get(sid, [])),
        fees=row.fees,
        virtual=bool(row.virtual),
        verified=bool(row.verified),
        score=round(candidate.score, 4),
        schedule=weekly(hours),
    )


def hits(
    session: Session, page: Sequence[Candidate], display_language: str, at_local: dt.datetime
) -> tuple[ServiceHit, ...]:
    if not page:
        return ()
    details = _load_details(session, page, display_language)
    hits = (_hit(c, details, display_language, at_local) for c in page)
    return tuple(h for h in hits if h is not None)
