"""An answer as SMS (or WhatsApp) text: plain lines, choices as numbered lines, as few
bodies as possible, within the segment budget.

Buttons become "1. …" lines followed by "Reply with a number."; when they do not all fit,
the last ones are left out (the user can still write what they need). Result pages come
already fitted by the action server (fewer services, shorter cards) with a footer instead
of buttons, and name their replies in the answer's facts (`replies`: {"1": payload, …,
"more": payload}). Text is never cut: an answer that cannot fit one body goes out as
several, split between messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.catalog import Catalog
from channels.sms import segments
from channels.sms.compose import body, choice_lines

WHATSAPP_MAX_CHARS = 1600  # Twilio's limit for one WhatsApp body
_BARE_LINK = re.compile(r"^\s*https?://\S+\s*$")


@dataclass(frozen=True)
class Rendered:
    bodies: list[str]
    # What a bare number or MORE stands for in the user's next message.
    choices: dict[str, str] = field(default_factory=dict)


def _parts(
    messages: Sequence[Mapping[str, Any]], keep: int, hint: str
) -> tuple[list[str], list[str]]:
    """The answer's texts with their first `keep` buttons as numbered lines after the
    message that carries them; and those buttons' payloads in number order."""
    parts: list[str] = []
    payloads: list[str] = []
    for message in messages:
        text = str(message.get("text") or "")
        if text:
            parts.append(text)
        buttons = [b for b in message.get("buttons") or [] if b.get("title") and b.get("payload")]
        room = keep - len(payloads)
        if buttons and room > 0:
            shown = buttons[:room]
            parts.extend(choice_lines([str(b["title"]) for b in shown], len(payloads) + 1))
            payloads.extend(str(b["payload"]) for b in shown)
    if payloads:
        parts.append(hint)
    return parts, payloads


def _fits(parts: list[str], language: str, max_segments: int, whatsapp: bool) -> bool:
    text = body(parts, language)
    if whatsapp:
        return len(text) <= WHATSAPP_MAX_CHARS
    return segments.fits(text, max_segments)


def _pack(parts: list[str], language: str, max_segments: int, whatsapp: bool) -> list[str]:
    """Greedy: as many consecutive parts per body as fit; an oversized part alone."""
    bodies: list[list[str]] = []
    for part in parts:
        if bodies and _fits([*bodies[-1], part], language, max_segments, whatsapp):
            bodies[-1].append(part)
        elif bodies and _BARE_LINK.match(part):
            bodies[-1].append(part)  # never a bare link as a message of its own
        else:
            bodies.append([part])
    return [body(group, language) for group in bodies if body(group, language)]


def _replies(facts: Mapping[str, Any]) -> dict[str, str]:
    replies = facts.get("replies")
    if not isinstance(replies, Mapping):
        return {}
    return {str(k).lower(): v for k, v in replies.items() if isinstance(v, str) and v}


def shorten(
    messages: Sequence[Mapping[str, Any]], language: str, catalog: Catalog
) -> list[dict[str, Any]]:
    """SMS wording where it has its own: the emergency numbers without the long labels
    (`utter_sms_emergency`) and one- or two-word category titles (`utter_sms_categories`),
    so that all sixteen choices fit in a few segments."""
    emergency = catalog.text("utter_emergency", language)
    titles = {b["payload"]: b["title"] for b in catalog.buttons("utter_sms_categories", language)}
    out: list[dict[str, Any]] = []
    for message in messages:
        short = dict(message)
        if str(message.get("text") or "").strip() == emergency:
            short["text"] = catalog.text("utter_sms_emergency", language)
        if message.get("buttons"):
            short["buttons"] = [
                {**b, "title": titles.get(str(b.get("payload")), b.get("title"))}
                for b in message["buttons"]
            ]
        out.append(short)
    return out


def render(
    messages: Sequence[Mapping[str, Any]],
    facts: Mapping[str, Any],
    *,
    language: str,
    catalog: Catalog,
    max_segments: int,
    whatsapp: bool = False,
) -> Rendered:
    if not whatsapp:
        messages = shorten(messages, language, catalog)
    hint = catalog.text("utter_sms_reply_number", language)
    total = sum(len(m.get("buttons") or []) for m in messages)
    keep = total
    parts, payloads = _parts(messages, keep, hint)
    while keep > 1 and not _fits(parts, language, max_segments, whatsapp):
        keep -= 1
        parts, payloads = _parts(messages, keep, hint)
    choices = {str(n): payload for n, payload in enumerate(payloads, 1)}
    choices.update(_replies(facts))
    return Rendered(_pack(parts, language, max_segments, whatsapp), choices)
