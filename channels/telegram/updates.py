"""What we keep of a Telegram update: only what its answer needs.

An update (webhook body or `getUpdates` item, both as JSON dicts) becomes a stored
payload: the kind of message, its text or a button's data, a location rounded to three
decimals (≈ 100 m: enough to find services nearby, no more), the user's `language_code`
and a callback query's id. Names, usernames, phone numbers and the rest are dropped here.
Updates we do not answer (edits, channel posts, groups) give None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

TEXT, COMMAND, CALLBACK, LOCATION, NOT_TEXT = "text", "command", "callback", "location", "not_text"
COMMANDS = ("start", "language", "help", "location")
# "/start", "/help@NavigatorBot", "/start fr" (a deep link's parameter is ignored).
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s.*)?$", re.DOTALL)
# Message parts that are content but not text: answered with "text and locations only".
_NOT_TEXT = (
    "photo",
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "document",
    "animation",
    "contact",
    "poll",
    "dice",
    "venue",
)


class BadUpdate(ValueError):
    """The body is not a Telegram update."""


@dataclass(frozen=True)
class Incoming:
    update_id: int
    chat_id: int
    payload: dict[str, Any]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _language_code(sender: Any) -> str | None:
    code = sender.get("language_code") if isinstance(sender, dict) else None
    return code[:16] if isinstance(code, str) and code else None


def _private_chat(message: Any) -> int | None:
    if not isinstance(message, dict):
        return None
    chat = message.get("chat")
    if not isinstance(chat, dict) or chat.get("type") != "private":
        return None  # groups and channels: answering there would show a newcomer's
        # questions to everyone in it
    return _int(chat.get("id"))


def _message_payload(message: dict[str, Any]) -> dict[str, Any]:
    text = message.get("text")
    if isinstance(text, str):
        command = _COMMAND.match(text.strip())
        if command:
            name = command.group(1).lower()
            return {"kind": COMMAND, "command": name if name in COMMANDS else "help"}
        return {"kind": TEXT, "text": text}
    location = message.get("location")
    if isinstance(location, dict):
        lat, lon = location.get("latitude"), location.get("longitude")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            return {"kind": LOCATION, "location": f"{round(lat, 3):.3f},{round(lon, 3):.3f}"}
    caption = message.get("caption")
    if isinstance(caption, str) and caption.strip():
        return {"kind": TEXT, "text": caption}  # a photo of a letter with a question
    return {"kind": NOT_TEXT}


def parse_update(data: Any) -> Incoming | None:
    """The update's payload to store; None when there is nothing to answer.

    Raises BadUpdate when `data` has no integer `update_id`."""
    if not isinstance(data, dict) or _int(data.get("update_id")) is None:
        raise BadUpdate("no update_id")
    update_id = int(data["update_id"])
    message = data.get("message")
    if isinstance(message, dict):
        chat_id = _private_chat(message)
        if chat_id is None:
            return None
        payload = _message_payload(message)
        hint = _language_code(message.get("from"))
    else:
        query = data.get("callback_query")
        if not isinstance(query, dict) or not isinstance(query.get("id"), str):
            return None
        chat_id = _private_chat(query.get("message"))
        if chat_id is None:
            return None
        callback_data = query.get("data")
        payload = {
            "kind": CALLBACK,
            "callback_id": query["id"][:64],
            "data": callback_data[:64] if isinstance(callback_data, str) else "",
        }
        hint = _language_code(query.get("from"))
    if hint:
        payload["language_code"] = hint
    return Incoming(update_id, chat_id, payload)
