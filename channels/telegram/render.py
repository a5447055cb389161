"""An answer as Telegram messages: escaped HTML, split to fit, buttons as inline keyboards.

Every piece of text (the user's words echoed back, directory data, our own texts) is
escaped, so nothing can inject markup; the only tags are the ones added here. Messages
of one answer are joined while they fit, so a result list arrives as one message with
its keyboard (faster at Telegram's one-message-a-second pace, and easier to read).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from bot.languages import direction
from channels.render import isolate_ltr_runs
from channels.telegram.text import MAX_UNITS, Line, split_lines

# "2. Burnaby Food Bank – ..." starts a service card: its first line is shown in bold.
_CARD_TITLE = re.compile(r"^\d{1,2}\. \S")
CALLBACK_DATA_BYTES = 64

# Turns a button's payload into callback data of at most 64 bytes.
ShortenPayload = Callable[[str], str]


def _lines(text: str, rtl: bool) -> list[Line]:
    if rtl:
        text = isolate_ltr_runs(text)
    lines = text.split("\n")
    bold_first = bool(_CARD_TITLE.match(lines[0])) if lines else False
    return [Line(line, bold=bold_first and i == 0) for i, line in enumerate(lines)]


def as_html(lines: list[Line]) -> str:
    return "\n".join(
        f"<b>{html.escape(line.text)}</b>" if line.bold else html.escape(line.text)
        for line in lines
    )


def _row_width(titles: list[str]) -> int:
    # Long titles get a row each; numbers and language names fit three to a row.
    longest = max((len(t) for t in titles), default=0)
    return 3 if longest <= 12 else 2 if longest <= 20 else 1


def inline_keyboard(
    buttons: list[dict[str, str]], shorten: ShortenPayload
) -> list[list[dict[str, str]]]:
    usable = [b for b in buttons if b.get("title") and b.get("payload")]
    width = _row_width([b["title"] for b in usable])
    keys = [{"text": b["title"], "data": shorten(b["payload"])} for b in usable]
    return [keys[i : i + width] for i in range(0, len(keys), width)]


def render(
    messages: list[dict[str, Any]],
    language: str,
    shorten: ShortenPayload,
    *,
    limit: int = MAX_UNITS,
) -> list[dict[str, Any]]:
    """Outbound bodies: {"html": ..., "inline": [[{"text", "data"}]]} (keyboard optional)."""
    rtl = direction(language) == "rtl"
    bodies: list[dict[str, Any]] = []
    pending: list[Line] = []

    def flush(buttons: list[dict[str, str]]) -> None:
        chunks = split_lines(pending, limit)
        keyboard = inline_keyboard(buttons, shorten) if buttons else []
        if not chunks and keyboard:
            chunks = [[Line("…")]]  # a keyboard needs a message to hang on
        for i, chunk in enumerate(chunks):
            body: dict[str, Any] = {"html": as_html(chunk)}
            if keyboard and i == len(chunks) - 1:
                body["inline"] = keyboard
            bodies.append(body)
        pending.clear()

    for message in messages:
        text = str(message.get("text") or "")
        if text.strip():
            if pending:
                pending.append(Line(""))
            pending.extend(_lines(text, rtl))
        buttons = message.get("buttons") or []
        if buttons:
            flush(buttons)
    if pending:
        flush([])
    return bodies


def location_request(prompt: str, button: str) -> dict[str, Any]:
    """A message with a reply-keyboard button that shares the user's location."""
    return {"html": html.escape(prompt), "location_button": button}
