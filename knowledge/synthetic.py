"""Synthetic services for benchmarks and load tests; never for a real directory.

Every id starts with "synthetic-" and the organisations' dataset is "synthetic", so a
seed load never touches them and `delete_synthetic` removes them all. Places cluster
around the municipalities and neighbourhoods of places.yml, like real services do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from knowledge.categories import CATEGORY_CODES, ELIGIBILITY_CODES
from knowledge.geo import KM_PER_DEGREE_LAT
from knowledge.index import refresh_search_index
from knowledge.loader import ensure_taxonomy
from knowledge.models import (
    DEFAULT_TIMEZONE,
    Address,
    Eligibility,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTaxonomy,
    Translation,
)
from knowledge.places import municipalities, named_places

PREFIX = "synthetic-"
DATASET = "synthetic"
SERVICES_PER_ORGANIZATION = 20
_BATCH = 5000

# Rough shares of staff languages in Metro Vancouver settlement services.
_LANGUAGES = ("en", "zh", "yue", "pa", "tl", "fa", "ko", "ar", "es", "hi", "vi", "fr", "ru", "uk")
_LANGUAGE_WEIGHTS = (40, 12, 8, 10, 6, 5, 4, 4, 4, 3, 2, 2, 2, 2)


def _hours(rng: random.Random) -> list[tuple[str, dt.time, dt.time]]:
    """A plausible weekly pattern, or none (unknown hours)."""
    pick = rng.random()
    if pick < 0.05:
        return [("MO,TU,WE,TH,FR,SA,SU", dt.time(0), dt.time(0))]
    if pick < 0.15:
        return []
    opens = dt.time(rng.choice((8, 9, 10)), rng.choice((0, 0, 0, 30)))
    hours = [("MO,TU,WE,TH,FR", opens, dt.time(rng.choice((16, 17)), rng.choice((0, 0, 30))))]
    if rng.random() < 0.3:
        hours.append(("SA", dt.time(10), dt.time(14)))
    if rng.random() < 0.1:
        hours.append(("TU,TH", dt.time(18), dt.time(21)))
    return hours


def _rows(n: int, seed: int) -> Iterator[tuple[type[Any], dict[str, Any]]]:
    """(model, row) pairs for `n` services, parents before children."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    anchors = named_places()
    names = municipalities()
    tag = f"{PREFIX}{seed}"
    for i in range(n):
        if i % SERVICES_PER_ORGANIZATION == 0:
            org_id = f"{tag}-org-{i // SERVICES_PER_ORGANIZATION:06d}"
            yield (
                Organization,
                {
                    "id": org_id,
                    "name": org_id,
                    "description": None,
                    "url": None,
                    "email": None,
                    "dataset": DATASET,
                },
            )
        sid = f"{tag}-{i:07d}"
        virtual = rng.random() < 0.15
        # Like seed records that name a service area but publish no address.
        unplaced = not virtual and rng.random() < 0.05
        yield (
            Service,
            {
                "id": sid,
                "organization_id": org_id,
                "name": sid,
                "description": sid,
                "url": None,
                "email": None,
                "status": "active",
                "fees": rng.choice(("free", "free", "low_cost", "fee", "unknown")),
                "eligibility_description": None,
                "virtual": virtual,
                "source_url": None,
                "last_verified": None,
                "verified": rng.random() < 0.3,
            },
        )
        yield (
            Translation,
            {
                "entity_type": "service",
                "entity_id": sid,
                "field": "description",
                "language": "en",
                "text": sid,
                "source": "machine",
                "reviewed": False,
            },
        )
        for rank, code in enumerate(rng.sample(CATEGORY_CODES, rng.choice((1, 1, 2, 2, 3)))):
            yield ServiceTaxonomy, {"service_id": sid, "taxonomy_term_id": code, "rank": rank}
        if rng.random() < 0.8:
            picked = rng.choices(_LANGUAGES, _LANGUAGE_WEIGHTS, k=rng.randint(1, 4))
            for code in sorted(set(picked)):
                yield Language, {"id": f"{sid}-lang-{code}", "service_id": sid, "code": code}
        if rng.random() < 0.3:
            for code in rng.sample(ELIGIBILITY_CODES, rng.randint(1, 2)):
                yield Eligibility, {"service_id": sid, "code": code}
        yield (
            Phone,
            {"id": f"{sid}-phone-0", "service_id": sid, "number": f"604-555-{i % 10000:04d}"},
        )
        if virtual or unplaced:
            # An in-person service without an address is findable only through an area.
            count = max(rng.choice((0, 1, 2)), 1 if unplaced else 0)
            for j, area in enumerate(rng.sample(names, count)):
                yield ServiceArea, {"id": f"{sid}-area-{j}", "service_id": sid, "name": area}
            for k, (days, opens, closes) in enumerate(_hours(rng)):
                yield (
                    Schedule,
                    {
                        "id": f"{sid}-hours-{k}",
                        "service_id": sid,
                        "byday": days,
                        "opens_at": opens,
                        "closes_at": closes,
                        "timezone": DEFAULT_TIMEZONE,
                    },
                )
            continue
        for j in range(2 if rng.random() < 0.1 else 1):
            anchor = rng.choice(anchors)
            # Spread about 2 km around the anchor, as offices spread around a centre;
            # 0.655 = cos(49.1°), the length of a longitude degree there in lat degrees.
            lat = anchor.latitude + rng.gauss(0, 2.0) / KM_PER_DEGREE_LAT
            lon = anchor.longitude + rng.gauss(0, 2.0) / (KM_PER_DEGREE_LAT * 0.655)
            lid = f"{sid}-loc-{j}"
            sal_id = f"{sid}@{lid}"
            yield (
                Location,
                {
                    "id": lid,
                    "organization_id": org_id,
                    "name": lid,
                    "latitude": round(lat, 6),
                    "longitude": round(lon, 6),
                    "location_type": "physical",
                    "coordinates_source": "published",
                },
            )
            yield (
                Address,
                {
                    "id": f"{lid}-address",
                    "location_id": lid,
                    "address_1": lid,
                    "city": anchor.municipality,
                    "state_province": "BC",
                    "postal_code": None,
                    "country": "CA",
                    "address_type": "physical",
                },
            )
            yield ServiceAtLocation, {"id": sal_id, "service_id": sid, "location_id": lid}
            for k, (days, opens, closes) in enumerate(_hours(rng)):
                yield (
                    Schedule,
                    {
                        "id": f"{sal_id}-hours-{k}",
                        "service_at_location_id": sal_id,
                        "byday": days,
                        "opens_at": opens,
                        "closes_at": closes,
                        "timezone": DEFAULT_TIMEZONE,
                    },
                )


_ORDER = (
    Organization,
    Service,
    Translation,
    ServiceTaxonomy,
    Language,
    Eligibility,
    Phone,
    ServiceArea,
    Location,
    Address,
    ServiceAtLocation,
    Schedule,
)


def _flush(session: Session, batch: dict[type[Any], list[dict[str, Any]]]) -> None:
    for model in _ORDER:
        rows = batch.get(model)
        if rows:
            session.execute(insert(model), rows)
            rows.clear()


def generate_services(session: Session, n: int, seed: int) -> None:
    """Insert `n` synthetic services (about 80% with a place in Metro Vancouver) and index them."""
    ensure_taxonomy(session)
    batch: dict[type[Any], list[dict[str, Any]]] = {model: [] for model in _ORDER}
    pending = 0
    ids: list[str] = []
    for model, row in _rows(n, seed):
        batch[model].append(row)
        if model is Service:
            ids.append(row["id"])
        pending += 1
        if pending >= _BATCH:
            _flush(session, batch)
            pending = 0
    _flush(session, batch)
    refresh_search_index(session, ids)
    session.flush()


def delete_synthetic(session: Session) -> None:
    """Remove every synthetic organisation (cascading to its services) and its texts."""
    orgs = select(Organization.id).where(Organization.dataset == DATASET)
    session.execute(
        delete(Translation).where(
            Translation.entity_type == "service",
            Translation.entity_id.in_(select(Service.id).where(Service.organization_id.in_(orgs))),
        )
    )
    session.execute(delete(Organization).where(Organization.dataset == DATASET))
