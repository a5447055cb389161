"""Search as a newcomer would notice it, on the fictional fixture directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from knowledge.candidates import RINGS_KM
from knowledge.db import Database
from knowledge.loader import load_seed
from knowledge.places import Place, resolve_place
from knowledge.search import (
    SearchResult,
    ServiceQuery,
    directory_stats,
    get_service,
    search_services,
)

VANCOUVER = ZoneInfo("America/Vancouver")
WEDNESDAY_10 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=VANCOUVER)
TUESDAY_LATE = dt.datetime(2026, 11, 24, 23, 30, tzinfo=VANCOUVER)
WEDNESDAY_3AM = dt.datetime(2026, 11, 25, 3, 0, tzinfo=VANCOUVER)
SUNDAY_11 = dt.datetime(2026, 11, 29, 11, 0, tzinfo=VANCOUVER)


@pytest.fixture(scope="module")
def loaded(database: Database, seed_dir: Path) -> Database:
    """The fixture directory, loaded once per module and backend."""
    with database.session() as session:
        load_seed(session, seed_dir)
    return database


@pytest.fixture
def session(loaded: Database) -> Iterator[Session]:
    with loaded.session() as session:
        yield session


def place(text: str) -> Place:
    found = resolve_place(text)
    assert found is not None, text
    return found


def ids(result: SearchResult) -> list[str]:
    return [hit.id for hit in result.hits]


def search(session: Session, **kwargs: object) -> SearchResult:
    kwargs.setdefault("at", WEDNESDAY_10)
    kwargs.setdefault("limit", 10)
    return search_services(session, ServiceQuery(**kwargs))  # type: ignore[arg-type]


def test_english_classes_in_burnaby_rank_the_burnaby_school_above_surrey(session: Session) -> None:
    result = search(session, categories=("language",), near=place("Burnaby"))
    found = ids(result)
    assert found[0] == "test-burnaby-english"
    assert found.index("test-burnaby-english") < found.index("test-surrey-english")
    assert result.total == len(found) == 5
    first = result.hits[0]
    assert first.address == "1 Test Street, Burnaby"
    assert first.location_name == "Metrotown Campus"
    assert first.phones == ("604-555-0101",)
    assert first.fees == "free" and first.verified
    assert first.categories == ("language", "education")
    assert first.distance_km is not None and 0 < first.distance_km < 8


def test_main_category_ranks_above_a_side_category_at_the_same_place(session: Session) -> None:
    found = ids(search(session, categories=("language",), near=place("Metrotown")))
    assert found.index("test-burnaby-english") < found.index("test-burnaby-punjabi-jobs")


def test_online_service_is_everywhere_but_a_near_school_comes_first(session: Session) -> None:
    result = search(session, categories=("language",), near=place("Metrotown"))
    online = next(h for h in result.hits if h.id == "test-online-english")
    assert online.distance_km is None and online.virtual
    assert ids(result)[0] == "test-burnaby-english"


def test_pages_are_consistent(session: Session) -> None:
    query = {"categories": ("language",), "near": place("Burnaby")}
    everything = ids(search(session, **query))
    first = search(session, limit=2, **query)
    second = search(session, limit=2, offset=2, **query)
    assert ids(first) + ids(second) == everything[:4]
    assert first.total == second.total == len(everything)
    assert search(session, limit=0, **query).hits == ()


def test_max_distance_drops_far_places(session: Session) -> None:
    found = ids(
        search(session, categories=("language",), near=place("Metrotown"), max_distance_km=8)
    )
    assert "test-burnaby-english" in found and "test-surrey-english" not in found


def test_postal_code_and_fsa_places_work(session: Session) -> None:
    for text in ("V5H 0A1", "v5h"):
        found = ids(search(session, categories=("language",), near=place(text)))
        assert found[0] == "test-burnaby-english"


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (WEDNESDAY_10, {"test-burnaby-english", "test-surrey-settlement", "test-crisis-line"}),
        (SUNDAY_11, {"test-vancouver-weekend-food", "test-crisis-line"}),
        (TUESDAY_LATE, {"test-vancouver-night-shelter", "test-crisis-line"}),
        (WEDNESDAY_3AM, {"test-vancouver-night-shelter", "test-crisis-line"}),
        # The same moments given in UTC.
        (
            dt.datetime(2026, 11, 25, 18, 0, tzinfo=dt.UTC),
            {"test-burnaby-english", "test-surrey-settlement", "test-crisis-line"},
        ),
        (
            dt.datetime(2026, 11, 25, 7, 30, tzinfo=dt.UTC),
            {"test-vancouver-night-shelter", "test-crisis-line"},
        ),
        # Naive times are Vancouver wall-clock times.
        (dt.datetime(2026, 11, 29, 11, 0), {"test-vancouver-weekend-food", "test-crisis-line"}),
    ],
)
def test_open_now_uses_vancouver_time(
    session: Session, at: dt.datetime, expected: set[str]
) -> None:
    result = search(session, near=place("Vancouver"), open_now=True, at=at)
    assert set(ids(result)) == expected
    assert result.total == len(expected)
    assert all(hit.open_now for hit in result.hits)
    unplaced = search(session, open_now=True, at=at)
    assert set(ids(unplaced)) == expected


def test_open_now_picks_the_open_office_of_a_service(session: Session) -> None:
    result = search(
        session, near=place("New Westminster"), categories=("settlement",), open_now=True
    )
    settlement = next(h for h in result.hits if h.id == "test-surrey-settlement")
    assert settlement.location_name == "Surrey Central Office"
    closed_choice = search(session, near=place("New Westminster"), categories=("settlement",))
    nearest = next(h for h in closed_choice.hits if h.id == "test-surrey-settlement")
    assert nearest.location_name == "New Westminster Outreach" and nearest.open_now is False


def test_hours_today(session: Session) -> None:
    food_wednesday = get_service(session, "test-vancouver-weekend-food", at=WEDNESDAY_10)
    food_sunday = get_service(session, "test-vancouver-weekend-food", at=SUNDAY_11)
    crisis = get_service(session, "test-crisis-line", at=TUESDAY_LATE)
    shelter = get_service(session, "test-vancouver-night-shelter", at=TUESDAY_LATE)
    richmond = get_service(session, "test-richmond-info-line", at=WEDNESDAY_10)
    assert food_wednesday is not None and food_wednesday.hours_today == ()
    assert food_wednesday.open_now is False
    assert food_sunday is not None and food_sunday.hours_today == (("10:00", "14:00"),)
    assert food_sunday.open_now is True
    assert crisis is not None and crisis.hours_today == (("00:00", "24:00"),) and crisis.open_now
    assert shelter is not None and shelter.hours_today == (("20:00", "08:00"),)
    assert richmond is not None and richmond.hours_today is None and richmond.open_now is None


def test_eligibility_filter(session: Session) -> None:
    richmond = place("Richmond")
    refugee = ids(
        search(session, categories=("settlement",), near=richmond, eligibility="refugee_claimant")
    )
    resident = ids(
        search(session, categories=("settlement",), near=richmond, eligibility="permanent_resident")
    )
    assert "test-surrey-settlement" not in refugee
    assert "test-richmond-info-line" in refugee  # no eligibility rows: serves everyone
    assert {"test-surrey-settlement", "test-richmond-info-line"} <= set(resident)
    hit = get_service(session, "test-surrey-settlement")
    assert hit is not None and hit.eligibility == ("permanent_resident", "protected_person")


def test_language_filter_keeps_services_listing_no_language_but_ranks_them_lower(
    session: Session,
) -> None:
    result = search(session, categories=("language",), near=place("Burnaby"), language="zh")
    found = ids(result)
    assert "test-burnaby-punjabi-jobs" not in found  # staff speak Punjabi only
    assert "test-surrey-settlement" not in found  # fr, en, fa
    assert found[0] == "test-burnaby-english"  # speaks zh
    assert {"test-surrey-english", "test-online-english"} <= set(found)  # no languages listed
    assert result.total == 3
    by_id = {hit.id: hit for hit in result.hits}
    assert by_id["test-burnaby-english"].languages == ("ar", "en", "zh")
    punjabi = ids(search(session, categories=("employment",), near=place("Burnaby"), language="PA"))
    assert punjabi == ["test-burnaby-punjabi-jobs"]


def test_display_language_picks_french_and_falls_back_to_english(session: Session) -> None:
    result = search(
        session, categories=("settlement",), near=place("Surrey"), display_language="fr"
    )
    settlement = next(h for h in result.hits if h.id == "test-surrey-settlement")
    assert settlement.description == "Aide pour le logement, l'école et les formulaires."
    assert settlement.description_language == "fr"
    english_only = get_service(session, "test-surrey-english", display_language="fr")
    assert english_only is not None
    assert english_only.description == "Practise English with volunteers."
    assert english_only.description_language == "en"
    spanish = get_service(session, "test-surrey-settlement", display_language="es")
    assert spanish is not None and spanish.description_language == "en"


def test_phone_lines_follow_their_service_area(session: Session) -> None:
    in_richmond = search(session, categories=("settlement",), near=place("Richmond"))
    in_surrey = search(session, categories=("settlement",), near=place("Surrey"))
    assert "test-richmond-info-line" in ids(in_richmond)
    assert "test-richmond-info-line" not in ids(in_surrey)
    line = next(h for h in in_richmond.hits if h.id == "test-richmond-info-line")
    assert line.distance_km is None and line.address is None and line.phones == ("604-555-0177",)
    far_away = search(session, categories=("mental_health",), near=place("49.88,-119.49"))
    assert ids(far_away) == ["test-crisis-line"]  # British Columbia-wide


def test_services_without_coordinates_are_found_in_their_municipality(session: Session) -> None:
    surrey = search(session, categories=("settlement",), near=place("Newton"))
    schools = next(h for h in surrey.hits if h.id == "test-surrey-school-workers")
    assert schools.distance_km is None and not schools.virtual and schools.address is None
    vancouver = search(session, categories=("settlement",), near=place("Kitsilano"))
    assert "test-surrey-school-workers" not in ids(vancouver)
    burnaby = search(session, categories=("community",), near=place("Burnaby"))
    library = burnaby.hits[0]
    assert library.id == "test-burnaby-library-help"
    assert library.address == "6 Test Boulevard, Burnaby" and library.distance_km is None
    assert "test-burnaby-library-help" not in ids(
        search(session, categories=("community",), near=place("Richmond"))
    )


def test_crisis_lines_rank_well_for_emergencies(session: Session) -> None:
    found = ids(search(session, categories=("emergency",), near=place("Burnaby")))
    assert found[0] == "test-crisis-line"


def test_get_service_has_the_weekly_schedule(session: Session) -> None:
    hit = get_service(session, "test-burnaby-english", at=WEDNESDAY_10, near=place("Burnaby"))
    assert hit is not None
    assert hit.schedule == tuple((day, "09:00", "17:00") for day in ("MO", "TU", "WE", "TH", "FR"))
    assert hit.hours_today == (("09:00", "17:00"),) and hit.open_now is True
    assert hit.distance_km is not None
    assert get_service(session, "no-such-service") is None


def test_a_search_runs_a_fixed_number_of_queries(loaded: Database, session: Session) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(loaded.engine, "before_cursor_execute", count)
    try:
        pages = []
        for limit in (1, 10):
            statements.clear()
            search(session, categories=("language",), near=place("Burnaby"), limit=limit)
            pages.append(list(statements))
    finally:
        event.remove(loaded.engine, "before_cursor_execute", count)
    for page in pages:
        # Details are loaded in bulk: one phone query whatever the page size (no N+1).
        assert sum("FROM phone" in sql for sql in page) == 1
        # count + rings (+ the full radius) + areas + part-open hours + six detail queries
        assert len(page) <= 1 + len(RINGS_KM) + 1 + 1 + 1 + 6


@pytest.mark.parametrize(
    "query",
    [
        ServiceQuery(categories=("cooking",)),
        ServiceQuery(eligibility="tourist"),
        ServiceQuery(language="english!"),
        ServiceQuery(limit=-1),
    ],
)
def test_bad_queries_are_bugs(session: Session, query: ServiceQuery) -> None:
    with pytest.raises(ValueError):
        search_services(session, query)


def test_directory_stats(session: Session) -> None:
    stats = directory_stats(session)
    assert stats["services"] == 11 and stats["organizations"] == 4
    assert stats["verified"] == 1
    assert stats["categories"]["language"] == {"services": 5, "verified": 1}
    assert stats["municipalities"]["Burnaby"] == 3
    assert stats["municipalities"]["Surrey"] == 2
    assert stats["without_location"] == 4
    assert stats["languages"]["en"] == 4
