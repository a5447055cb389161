"""How many SMS segments a text costs (GSM 03.38 / 3GPP TS 23.038).

A text made only of the GSM-7 alphabet costs 160 characters in one segment, 153 per
segment once split (the rest of each carries the concatenation header); the extension
table's characters (``^{}\\[~]|€`` and form feed) take two. One character outside it —
any Arabic, Punjabi or Chinese letter, an emoji, a curly quote, a ``ç``, a left-to-right
mark — turns the whole text into UCS-2: 70 UTF-16 units, 67 once split. Carriers never
split an escape pair or a surrogate pair across segments, so segments are filled greedily.

Pure standard library: the action server imports it too, to fit a page of services into
the budget before the gateway sends it.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7, UCS2 = "GSM-7", "UCS-2"

_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

_LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


# Twilio advises at most 320 characters; three segments is the default budget of a reply.
DEFAULT_SMS_SEGMENTS = 3


@dataclass(frozen=True)
class Segments:
    encoding: str  # GSM-7 or UCS-2
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int  # segments billed; 0 for an empty text


def encoding(text: str) -> str:
    ok = _GSM7_BASIC | _GSM7_EXTENSION
    return GSM7 if all(ch in ok for ch in text) else UCS2


def _unit_sizes(text: str, enc: str) -> list[int]:
    if enc == GSM7:
        return [2 if ch in _GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def count(text: str) -> Segments:
    enc = encoding(text)
    sizes = _unit_sizes(text, enc)
    units = sum(sizes)
    single, split = _LIMITS[enc]
    if units == 0:
        return Segments(enc, 0, 0)
    if units <= single:
        return Segments(enc, units, 1)
    segments, used = 1, 0
    for size in sizes:  # an escape or surrogate pair never straddles two segments
        if used + size > split:
            segments, used = segments + 1, 0
        used += size
    return Segments(enc, units, segments)


def fits(text: str, max_segments: int) -> bool:
    return count(text).count <= max_segments
