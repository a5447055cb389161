"""What a search returns: hits as the bot shows them, and the page with its total."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceHit:
    """One service as the bot shows it, at its nearest (or first) location."""

    id: str
    name: str
    organization_name: str
    categories: tuple[str, ...]  # main category first
    description: str
    description_language: str
    phones: tuple[str, ...]
    address: str | None  # "street, city"
    location_name: str | None
    distance_km: float | None  # None for phone/online services and without a place
    hours_today: tuple[tuple[str, str], ...] | None  # None unknown, () closed today
    open_now: bool | None  # None when the hours are unknown
    languages: tuple[str, ...]
    url: str | None
    eligibility: tuple[str, ...]
    fees: str
    virtual: bool
    verified: bool
    score: float
    schedule: tuple[tuple[str, str, str], ...] = ()  # (day code, opens, closes), Monday first


@dataclass(frozen=True)
class SearchResult:
    """A page of hits and the number of all matching services."""

    hits: tuple[ServiceHit, ...]
    total: int
