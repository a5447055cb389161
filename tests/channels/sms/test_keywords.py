"""Whole-message keywords in every language, folded the way people type on a phone."""

from __future__ import annotations

import pytest

from channels.sms.keywords import HELP, MORE, START, STOP, Keywords, bare_number

KEYWORDS = Keywords.load()


@pytest.mark.parametrize(
    ("text", "kind", "language"),
    [
        ("STOP", STOP, "en"),
        ("stop", STOP, "en"),
        (" Stop. ", STOP, "en"),
        ("unsubscribe", STOP, "en"),
        ("ARRET", STOP, "fr"),
        ("arrêt", STOP, "fr"),
        ("Arrêter", STOP, "fr"),
        ("alto", STOP, "es"),
        ("إيقاف", STOP, "ar"),
        ("ايقاف", STOP, "ar"),
        ("退订", STOP, "zh"),
        ("ਬੰਦ", STOP, "pa"),
        ("ngung", STOP, "vi"),
        ("START", START, "en"),
        ("début", START, "fr"),
        ("bat dau", START, "vi"),
        ("BẮT ĐẦU", START, "vi"),
        ("HELP", HELP, "en"),
        ("aide", HELP, "fr"),
        ("ayuda", HELP, "es"),
        ("مساعدة", HELP, "ar"),
        ("帮助", HELP, "zh"),
        ("MORE", MORE, "en"),
        ("plus", MORE, "fr"),
        ("más", MORE, "es"),
        ("Iba pa", MORE, "tl"),
        ("xem thêm", MORE, "vi"),
        ("XEM THEM", MORE, "vi"),
        ("더 보기", MORE, "ko"),
        ("المزيد", MORE, "ar"),
        ("ਹੋਰ", MORE, "pa"),
        ("更多", MORE, "zh"),
    ],
)
def test_keywords_match_whole_messages_in_every_language(
    text: str, kind: str, language: str
) -> None:
    keyword = KEYWORDS.match(text)
    assert keyword is not None, text
    assert keyword.kind == kind
    assert language in keyword.languages


@pytest.mark.parametrize(
    "text", ["stop the violence", "help me find a doctor", "more classes in Surrey", "", "  "]
)
def test_a_keyword_inside_a_sentence_is_not_a_keyword(text: str) -> None:
    assert KEYWORDS.match(text) is None


def test_english_keywords_are_english_and_answered_in_the_conversation_language() -> None:
    keyword = KEYWORDS.match("HELP")
    assert keyword is not None and keyword.english
    assert keyword.language("fr") == "fr"
    assert keyword.language(None) == "en"


def test_a_french_keyword_answers_in_french_even_in_an_english_conversation() -> None:
    keyword = KEYWORDS.match("aide")
    assert keyword is not None and not keyword.english
    assert keyword.language("en") == "fr"


def test_a_word_shared_by_farsi_and_dari_keeps_the_conversation_language() -> None:
    keyword = KEYWORDS.match("لغو")
    assert keyword is not None and keyword.kind == STOP
    assert {"fa", "prs"} <= set(keyword.languages)
    assert keyword.language("prs") == "prs"


@pytest.mark.parametrize(
    ("text", "number"), [("1", 1), (" 2 ", 2), ("3.", 3), ("#2", 2), ("١", 1), ("12", 12)]
)
def test_bare_numbers_are_choices(text: str, number: int) -> None:
    assert bare_number(text) == number


@pytest.mark.parametrize("text", ["1 2", "604-555-0100", "V3T 0A1", "2 classes", "", "123"])
def test_other_numbers_are_not_choices(text: str) -> None:
    assert bare_number(text) is None
