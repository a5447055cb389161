"""Answers as SMS: one body where it fits, numbered choices, the budget, never cut."""

from __future__ import annotations

from bot.catalog import Catalog
from channels.sms import segments
from channels.sms.render import render

CATALOG = Catalog.from_files()


def _render(messages: list[dict[str, object]], language: str = "en", **facts: object):  # type: ignore[no-untyped-def]
    return render(messages, facts, language=language, catalog=CATALOG, max_segments=3)


def test_messages_are_concatenated_into_one_body_when_they_fit() -> None:
    rendered = _render([{"text": "Hello."}, {"text": "Where are you?"}])
    assert rendered.bodies == ["Hello.\nWhere are you?"]
    assert rendered.choices == {}


def test_buttons_become_numbered_lines_with_a_reply_hint_and_choices() -> None:
    menu = CATALOG.variation("utter_ask_category", "en")
    buttons = CATALOG.buttons("utter_ask_category", "en")
    rendered = _render([{"text": menu["text"], "buttons": buttons}])
    (text,) = rendered.bodies
    lines = text.split("\n")
    assert lines[0] == CATALOG.text("utter_ask_category", "en")
    # SMS titles are the short ones of utter_sms_categories, the payloads unchanged.
    assert lines[1] == f"1. {CATALOG.buttons('utter_sms_categories', 'en')[0]['title']}"
    assert lines[-1] == CATALOG.text("utter_sms_reply_number", "en")
    shown = len(lines) - 2
    assert rendered.choices == {str(n): buttons[n - 1]["payload"] for n in range(1, shown + 1)}
    assert segments.count(text).count <= 3


def test_an_arabic_menu_keeps_only_the_choices_that_fit_three_segments() -> None:
    buttons = CATALOG.buttons("utter_ask_category", "ar")
    rendered = _render(
        [{"text": CATALOG.text("utter_ask_category", "ar"), "buttons": buttons}], "ar"
    )
    (text,) = rendered.bodies
    count = segments.count(text)
    assert count.encoding == segments.UCS2
    assert count.count <= 3
    assert 1 <= len(rendered.choices) < len(buttons)
    assert rendered.choices["1"] == buttons[0]["payload"]


def test_the_actions_replies_name_what_more_and_numbers_mean() -> None:
    rendered = _render(
        [{"text": "1. A"}, {"text": "Reply a number."}],
        replies={"1": '/service_details{"number":"1"}', "more": "/more_results"},
    )
    assert rendered.choices == {"1": '/service_details{"number":"1"}', "more": "/more_results"}


def test_a_long_answer_is_split_between_messages_never_inside_one() -> None:
    long_text = "word " * 150  # 750 GSM-7 characters: 5 segments on its own
    rendered = _render([{"text": "Short first."}, {"text": long_text.strip()}, {"text": "End."}])
    assert rendered.bodies == ["Short first.", long_text.strip(), "End."]


def test_a_bare_link_is_never_a_message_of_its_own() -> None:
    rendered = _render([{"text": "word " * 100}, {"text": "https://example.org/page"}])
    assert len(rendered.bodies) == 1
    assert rendered.bodies[0].endswith("https://example.org/page")


def test_rtl_bodies_isolate_numbers_with_lrm() -> None:
    rendered = _render([{"text": "الهاتف: 604-555-0100"}], "ar")
    assert rendered.bodies == ["الهاتف: \u200e604-555-0100\u200e"]


def test_whatsapp_lists_every_choice_without_a_segment_budget() -> None:
    buttons = CATALOG.buttons("utter_ask_category", "ar")
    rendered = render(
        [{"text": CATALOG.text("utter_ask_category", "ar"), "buttons": buttons}],
        {},
        language="ar",
        catalog=CATALOG,
        max_segments=3,
        whatsapp=True,
    )
    assert len(rendered.choices) == len(buttons)
    assert len(rendered.bodies) == 1


def test_every_language_shows_its_menu_and_emergency_within_three_segments() -> None:
    from bot.languages import available_languages

    for language in available_languages():
        menu = [
            {
                "text": CATALOG.text("utter_ask_category", language),
                "buttons": CATALOG.buttons("utter_ask_category", language),
            }
        ]
        rendered = _render(menu, language)
        assert len(rendered.bodies) == 1, language
        assert segments.count(rendered.bodies[0]).count <= 3, language
        # Short titles let most of the 16 choices fit even in 67-character segments.
        assert len(rendered.choices) >= 10, (language, len(rendered.choices))
        emergency = _render([{"text": CATALOG.text("utter_emergency", language)}], language)
        (text,) = emergency.bodies
        assert segments.count(text).count <= 2, language
        for number in ("911", "9-8-8", "1-800-563-0808", "1-800-567-8911", "8-1-1"):
            assert number in text, (language, number)


def test_whatsapp_keeps_the_full_emergency_text() -> None:
    rendered = render(
        [{"text": CATALOG.text("utter_emergency", "fr")}],
        {},
        language="fr",
        catalog=CATALOG,
        max_segments=3,
        whatsapp=True,
    )
    assert rendered.bodies == [CATALOG.text("utter_emergency", "fr")]
