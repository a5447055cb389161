from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.emergency import Emergency
from actions.services import FindServices, MoreResults, ServiceDetails
from bot.catalog import Catalog
from channels.conversation import split_reply
from knowledge.db import Database
from tests.actions.conftest import facts as _facts
from tests.actions.conftest import texts as _texts
from tests.actions.conftest import tracker


async def test_find_language_classes_in_burnaby(database: Database, domain: dict[str, Any]) -> None:
    catalog = Catalog.from_domain(domain)
    dispatcher = CollectingDispatcher()
    events = await FindServices(database).run(
        dispatcher, tracker(slots={"category": "language", "place": "Burnaby"}), domain
    )
    texts = _texts(dispatcher)
    facts = _facts(dispatcher)
    shown = facts["services"]
    assert 1 <= len(shown) <= 3
    assert texts[0] == catalog.text(
        "utter_results_header",
        "en",
        count=len(shown),
        category_name=catalog.text("utter_category_language", "en"),
        place="Burnaby",
    )
    for n, service in enumerate(shown, 1):
        assert texts[n].startswith(f"{n}. ")
        assert service["name"] in texts[n]
        assert "language" in service["categories"]
    footer = (
        dispatcher.messages[-2]
        if dispatcher.messages[-1].get("custom")
        else dispatcher.messages[-1]
    )
    assert [b["payload"] for b in footer["buttons"]][: len(shown)] == [
        f'/service_details{{"number":"{n}"}}' for n in range(1, len(shown) + 1)
    ]
    assert facts["categories"] == ["language"]
    assert {"event": "slot", "name": "result_ids", "value": [s["id"] for s in shown]} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_french_conversation_gets_french_text(
    database: Database, domain: dict[str, Any]
) -> None:
    catalog = Catalog.from_domain(domain)
    dispatcher = CollectingDispatcher()
    await FindServices(database).run(
        dispatcher, tracker(slots={"language": "fr", "category": "food", "place": "surrey"}), domain
    )
    texts = _texts(dispatcher)
    count = len(_facts(dispatcher)["services"])
    assert texts[0] == catalog.text(
        "utter_results_header",
        "fr",
        count=count,
        category_name=catalog.text("utter_category_food", "fr"),
        place="Surrey",
    )
    assert texts[-1] in (
        catalog.text("utter_results_footer", "fr"),
        catalog.text("utter_results_footer_last", "fr"),
    )


async def test_without_a_place_it_asks_for_one(database: Database, domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = await FindServices(database).run(
        dispatcher, tracker(slots={"category": "health"}), domain
    )
    assert _texts(dispatcher) == [Catalog.from_domain(domain).text("utter_ask_place", "en")]
    assert events == []


async def test_without_a_category_it_shows_the_menu(
    database: Database, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await FindServices(database).run(dispatcher, tracker(slots={"place": "Surrey"}), domain)
    assert len(dispatcher.messages[0]["buttons"]) == 16


async def test_an_unknown_place_is_said_and_forgotten(
    database: Database, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    events = await FindServices(database).run(
        dispatcher, tracker(slots={"category": "food", "place": "Atlantis"}), domain
    )
    assert "Atlantis" in _texts(dispatcher)[0]
    assert events[0]["name"] == "place" and events[0]["value"] is None


async def test_emergency_category_puts_emergency_numbers_first(
    database: Database, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await FindServices(database).run(
        dispatcher, tracker(slots={"category": "emergency", "place": "Vancouver"}), domain
    )
    assert "911" in _texts(dispatcher)[0].splitlines()[0]
    assert _facts(dispatcher)["emergency"] is True


async def test_more_continues_the_numbering_and_details_show_one(
    database: Database, domain: dict[str, Any]
) -> None:
    first = CollectingDispatcher()
    events = await FindServices(database).run(
        first, tracker(slots={"category": "health", "place": "Vancouver"}), domain
    )
    ids = next(e["value"] for e in events if e["name"] == "result_ids")
    assert len(ids) == 3
    more = CollectingDispatcher()
    more_events = await MoreResults(database).run(
        more,
        tracker(
            intent="more_results",
            slots={"category": "health", "place": "Vancouver", "result_ids": ids},
        ),
        domain,
    )
    assert _texts(more)[0].startswith("4. ")
    all_ids = next(e["value"] for e in more_events if e["name"] == "result_ids")
    assert all_ids[:3] == ids and len(set(all_ids)) == len(all_ids)

    details = CollectingDispatcher()
    await ServiceDetails(database).run(
        details,
        tracker(
            "5",
            intent="service_details",
            entities=[{"entity": "number", "value": "5"}],
            slots={"result_ids": all_ids},
        ),
        domain,
    )
    card = _texts(details)[0]
    assert card.startswith("5. ")
    assert Catalog.from_domain(domain).text("utter_card_not_verified", "en") in card
    assert _facts(details)["services"][0]["id"] == all_ids[4]


async def test_details_without_results_ask_to_search_first(
    database: Database, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await ServiceDetails(database).run(dispatcher, tracker("2", intent="service_details"), domain)
    assert _texts(dispatcher) == [Catalog.from_domain(domain).text("utter_details_expired", "en")]


async def test_descriptions_without_curated_text_are_machine_translated_or_flagged_english(
    database: Database, domain: dict[str, Any], tmp_path_factory: Any
) -> None:
    from dataclasses import replace

    from sqlalchemy import select

    from knowledge.models import Translation
    from knowledge.search import get_service
    from knowledge.translation import ArgosTranslator
    from tests.support.tiny_argos import build_model

    translator = ArgosTranslator(tmp_path_factory.mktemp("packages"))
    translator.install_file(build_model(tmp_path_factory.mktemp("build"), "en", "so"))
    catalog = Catalog.from_domain(domain)
    dispatcher = CollectingDispatcher()
    await FindServices(database, translator).run(
        dispatcher, tracker(slots={"language": "so", "category": "food", "place": "Surrey"}), domain
    )
    ids = [s["id"] for s in _facts(dispatcher)["services"]]
    with database.session() as session:
        machine = {
            row.entity_id: row.text
            for row in session.scalars(
                select(Translation).where(
                    Translation.language == "so", Translation.source == "machine"
                )
            )
        }
    note = catalog.text("utter_card_in_english", "so")
    for n, service_id in enumerate(ids, 1):
        card = _texts(dispatcher)[n]
        if service_id in machine:
            assert machine[service_id] in card and note not in card
        else:
            assert note in card  # no safe translation: English, and the card says so

    # And a description with nothing to protect does go through the model, once, cached:
    with database.session() as session:
        hit = get_service(session, ids[0], display_language="so")
        assert hit is not None
        plain = replace(hit, id="plain-text-service", description="Free English classes near you.")
        translated = FindServices(database, translator).in_language(session, plain, "so")
    assert translated.description_language == "so"
    assert translated.description != plain.description


async def _emergency(
    database: Database,
    domain: dict[str, Any],
    category: dict[str, Any],
    *,
    danger: str | None = None,
) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    await Emergency(FindServices(database)).run(
        dispatcher,
        tracker(intent="emergency", entities=[category], slots={"place": "Surrey"}, danger=danger),
        domain,
    )
    return dispatcher


def _numbers_then_services(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], category: str
) -> None:
    texts = _texts(dispatcher)
    assert texts[0] == Catalog.from_domain(domain).text("utter_emergency", "en")
    assert any(line.startswith("1. ") for text in texts[1:] for line in text.splitlines())
    # Merged as the gateway merges one turn's facts.
    _, facts = split_reply(dispatcher.messages)
    assert facts["emergency"] is True and category in facts["categories"]


def _numbers_alone(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> None:
    assert _texts(dispatcher) == [Catalog.from_domain(domain).text("utter_emergency", "en")]


async def test_abuse_at_home_gets_the_numbers_then_family_violence_services(
    database: Database, domain: dict[str, Any]
) -> None:
    category = {"entity": "category", "value": "family_violence"}
    dispatcher = await _emergency(database, domain, category, danger="violence")
    _numbers_then_services(dispatcher, domain, "family_violence")


async def test_an_overdose_gets_the_numbers_alone(
    database: Database, domain: dict[str, Any]
) -> None:
    category = {"entity": "category", "value": "health", "confidence": 0.9}
    _numbers_alone(await _emergency(database, domain, category, danger="overdose"), domain)


async def test_a_request_the_classifier_alone_took_for_danger_still_gets_its_services(
    database: Database, domain: dict[str, Any]
) -> None:
    category = {"entity": "category", "value": "health", "confidence": 0.8}
    _numbers_then_services(await _emergency(database, domain, category), domain, "health")


async def test_an_unsure_category_after_an_unconfirmed_danger_adds_nothing(
    database: Database, domain: dict[str, Any]
) -> None:
    category = {"entity": "category", "value": "transportation", "confidence": 0.3}
    _numbers_alone(await _emergency(database, domain, category), domain)
