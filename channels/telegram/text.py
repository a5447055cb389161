"""Telegram's text limits: 4096 UTF-16 code units per message, counted after HTML parsing.

Answers are split on line boundaries; a single line longer than a message is split at
word boundaries (and a word longer than a message, which only a URL or garbage can be,
between characters). Lengths are measured on the plain text, because Telegram counts
the text after it has parsed the tags.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_UNITS = 4096


def utf16_units(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP (emoji) count twice."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False


def _split_word(word: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in word:  # by code point: a surrogate pair is never cut in two
        if utf16_units(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    if current:
        pieces.append(current)
    return pieces


def _split_line(line: Line, limit: int) -> list[Line]:
    if utf16_units(line.text) <= limit:
        return [line]
    pieces: list[str] = []
    current = ""
    for word in line.text.split(" "):
        candidate = f"{current} {word}" if current else word
        if utf16_units(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if utf16_units(word) <= limit:
            current = word
        else:
            *whole, current = _split_word(word, limit)
            pieces.extend(whole)
    if current:
        pieces.append(current)
    return [Line(piece, line.bold) for piece in pieces]


def split_lines(lines: list[Line], limit: int = MAX_UNITS) -> list[list[Line]]:
    """Group lines into messages of at most `limit` units (joined with newlines)."""
    chunks: list[list[Line]] = []
    current: list[Line] = []
    size = 0
    for line in (piece for whole in lines for piece in _split_line(whole, limit)):
        extra = utf16_units(line.text) + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append(current)
            current, size = [], 0
            extra = utf16_units(line.text)
        if not current and not line.text.strip():
            continue  # a message never starts with a blank line
        current.append(line)
        size += extra
    if current:
        chunks.append(current)
    return [_trim(chunk) for chunk in chunks if any(line.text.strip() for line in chunk)]


def _trim(chunk: list[Line]) -> list[Line]:
    while chunk and not chunk[-1].text.strip():
        chunk = chunk[:-1]
    return chunk
