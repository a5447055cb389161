"""How search orders services: one score, higher first, ties broken by service id.

    score = category + proximity + language + open_now + verified

category   3.0 / (1 + rank / 2) for the best-ranked requested category the service has:
           3.0 when it is the service's main category, 2.0 for its second, 1.5 for its
           third; 0 when the query names no category.
proximity  2.0 / (1 + km / 3) for an in-person location: 2.0 on the spot, 1.0 at 3 km,
           0.6 at 7 km, 0.26 at 20 km. A service found through its area rather than a
           distance (phone/online lines, and offices whose coordinates are unknown) gets
           a fixed 0.6, as good as an office 7 km away: a near office comes first, but a
           line beats a long trip. For crisis-type categories (REMOTE_FIRST) a phone or
           online service gets 1.5, as good as an office 1 km away. Without a place
           everyone gets 0.6.
language   1.0 when the staff speak the requested language; 0 when the service lists
           no languages (services listing only other languages are filtered out).
open_now   0.5 when open at the query's moment.
verified   0.3 when a settlement worker has confirmed the record.

Worked examples: a service whose main category matches, 5 km away (3.75), beats one
listing the category second, 0.5 km away (3.71), but not at 10 km (3.46). A service
speaking the requested language 9 km away ties one 1 km away that lists no languages.
"""

from __future__ import annotations

CATEGORY_WEIGHT = 3.0
PROXIMITY_WEIGHT = 2.0
PROXIMITY_HALF_KM = 3.0
REMOTE_PROXIMITY = 0.6
REMOTE_FIRST_PROXIMITY = 1.5
NO_PLACE_PROXIMITY = 0.6
LANGUAGE_BONUS = 1.0
OPEN_BONUS = 0.5
VERIFIED_BONUS = 0.3

# Help people usually want right now and by phone: a line is as good as a near office.
REMOTE_FIRST = frozenset({"emergency", "family_violence", "mental_health"})


def category_score(rank: int | None) -> float:
    """Score of the best matching category rank (0 = main); None when not filtering."""
    if rank is None:
        return 0.0
    return CATEGORY_WEIGHT / (1.0 + rank / 2.0)


def proximity_score(distance_km: float) -> float:
    """Score of an in-person location `distance_km` away."""
    return PROXIMITY_WEIGHT / (1.0 + distance_km / PROXIMITY_HALF_KM)


def area_score(categories: tuple[str, ...], virtual: bool) -> float:
    """Proximity score of a service found through its area, for a query in `categories`."""
    if virtual and REMOTE_FIRST.intersection(categories):
        return REMOTE_FIRST_PROXIMITY
    return REMOTE_PROXIMITY


def score(
    *,
    rank: int | None,
    proximity: float,
    language_match: bool,
    open_now: bool,
    verified: bool,
) -> float:
    """The total score of one candidate."""
    total = category_score(rank) + proximity
    if language_match:
        total += LANGUAGE_BONUS
    if open_now:
        total += OPEN_BONUS
    if verified:
        total += VERIFIED_BONUS
    return total


def best_possible_without_proximity(has_categories: bool, has_language: bool) -> float:
    """An upper bound on every term but proximity, for stopping a widening search early."""
    bound = OPEN_BONUS + VERIFIED_BONUS
    if has_categories:
        bound += category_score(0)
    if has_language:
        bound += LANGUAGE_BONUS
    return bound
