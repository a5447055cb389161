"""Turn what people type as a place into coordinates.

Understands municipality and neighbourhood names of Metro Vancouver as people write
them (knowledge/data/places.yml), Canadian postal codes and FSAs (offline, through
`knowledge.postal`), and "lat,lon". Also decides whether a service area (a municipality
or a region such as "Metro Vancouver") covers a place.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from knowledge.geo import distance_km
from knowledge.postal import find_postal_code, fsa_point, parse_fsa, postal_code_point

__all__ = [
    "NamedPlace",
    "Place",
    "PlaceKind",
    "area_covers",
    "covered_municipalities",
    "distance_km",
    "is_known_area",
    "municipalities",
    "municipality_of",
    "named_places",
    "normalize_name",
    "postal_code_location",
    "resolve_place",
]

PlaceKind = Literal["city", "postal_code", "fsa", "coordinates"]

_DATA = Path(__file__).parent / "data" / "places.yml"

# Written after a place name and meaning nothing for the match ("Surrey, BC, Canada").
_TRAILING = ("bc", "b c", "british columbia", "colombie britannique", "c b", "canada")
# Written before a municipality's name ("City of Burnaby", "Ville de Vancouver").
_LEADING = ("city of", "district of", "township of", "village of", "ville de", "ville d")

_COORDINATES_RE = re.compile(
    r"^\s*([-+]?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$"
)

# Fuzzy matching catches typos ("Burnabey"); the cut-off keeps unrelated words out.
_FUZZY_CUTOFF = 0.85
_FUZZY_MIN_LENGTH = 5
# A point belongs to the municipality of the nearest named place, if one is this close.
_NEAREST_PLACE_KM = 8.0


@dataclass(frozen=True)
class Place:
    """A resolved place: a display name, a point, and what kind of input it came from."""

    name: str
    latitude: float
    longitude: float
    kind: PlaceKind
    # The municipality the point lies in, when known; service areas are matched on it.
    municipality: str | None = None


@dataclass(frozen=True)
class NamedPlace:
    """A municipality or neighbourhood from places.yml, with the municipality it is in."""

    name: str
    municipality: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class _Gazetteer:
    """The parsed places.yml: names by normalised alias, and regions."""

    by_alias: Mapping[str, NamedPlace]
    places: tuple[NamedPlace, ...]
    municipalities: tuple[str, ...]
    regions: Mapping[str, frozenset[str] | None]  # None = everywhere


def normalize_name(text: str) -> str:
    """Fold case, accents and punctuation: "Vancouver-Nord " -> "vancouver nord".

    Letters of every script stay ("列治文", "سري"); only accents on Latin letters go, since
    in other scripts the marks are vowels.
    """
    kept: list[str] = []
    base = ""
    for c in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(c):
            if base and base < "\u0250":
                continue
        else:
            base = c
        kept.append(c)
    folded = unicodedata.normalize("NFC", "".join(kept))
    words = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in folded)
    return " ".join(words.split())


# A near-miss that changes the direction is another place: "east vancouver" is not
# "west vancouver", "nord" is not "sud".
_DIRECTIONS = {
    **dict.fromkeys(("north", "nord", "norte", "n"), "north"),
    **dict.fromkeys(("south", "sud", "sur", "s"), "south"),
    **dict.fromkeys(("east", "est", "este", "e"), "east"),
    **dict.fromkeys(("west", "ouest", "oeste", "w"), "west"),
}


def _same_direction(a: str, b: str) -> bool:
    def directions(name: str) -> set[str]:
        return {_DIRECTIONS[w] for w in name.split() if w in _DIRECTIONS}

    return directions(a) == directions(b)


def _strip_affixes(name: str) -> str:
    """Drop province/country words at the end and "City of"-style words at the start."""
    changed = True
    while changed:
        changed = False
        for suffix in _TRAILING:
            if name.endswith(" " + suffix):
                name = name[: -len(suffix) - 1].rstrip()
                changed = True
        for prefix in _LEADING:
            if name.startswith(prefix + " "):
                name = name[len(prefix) + 1 :]
                changed = True
    return name


@cache
def _gazetteer() -> _Gazetteer:
    """Load places.yml once."""
    raw: dict[str, Any] = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    by_alias: dict[str, NamedPlace] = {}
    places: list[NamedPlace] = []

    def add(entry: dict[str, Any], municipality: str) -> None:
        place = NamedPlace(
            str(entry["name"]), municipality, float(entry["latitude"]), float(entry["longitude"])
        )
        places.append(place)
        for alias in [place.name, *entry.get("aliases", [])]:
            by_alias.setdefault(normalize_name(str(alias)), place)

    # Municipalities first, so a name shared with a neighbourhood means the municipality.
    for entry in raw["municipalities"]:
        add(entry, str(entry["name"]))
    for entry in raw["neighbourhoods"]:
        add(entry, str(entry["municipality"]))
    regions: dict[str, frozenset[str] | None] = {}
    for entry in raw["regions"]:
        covered = None if entry.get("everywhere") else frozenset(entry["municipalities"])
        for alias in [entry["name"], *entry.get("aliases", [])]:
            regions[normalize_name(str(alias))] = covered
    return _Gazetteer(
        by_alias=by_alias,
        places=tuple(places),
        municipalities=tuple(str(e["name"]) for e in raw["municipalities"]),
        regions=regions,
    )


def named_places() -> tuple[NamedPlace, ...]:
    """Every municipality and neighbourhood in places.yml, municipalities first."""
    return _gazetteer().places


def municipalities() -> tuple[str, ...]:
    """Names of the municipalities in places.yml."""
    return _gazetteer().municipalities


def _lookup_name(text: str) -> NamedPlace | None:
    """The municipality or neighbourhood `text` names, tolerating common variations."""
    gazetteer = _gazetteer()
    candidates = [text, *text.split(",")[:1]]
    for candidate in candidates:
        key = normalize_name(candidate)
        for form in (key, _strip_affixes(key)):
            if form in gazetteer.by_alias:
                return gazetteer.by_alias[form]
    key = _strip_affixes(normalize_name(text))
    if len(key) >= _FUZZY_MIN_LENGTH:
        close = difflib.get_close_matches(key, gazetteer.by_alias.keys(), 3, _FUZZY_CUTOFF)
        for match in close:
            if _same_direction(key, match):
                return gazetteer.by_alias[match]
    return None


def municipality_of(name: str) -> str | None:
    """The municipality a place name (municipality, neighbourhood, alias) belongs to."""
    found = _lookup_name(name)
    return found.municipality if found else None


def _nearest_municipality(lat: float, lon: float) -> str | None:
    """The municipality of the closest named place, when one is near enough."""
    best: tuple[float, str] | None = None
    for place in _gazetteer().places:
        d = distance_km(lat, lon, place.latitude, place.longitude)
        if best is None or d < best[0]:
            best = (d, place.municipality)
    if best is None or best[0] > _NEAREST_PLACE_KM:
        return None
    return best[1]


def _coordinates(text: str) -> Place | None:
    """A "lat,lon" text as a place, or None.

    A shared location reads as the municipality it is in ("… near Vancouver"); a point
    far from every named place keeps its coordinates as its name."""
    match = _COORDINATES_RE.match(text)
    if match is None:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    municipality = _nearest_municipality(lat, lon)
    name = municipality or f"{lat:.3f},{lon:.3f}"
    return Place(name, lat, lon, "coordinates", municipality)


def _postal(text: str) -> Place | None:
    """A postal code or FSA in `text` as a place, or None."""
    code = find_postal_code(text)
    fsa = code[:3] if code else parse_fsa(text)
    if code is not None:
        point = postal_code_point(code)
        if point is not None:
            municipality = municipality_of(point.municipality) or point.municipality
            return Place(code, point.latitude, point.longitude, "postal_code", municipality)
    if fsa is None:
        return None
    # A new or unknown full code still tells us its FSA.
    middle = fsa_point(fsa)
    if middle is None:
        return None
    municipality = municipality_of(middle.municipality) or middle.municipality
    return Place(fsa, middle.latitude, middle.longitude, "fsa", municipality)


def resolve_place(text: str) -> Place | None:
    """The place `text` names: a municipality or neighbourhood, postal code, FSA or "lat,lon"."""
    if not text or not text.strip():
        return None
    found = _coordinates(text) or _postal(text)
    if found is not None:
        return found
    named = _lookup_name(text)
    if named is None:
        return None
    return Place(named.name, named.latitude, named.longitude, "city", named.municipality)


def postal_code_location(code: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a full postal code, or None when it is unknown."""
    point = postal_code_point(code)
    return (point.latitude, point.longitude) if point else None


def is_known_area(area: str) -> bool:
    """True when `area` names a region, municipality or neighbourhood in places.yml."""
    return normalize_name(area) in _gazetteer().regions or _lookup_name(area) is not None


def covered_municipalities(area: str) -> frozenset[str] | None:
    """Municipalities a service area names: a region's list, None for everywhere.

    A municipality or neighbourhood name gives its municipality; an unknown name is
    kept as written, so it still matches a place whose municipality is spelled so.
    """
    regions = _gazetteer().regions
    key = normalize_name(area)
    for form in (key, _strip_affixes(key)):
        if form in regions:
            return regions[form]
    return frozenset({municipality_of(area) or area.strip()})


def area_covers(area: str, municipality: str | None) -> bool:
    """Whether a service area (municipality or region name) serves `municipality`."""
    covered = covered_municipalities(area)
    return covered is None or (municipality is not None and municipality in covered)
