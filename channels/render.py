"""Answers shaped for a channel. Every channel starts from plain text: buttons become lines."""

from __future__ import annotations

from typing import Any


def for_web(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"text": m.get("text", ""), **({"buttons": m["buttons"]} if m.get("buttons") else {})}
        for m in messages
    ]


def as_plain_text(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for message in messages:
        lines = [message.get("text", "")]
        lines += [f"- {b['title']}" for b in message.get("buttons") or [] if b.get("title")]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append({"text": text})
    return out


def for_channel(channel: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return for_web(messages) if channel == "web" else as_plain_text(messages)
