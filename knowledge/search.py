"""Find services for a person: the public search API.

`search_services` filters and ranks (knowledge.candidates, knowledge.ranking), then
loads what the page shows (knowledge.details). Around a place, every service is
represented by its nearest location; phone/online services count as available
wherever their service area covers the place, with no distance. Without a place
every matching service is a candidate and none has a distance.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.candidates import Candidate, Filters, anywhere_page, near_page
from knowledge.categories import CATEGORY_CODES, ELIGIBILITY_CODES
from knowledge.details import hits
from knowledge.hours import local_time
from knowledge.languages import normalize_code
from knowledge.models import Location, ServiceAtLocation
from knowledge.places import Place, distance_km
from knowledge.results import SearchResult, ServiceHit
from knowledge.stats import directory_stats

__all__ = [
    "SearchResult",
    "ServiceHit",
    "ServiceQuery",
    "ServiceView",
    "directory_stats",
    "get_service",
    "search_services",
]

# The name docs/architecture.md uses for what get_service returns.
ServiceView = ServiceHit

_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class ServiceQuery:
    """What the person asked for."""

    categories: tuple[str, ...] = ()
    near: Place | None = None
    language: str | None = None  # a language the staff should speak (ISO code)
    open_now: bool = False
    eligibility: str | None = None  # the person's status; no eligibility rows = everyone
    display_language: str = "en"  # language of description texts (fallback en)
    at: dt.datetime | None = None  # "now" for open_now and hours; default: now in Vancouver
    limit: int = 3
    offset: int = 0
    max_distance_km: float | None = 50.0


def _filters(query: ServiceQuery, at_local: dt.datetime) -> Filters:
    """Validated filters. Codes come from NLU and actions: a wrong one is a bug."""
    unknown = [c for c in query.categories if c not in CATEGORY_CODES]
    if unknown:
        raise ValueError(f"unknown category codes: {unknown}")
    if query.eligibility is not None and query.eligibility not in ELIGIBILITY_CODES:
        raise ValueError(f"unknown eligibility code: {query.eligibility!r}")
    if query.limit < 0 or query.offset < 0:
        raise ValueError("limit and offset must not be negative")
    language = None
    if query.language:
        language = normalize_code(query.language)
        if not _LANGUAGE_RE.match(language):
            raise ValueError(f"not a language code: {query.language!r}")
    return Filters(
        categories=tuple(dict.fromkeys(query.categories)),
        language=language,
        eligibility=query.eligibility,
        open_now=query.open_now,
        at_local=at_local,
    )


def search_services(session: Session, query: ServiceQuery) -> SearchResult:
    """The best matching services for `query`, best first, and how many match in all."""
    at_local = local_time(query.at)
    filters = _filters(query, at_local)
    if query.near is None:
        page, total = anywhere_page(session, filters, query.offset, query.limit)
    else:
        page, total = near_page(
            session,
            filters,
            (query.near.latitude, query.near.longitude),
            query.near.municipality,
            query.max_distance_km,
            query.offset,
            query.limit,
        )
    return SearchResult(hits(session, page, query.display_language, at_local), total)


def get_service(
    session: Session,
    service_id: str,
    display_language: str = "en",
    at: dt.datetime | None = None,
    near: Place | None = None,
) -> ServiceHit | None:
    """One service with its weekly schedule, at its location nearest to `near` (else first).

    `score` is 0: nothing is being compared.
    """
    places = session.execute(
        select(ServiceAtLocation.id, Location.id, Location.latitude, Location.longitude)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id == service_id)
        .order_by(ServiceAtLocation.id)
    ).all()
    best = Candidate(service_id, None, None, None, 0.0)
    for sal_id, location_id, lat, lon in places:
        d = None
        if near is not None and lat is not None and lon is not None:
            d = distance_km(near.latitude, near.longitude, lat, lon)
        if best.sal_id is None or (
            d is not None and (best.distance_km is None or d < best.distance_km)
        ):
            best = Candidate(service_id, sal_id, location_id, d, 0.0)
    found = hits(session, [best], display_language, local_time(at))
    return found[0] if found else None
