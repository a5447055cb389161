"""A database for the channel layer's own tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.db import Database
from tests.knowledge.conftest import _postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def channel_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "postgresql":
        yield from _postgres_database()
        return
    database = Database(f"sqlite:///{tmp_path / 'channels.db'}")
    yield database
    database.dispose()
