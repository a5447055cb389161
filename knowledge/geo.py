"""Distances on the Earth's surface and the boxes that pre-filter them in SQL."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180.0


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b_lon - a_lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class BoundingBox:
    """A latitude/longitude box that contains a circle of `radius_km` around a point."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def contains(self, lat: float, lon: float) -> bool:
        """True when the point lies in the box (edges included)."""
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon


def bounding_box(lat: float, lon: float, radius_km: float) -> BoundingBox:
    """The smallest lat/lon box holding every point within `radius_km` (poles excepted)."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    # Longitude degrees shrink with latitude; size the box on its poleward edge so it
    # always contains the circle.
    poleward = min(89.0, abs(lat) + dlat)
    dlon = radius_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(poleward)))
    return BoundingBox(lat - dlat, lat + dlat, lon - dlon, lon + dlon)


def within_terms(lat0: float, radius_km: float) -> tuple[float, float]:
    """(k, r2) of the flat-Earth test: longitude scale at `lat0`, squared radius in degrees."""
    r = radius_km / KM_PER_DEGREE_LAT
    return math.cos(math.radians(lat0)), r * r


def within_km(lat0: float, lon0: float, lat: float, lon: float, radius_km: float) -> bool:
    """Whether (lat, lon) lies within `radius_km` of (lat0, lon0), by a flat-Earth formula.

    `knowledge.search` runs exactly this arithmetic (same operations, same order) in
    SQL, so the rows SQL counts and the rows Python keeps agree to the last bit. Within
    100 km it differs from the haversine distance by far less than the coordinates'
    own accuracy.
    """
    k, r2 = within_terms(lat0, radius_km)
    dlon = lon - lon0
    dlat = lat - lat0
    return dlon * k * dlon * k + dlat * dlat <= r2
