from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.conversation_slots import ValidateSlotMappings
from actions.emergency import Emergency
from actions.language_choice import ChangeLanguage
from bot.catalog import Catalog
from tests.actions.conftest import tracker


async def test_gateway_metadata_becomes_slots(domain: dict[str, Any]) -> None:
    events = await ValidateSlotMappings().run(
        CollectingDispatcher(),
        tracker(
            slots={"language": "en", "channel": "web"},
            metadata={"language": "fr", "channel": "sms"},
        ),
        domain,
    )
    assert [(e["name"], e["value"]) for e in events] == [("language", "fr"), ("channel", "sms")]


async def test_unchanged_metadata_sets_nothing(domain: dict[str, Any]) -> None:
    events = await ValidateSlotMappings().run(
        CollectingDispatcher(), tracker(metadata={"language": "en", "channel": "web"}), domain
    )
    assert events == []


async def test_emergency_answers_with_911_and_flags_it(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    await Emergency().run(dispatcher, tracker(intent="emergency", slots={"language": "fr"}), domain)
    assert dispatcher.messages[0]["text"] == Catalog.from_domain(domain).text(
        "utter_emergency", "fr"
    )
    assert dispatcher.messages[1]["custom"]["navigator"]["emergency"] is True


async def test_choosing_french_answers_in_french_and_reports_the_choice(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    await ChangeLanguage().run(
        dispatcher,
        tracker(
            "français", intent="change_language", entities=[{"entity": "language", "value": "fr"}]
        ),
        domain,
    )
    assert dispatcher.messages[0]["text"] == Catalog.from_domain(domain).text(
        "utter_language_changed", "fr"
    )
    assert dispatcher.messages[1]["custom"]["navigator"]["language_choice"] == "fr"


async def test_an_unsupported_language_offers_the_menu(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    await ChangeLanguage().run(
        dispatcher, tracker("klingon please", intent="change_language"), domain
    )
    assert dispatcher.messages[0]["buttons"]


async def test_not_understood_shows_the_sixteen_categories(domain: dict[str, Any]) -> None:
    from actions.menu import ShowMenu

    dispatcher = CollectingDispatcher()
    await ShowMenu().run(
        dispatcher, tracker("zzz", intent="nlu_fallback", slots={"language": "fr"}), domain
    )
    message = dispatcher.messages[0]
    assert message["text"] == Catalog.from_domain(domain).text("utter_fallback_menu", "fr")
    assert message["buttons"][0]["payload"].startswith('/find_service{"category":')
    assert len(message["buttons"]) == 16


async def test_out_of_scope_says_so_and_offers_the_menu(domain: dict[str, Any]) -> None:
    from actions.menu import ShowMenu

    dispatcher = CollectingDispatcher()
    await ShowMenu().run(dispatcher, tracker("what's the weather", intent="out_of_scope"), domain)
    assert dispatcher.messages[0]["text"] == Catalog.from_domain(domain).text(
        "utter_out_of_scope", "en"
    )
    assert len(dispatcher.messages[0]["buttons"]) == 16
