"""Counts that describe the directory, for the console and `navigator kb stats`."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from knowledge.categories import CATEGORY_CODES
from knowledge.models import (
    Address,
    Language,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceTaxonomy,
)
from knowledge.places import municipality_of


def _count(session: Session, column: Any) -> int:
    return int(session.execute(select(func.count(column))).scalar_one())


def directory_stats(session: Session) -> dict[str, Any]:
    """Services in total, verified, without a location, per category, municipality, language.

    A municipality is the address's city as places.yml names it ("North Van" counts for
    North Vancouver); a service with offices in two municipalities counts in both.
    """
    categories: dict[str, dict[str, int]] = {
        code: {"services": 0, "verified": 0} for code in CATEGORY_CODES
    }
    rows = session.execute(
        select(ServiceTaxonomy.taxonomy_term_id, Service.verified, func.count())
        .join(Service, Service.id == ServiceTaxonomy.service_id)
        .group_by(ServiceTaxonomy.taxonomy_term_id, Service.verified)
    )
    for code, verified, count in rows:
        entry = categories.setdefault(code, {"services": 0, "verified": 0})
        entry["services"] += count
        if verified:
            entry["verified"] += count
    services_by_place: dict[str, set[str]] = defaultdict(set)
    cities: dict[str, str] = {}
    for city, service_id in session.execute(
        select(Address.city, ServiceAtLocation.service_id)
        .join(ServiceAtLocation, ServiceAtLocation.location_id == Address.location_id)
        .where(Address.city.is_not(None))
        .distinct()
    ):
        if city is None:
            continue
        if city not in cities:
            cities[city] = municipality_of(city) or city
        services_by_place[cities[city]].add(service_id)
    located = select(ServiceAtLocation.service_id).distinct()
    virtual_only = int(
        session.execute(
            select(func.count()).select_from(Service).where(Service.id.not_in(located))
        ).scalar_one()
    )
    municipalities = Counter({name: len(ids) for name, ids in services_by_place.items()})
    return {
        "organizations": _count(session, Organization.id),
        "services": _count(session, Service.id),
        "verified": int(
            session.execute(
                select(func.count()).select_from(Service).where(Service.verified.is_(True))
            ).scalar_one()
        ),
        "without_location": virtual_only,
        "locations": _count(session, Location.id),
        "located_by_postal_code": _count_postal(session),
        "categories": categories,
        "municipalities": dict(sorted(municipalities.items(), key=lambda kv: (-kv[1], kv[0]))),
        "languages": {
            code: int(count)
            for code, count in session.execute(
                select(Language.code, func.count(distinct(Language.service_id)))
                .where(Language.service_id.is_not(None))
                .group_by(Language.code)
                .order_by(func.count(distinct(Language.service_id)).desc(), Language.code)
            )
        },
    }


def _count_postal(session: Session) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(Location)
            .where(Location.coordinates_source == "postal_code")
        ).scalar_one()
    )
