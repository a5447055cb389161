"""Read and validate seed YAML files (schema: knowledge/seed/README.md) into plain records.

Nothing here touches the database: `read_seed` either returns every organisation with
its services, or raises `SeedError` listing each problem with its file and record id.
Doubtful but loadable data (an unknown language code, a location without coordinates)
becomes a warning instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge.categories import CATEGORY_CODES, ELIGIBILITY_CODES
from knowledge.languages import is_known
from knowledge.models import FEES

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_ORGANIZATION_KEYS = {"id", "name", "url", "email", "description"}
_SERVICE_KEYS = {
    "id",
    "name",
    "categories",
    "description",
    "eligibility",
    "eligibility_note",
    "languages",
    "fees",
    "url",
    "email",
    "phones",
    "service_area",
    "virtual",
    "locations",
    "schedule",
    "source_url",
    "last_verified",
    "verified",
}
_LOCATION_KEYS = {"id", "name", "address", "latitude", "longitude", "schedule"}


class SeedError(ValueError):
    """Seed files that cannot be loaded; `problems` holds one line per problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid seed data:\n" + "\n".join(f"  {p}" for p in self.problems))


@dataclass(frozen=True)
class SeedPhone:
    """A published phone number."""

    number: str
    description: str | None
    languages: tuple[str, ...]


@dataclass(frozen=True)
class SeedHours:
    """Opening hours on some days; closes <= opens means past midnight, 00:00-00:00 all day."""

    days: tuple[str, ...]
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class SeedAddress:
    """A street address as published."""

    street: str | None
    city: str | None
    province: str | None
    postal_code: str | None


@dataclass(frozen=True)
class SeedLocation:
    """A place where a service is offered."""

    id: str
    name: str | None
    address: SeedAddress | None
    latitude: float | None
    longitude: float | None
    schedule: tuple[SeedHours, ...]


@dataclass(frozen=True)
class SeedService:
    """A service with everything the directory stores about it."""

    id: str
    name: str
    categories: tuple[str, ...]
    description: dict[str, str]
    eligibility: tuple[str, ...]
    eligibility_note: dict[str, str]
    languages: tuple[str, ...]
    fees: str
    url: str | None
    email: str | None
    phones: tuple[SeedPhone, ...]
    service_area: tuple[str, ...]
    virtual: bool
    locations: tuple[SeedLocation, ...]
    schedule: tuple[SeedHours, ...]
    source_url: str | None
    last_verified: dt.date | None
    verified: bool


@dataclass(frozen=True)
class SeedOrganization:
    """One seed file: an organisation and its services."""

    id: str
    name: str
    url: str | None
    email: str | None
    description: dict[str, str]
    services: tuple[SeedService, ...]
    file: Path
    dataset: str


@dataclass
class Seed:
    """Everything read from a seed folder."""

    organizations: list[SeedOrganization] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Checker:
    """Collects problems and warnings for one file while converting its values."""

    def __init__(self, file: Path, problems: list[str], warnings: list[str]) -> None:
        self.file = file
        self.problems = problems
        self.warnings = warnings

    def error(self, where: str, message: str) -> None:
        self.problems.append(f"{self.file}: {where}: {message}")

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{self.file}: {where}: {message}")

    def text(self, where: str, value: Any, name: str, required: bool = False) -> str | None:
        """A non-empty string, or None when absent and optional."""
        if value is None or value == "":
            if required:
                self.error(where, f"{name} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(where, f"{name} must be text, not {type(value).__name__}")
            return None
        return str(value).strip()

    def slug(self, where: str, value: Any, name: str = "id") -> str | None:
        """A stable id: lower-case letters, digits and - _ . separators."""
        text = self.text(where, value, name, required=True)
        if text is not None and not _SLUG_RE.match(text):
            self.error(where, f"{name} {text!r} is not a slug (a-z, 0-9, - _ .)")
            return None
        return text

    def flag(self, where: str, value: Any, name: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(where, f"{name} must be true or false, not {value!r}")
            return default
        return value

    def strings(self, where: str, value: Any, name: str) -> list[str]:
        """A list of strings (a single string counts as a list of one)."""
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(where, f"{name} must be a list of text")
            return []
        return [v.strip() for v in value]

    def codes(self, where: str, value: Any, name: str, known: tuple[str, ...]) -> list[str]:
        """A list of codes from a closed vocabulary, without duplicates."""
        result: list[str] = []
        for code in self.strings(where, value, name):
            if code not in known:
                self.error(where, f"unknown {name} code {code!r} (known: {', '.join(known)})")
            elif code in result:
                self.error(where, f"{name} code {code!r} listed twice")
            else:
                result.append(code)
        return result

    def texts(self, where: str, value: Any, name: str) -> dict[str, str]:
        """Per-language texts {en: ..., fr: ...}; a bare string is English."""
        if value is None:
            return {}
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.error(where, f"{name} must map language codes to text")
            return {}
        result: dict[str, str] = {}
        for code, text in value.items():
            if not isinstance(text, str) or not text.strip():
                self.error(where, f"{name}.{code} must be non-empty text")
                continue
            if not is_known(str(code)):
                self.warn(where, f"{name} has unknown language code {code!r}")
            result[str(code)] = text.strip()
        if result and "en" not in result:
            self.error(where, f"{name} needs an English (en) text")
        return result

    def time(self, where: str, value: Any, name: str) -> dt.time | None:
        """ "HH:MM" (24-hour; "24:00" = midnight at the end of the day)."""
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 17:00 as the base-60 number 1020.
            value = f"{value // 60:02d}:{value % 60:02d}"
        match = _TIME_RE.match(value) if isinstance(value, str) else None
        if match is None:
            self.error(where, f'{name} {value!r} is not a time like "09:30"')
            return None
        hours, minutes = int(match.group(1)), int(match.group(2))
        if (hours, minutes) == (24, 0):
            return dt.time(0, 0)
        if hours > 23 or minutes > 59:
            self.error(where, f"{name} {value!r} is not a time of day")
            return None
        return dt.time(hours, minutes)

    def hours(self, where: str, value: Any) -> list[SeedHours]:
        """A schedule: a list of {days, opens, closes}."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(where, "schedule must be a list of {days, opens, closes}")
            return []
        result: list[SeedHours] = []
        for entry in value:
            if not isinstance(entry, dict):
                self.error(where, "schedule entries must be {days, opens, closes}")
                continue
            days = [d.upper() for d in self.strings(where, entry.get("days"), "days")]
            bad = [d for d in days if d not in DAY_CODES]
            if bad or not days:
                self.error(where, f"days {days!r} must be codes from {', '.join(DAY_CODES)}")
                continue
            opens = self.time(where, entry.get("opens"), "opens")
            closes = self.time(where, entry.get("closes"), "closes")
            if opens is None or closes is None:
                continue
            if opens == closes and opens != dt.time(0, 0):
                self.error(where, f"opens and closes are both {opens:%H:%M}")
                continue
            result.append(SeedHours(tuple(days), opens, closes))
        return result

    def unknown_keys(self, where: str, value: dict[str, Any], allowed: set[str]) -> None:
        for key in sorted(set(value) - allowed):
            self.warn(where, f"unknown field {key!r} ignored")


def _coordinates(
    check: _Checker, where: str, lat: Any, lon: Any
) -> tuple[float | None, float | None]:
    """Published coordinates: both or neither, as numbers in range."""
    if lat is None and lon is None:
        return None, None
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    if not numeric or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        check.error(where, f"latitude/longitude {lat!r}, {lon!r}: give both, as numbers")
        return None, None
    return float(lat), float(lon)


def _location(check: _Checker, where: str, raw: Any) -> SeedLocation | None:
    if not isinstance(raw, dict):
        check.error(where, "each location must be a mapping")
        return None
    location_id = check.slug(where, raw.get("id"), "location id")
    if location_id is None:
        return None
    here = f"{where}: location {location_id!r}"
    check.unknown_keys(here, raw, _LOCATION_KEYS)
    address = None
    raw_address = raw.get("address")
    if isinstance(raw_address, dict):
        address = SeedAddress(
            street=check.text(here, raw_address.get("street"), "address.street"),
            city=check.text(here, raw_address.get("city"), "address.city"),
            province=check.text(here, raw_address.get("province"), "address.province"),
            postal_code=check.text(here, raw_address.get("postal_code"), "address.postal_code"),
        )
    elif raw_address is not None:
        check.error(here, "address must be {street, city, province, postal_code}")
    lat, lon = _coordinates(check, here, raw.get("latitude"), raw.get("longitude"))
    return SeedLocation(
        id=location_id,
        name=check.text(here, raw.get("name"), "name"),
        address=address,
        latitude=lat,
        longitude=lon,
        schedule=tuple(check.hours(here, raw.get("schedule"))),
    )


def _phones(check: _Checker, where: str, raw: Any) -> list[SeedPhone]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        check.error(where, "phones must be a list of {number, description}")
        return []
    phones: list[SeedPhone] = []
    for entry in raw:
        if isinstance(entry, str | int):
            entry = {"number": str(entry)}
        if not isinstance(entry, dict):
            check.error(where, "phones entries must be {number, description}")
            continue
        number = check.text(where, entry.get("number"), "phone number", required=True)
        if number is None:
            continue
        languages = check.strings(where, entry.get("languages"), "phone languages")
        for code in languages:
            if not is_known(code):
                check.warn(where, f"phone {number}: unknown language code {code!r}")
        phones.append(
            SeedPhone(
                number, check.text(where, entry.get("description"), "description"), tuple(languages)
            )
        )
    return phones


def _last_verified(check: _Checker, where: str, value: Any) -> dt.date | None:
    if value is None:
        check.warn(where, "last_verified is missing")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        check.error(where, f"last_verified {value!r} is not a date like 2026-11-26")
        return None


def _service(check: _Checker, raw: Any) -> SeedService | None:
    if not isinstance(raw, dict):
        check.error("services", "each service must be a mapping")
        return None
    service_id = check.slug("services", raw.get("id"), "service id")
    if service_id is None:
        return None
    where = f"service {service_id!r}"
    check.unknown_keys(where, raw, _SERVICE_KEYS)
    categories = check.codes(where, raw.get("categories"), "category", CATEGORY_CODES)
    if not categories and raw.get("categories") in (None, []):
        check.error(where, "categories: at least one category code is required")
    languages = check.strings(where, raw.get("languages"), "languages")
    for code in languages:
        if not is_known(code):
            check.warn(where, f"unknown language code {code!r} (add it to languages.yml)")
    fees = raw.get("fees") or "unknown"
    if fees not in FEES:
        check.error(where, f"fees {fees!r} must be one of {', '.join(FEES)}")
    locations: list[SeedLocation] = []
    raw_locations = raw.get("locations") or []
    if not isinstance(raw_locations, list):
        check.error(where, "locations must be a list")
        raw_locations = []
    for entry in raw_locations:
        location = _location(check, where, entry)
        if location is not None:
            locations.append(location)
    virtual = check.flag(where, raw.get("virtual"), "virtual", False)
    service_area = check.strings(where, raw.get("service_area"), "service_area")
    if not virtual and not locations and not service_area:
        check.warn(where, "no location, service_area or virtual: only place-less searches find it")
    return SeedService(
        id=service_id,
        name=check.text(where, raw.get("name"), "name", required=True) or service_id,
        categories=tuple(categories),
        description=check.texts(where, raw.get("description"), "description"),
        eligibility=tuple(
            check.codes(where, raw.get("eligibility"), "eligibility", ELIGIBILITY_CODES)
        ),
        eligibility_note=check.texts(where, raw.get("eligibility_note"), "eligibility_note"),
        languages=tuple(dict.fromkeys(languages)),
        fees=str(fees),
        url=check.text(where, raw.get("url"), "url"),
        email=check.text(where, raw.get("email"), "email"),
        phones=tuple(_phones(check, where, raw.get("phones"))),
        service_area=tuple(service_area),
        virtual=virtual,
        locations=tuple(locations),
        schedule=tuple(check.hours(where, raw.get("schedule"))),
        source_url=check.text(where, raw.get("source_url"), "source_url"),
        last_verified=_last_verified(check, where, raw.get("last_verified")),
        verified=check.flag(where, raw.get("verified"), "verified", False),
    )


def _organization(check: _Checker, raw: Any) -> SeedOrganization | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("organization"), dict):
        check.error("file", "must hold an `organization` mapping and a `services` list")
        return None
    org = raw["organization"]
    org_id = check.slug("organization", org.get("id"), "organization id")
    if org_id is None:
        return None
    where = f"organization {org_id!r}"
    check.unknown_keys(where, org, _ORGANIZATION_KEYS)
    raw_services = raw.get("services") or []
    if not isinstance(raw_services, list):
        check.error(where, "services must be a list")
        raw_services = []
    services = [s for s in (_service(check, entry) for entry in raw_services) if s is not None]
    return SeedOrganization(
        id=org_id,
        name=check.text(where, org.get("name"), "name", required=True) or org_id,
        url=check.text(where, org.get("url"), "url"),
        email=check.text(where, org.get("email"), "email"),
        description=check.texts(where, org.get("description"), "description"),
        services=tuple(services),
        file=check.file,
        dataset=check.file.parent.name,
    )


def _check_unique_ids(seed: Seed, problems: list[str]) -> None:
    """Ids must be unique in the directory; a location may repeat within its own file."""
    organizations: dict[str, Path] = {}
    services: dict[str, Path] = {}
    locations: dict[str, tuple[Path, SeedLocation]] = {}
    for org in seed.organizations:
        if org.id in organizations:
            problems.append(
                f"{org.file}: organization {org.id!r}: duplicate id (also in "
                f"{organizations[org.id]})"
            )
        organizations.setdefault(org.id, org.file)
        for service in org.services:
            if service.id in services:
                problems.append(
                    f"{org.file}: service {service.id!r}: duplicate id (also in "
                    f"{services[service.id]})"
                )
            services.setdefault(service.id, org.file)
            for location in service.locations:
                seen = locations.get(location.id)
                if seen is None:
                    locations[location.id] = (org.file, location)
                elif seen[0] != org.file:
                    problems.append(
                        f"{org.file}: location {location.id!r}: duplicate id (also in {seen[0]})"
                    )
                elif _location_facts(seen[1]) != _location_facts(location):
                    problems.append(
                        f"{org.file}: location {location.id!r}: listed twice with different "
                        "name, address or coordinates"
                    )


def _location_facts(location: SeedLocation) -> tuple[Any, ...]:
    """What must agree when one location is listed under several services."""
    return (location.name, location.address, location.latitude, location.longitude)


TRANSLATIONS_DIR = "translations"


def seed_files(path: Path) -> list[Path]:
    """Every *.yaml / *.yml organisation file under `path`, in a stable order.

    Files in a `translations/` folder are not organisations: see `translation_files`.
    """
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file() and TRANSLATIONS_DIR not in p.parts
    )


def translation_files(path: Path) -> list[Path]:
    """`translations/<language>.yaml` files under `path`: texts in one more language."""
    if path.is_file():
        return []
    return sorted(
        p
        for p in path.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file() and p.parent.name == TRANSLATIONS_DIR
    )


def read_seed(path: Path) -> Seed:
    """Parse and validate every seed file under `path`; raise SeedError on any problem."""
    if not path.exists():
        raise SeedError([f"{path}: no such file or folder"])
    seed = Seed()
    problems: list[str] = []
    for file in seed_files(path):
        check = _Checker(file, problems, seed.warnings)
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            check.error("file", f"not valid YAML: {exc}")
            continue
        org = _organization(check, raw)
        if org is not None:
            seed.organizations.append(org)
    _check_unique_ids(seed, problems)
    if problems:
        raise SeedError(problems)
    return seed
