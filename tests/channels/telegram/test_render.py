"""Answers as Telegram messages: escaped HTML, keyboards, callback data, right to left."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from actions.language_choice import language_buttons
from bot.catalog import Catalog
from channels.telegram.callbacks import CallbackKeys
from channels.telegram.render import render
from channels.telegram.text import utf16_units
from knowledge.db import Database
from tests.support.fake_telegram import check_text

CATALOG = Catalog.from_files()


def _same(payload: str) -> str:
    return payload


def test_directory_and_user_text_cannot_inject_markup() -> None:
    card = "1. <b>Food</b> & Friends <script>\nPhone: 604-555-0100\n<a href='x'>site</a>"
    [body] = render([{"text": card}], "en", _same)
    assert body["html"].startswith("<b>1. &lt;b&gt;Food&lt;/b&gt; &amp; Friends &lt;script&gt;</b>")
    assert check_text(body["html"], "HTML") is None
    assert html.unescape(body["html"].replace("<b>", "").replace("</b>", "")) == card


def test_a_result_list_is_one_message_with_its_keyboard() -> None:
    messages: list[dict[str, Any]] = [
        {"text": "Food near Surrey. Places found: 3"},
        *({"text": f"{n}. Service {n}\nPhone: 604-555-010{n}"} for n in (1, 2, 3)),
        {
            "text": CATALOG.text("utter_results_footer", "en"),
            "buttons": [
                *(
                    {"title": f"Details {n}", "payload": f'/service_details{{"number":"{n}"}}'}
                    for n in (1, 2, 3)
                ),
                {"title": "More", "payload": "/more_results"},
            ],
        },
    ]
    [body] = render(messages, "en", _same)
    assert body["html"].count("<b>") == 3
    rows = body["inline"]
    # The three numbers side by side, "More" below them.
    assert [[k["data"] for k in row] for row in rows] == [
        [f'/service_details{{"number":"{n}"}}' for n in (1, 2, 3)],
        ["/more_results"],
    ]
    assert [k["text"] for row in rows for k in row] == [
        "Details 1",
        "Details 2",
        "Details 3",
        "More",
    ]


def test_the_category_menu_has_one_button_per_category_with_short_data() -> None:
    buttons = CATALOG.buttons("utter_ask_category", "uk")
    [body] = render([{"text": "?", "buttons": buttons}], "uk", _same)
    keys = [k for row in body["inline"] for k in row]
    assert len(keys) == 16 and all(len(k["data"].encode()) <= 64 for k in keys)


def test_language_names_fit_three_to_a_row() -> None:
    [body] = render([{"text": "Choose", "buttons": language_buttons()}], "en", _same)
    assert max(len(row) for row in body["inline"]) == 3
    assert len([k for row in body["inline"] for k in row]) == 13


def test_a_long_answer_is_split_and_the_keyboard_goes_with_the_last_part() -> None:
    cards = [{"text": f"{n}. Service {n}\n" + "Long description. " * 40} for n in range(1, 30)]
    footer = {"text": "Reply", "buttons": [{"title": "More", "payload": "/more_results"}]}
    bodies = render([*cards, footer], "en", _same)
    assert len(bodies) > 1
    for body in bodies:
        assert check_text(body["html"], "HTML") is None  # valid and ≤ 4096 units
    assert [bool(b.get("inline")) for b in bodies] == [False] * (len(bodies) - 1) + [True]
    assert sum(html.unescape(b["html"]).count("Service ") for b in bodies) == 29


def test_right_to_left_answers_keep_direction_marks_around_numbers() -> None:
    text = CATALOG.text("utter_emergency", "ar")
    [body] = render([{"text": text}], "ar", _same)
    assert "\u200e911\u200e" in body["html"]
    [english] = render([{"text": CATALOG.text("utter_emergency", "en")}], "en", _same)
    assert "\u200e" not in english["html"]


def test_long_payloads_travel_as_short_keys_that_survive_a_restart(tmp_path: Path) -> None:
    engine = Database(f"sqlite:///{tmp_path / 'k.db'}").engine
    keys = CallbackKeys(engine)
    keys.create_tables()
    long_payload = '/find_service{"category":"family_violence","place":"North Vancouver, BC"}'
    [body] = render(
        [{"text": "?", "buttons": [{"title": "Go", "payload": long_payload}]}], "en", keys.shorten
    )
    data = body["inline"][0][0]["data"]
    assert len(data.encode()) <= 64 and data != long_payload
    assert CallbackKeys(engine).resolve(data) == long_payload  # a new process
    assert keys.resolve("/more_results") == "/more_results"
    assert keys.resolve("#k:unknown") is None


def test_every_catalog_answer_in_every_language_renders_as_valid_html() -> None:
    for language in ("en", "fr", "ar", "fa", "zh", "pa", "hi", "ko", "uk", "vi", "tl", "es", "prs"):
        for name in ("utter_greet", "utter_help", "utter_emergency", "utter_telegram_not_text"):
            [body] = render([{"text": CATALOG.text(name, language)}], language, _same)
            assert check_text(body["html"], "HTML") is None, (language, name)
            assert utf16_units(body["html"]) > 0
