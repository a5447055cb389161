"""Answers shaped for a channel. Every channel starts from plain text: buttons become lines."""

from __future__ import annotations

import re
from typing import Any

from bot.languages import direction

# Phone numbers, postal codes and other runs of digits inside right-to-left text: a left-
# to-right mark on each side keeps "604-555-0100" from being shown as "0100-555-604".
_LTR_RUN = re.compile(r"\+?\d[\d\s().-]*\d|\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b")
LRM = "\u200e"


def isolate_ltr_runs(text: str) -> str:
    return _LTR_RUN.sub(lambda m: f"{LRM}{m.group(0)}{LRM}", text)


def for_web(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The web chat sets dir on the page and wraps numbers in <bdi> itself.
    return [
        {"text": m.get("text", ""), **({"buttons": m["buttons"]} if m.get("buttons") else {})}
        for m in messages
    ]


def as_plain_text(messages: list[dict[str, Any]], language: str = "en") -> list[dict[str, Any]]:
    rtl = direction(language) == "rtl"
    out = []
    for message in messages:
        lines = [message.get("text", "")]
        lines += [f"- {b['title']}" for b in message.get("buttons") or [] if b.get("title")]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append({"text": isolate_ltr_runs(text) if rtl else text})
    return out


def for_channel(
    channel: str, messages: list[dict[str, Any]], language: str = "en"
) -> list[dict[str, Any]]:
    return for_web(messages) if channel == "web" else as_plain_text(messages, language)
