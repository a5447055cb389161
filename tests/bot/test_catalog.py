from bot.catalog import Catalog
from bot.languages import supported_languages


def test_text_falls_back_to_english_and_fills_values() -> None:
    catalog = Catalog.from_files()
    fr = catalog.text("utter_input_too_long", "fr", limit=1000)
    assert "1000" in fr and fr != catalog.text("utter_input_too_long", "en", limit=1000)
    assert catalog.text("utter_input_empty", "xx") == catalog.text("utter_input_empty", "en")


def test_emergency_text_puts_911_first_in_every_language() -> None:
    catalog = Catalog.from_files()
    for code in supported_languages():
        first_line = catalog.text("utter_emergency", code).splitlines()[0]
        assert "911" in first_line, code


def test_times_and_distances_follow_each_languages_conventions() -> None:
    from bot.languages import language

    assert language("en").format_time("17:30") == "5:30 pm"
    assert language("en").format_time("09:00") == "9 am"
    assert language("fr").format_time("17:30") == "17 h 30"
    assert language("fr").format_time("09:00") == "9 h"
    assert language("fr").format_decimal(2.345) == "2,3"
    assert language("xx").format_decimal(2.345) == "2.3"
