"""Keyed pseudonyms: raw chat ids and phone numbers never leave the channel layer."""

from __future__ import annotations

import hashlib
import hmac


class Pseudonymizer:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the pseudonym key must be at least 16 bytes")
        self._key = key

    def __call__(self, channel: str, raw_id: str) -> str:
        digest = hmac.new(self._key, f"{channel}\x00{raw_id}".encode(), hashlib.sha256)
        return f"{channel}-{digest.hexdigest()[:32]}"
