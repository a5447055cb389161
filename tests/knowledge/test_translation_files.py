"""translations/<language>.yaml: a language's texts in a file of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.db import Database
from knowledge.loader import load_seed
from knowledge.search import get_service
from knowledge.seedfile import SeedError


def _write(seed: Path, language: str, text: str) -> None:
    (seed / "translations").mkdir(exist_ok=True)
    (seed / "translations" / f"{language}.yaml").write_text(text, encoding="utf-8")


def test_a_translation_file_gives_descriptions_in_that_language(
    clean_database: Database, seed_copy: Path
) -> None:
    _write(
        seed_copy,
        "es",
        "services:\n  test-burnaby-english:\n    description: Clases de inglés gratis.\n",
    )
    with clean_database.session() as session:
        report = load_seed(session, seed_copy)
    assert not [w for w in report.warnings if "translations" in w]
    with clean_database.session() as session:
        spanish = get_service(session, "test-burnaby-english", display_language="es")
        english = get_service(session, "test-burnaby-english", display_language="en")
    assert spanish is not None and english is not None
    assert spanish.description == "Clases de inglés gratis."
    assert spanish.description_language == "es"
    assert english.description != spanish.description


def test_an_unknown_service_id_is_a_warning_not_a_crash(
    clean_database: Database, seed_copy: Path
) -> None:
    _write(seed_copy, "es", "services:\n  no-such-service:\n    description: Hola.\n")
    with clean_database.session() as session:
        report = load_seed(session, seed_copy)
    assert any("no-such-service" in w for w in report.warnings)


def test_a_wrong_field_is_an_error_naming_the_file(
    clean_database: Database, seed_copy: Path
) -> None:
    _write(seed_copy, "es", "services:\n  test-burnaby-english:\n    phone: 604-555-0000\n")
    with clean_database.session() as session, pytest.raises(SeedError, match=r"es\.yaml"):
        load_seed(session, seed_copy)
