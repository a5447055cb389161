"""Results shaped for SMS: compact cards and a footer instead of buttons, fitted into the
segment budget by showing fewer services or shorter cards; `result_ids` = what was shown."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.services import FindServices, MoreResults, ServiceDetails
from bot.catalog import Catalog
from channels.sms import segments
from channels.sms.compose import body
from knowledge.db import Database
from tests.actions.conftest import facts as _facts
from tests.actions.conftest import texts as _texts
from tests.actions.conftest import tracker


def _sms(slots: dict[str, Any], language: str, budget: int = 3, text: str = "") -> Any:
    return tracker(
        text=text,
        slots={"language": language, "channel": "sms", **slots},
        metadata={"channel": "sms", "language": language, "sms_max_segments": budget},
    )


def _slot(events: list[dict[str, Any]], name: str) -> Any:
    return next(e["value"] for e in events if e.get("event") == "slot" and e["name"] == name)


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "fa", "pa", "zh", "hi", "vi", "uk"])
@pytest.mark.parametrize(("category", "place"), [("food", "Burnaby"), ("language", "Surrey")])
async def test_a_results_page_fits_three_segments_in_every_script(
    database: Database, domain: dict[str, Any], language: str, category: str, place: str
) -> None:
    catalog = Catalog.from_domain(domain)
    dispatcher = CollectingDispatcher()
    events = await FindServices(database).run(
        dispatcher, _sms({"category": category, "place": place}, language), domain
    )
    texts = _texts(dispatcher)
    sms = body(texts, language)
    assert segments.count(sms).count <= 3, (segments.count(sms), sms)
    assert not any(m.get("buttons") for m in dispatcher.messages)
    facts = _facts(dispatcher)
    shown = facts["services"]
    assert shown
    assert _slot(events, "result_ids") == [s["id"] for s in shown]
    for n, service in enumerate(shown, 1):
        assert any(t.startswith(f"{n}. {service['name']}") for t in texts)
    replies = facts["replies"]
    assert {k for k in replies if k != "more"} == {str(n) for n in range(1, len(shown) + 1)}
    footer = "utter_sms_results_footer" if "more" in replies else "utter_sms_results_footer_last"
    assert texts[-1] == catalog.text(footer, language)


async def test_a_tighter_budget_shows_fewer_or_shorter_cards_never_cut_words(
    database: Database, domain: dict[str, Any]
) -> None:
    wide, narrow = CollectingDispatcher(), CollectingDispatcher()
    slots = {"category": "food", "place": "Burnaby"}
    await FindServices(database).run(wide, _sms(slots, "en", budget=3), domain)
    events = await FindServices(database).run(narrow, _sms(slots, "en", budget=1), domain)
    assert len(_facts(narrow)["services"]) <= len(_facts(wide)["services"])
    assert len(_slot(events, "result_ids")) == len(_facts(narrow)["services"])
    footers = Catalog.from_domain(domain).text("utter_sms_results_footer", "en")
    whole_words = set(" ".join([*_texts(wide), footers]).split())
    assert set(" ".join(_texts(narrow)).split()) <= whole_words


async def test_more_continues_after_what_was_shown(
    database: Database, domain: dict[str, Any]
) -> None:
    slots = {"category": "food", "place": "Burnaby"}
    first = CollectingDispatcher()
    events = await FindServices(database).run(first, _sms(slots, "ar"), domain)
    shown = _slot(events, "result_ids")
    assert "more" in _facts(first)["replies"]
    more = CollectingDispatcher()
    events = await MoreResults(database).run(
        more, _sms({**slots, "result_ids": shown}, "ar"), domain
    )
    ids = _slot(events, "result_ids")
    assert ids[: len(shown)] == shown and len(ids) > len(shown)
    assert not set(ids[len(shown) :]) & set(shown)
    texts = _texts(more)
    assert texts[0].startswith(f"{len(shown) + 1}. ")
    assert segments.count(body(texts, "ar")).count <= 3
    assert str(len(shown) + 1) in _facts(more)["replies"]


@pytest.mark.parametrize("language", ["en", "ar", "pa", "zh"])
async def test_details_fit_the_budget_and_start_with_name_and_phone(
    database: Database, domain: dict[str, Any], language: str
) -> None:
    slots = {"category": "food", "place": "Burnaby"}
    first = CollectingDispatcher()
    events = await FindServices(database).run(first, _sms(slots, language), domain)
    shown = _slot(events, "result_ids")
    details = CollectingDispatcher()
    await ServiceDetails(database).run(
        details,
        _sms(
            {**slots, "result_ids": shown},
            language,
            text="1",
        ),
        domain,
    )
    (text,) = _texts(details)
    assert text.startswith(f"1. {_facts(first)['services'][0]['name']}")
    assert segments.count(body([text], language)).count <= 3


async def test_the_console_tester_sms_channel_gets_the_sms_shape(
    database: Database, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await FindServices(database).run(
        dispatcher,
        tracker(
            slots={"category": "food", "place": "Burnaby", "channel": "tester-sms"},
            metadata={"channel": "tester-sms"},
        ),
        domain,
    )
    assert "replies" in _facts(dispatcher)
    assert not any(m.get("buttons") for m in dispatcher.messages)


async def test_whatsapp_gets_full_cards_and_a_footer_instead_of_buttons(
    database: Database, domain: dict[str, Any]
) -> None:
    catalog = Catalog.from_domain(domain)
    dispatcher = CollectingDispatcher()
    events = await FindServices(database).run(
        dispatcher,
        tracker(
            slots={"category": "food", "place": "Burnaby", "channel": "whatsapp"},
            metadata={"channel": "whatsapp"},
        ),
        domain,
    )
    texts = _texts(dispatcher)
    assert not any(m.get("buttons") for m in dispatcher.messages)
    assert len(_slot(events, "result_ids")) == 3
    assert texts[-1] in {
        catalog.text("utter_sms_results_footer", "en"),
        catalog.text("utter_sms_results_footer_last", "en"),
    }
