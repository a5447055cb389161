"""Search agrees with a slow, obvious reference implementation on random queries.

The reference reads every service with the ORM and applies the documented rules in
plain Python, so this checks the fast path (search index, rings, SQL open-now, the
de-duplicating count) rather than the rules themselves.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from knowledge import ranking
from knowledge.categories import CATEGORY_CODES, ELIGIBILITY_CODES
from knowledge.db import Database
from knowledge.geo import distance_km, within_km
from knowledge.hours import TIMEZONE, Hours, is_open, parse_byday
from knowledge.index import refresh_search_index
from knowledge.loader import ensure_taxonomy, load_seed
from knowledge.models import (
    Address,
    Eligibility,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTaxonomy,
)
from knowledge.places import Place, area_covers, named_places, resolve_place
from knowledge.search import ServiceQuery, search_services
from knowledge.synthetic import generate_services


@dataclass
class _Service:
    id: str
    virtual: bool
    verified: bool
    ranks: dict[str, int] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)
    eligibility: set[str] = field(default_factory=set)
    areas: list[str] = field(default_factory=list)
    hours: list[Hours] = field(default_factory=list)
    # (sal id, latitude, longitude, hours)
    places: list[tuple[str, float | None, float | None, list[Hours]]] = field(default_factory=list)
    # Address cities of places without coordinates.
    cities: list[str] = field(default_factory=list)


def _directory(session: Session) -> list[_Service]:
    services = {
        s.id: _Service(s.id, s.virtual, s.verified) for s in session.scalars(select(Service))
    }
    for st in session.scalars(select(ServiceTaxonomy)):
        services[st.service_id].ranks[st.taxonomy_term_id] = st.rank
    for lang in session.scalars(select(Language).where(Language.service_id.is_not(None))):
        services[str(lang.service_id)].languages.add(lang.code)
    for el in session.scalars(select(Eligibility)):
        services[el.service_id].eligibility.add(el.code)
    for area in session.scalars(select(ServiceArea)):
        services[area.service_id].areas.append(area.name)
    by_place: dict[str, list[Hours]] = defaultdict(list)
    for row in session.scalars(select(Schedule)):
        hours = Hours(parse_byday(row.byday), row.opens_at, row.closes_at)
        if row.service_at_location_id:
            by_place[row.service_at_location_id].append(hours)
        elif row.service_id:
            services[row.service_id].hours.append(hours)
    cities = {a.location_id: a.city for a in session.scalars(select(Address))}
    for sal, location in session.execute(
        select(ServiceAtLocation, Location).join(
            Location, Location.id == ServiceAtLocation.location_id
        )
    ).tuples():
        service = services[sal.service_id]
        service.places.append(
            (sal.id, location.latitude, location.longitude, by_place.get(sal.id, []))
        )
        city = cities.get(location.id)
        if (location.latitude is None or location.longitude is None) and city:
            service.cities.append(city)
    return list(services.values())


def _reference(services: list[_Service], q: ServiceQuery) -> tuple[list[tuple[str, float]], int]:
    """(id, score) of the page, and the total, by the documented rules.

    Around a place: the nearest place with coordinates within the radius; else, for a
    service with no coordinates at all, its service areas and address cities (or, for
    a phone/online service naming none, everywhere). Without a place: everything.
    """
    at = q.at.astimezone(TIMEZONE) if q.at and q.at.tzinfo else q.at
    assert at is not None
    at = at.replace(tzinfo=TIMEZONE)
    scored: list[tuple[float, str]] = []
    for s in services:
        rank = None
        if q.categories:
            matching = [s.ranks[c] for c in q.categories if c in s.ranks]
            if not matching:
                continue
            rank = min(matching)
        if q.language and s.languages and q.language not in s.languages:
            continue
        if q.eligibility and s.eligibility and q.eligibility not in s.eligibility:
            continue

        def opened(place_hours: list[Hours], service: _Service = s) -> bool:
            return is_open(place_hours or service.hours, at)

        options: list[tuple[float, str, bool]] = []  # (distance, sal id, open)
        located = [p for p in s.places if p[1] is not None and p[2] is not None]
        if q.near is None:
            candidates = [(0.0, p[0], opened(p[3])) for p in s.places] or [(0.0, "", opened([]))]
            options = [c for c in candidates if c[2] or not q.open_now]
            proximity_of = ranking.NO_PLACE_PROXIMITY
        elif located:
            for sal_id, lat, lon, place_hours in located:
                assert lat is not None and lon is not None
                limit = q.max_distance_km
                if limit is not None and not within_km(
                    q.near.latitude, q.near.longitude, lat, lon, limit
                ):
                    continue
                d = distance_km(q.near.latitude, q.near.longitude, lat, lon)
                if q.open_now and not opened(place_hours):
                    continue
                options.append((d, sal_id, opened(place_hours)))
            proximity_of = -1.0
        elif (s.virtual and not s.areas + s.cities) or any(
            area_covers(a, q.near.municipality) for a in s.areas + s.cities
        ):
            candidates = [(0.0, p[0], opened(p[3])) for p in s.places] or [(0.0, "", opened([]))]
            options = [c for c in candidates if c[2] or not q.open_now]
            proximity_of = ranking.area_score(q.categories, s.virtual)
        if not options:
            continue
        distance, _sal, is_open_now = min(options)
        proximity = ranking.proximity_score(distance) if proximity_of < 0 else proximity_of
        score = ranking.score(
            rank=rank,
            proximity=proximity,
            language_match=bool(q.language and q.language in s.languages),
            open_now=is_open_now,
            verified=s.verified,
        )
        scored.append((-score, s.id))
    scored.sort()
    page = scored[q.offset : q.offset + q.limit]
    return [(sid, round(-neg, 4)) for neg, sid in page], len(scored)


@pytest.fixture(scope="module")
def directory(database: Database, seed_dir: Path) -> list[_Service]:
    with database.session() as session:
        load_seed(session, seed_dir)
        generate_services(session, 1500, seed=11)
    with database.session() as session:
        return _directory(session)


def _random_query(rng: random.Random) -> ServiceQuery:
    names = [p.name for p in named_places()]
    near: Place | None = None
    if rng.random() < 0.85:
        near = resolve_place(rng.choice([*names, "V5K 0A1", "V6T", "49.2,-122.9"]))
    day = dt.date(2026, 11, 23) + dt.timedelta(days=rng.randrange(7))
    at = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.choice((0, 15, 30, 59))))
    return ServiceQuery(
        categories=tuple(rng.sample(CATEGORY_CODES, rng.choice((0, 1, 1, 1, 2)))),
        near=near,
        language=rng.choice((None, None, "zh", "pa", "en", "fr")),
        open_now=rng.random() < 0.3,
        eligibility=rng.choice((None, None, *ELIGIBILITY_CODES)),
        at=at.replace(tzinfo=TIMEZONE),
        limit=rng.choice((1, 3, 5, 10)),
        offset=rng.choice((0, 0, 2, 7)),
        max_distance_km=rng.choice((3.0, 10.0, 50.0, None)),
    )


def test_search_matches_the_reference(database: Database, directory: list[_Service]) -> None:
    rng = random.Random(2026)
    with database.session() as session:
        for _ in range(120):
            query = _random_query(rng)
            expected, total = _reference(directory, query)
            result = search_services(session, query)
            assert [(h.id, h.score) for h in result.hits] == expected, query
            assert result.total == total, query
            for hit in result.hits:
                if query.open_now:
                    assert hit.open_now, (query, hit.id)


def test_a_nearer_but_closed_office_found_later_lowers_the_score(database: Database) -> None:
    """A place in a ring's corner can be farther than one found in the next ring."""
    lat0, lon0 = 50.0, -120.0  # far from the synthetic services

    def point(east_km: float, north_km: float) -> tuple[float, float]:
        per_degree = 111.195
        return (
            lat0 + north_km / per_degree,
            lon0 + east_km / (per_degree * math.cos(math.radians(lat0))),
        )

    wednesday = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TIMEZONE)
    places = {
        "test-corner-a": point(1.4, 1.4),  # 1.98 km, inside the first ring's box
        "test-corner-b": point(1.6, 0.0),  # 1.6 km, outside it
        "test-corner-y": point(1.0, 0.0),
    }
    with database.session() as session:
        session.add(Organization(id="test-corner-org", name="Corner", dataset="test-corner"))
        session.flush()
        for sid in ("test-corner-x", "test-corner-y"):
            session.add(Service(id=sid, organization_id="test-corner-org", name=sid))
        for lid, (lat, lon) in places.items():
            session.add(
                Location(id=lid, organization_id="test-corner-org", latitude=lat, longitude=lon)
            )
        session.flush()
        links = {
            "test-corner-a": "test-corner-x",
            "test-corner-b": "test-corner-x",
            "test-corner-y": "test-corner-y",
        }
        for lid, sid in links.items():
            session.add(ServiceAtLocation(id=f"{sid}@{lid}", service_id=sid, location_id=lid))
        ensure_taxonomy(session)
        for sid in ("test-corner-x", "test-corner-y"):
            session.add(ServiceTaxonomy(service_id=sid, taxonomy_term_id="transportation", rank=0))
        session.flush()
        all_week = "MO,TU,WE,TH,FR,SA,SU"
        session.add(
            Schedule(
                id="test-corner-a-hours",
                service_at_location_id="test-corner-x@test-corner-a",
                byday=all_week,
                opens_at=dt.time(0),
                closes_at=dt.time(0),
            )
        )
        session.add(
            Schedule(
                id="test-corner-b-hours",
                service_at_location_id="test-corner-x@test-corner-b",
                byday="SU",
                opens_at=dt.time(10),
                closes_at=dt.time(11),
            )
        )
        refresh_search_index(session, ["test-corner-x", "test-corner-y"])
    try:
        with database.session() as session:
            query = ServiceQuery(
                categories=("transportation",),
                near=Place("test", lat0, lon0, "coordinates"),
                at=wednesday,
                limit=1,
                max_distance_km=10.0,
            )
            result = search_services(session, query)
            # X is represented by its nearest place, B, which is closed: Y ranks first.
            assert [h.id for h in result.hits] == ["test-corner-y"]
            assert result.total >= 2  # plus phone/online services that serve everywhere
    finally:
        with database.session() as session:
            session.execute(delete(Organization).where(Organization.id == "test-corner-org"))
