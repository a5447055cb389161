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


def _choice_numbers(text: str) -> list[int]:
    """The numbers of a body's choice lines ("3. Food"; LRM-wrapped in RTL text)."""
    heads = [line.replace("\u200e", "").split(". ")[0] for line in text.split("\n")]
    return [int(head) for head in heads if head.isdigit()]


def _menu(language: str) -> list[dict[str, object]]:
    return [
        {
            "text": CATALOG.text("utter_ask_category", language),
            "buttons": CATALOG.buttons("utter_ask_category", language),
        }
    ]


def test_an_arabic_menu_too_long_for_three_segments_continues_on_more() -> None:
    buttons = CATALOG.buttons("utter_ask_category", "ar")
    rendered = _render(_menu("ar"), "ar")
    (first,) = rendered.bodies
    assert segments.count(first).encoding == segments.UCS2
    assert segments.count(first).count <= 3
    assert first.endswith(CATALOG.text("utter_sms_reply_number_more", "ar"))
    assert rendered.pages, "the choices that did not fit come on MORE"
    # Every choice has its number, whichever page shows it, and the numbers run on.
    assert rendered.choices == {str(n): b["payload"] for n, b in enumerate(buttons, 1)}
    shown = _choice_numbers(first)
    assert _choice_numbers(rendered.pages[0])[0] == shown[-1] + 1
    assert rendered.pages[-1].endswith(CATALOG.text("utter_sms_reply_number", "ar"))


def test_a_menu_that_fits_has_no_more_pages() -> None:
    rendered = _render(_menu("en"), "en")
    assert rendered.pages == []
    assert rendered.bodies[0].endswith(CATALOG.text("utter_sms_reply_number", "en"))


def test_when_the_answer_gives_more_its_own_meaning_the_menu_is_not_paged() -> None:
    rendered = _render(_menu("ar"), "ar", replies={"more": "/more_results"})
    assert rendered.pages == []
    assert rendered.choices["more"] == "/more_results"


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


def test_every_language_shows_all_sixteen_choices_and_the_emergency_within_budget() -> None:
    from bot.languages import available_languages

    for language in available_languages():
        buttons = CATALOG.buttons("utter_ask_category", language)
        rendered = _render(_menu(language), language)
        assert len(rendered.bodies) == 1, language
        numbers: list[int] = []
        for text in [*rendered.bodies, *rendered.pages]:
            assert segments.count(text).count <= 3, language
            numbers += _choice_numbers(text)
        # Every choice on one page or another, numbered 1..16 in order.
        assert numbers == list(range(1, len(buttons) + 1)), language
        # Short titles let most of the 16 choices fit on the first page.
        assert len(rendered.pages) <= 1, language
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


def test_every_fixed_answer_fits_three_segments_in_every_language() -> None:
    # Answers with blanks ({place}) are fitted by the actions; the fixed ones must fit as
    # they are, through their SMS wording where the full one is long (help, a person).
    from bot.languages import available_languages

    too_long = []
    for name in CATALOG._by_language:
        if name.startswith("utter_sms_") or "{" in str(CATALOG.variation(name, "en")):
            continue
        for language in available_languages():
            rendered = _render([{"text": CATALOG.text(name, language)}], language)
            for text in rendered.bodies:
                if segments.count(text).count > 3:
                    too_long.append((name, language, segments.count(text).count))
    assert not too_long, too_long
