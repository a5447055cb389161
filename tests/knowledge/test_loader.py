"""Loading seed files: validation messages, upserts, idempotency and deletions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from knowledge.db import Database
from knowledge.loader import load_seed
from knowledge.models import (
    Base,
    Location,
    Organization,
    Service,
    ServiceSearch,
    Translation,
)
from knowledge.places import postal_code_location
from knowledge.seedfile import SeedError
from knowledge.synthetic import generate_services

SEED = Path(__file__).parent / "fixtures" / "test-region"


# Every loader test starts from an empty database.
pytestmark = pytest.mark.usefixtures("clean_database")


def snapshot(database: Database) -> dict[str, set[tuple[Any, ...]]]:
    """Every row of every table, without surrogate integer ids."""
    rows: dict[str, set[tuple[Any, ...]]] = {}
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name != "id" or c.type.python_type is str]
            rows[table.name] = {tuple(r) for r in connection.execute(select(*columns))}
    return rows


def load(database: Database, path: Path = SEED) -> Any:
    with database.session() as session:
        return load_seed(session, path)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_reports_counts_and_stores_texts(database: Database) -> None:
    report = load(database)
    assert (report.organizations, report.services, report.locations) == (4, 11, 6)
    with database.session() as session:
        service = session.get(Service, "test-surrey-settlement")
        assert service is not None
        assert service.description == "Help with housing, school and forms."
        assert service.eligibility_description == "Permanent residents and protected persons."
        texts = {
            (t.field, t.language): (t.text, t.source, t.reviewed)
            for t in session.scalars(
                select(Translation).where(Translation.entity_id == "test-surrey-settlement")
            )
        }
        assert texts[("description", "fr")] == (
            "Aide pour le logement, l'école et les formulaires.",
            "human",
            False,
        )
        assert ("eligibility_description", "fr") in texts
        assert ("description", "en") in texts


def test_coordinates_come_from_the_postal_code_when_not_published(database: Database) -> None:
    load(database)
    with database.session() as session:
        metrotown = session.get(Location, "test-burnaby-metrotown")
        shelter = session.get(Location, "test-vancouver-downtown")
        assert metrotown is not None and shelter is not None
        assert metrotown.coordinates_source == "postal_code"
        assert (metrotown.latitude, metrotown.longitude) == postal_code_location("V5H 0A1")
        assert shelter.coordinates_source == "published"
        assert (shelter.latitude, shelter.longitude) == (49.2790, -123.1100)


def test_loading_twice_gives_the_same_rows(database: Database) -> None:
    load(database)
    first = snapshot(database)
    load(database)
    assert snapshot(database) == first
    assert len(first["service_search"]) > 0


def test_a_service_removed_from_the_files_is_deleted(database: Database, seed_copy: Path) -> None:
    load(database, seed_copy)
    path = seed_copy / "vancouver-shelter.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("  - id: test-vancouver-weekend-food")[0], encoding="utf-8")
    (seed_copy / "phone-lines.yaml").unlink()
    report = load(database, seed_copy)
    assert report.deleted_services == 4
    with database.session() as session:
        assert session.get(Service, "test-vancouver-weekend-food") is None
        assert session.get(Location, "test-vancouver-east") is None
        assert session.get(Organization, "test-phone-lines") is None
        assert session.get(Service, "test-vancouver-night-shelter") is not None
        orphans = session.scalars(
            select(Translation).where(Translation.entity_id == "test-crisis-line")
        ).all()
        assert orphans == []
        indexed = session.scalars(
            select(ServiceSearch).where(ServiceSearch.service_id == "test-crisis-line")
        ).all()
        assert indexed == []


def test_other_data_sets_are_left_alone(database: Database) -> None:
    with database.session() as session:
        generate_services(session, 20, seed=7)
    load(database)
    with database.session() as session:
        synthetic = session.scalars(select(Service).where(Service.id.like("synthetic-%"))).all()
        assert len(synthetic) == 20


def test_machine_translations_survive_until_the_english_changes(
    database: Database, seed_copy: Path
) -> None:
    load(database, seed_copy)
    with database.session() as session:
        session.add(
            Translation(
                entity_type="service",
                entity_id="test-surrey-english",
                field="description",
                language="ko",
                text="영어 연습",
                source="machine",
                reviewed=True,
            )
        )
    load(database, seed_copy)

    def korean() -> list[Translation]:
        with database.session() as session:
            return list(
                session.scalars(
                    select(Translation).where(
                        Translation.entity_id == "test-surrey-english", Translation.language == "ko"
                    )
                )
            )

    assert len(korean()) == 1
    path = seed_copy / "surrey-newcomers.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Practise English with volunteers.", "Practise English with friendly volunteers."
        ),
        encoding="utf-8",
    )
    load(database, seed_copy)
    assert korean() == []


def test_unquoted_times_are_read_as_times(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "region"
    write(
        folder,
        "org.yaml",
        ORG.replace('opens: "09:00", closes: "17:00"', "opens: 9:30, closes: 17:00"),
    )
    load(database, folder)
    with database.session() as session:
        from knowledge.search import get_service

        hit = get_service(session, "test-bad-service")
        assert hit is not None and hit.schedule[0] == ("MO", "09:30", "17:00")


ORG = """
organization:
  id: test-bad-org
  name: Test Org
services:
  - id: test-bad-service
    name: Test Service
    categories: [settlement]
    description: {en: A test.}
    locations:
      - id: test-bad-location
        address: {street: "1 Test St", city: Burnaby, province: BC, postal_code: "V5H 0A1"}
        schedule:
          - {days: [MO], opens: "09:00", closes: "17:00"}
    source_url: https://example.org
    last_verified: 2026-11-20
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("categories: [settlement]", "categories: [settlment]"),
            "unknown category code 'settlment'",
        ),
        (
            ("categories: [settlement]", "categories: [settlement]\n    eligibility: [refugee]"),
            "unknown eligibility code 'refugee'",
        ),
        (('closes: "17:00"', 'closes: "5pm"'), "closes '5pm' is not a time"),
        (('opens: "09:00"', 'opens: "25:00"'), "opens '25:00' is not a time of day"),
        (("days: [MO]", "days: [MON]"), "days ['MON'] must be codes"),
        (("fees", "fees"), None),
    ],
)
def test_bad_values_are_rejected_naming_file_and_id(
    database: Database, tmp_path: Path, change: tuple[str, str], message: str | None
) -> None:
    folder = tmp_path / "region"
    path = write(folder, "org.yaml", ORG.replace(*change))
    if message is None:
        load(database, folder)
        return
    with pytest.raises(SeedError) as raised:
        load(database, folder)
    text = str(raised.value)
    assert str(path) in text and "test-bad-service" in text and message in text
    with database.session() as session:
        assert session.scalars(select(Service)).all() == []


def test_duplicate_ids_across_files_are_rejected(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "region"
    write(folder, "a.yaml", ORG)
    write(folder, "b.yaml", ORG.replace("id: test-bad-org", "id: test-other-org"))
    with pytest.raises(SeedError) as raised:
        load(database, folder)
    text = str(raised.value)
    assert "service 'test-bad-service': duplicate id" in text
    assert "location 'test-bad-location': duplicate id" in text
    assert str(folder / "b.yaml") in text


def test_doubtful_data_loads_with_warnings(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "region"
    text = ORG.replace("categories: [settlement]", "categories: [settlement]\n    languages: [xx]")
    text = text.replace('postal_code: "V5H 0A1"', 'postal_code: "X0X 0X0"')
    text = text.replace(
        "    source_url", "    service_area: [Narnia]\n    langauges: [en]\n    source_url"
    )
    write(folder, "org.yaml", text)
    report = load(database, folder)
    warnings = "\n".join(report.warnings)
    assert "unknown language code 'xx'" in warnings
    assert "no coordinates" in warnings
    assert "service_area 'Narnia'" in warnings
    assert "unknown field 'langauges'" in warnings
