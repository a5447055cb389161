"""Actions run for real: the real Catalog from bot/domain, a real SQLite directory loaded
from the project's seed files, rasa-sdk's own Tracker and CollectingDispatcher."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.locales_build import load_locales, rasa_responses
from knowledge.db import Database
from knowledge.loader import load_seed

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The responses part of the domain Rasa sends with every action call."""
    return {"responses": rasa_responses(load_locales())}


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('actions') / 'directory.db'}")
    db.migrate()
    with db.session() as session:
        load_seed(session, ROOT / "knowledge" / "seed" / "metro-vancouver")
    yield db
    db.dispose()


def tracker(
    text: str = "",
    intent: str = "find_service",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    danger: str | None = None,
) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "test-user",
            "slots": {"language": "en", "channel": "web", **(slots or {})},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": entities or [],
                "metadata": metadata or {},
                # Set by nlu.emergency_guard when a lexicon phrase named the danger.
                **({"danger": danger} if danger else {}),
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    """What the user reads, message by message."""
    return [m["text"] for m in dispatcher.messages if m.get("text")]


def facts(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """The actions' machine-readable facts of the turn, later ones winning."""
    merged: dict[str, Any] = {}
    for m in dispatcher.messages:
        if m.get("custom"):
            merged.update(m["custom"]["navigator"])
    return merged
