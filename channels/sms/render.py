"""An answer as SMS (or WhatsApp) text: plain lines, choices as numbered lines, as few
bodies as possible, within the segment budget.

Buttons become "1. …" lines followed by "Reply with a number."; when they do not all fit,
the first page ends with "…or MORE for more choices" and the rest become later pages, sent
one at a time when the user replies MORE, numbered on from the first. Result pages come
already fitted by the action server (fewer services, shorter cards) with a footer instead
of buttons, and name their replies in the answer's facts (`replies`: {"1": payload, …,
"more": payload}). Text is never cut: an answer that cannot fit one body goes out as
several, split between messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
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
    # Menu choices that did not fit the budget: later bodies, one per MORE.
    pages: list[str] = field(default_factory=list)


def _buttons(messages: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [
        (str(b["title"]), str(b["payload"]))
        for message in messages
        for b in message.get("buttons") or []
        if b.get("title") and b.get("payload")
    ]


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
        buttons = _buttons([message])
        room = keep - len(payloads)
        if buttons and room > 0:
            shown = buttons[:room]
            parts.extend(choice_lines([title for title, _ in shown], len(payloads) + 1))
            payloads.extend(payload for _, payload in shown)
    if payloads:
        parts.append(hint)
    return parts, payloads


def _later_pages(
    rest: Sequence[tuple[str, str]],
    first: int,
    hints: tuple[str, str],
    fits: Callable[[list[str]], bool],
) -> list[list[str]]:
    """The choices left over after the first page, as pages that each fit, numbered on
    from `first`; every page but the last ends with the MORE hint."""
    more, last = hints
    pages: list[list[str]] = []
    while rest:
        lines = choice_lines([title for title, _ in rest], first)
        take = len(lines)
        if not fits([*lines, last]):
            take = max(1, len(lines) - 1)
            while take > 1 and not fits([*lines[:take], more]):
                take -= 1
        pages.append([*lines[:take], last if take == len(lines) else more])
        rest, first = rest[take:], first + take
    return pages


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


# Curated answers too long for a few SMS segments, and their SMS wording.
SMS_VARIANTS = {
    "utter_emergency": "utter_sms_emergency",  # the numbers without the long labels
    "utter_help": "utter_sms_help",
    "utter_ask_human": "utter_sms_ask_human",
    "utter_bot_challenge": "utter_sms_bot_challenge",
}


def shorten(
    messages: Sequence[Mapping[str, Any]], language: str, catalog: Catalog
) -> list[dict[str, Any]]:
    """SMS wording where it has its own: the short variants of long answers
    (`SMS_VARIANTS`) and one- or two-word category titles (`utter_sms_categories`), so
    that all sixteen choices fit in a few segments."""
    short_text = {
        catalog.text(full, language).strip(): catalog.text(sms, language)
        for full, sms in SMS_VARIANTS.items()
        if full in catalog and sms in catalog
    }
    titles = {b["payload"]: b["title"] for b in catalog.buttons("utter_sms_categories", language)}
    out: list[dict[str, Any]] = []
    for message in messages:
        short = dict(message)
        text = str(message.get("text") or "").strip()
        if text in short_text:
            short["text"] = short_text[text]
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
    replies = _replies(facts)

    def fits(parts: list[str]) -> bool:
        return _fits(parts, language, max_segments, whatsapp)

    buttons = _buttons(messages)
    keep = len(buttons)
    parts, payloads = _parts(messages, keep, hint)
    pages: list[list[str]] = []
    if not fits(parts) and keep > 1:
        # A menu too long for one message: the rest follows on MORE, unless the answer's
        # own replies already give MORE a meaning (then the last choices are left out).
        paged = "more" not in replies
        if paged:
            hint = catalog.text("utter_sms_reply_number_more", language)
        while keep > 1 and not fits(parts):
            keep -= 1
            parts, payloads = _parts(messages, keep, hint)
        if paged:
            pages = _later_pages(
                buttons[keep:],
                keep + 1,
                (hint, catalog.text("utter_sms_reply_number", language)),
                fits,
            )
            payloads.extend(payload for _, payload in buttons[keep:])
    choices = {str(n): payload for n, payload in enumerate(payloads, 1)}
    choices.update(replies)
    return Rendered(
        _pack(parts, language, max_segments, whatsapp),
        choices,
        [body(page, language) for page in pages],
    )
