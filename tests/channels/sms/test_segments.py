"""The segment calculator against hand-counted texts (GSM 03.38, UCS-2 in UTF-16 units)."""

from __future__ import annotations

import pytest

from channels.sms.compose import body, segment_count
from channels.sms.segments import GSM7, UCS2, count, encoding, fits


def test_plain_english_is_gsm7_160_per_single_segment() -> None:
    assert count("a" * 160) == count("a" * 160).__class__(GSM7, 160, 1)
    assert count("a" * 161).count == 2


def test_split_gsm7_messages_carry_153_characters_per_segment() -> None:
    assert count("a" * 306).count == 2
    assert count("a" * 307).count == 3
    assert count("a" * 459).count == 3
    assert count("a" * 460).count == 4


def test_gsm7_accents_of_the_basic_table_stay_gsm7() -> None:
    assert encoding("Téléphone : 604-555-0100, à Surrey, ñ, ü, Ç") == GSM7


@pytest.mark.parametrize("char", ["ç", "á", "’", "“", "\u200e", "ê", "ب"])
def test_one_character_outside_gsm7_turns_the_text_into_ucs2(char: str) -> None:
    assert encoding(f"Francais {char}") == UCS2
    assert count("a" * 69 + char).count == 1
    assert count("a" * 70 + char).count == 2


def test_the_extension_table_counts_two_septets() -> None:
    assert encoding("{[~]}|^€\\") == GSM7
    assert count("€" * 80).units == 160
    assert count("€" * 80).count == 1
    assert count("€" * 81).count == 2


def test_an_escape_pair_never_straddles_two_segments() -> None:
    # 152 plain + "€" (2) does not fit in the first 153: the "€" opens segment two.
    text = "a" * 152 + "€" + "a" * 152
    assert count(text).units == 306
    assert count(text).count == 3


def test_ucs2_counts_utf16_units_70_then_67() -> None:
    assert count("ب" * 70) == count("ب" * 70).__class__(UCS2, 70, 1)
    assert count("ب" * 71).count == 2
    assert count("ب" * 134).count == 2
    assert count("ب" * 135).count == 3
    assert count("ب" * 201).count == 3
    assert count("ب" * 202).count == 4


def test_emoji_outside_the_bmp_take_two_units_and_are_not_split() -> None:
    assert count("😀" * 35).units == 70
    assert count("😀" * 35).count == 1
    # 66 units + a surrogate pair: the pair starts segment two.
    assert count("a" * 66 + "😀" + "a" * 66).count == 3


def test_arabic_answer_with_lrm_marks_counts_the_marks() -> None:
    parts = ["الهاتف: 604-555-0100"]
    text = body(parts, "ar")
    assert text == "الهاتف: \u200e604-555-0100\u200e"
    assert count(text).units == len("الهاتف: 604-555-0100") + 2
    assert segment_count(parts, "ar") == 1


def test_punjabi_and_chinese_are_ucs2_by_their_length_in_utf16() -> None:
    punjabi = "ਪੂਰੀ ਜਾਣਕਾਰੀ ਲਈ ਨੰਬਰ ਭੇਜੋ।"
    chinese = "回复编号看详情，回复“更多”看更多。"
    assert count(punjabi) == count(punjabi).__class__(UCS2, len(punjabi), 1)
    assert count(chinese).units == 18
    assert count(chinese * 5).count == 2  # 90 units


def test_empty_text_costs_nothing_and_fits() -> None:
    assert count("").count == 0
    assert fits("", 1)


def test_typographic_dashes_and_quotes_become_plain_when_that_makes_gsm7() -> None:
    text = body(["1. ESL Class – MOSAIC", "It’s free"], "en")
    assert text == "1. ESL Class - MOSAIC\nIt's free"
    assert encoding(text) == GSM7


def test_a_ucs2_text_keeps_its_own_punctuation() -> None:
    assert body(["回复“更多”看更多 – 1"], "zh") == "回复“更多”看更多 – 1"
