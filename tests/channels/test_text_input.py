from channels.text_input import Problem, clean_text, decode_body


def test_plain_question_passes_unchanged() -> None:
    assert clean_text("English classes in Burnaby?", 1000).text == "English classes in Burnaby?"


def test_empty_and_whitespace_only_are_reported_as_empty() -> None:
    assert clean_text("", 1000).problem is Problem.EMPTY
    assert clean_text(" \n\t\u200b ", 1000).problem is Problem.EMPTY


def test_bidi_overrides_and_controls_are_removed_but_letters_stay() -> None:
    cleaned = clean_text("\u202eعربي\u202c\x00 hello\x07", 1000)
    assert cleaned.problem is None
    assert cleaned.text == "عربي hello"


def test_lone_surrogates_are_dropped() -> None:
    assert clean_text("caf\ud800e", 1000).text == "cafe"


def test_too_long_is_reported_and_keeps_the_start() -> None:
    cleaned = clean_text("a" * 10_000, 1000)
    assert cleaned.problem is Problem.TOO_LONG
    assert len(cleaned.text) == 1000


def test_markup_is_kept_as_text_for_the_renderer_to_escape() -> None:
    assert clean_text("<b>food</b>", 1000).text == "<b>food</b>"


def test_invalid_utf8_body_is_not_decoded() -> None:
    assert decode_body(b"\xff\xfe\xfa") is None
    assert decode_body("é".encode()) == "é"
