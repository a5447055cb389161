"""Load seed files into the directory: validate, then upsert idempotently.

Each organisation remembers the seed folder it came from (`organization.dataset`).
Loading a folder makes the database match the files for every folder under it:
records are inserted or updated in place (stable ids), and organisations, services
and locations that the files no longer list are deleted. Rows from elsewhere (other
regions, synthetic benchmark data) are left alone.

Texts: `description` and `eligibility_note` go to `translation` per language (source
'human'); English is also kept in `service.description` / `eligibility_description`.
Machine translations survive a reload unless the English text they came from changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from knowledge.categories import CATEGORY_CODES
from knowledge.index import refresh_search_index
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
    TaxonomyTerm,
    Translation,
)
from knowledge.places import is_known_area, postal_code_location
from knowledge.seedfile import (
    SeedError,
    SeedHours,
    SeedLocation,
    SeedOrganization,
    SeedService,
    read_seed,
    seed_files,
    translation_files,
)

__all__ = ["LoadReport", "ensure_taxonomy", "load_seed"]

# SQL engines limit bound parameters per statement; stay well below SQLite's 32766.
_CHUNK = 500


@dataclass(frozen=True)
class LoadReport:
    """What a load did: records now in the files' scope, deletions, and warnings."""

    organizations: int
    services: int
    locations: int
    warnings: tuple[str, ...]
    deleted_services: int = 0


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def ensure_taxonomy(session: Session) -> None:
    """Insert a taxonomy_term row for every category code that lacks one."""
    existing = set(session.scalars(select(TaxonomyTerm.id)))
    missing = [code for code in CATEGORY_CODES if code not in existing]
    if missing:
        session.execute(
            insert(TaxonomyTerm),
            [{"id": c, "code": c, "name": c, "taxonomy": "newcomer-navigator"} for c in missing],
        )


def _datasets_in_scope(path: Path) -> set[str]:
    """Dataset names a load of `path` is authoritative for: every folder under it."""
    if path.is_file():
        return {path.parent.name}
    return {path.name} | {p.name for p in path.rglob("*") if p.is_dir()}


def _upsert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Insert rows whose id is new, update the others in place."""
    if not rows:
        return
    ids = [row["id"] for row in rows]
    existing: set[str] = set()
    for chunk in _chunks(ids):
        existing.update(session.scalars(select(model.id).where(model.id.in_(chunk))))
    new = [row for row in rows if row["id"] not in existing]
    if new:
        session.execute(insert(model), new)
    for row in rows:
        if row["id"] in existing:
            values = {k: v for k, v in row.items() if k != "id"}
            session.execute(update(model).where(model.id == row["id"]).values(**values))


def _delete_where_in(session: Session, column: Any, values: Sequence[str]) -> None:
    for chunk in _chunks(values):
        session.execute(delete(column.class_).where(column.in_(chunk)))


def _hours_rows(
    hours: Iterable[SeedHours], owner_id: str, *, service_id: str | None, sal_id: str | None
) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{owner_id}-hours-{i}",
            "service_id": service_id,
            "service_at_location_id": sal_id,
            "byday": ",".join(h.days),
            "opens_at": h.opens,
            "closes_at": h.closes,
            "timezone": DEFAULT_TIMEZONE,
        }
        for i, h in enumerate(hours)
    ]


def _location_row(
    org: SeedOrganization, location: SeedLocation, warnings: list[str]
) -> dict[str, Any]:
    lat, lon = location.latitude, location.longitude
    source: str | None = "published"
    if lat is None or lon is None:
        postal = location.address.postal_code if location.address else None
        found = postal_code_location(postal) if postal else None
        if found is None:
            warnings.append(
                f"{org.file}: location {location.id!r}: no coordinates and no known postal "
                "code; found through its city and service areas, without a distance"
            )
            source = None
        else:
            (lat, lon), source = found, "postal_code"
    return {
        "id": location.id,
        "organization_id": org.id,
        "name": location.name,
        "latitude": lat,
        "longitude": lon,
        "location_type": "physical",
        "coordinates_source": source,
    }


class _Rows:
    """Rows to write, collected from the seed before touching the database."""

    def __init__(self) -> None:
        self.organizations: list[dict[str, Any]] = []
        self.services: list[dict[str, Any]] = []
        self.locations: dict[str, dict[str, Any]] = {}
        self.addresses: dict[str, dict[str, Any]] = {}
        self.children: dict[type[Any], list[dict[str, Any]]] = {
            model: []
            for model in (
                ServiceAtLocation,
                Schedule,
                Phone,
                Language,
                ServiceArea,
                ServiceTaxonomy,
                Eligibility,
            )
        }
        # (entity_type, entity_id, field) -> {language: text}
        self.texts: dict[tuple[str, str, str], dict[str, str]] = {}

    def add_service(self, org: SeedOrganization, service: SeedService, warnings: list[str]) -> None:
        sid = service.id
        self.services.append(
            {
                "id": sid,
                "organization_id": org.id,
                "name": service.name,
                "description": service.description.get("en"),
                "url": service.url,
                "email": service.email,
                "status": "active",
                "fees": service.fees,
                "eligibility_description": service.eligibility_note.get("en"),
                "virtual": service.virtual,
                "source_url": service.source_url,
                "last_verified": service.last_verified,
                "verified": service.verified,
            }
        )
        self.texts[("service", sid, "description")] = service.description
        self.texts[("service", sid, "eligibility_description")] = service.eligibility_note
        child = self.children
        child[ServiceTaxonomy] += [
            {"service_id": sid, "taxonomy_term_id": code, "rank": rank}
            for rank, code in enumerate(service.categories)
        ]
        child[Eligibility] += [{"service_id": sid, "code": code} for code in service.eligibility]
        child[Language] += [
            {"id": f"{sid}-lang-{code}", "service_id": sid, "phone_id": None, "code": code}
            for code in service.languages
        ]
        for i, area in enumerate(service.service_area):
            if not is_known_area(area):
                warnings.append(
                    f"{org.file}: service {sid!r}: service_area {area!r} is not in "
                    "knowledge/data/places.yml, so no place will match it"
                )
            child[ServiceArea].append({"id": f"{sid}-area-{i}", "service_id": sid, "name": area})
        for i, phone in enumerate(service.phones):
            phone_id = f"{sid}-phone-{i}"
            child[Phone].append(
                {
                    "id": phone_id,
                    "service_id": sid,
                    "number": phone.number,
                    "description": phone.description,
                }
            )
            child[Language] += [
                {
                    "id": f"{phone_id}-lang-{code}",
                    "service_id": None,
                    "phone_id": phone_id,
                    "code": code,
                }
                for code in phone.languages
            ]
        child[Schedule] += _hours_rows(service.schedule, sid, service_id=sid, sal_id=None)
        for location in service.locations:
            if location.id not in self.locations:
                self.locations[location.id] = _location_row(org, location, warnings)
                if location.address is not None:
                    address = location.address
                    self.addresses[location.id] = {
                        "id": f"{location.id}-address",
                        "location_id": location.id,
                        "address_1": address.street,
                        "city": address.city,
                        "state_province": address.province,
                        "postal_code": address.postal_code,
                        "country": "CA",
                        "address_type": "physical",
                    }
            sal_id = f"{sid}@{location.id}"
            child[ServiceAtLocation].append(
                {"id": sal_id, "service_id": sid, "location_id": location.id}
            )
            child[Schedule] += _hours_rows(
                location.schedule, sal_id, service_id=None, sal_id=sal_id
            )

    def add_organization(self, org: SeedOrganization, warnings: list[str]) -> None:
        self.organizations.append(
            {
                "id": org.id,
                "name": org.name,
                "description": org.description.get("en"),
                "url": org.url,
                "email": org.email,
                "dataset": org.dataset,
            }
        )
        self.texts[("organization", org.id, "description")] = org.description
        for service in org.services:
            self.add_service(org, service, warnings)


def _delete_translations(session: Session, entity_type: str, ids: Sequence[str]) -> None:
    for chunk in _chunks(ids):
        session.execute(
            delete(Translation).where(
                Translation.entity_type == entity_type, Translation.entity_id.in_(chunk)
            )
        )


def _sync_translations(session: Session, texts: dict[tuple[str, str, str], dict[str, str]]) -> None:
    """Make the human translations match the seed; keep still-valid machine ones."""
    existing: dict[tuple[str, str, str, str], Translation] = {}
    for entity_type in {key[0] for key in texts}:
        ids = sorted({key[1] for key in texts if key[0] == entity_type})
        for chunk in _chunks(ids):
            rows = session.scalars(
                select(Translation).where(
                    Translation.entity_type == entity_type, Translation.entity_id.in_(chunk)
                )
            )
            for row in rows:
                existing[(row.entity_type, row.entity_id, row.field, row.language)] = row
    stale: list[int] = []
    for (entity_type, entity_id, field), wanted in texts.items():
        key = (entity_type, entity_id, field)
        old_en = existing.get((*key, "en"))
        english_changed = old_en is not None and old_en.text != wanted.get("en")
        for (etype, eid, efield, language), row in existing.items():
            if (etype, eid, efield) != key or language in wanted:
                continue
            # Drop human texts the seed no longer has, and machine texts of old English.
            if row.source == "human" or english_changed or not wanted:
                stale.append(row.id)
        for language, text in wanted.items():
            current = existing.get((*key, language))
            if current is None:
                session.add(
                    Translation(
                        entity_type=entity_type,
                        entity_id=entity_id,
                        field=field,
                        language=language,
                        text=text,
                        source="human",
                        reviewed=False,
                    )
                )
            elif current.text != text or current.source != "human":
                current.text, current.source, current.reviewed = text, "human", False
    for start in range(0, len(stale), _CHUNK):
        session.execute(
            delete(Translation).where(Translation.id.in_(stale[start : start + _CHUNK]))
        )


_TRANSLATABLE = {
    "organizations": ("organization", {"description": "description"}),
    "services": (
        "service",
        {"description": "description", "eligibility_note": "eligibility_description"},
    ),
}


def _merge_translation_files(
    path: Path, texts: dict[tuple[str, str, str], dict[str, str]], warnings: list[str]
) -> None:
    """Add the texts of `translations/<language>.yaml` files (human translations).

    Format: `{services: {<id>: {description, eligibility_note}}, organizations: {<id>:
    {description}}}`. A text written inline in the organisation file wins.
    """
    for file in translation_files(path):
        language = file.stem
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise SeedError([f"{file}: expected services: and organizations: maps"])
        for section, (entity_type, fields) in _TRANSLATABLE.items():
            for entity_id, entry in (data.get(section) or {}).items():
                if not isinstance(entry, dict):
                    raise SeedError([f"{file}: {section}.{entity_id}: expected a map of texts"])
                for key, value in entry.items():
                    field = fields.get(key)
                    if field is None or not isinstance(value, str) or not value.strip():
                        raise SeedError([f"{file}: {section}.{entity_id}.{key}: not a text field"])
                    target = texts.get((entity_type, str(entity_id), field))
                    if target is None:
                        warnings.append(f"{file}: {entity_type} {entity_id!r} has no English {key}")
                        continue
                    target.setdefault(language, value.strip())


def load_seed(session: Session, path: Path) -> LoadReport:
    """Validate the seed files under `path`, then make the database match them.

    Raises `knowledge.seedfile.SeedError` (naming file and id) before writing anything
    when a file is invalid. The caller's session decides when to commit.
    """
    seed = read_seed(path)
    warnings = list(seed.warnings)
    if not seed_files(path):
        warnings.append(f"{path}: no seed files found")
    rows = _Rows()
    for org in seed.organizations:
        rows.add_organization(org, warnings)
    _merge_translation_files(path, rows.texts, warnings)

    ensure_taxonomy(session)
    org_ids = [row["id"] for row in rows.organizations]
    scope = _datasets_in_scope(path)
    in_scope = set(
        session.scalars(select(Organization.id).where(Organization.dataset.in_(sorted(scope))))
    )
    gone_orgs = sorted(in_scope - set(org_ids))
    owners = sorted(in_scope | set(org_ids))
    service_ids = [row["id"] for row in rows.services]
    old_services: set[str] = set()
    old_locations: set[str] = set()
    for chunk in _chunks(owners):
        old_services.update(
            session.scalars(select(Service.id).where(Service.organization_id.in_(chunk)))
        )
        old_locations.update(
            session.scalars(select(Location.id).where(Location.organization_id.in_(chunk)))
        )
    gone_services = sorted(old_services - set(service_ids))
    gone_locations = sorted(old_locations - set(rows.locations))

    # Children are rebuilt from the files; their ids are derived, so a reload writes
    # the same rows again. Deleting parents cascades in the database; grandchildren
    # with derived ids are deleted here too, in case foreign keys are not enforced.
    for chunk in _chunks(service_ids):
        phones = select(Phone.id).where(Phone.service_id.in_(chunk))
        places = select(ServiceAtLocation.id).where(ServiceAtLocation.service_id.in_(chunk))
        session.execute(delete(Language).where(Language.phone_id.in_(phones)))
        session.execute(delete(Schedule).where(Schedule.service_at_location_id.in_(places)))
    for column in (
        ServiceAtLocation.service_id,
        Schedule.service_id,
        Phone.service_id,
        Language.service_id,
        ServiceArea.service_id,
        ServiceTaxonomy.service_id,
        Eligibility.service_id,
    ):
        _delete_where_in(session, column, service_ids)
    _delete_where_in(session, Address.location_id, sorted(rows.locations))
    _delete_where_in(session, Service.id, gone_services)
    _delete_where_in(session, Location.id, gone_locations)
    _delete_where_in(session, Organization.id, gone_orgs)
    _delete_translations(session, "service", gone_services)
    _delete_translations(session, "organization", gone_orgs)

    _upsert(session, Organization, rows.organizations)
    _upsert(session, Location, list(rows.locations.values()))
    _upsert(session, Service, rows.services)
    if rows.addresses:
        session.execute(insert(Address), list(rows.addresses.values()))
    # Parents before children: phones before their languages, places before schedules.
    for model in (
        ServiceAtLocation,
        Phone,
        Language,
        Schedule,
        ServiceArea,
        ServiceTaxonomy,
        Eligibility,
    ):
        if rows.children[model]:
            session.execute(insert(model), rows.children[model])
    _sync_translations(session, rows.texts)
    refresh_search_index(session, service_ids)
    session.flush()
    return LoadReport(
        organizations=len(rows.organizations),
        services=len(rows.services),
        locations=len(rows.locations),
        warnings=tuple(warnings),
        deleted_services=len(gone_services),
    )
