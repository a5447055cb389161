"""Fixtures for knowledge tests: a migrated database on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from knowledge.db import Database
from knowledge.models import Base

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "test-region"
POSTGRES_ADMIN_URL = os.environ.get(
    "NAVIGATOR_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)


def _postgres_database() -> Iterator[Database]:
    """A fresh, migrated PostgreSQL database for one test module, dropped afterwards."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        admin.dispose()
        where = make_url(POSTGRES_ADMIN_URL).render_as_string(hide_password=True)
        reason = f"PostgreSQL not reachable at {where}: {exc.orig}"
        if os.environ.get("NAVIGATOR_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"knowledge_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False))
    try:
        database.migrate()
        yield database
    finally:
        database.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """An empty, migrated database per test module, on each backend."""
    if request.param == "postgresql":
        yield from _postgres_database()
        return
    path = tmp_path_factory.mktemp("sqlite") / "navigator.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    yield database
    database.dispose()


def _empty(database: Database) -> None:
    """Delete every row, children first."""
    with database.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))


@pytest.fixture
def clean_database(database: Database) -> Database:
    """The module's database, emptied before the test."""
    _empty(database)
    return database


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """The fixture seed folder (fictional organisations)."""
    return SEED


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture seed folder (named like the original)."""
    target = tmp_path / SEED.name
    shutil.copytree(SEED, target)
    return target
