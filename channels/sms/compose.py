"""One SMS body from an answer's parts: the single rule shared by the action server (which
fits a page of services into the segment budget) and the gateway (which sends it), so
that what the action counted is exactly what the phone receives."""

from __future__ import annotations

from collections.abc import Sequence

from bot.languages import direction
from channels.render import isolate_ltr_runs
from channels.sms import segments


def choice_lines(titles: Sequence[str], first: int = 1) -> list[str]:
    """Buttons as numbered lines: the user answers with the number."""
    return [f"{n}. {title}" for n, title in enumerate(titles, first)]


# Typography outside GSM-7 with a plain look-alike inside it (Twilio's "smart encoding"
# does the same): one en dash in an English answer would otherwise cost 70-character
# segments instead of 160.
_PLAIN = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‐": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def plain_typography(text: str) -> str:
    """The text with plain dashes and quotes when that makes it GSM-7; else unchanged
    (a text that is UCS-2 anyway keeps its own punctuation)."""
    plain = text.translate(_PLAIN)
    return plain if segments.encoding(plain) == segments.GSM7 else text


def body(parts: Sequence[str], language: str) -> str:
    """Parts on their own lines; in right-to-left text each run of digits between
    left-to-right marks (per part, so that a run never spans two lines)."""
    rtl = direction(language) == "rtl"
    kept = [p.strip() for p in parts if p and p.strip()]
    return plain_typography("\n".join(isolate_ltr_runs(p) if rtl else p for p in kept))


def segment_count(parts: Sequence[str], language: str) -> int:
    return segments.count(body(parts, language)).count
