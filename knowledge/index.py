"""Keep `service_search` (the search index) in step with the directory tables.

The loader and the synthetic generator call `refresh_search_index` themselves. Code
that changes services, places, categories, languages, eligibility or hours in any
other way must call it for the services it touched. Deleting a service or a place
removes its index rows by cascade.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from knowledge.hours import Hours, parse_byday, week_map
from knowledge.models import (
    Address,
    Eligibility,
    Language,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceSearch,
    ServiceTaxonomy,
)
from knowledge.places import covered_municipalities

_CHUNK = 500


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


@lru_cache(maxsize=4096)
def _week_map(hours: frozenset[Hours]) -> str | None:
    # Most places share a few patterns (weekdays 9-5); compute each once.
    return week_map(hours)


def _codes(values: Iterable[str]) -> str:
    """ "|a|b|" for membership tests with LIKE; "" when empty."""
    ordered = sorted(set(values))
    return "|" + "|".join(ordered) + "|" if ordered else ""


def _areas(names: Iterable[str]) -> str:
    """ "|Burnaby|Surrey|" for the municipalities the areas cover; "*" for everywhere."""
    covered: set[str] = set()
    for name in names:
        found = covered_municipalities(name)
        if found is None:
            return "*"
        covered |= found
    return _codes(covered) if covered else "*"


Spot = tuple[str | None, str | None, float | None, float | None]  # sal, location, lat, lon


def _by_service(session: Session, stmt: Any) -> dict[str, list[Any]]:
    """Group (service_id, *rest) rows by service id; rows without a service are skipped."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in session.execute(stmt):
        if row[0] is not None:
            grouped[row[0]].append(row[1] if len(row) == 2 else tuple(row[1:]))
    return grouped


def _hours(session: Session, ids: Sequence[str], sal_ids: Sequence[str]) -> dict[str, set[Hours]]:
    """Hours by place (service_at_location id) and by "service:<id>" for service-wide hours."""
    owners = [Schedule.service_id.in_(ids)]
    owners += [Schedule.service_at_location_id.in_(chunk) for chunk in _chunks(sal_ids)]
    found: dict[str, set[Hours]] = defaultdict(set)
    for owner in owners:
        for service_id, sal_id, byday, opens, closes in session.execute(
            select(
                Schedule.service_id,
                Schedule.service_at_location_id,
                Schedule.byday,
                Schedule.opens_at,
                Schedule.closes_at,
            ).where(owner)
        ):
            key = sal_id if sal_id is not None else f"service:{service_id}"
            found[key].add(Hours(parse_byday(byday), opens, closes))
    return found


def _rows_for(session: Session, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Index rows of the active services among `ids`."""
    virtual: dict[str, bool] = {}
    verified: dict[str, bool] = {}
    for sid, is_virtual, is_verified in session.execute(
        select(Service.id, Service.virtual, Service.verified).where(
            Service.id.in_(ids), Service.status == "active"
        )
    ):
        virtual[sid], verified[sid] = bool(is_virtual), bool(is_verified)
    wanted = sorted(virtual)
    if not wanted:
        return []
    categories = _by_service(
        session,
        select(
            ServiceTaxonomy.service_id, ServiceTaxonomy.taxonomy_term_id, ServiceTaxonomy.rank
        ).where(ServiceTaxonomy.service_id.in_(wanted)),
    )
    languages = _by_service(
        session, select(Language.service_id, Language.code).where(Language.service_id.in_(wanted))
    )
    areas = _by_service(
        session,
        select(ServiceArea.service_id, ServiceArea.name).where(ServiceArea.service_id.in_(wanted)),
    )
    eligibility = _by_service(
        session,
        select(Eligibility.service_id, Eligibility.code).where(Eligibility.service_id.in_(wanted)),
    )
    places: dict[str, list[Spot]] = defaultdict(list)
    cities: dict[str, list[str]] = defaultdict(list)  # of places without coordinates
    seen: set[str] = set()
    for owner, sal_id, location_id, lat, lon, city in session.execute(
        select(
            ServiceAtLocation.service_id,
            ServiceAtLocation.id,
            Location.id,
            Location.latitude,
            Location.longitude,
            Address.city,
        )
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .outerjoin(Address, Address.location_id == Location.id)
        .where(ServiceAtLocation.service_id.in_(wanted))
        .order_by(ServiceAtLocation.id, Address.id)
    ):
        if sal_id in seen:  # a second address of the same place
            continue
        seen.add(sal_id)
        places[owner].append((sal_id, location_id, lat, lon))
        if (lat is None or lon is None) and city:
            cities[owner].append(city)
    hours = _hours(session, wanted, sorted(seen))
    rows: list[dict[str, Any]] = []
    for sid in wanted:
        terms: list[tuple[str | None, int | None]] = categories.get(sid) or [(None, None)]
        spots: list[Spot] = places.get(sid) or [(None, None, None, None)]
        located = any(lat is not None and lon is not None for _, _, lat, lon in spots)
        # Without coordinates a service is found through the areas it names and the
        # municipalities of its addresses; a phone/online one with none serves everyone.
        area_names = [*areas.get(sid, []), *cities.get(sid, [])]
        common = {
            "service_id": sid,
            "place_count": len(spots),
            "category_count": len(terms),
            "by_area": not located and (virtual[sid] or bool(area_names)),
            "virtual": virtual[sid],
            "languages": _codes(languages.get(sid, [])),
            "eligibility": _codes(eligibility.get(sid, [])),
            "areas": _areas(area_names),
            "verified": verified[sid],
        }
        for place_id, place_location, lat, lon in spots:
            # A place without its own hours keeps the service's (as search shows them).
            place_hours = hours.get(place_id or "") or hours.get(f"service:{sid}")
            week = _week_map(frozenset(place_hours)) if place_hours else None
            rows.extend(
                {
                    **common,
                    "service_at_location_id": place_id,
                    "location_id": place_location,
                    "taxonomy_term_id": term,
                    "rank": rank,
                    "latitude": lat,
                    "longitude": lon,
                    "week_hours": week,
                }
                for term, rank in terms
            )
    return rows


def refresh_search_index(session: Session, service_ids: Iterable[str] | None = None) -> int:
    """Rebuild the index rows of `service_ids` (all services when None); rows written."""
    if service_ids is None:
        session.execute(delete(ServiceSearch))
        ids = list(session.scalars(select(Service.id).order_by(Service.id)))
    else:
        ids = sorted(set(service_ids))
        for chunk in _chunks(ids):
            session.execute(delete(ServiceSearch).where(ServiceSearch.service_id.in_(chunk)))
    written = 0
    for chunk in _chunks(ids):
        rows = _rows_for(session, chunk)
        if rows:
            session.execute(insert(ServiceSearch), rows)
            written += len(rows)
    return written
