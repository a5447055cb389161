"""The translation bridge with a real (tiny) argostranslate package, offline."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from knowledge.db import Database
from knowledge.models import Translation
from knowledge.translation import (
    ArgosTranslator,
    NoTranslator,
    cached_translation,
    protect,
    restore,
)
from tests.support.tiny_argos import build_model


@pytest.fixture(scope="module")
def translator(tmp_path_factory: pytest.TempPathFactory) -> ArgosTranslator:
    built = build_model(tmp_path_factory.mktemp("argos-build"))
    translator = ArgosTranslator(tmp_path_factory.mktemp("argos-packages"))
    assert translator.install_file(built) == ("en", "so")
    return translator


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any connection attempt fails the test: translation must never need the network."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during translation")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield


def test_protect_and_restore_keep_numbers_addresses_and_names() -> None:
    text = "Call 604-555-0100 or 9-8-8, see https://example.org, MOSAIC at 5575 Boundary Road."
    masked, kept = protect(text, keep=["MOSAIC", "5575 Boundary Road"])
    assert "604" not in masked and "MOSAIC" not in masked and "example.org" not in masked
    assert restore(masked, kept) == text
    assert restore(masked.replace("⟦1⟧", ""), kept) is None  # a lost value: unsafe


def test_an_installed_package_translates_offline(
    translator: ArgosTranslator, no_network: None
) -> None:
    assert ("en", "so") in translator.pairs()
    out = translator.translate("Free English classes near you.", "en", "so")
    assert out is not None and out.strip()


def test_a_translation_that_loses_a_phone_number_is_refused(translator: ArgosTranslator) -> None:
    # The tiny model's output is random: whatever it does, a number never comes out garbled.
    out = translator.translate("Call 604-555-0100 for help.", "en", "so")
    assert out is None or "604-555-0100" in out


def test_without_a_model_for_the_pair_there_is_no_translation(translator: ArgosTranslator) -> None:
    assert translator.translate("Food bank", "en", "ti") is None
    assert NoTranslator().translate("Food bank", "en", "so") is None


def test_machine_translations_are_cached_as_unreviewed(
    translator: ArgosTranslator, tmp_path: Path
) -> None:
    database = Database(f"sqlite:///{tmp_path / 'tr.db'}")
    database.migrate()
    with database.session() as session:
        first = cached_translation(
            session,
            translator,
            entity_type="service",
            entity_id="s1",
            field="description",
            text="Free English classes near you.",
            source="en",
            target="so",
        )
    with database.session() as session:
        row = session.scalars(select(Translation)).one()
        assert (row.source, row.reviewed, row.language, row.text) == ("machine", False, "so", first)
        again = cached_translation(
            session,
            NoTranslator(),
            entity_type="service",
            entity_id="s1",
            field="description",
            text="Free English classes near you.",
            source="en",
            target="so",
        )
    assert again == first
    database.dispose()
