"""Database wrapper and migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from knowledge.db import Database, migrate
from knowledge.models import Base, Organization


def test_migrations_create_every_table_at_head(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with database.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0001"


def test_migrations_match_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrate_twice_is_harmless(database: Database) -> None:
    database.migrate()
    assert database.ping()


def test_session_commits_on_success(database: Database) -> None:
    with database.session() as session:
        session.add(Organization(id="test-db-commit", name="Commit"))
    with database.session() as session:
        assert session.get(Organization, "test-db-commit") is not None
        session.delete(session.get(Organization, "test-db-commit"))


def test_session_rolls_back_on_error(database: Database) -> None:
    with pytest.raises(RuntimeError), database.session() as session:
        session.add(Organization(id="test-db-rollback", name="Rollback"))
        session.flush()
        raise RuntimeError("boom")
    with database.session() as session:
        assert session.get(Organization, "test-db-rollback") is None


def test_ping_is_false_when_the_server_is_unreachable() -> None:
    database = Database("postgresql+psycopg2://postgres@127.0.0.1:1/none?connect_timeout=2")
    try:
        assert database.ping() is False
    finally:
        database.dispose()


def test_sqlite_creates_its_folder_and_enforces_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "navigator.db"
    database = Database(f"sqlite:///{path}")
    try:
        database.migrate()
        assert path.exists()
        with database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    finally:
        database.dispose()


def test_module_level_migrate_upgrades_a_new_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate(url)
    database = Database(url)
    try:
        with database.session() as session:
            assert session.scalars(select(Organization)).all() == []
    finally:
        database.dispose()
