"""Splitting answers to Telegram's 4096 UTF-16 units."""

from __future__ import annotations

from channels.telegram.text import Line, split_lines, utf16_units


def _texts(chunks: list[list[Line]]) -> list[str]:
    return ["\n".join(line.text for line in chunk) for chunk in chunks]


def test_units_count_emoji_twice_as_telegram_does() -> None:
    assert utf16_units("abc") == 3
    assert utf16_units("🙂") == 2
    assert utf16_units("ਪੰਜਾਬੀ") == len("ਪੰਜਾਬੀ")


def test_a_short_answer_is_one_message() -> None:
    lines = [Line("1. Food bank"), Line("Phone: 604-555-0100")]
    assert split_lines(lines) == [lines]


def test_a_long_answer_is_split_on_line_boundaries_within_the_limit() -> None:
    lines = [Line(f"{n}. " + "word " * 15) for n in range(1, 200)]
    chunks = split_lines(lines, limit=500)
    assert len(chunks) > 1
    assert all(utf16_units(text) <= 500 for text in _texts(chunks))
    # Nothing lost, nothing cut: the same lines in the same order.
    assert [line for chunk in chunks for line in chunk] == lines


def test_a_single_long_line_is_split_at_word_boundaries() -> None:
    words = [f"word{n}" for n in range(2000)]
    chunks = split_lines([Line(" ".join(words), bold=True)])
    texts = _texts(chunks)
    assert len(texts) > 1 and all(utf16_units(t) <= 4096 for t in texts)
    assert " ".join(texts).split(" ") == words
    assert all(line.bold for chunk in chunks for line in chunk)


def test_emoji_at_the_limit_is_never_cut_in_half() -> None:
    text = "🙂" * 3000  # 6000 units, no spaces
    chunks = _texts(split_lines([Line(text)]))
    assert all(utf16_units(c) <= 4096 for c in chunks)
    assert "".join(chunks) == text


def test_blank_lines_never_start_or_end_a_message() -> None:
    lines = [Line("a" * 60), Line(""), Line("b" * 60), Line(""), Line("c" * 60)]
    for chunk in split_lines(lines, limit=70):
        assert chunk[0].text.strip() and chunk[-1].text.strip()
