"""Pick the services for one page of a search, and count all matches.

Reads only the search index (`service_search`, see knowledge.index), and schedule rows
for the rare hour in which a place opens or closes. Statements are built once per
query shape with bound parameters, so a search spends its time in the database, not
in building SQL. Scoring: knowledge.ranking.

Around a place, located services are fetched ring by ring (latitude/longitude boxes on
the index); widening stops once the page is certain, i.e. when the page's lowest score
beats the best score a service beyond the ring could reach. Services without
coordinates (phone/online lines, offices with unknown coordinates: `by_area` rows) are
matched on their areas in SQL and have no distance; only those whose best possible
score (computed in SQL) reaches the page are fetched. One query counts both kinds.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    cast,
    distinct,
    exists,
    false,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import Float, Integer, String, Time

from knowledge import ranking
from knowledge.geo import BoundingBox, bounding_box, distance_km, within_km, within_terms
from knowledge.hours import (
    OPEN,
    PARTLY,
    Hours,
    day_code,
    is_open,
    parse_byday,
    previous_day_code,
    week_slot,
)
from knowledge.models import Schedule, ServiceSearch

AnySelect = Select[*tuple[Any, ...]]

# Radii (km) of the rings a search widens through before the full radius.
RINGS_KM = (1.5, 3.0, 5.0, 8.0, 12.0, 18.0, 25.0, 35.0)
# Slack for the SQL score bound: SQL and Python may round the same sum differently.
_MARGIN = 1e-6

_S = ServiceSearch


@dataclass(frozen=True)
class Shape:
    """The structure of a query's SQL; statements are cached per shape."""

    categories: int  # how many category codes
    language: bool
    eligibility: bool
    open_now: bool


@dataclass(frozen=True)
class Filters:
    """The filter values of a query, already validated and normalised."""

    categories: tuple[str, ...]
    language: str | None
    eligibility: str | None
    open_now: bool
    at_local: dt.datetime

    @property
    def shape(self) -> Shape:
        """What decides the statement's structure (values are bound parameters)."""
        return Shape(
            categories=len(self.categories),
            language=self.language is not None,
            eligibility=self.eligibility is not None,
            open_now=self.open_now,
        )


@dataclass(frozen=True)
class Candidate:
    """A service chosen for the page, at the place that represents it."""

    service_id: str
    sal_id: str | None
    location_id: str | None
    distance_km: float | None
    score: float


def fetch_all(session: Session, stmt: Any, params: dict[str, Any]) -> Sequence[Any]:
    """All rows of a Core statement: on the session's connection (no ORM layer) and in
    one fetchall (row-by-row fetching costs more than the query on big pages).
    """
    return session.connection().execute(stmt, params).all()


# ------------------------------------------------------------------ statements


def _open_exact() -> ColumnElement[bool]:
    """Schedule rows cover :now (same rules as hours.is_open); place hours, else service's."""
    s = Schedule
    now = bindparam("now", type_=Time())
    covers = or_(
        and_(
            s.byday.like(bindparam("today_like", type_=String())),
            or_(
                s.opens_at == s.closes_at,  # only 00:00-00:00 is stored so: all day
                and_(s.closes_at > s.opens_at, s.opens_at <= now, s.closes_at > now),
                and_(s.closes_at < s.opens_at, s.opens_at <= now),
            ),
        ),
        and_(
            s.byday.like(bindparam("yesterday_like", type_=String())),
            s.closes_at < s.opens_at,
            s.closes_at > now,
        ),
    )
    at_place = s.service_at_location_id == _S.service_at_location_id
    return or_(
        exists().where(at_place, covers),
        and_(
            not_(exists().where(at_place)),
            exists().where(s.service_id == _S.service_id, covers),
        ),
    )


def _slot() -> ColumnElement[str]:
    """The week map's character for the query's hour: OPEN, CLOSED, PARTLY or NULL."""
    return func.substr(_S.week_hours, bindparam("slot", type_=Integer()), 1)


def _open_now() -> ColumnElement[bool]:
    """One character of the week map decides; part-open hours ask the schedule rows."""
    slot = _slot()
    return or_(slot == OPEN, and_(slot == PARTLY, _open_exact()))


def _conditions(shape: Shape) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if shape.categories:
        conditions.append(_S.taxonomy_term_id.in_(bindparam("categories", expanding=True)))
    if shape.language:
        conditions.append(or_(_S.languages == "", _S.languages.like(bindparam("language_like"))))
    if shape.eligibility:
        conditions.append(
            or_(_S.eligibility == "", _S.eligibility.like(bindparam("eligibility_like")))
        )
    if shape.open_now:
        conditions.append(_open_now())
    return conditions


def _count_services(shape: Shape) -> Any:
    """COUNT(DISTINCT service_id), with DISTINCT only over rows that can repeat a service.

    A service shows up in several matching rows only if it has several places, or
    several categories when the query names none or more than one.
    """
    repeats = _S.place_count > 1
    if shape.categories != 1:
        repeats = or_(repeats, _S.category_count > 1)
    single = func.count() - func.count(case((repeats, 1)))
    return single + func.count(distinct(case((repeats, _S.service_id))))


def _box(prefix: str) -> ColumnElement[bool]:
    return and_(
        _S.latitude.between(
            bindparam(f"{prefix}min_lat", type_=Float()),
            bindparam(f"{prefix}max_lat", type_=Float()),
        ),
        _S.longitude.between(
            bindparam(f"{prefix}min_lon", type_=Float()),
            bindparam(f"{prefix}max_lon", type_=Float()),
        ),
    )


def _within() -> ColumnElement[bool]:
    """SQL twin of geo.within_km: the same operations in the same order."""
    k = bindparam("k", type_=Float())
    dlon = _S.longitude - bindparam("lon0", type_=Float())
    dlat = _S.latitude - bindparam("lat0", type_=Float())
    return dlon * k * dlon * k + dlat * dlat <= bindparam("r2", type_=Float())


def _area() -> ColumnElement[bool]:
    return or_(_S.areas == "*", _S.areas.like(bindparam("area_like"), escape="\\"))


@lru_cache(maxsize=256)
def candidates_statement(shape: Shape, kind: str) -> AnySelect:
    """Index rows passing the filters, with what scoring needs.

    kind: "ring" (a box), "annulus" (a box minus an inner box), "located" (every
    located row), "by_area" (rows without coordinates serving the area), "all" (no place).
    """
    # Open-now is filtered in SQL; otherwise the hour's character of the week map is
    # returned and part-open hours are settled in Python (see _settle_partly_open).
    stmt = select(
        _S.service_id,
        _S.service_at_location_id,
        _S.location_id,
        _S.latitude,
        _S.longitude,
        _S.rank if shape.categories else null(),
        _S.languages.like(bindparam("language_like")) if shape.language else false(),
        literal(OPEN) if shape.open_now else _slot(),
        _S.verified,
        _S.virtual,
    ).where(*_conditions(shape))
    if kind == "by_area":
        return stmt.where(
            _S.by_area.is_(True),
            _S.latitude.is_(None),
            _area(),
            _best_possible(shape) >= bindparam("threshold", type_=Float()),
        )
    if kind == "all":
        return stmt
    stmt = stmt.where(_S.by_area.is_(False))
    if kind == "located":
        return stmt.where(_S.latitude.is_not(None), _S.longitude.is_not(None))
    stmt = stmt.where(_box(""))
    if kind == "annulus":
        stmt = stmt.where(not_(_box("inner_")))
    return stmt


def _best_possible(shape: Shape) -> ColumnElement[float]:
    """An upper bound of a by_area row's score (ranking.score with proximity from
    ranking.area_score, part-open hours counted as open). Only prunes rows that cannot
    reach the page; Python computes the exact score of the rest.
    """
    weight = ranking.VERIFIED_BONUS
    total: ColumnElement[float] = case(
        (_S.virtual, bindparam("area_virtual", type_=Float())),
        else_=bindparam("area_other", type_=Float()),
    ) + case((_S.verified, weight), else_=0.0)
    if shape.categories:
        total = total + ranking.CATEGORY_WEIGHT / (1.0 + cast(_S.rank, Float()) / 2.0)
    if shape.language:
        matched = _S.languages.like(bindparam("language_like"))
        total = total + case((matched, ranking.LANGUAGE_BONUS), else_=0.0)
    if shape.open_now:
        total = total + ranking.OPEN_BONUS
    else:
        total = total + case((_slot().in_((OPEN, PARTLY)), ranking.OPEN_BONUS), else_=0.0)
    return total


@lru_cache(maxsize=64)
def count_statement(shape: Shape, bounded: bool) -> AnySelect:
    """(services with a place within the radius, services without coordinates serving the area)."""
    located = select(_count_services(shape)).where(_S.by_area.is_(False), *_conditions(shape))
    if bounded:
        located = located.where(_box(""), _within())
    else:
        located = located.where(_S.latitude.is_not(None), _S.longitude.is_not(None))
    by_area = select(_count_services(shape)).where(
        _S.by_area.is_(True), _S.latitude.is_(None), _area(), *_conditions(shape)
    )
    return select(located.scalar_subquery(), by_area.scalar_subquery())


# ------------------------------------------------------------------ parameters


def _like(value: str) -> str:
    """A LIKE pattern for "|value|" anywhere, with wildcards in `value` escaped."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%|{escaped}|%"


def filter_params(filters: Filters) -> dict[str, Any]:
    """Bound values of the filter conditions."""
    params: dict[str, Any] = {}
    if filters.categories:
        params["categories"] = list(filters.categories)
    if filters.language is not None:
        params["language_like"] = f"%|{filters.language}|%"
    if filters.eligibility is not None:
        params["eligibility_like"] = f"%|{filters.eligibility}|%"
    at = filters.at_local
    today = day_code(at.date())
    params.update(
        slot=week_slot(at) + 1,  # SQL substr counts from 1
        today_like=f"%{today}%",
        yesterday_like=f"%{previous_day_code(today)}%",
        now=at.time().replace(tzinfo=None, microsecond=0),
    )
    return params


def _box_params(box: BoundingBox, prefix: str = "") -> dict[str, float]:
    return {
        f"{prefix}min_lat": box.min_lat,
        f"{prefix}max_lat": box.max_lat,
        f"{prefix}min_lon": box.min_lon,
        f"{prefix}max_lon": box.max_lon,
    }


def _area_params(municipality: str | None) -> dict[str, str]:
    # An unknown municipality matches only services that serve everywhere ("*").
    return {"area_like": _like(municipality) if municipality else ""}


# ------------------------------------------------------------------ selection

# Per service while collecting:
# [distance, sal_id, location_id, rank, language match, hour character, verified, virtual]
_Entry = list[Any]


def _collect(
    rows: Iterable[Any],
    found: dict[str, _Entry],
    origin: tuple[float, float] | None,
    max_km: float | None,
) -> set[str]:
    """Merge index rows into one entry per service: nearest place, best category rank.

    Returns the services whose entry was added or changed.
    """
    touched: set[str] = set()
    for sid, sal_id, loc_id, lat, lon, rank, language, opened, verified, virtual in rows:
        d = None
        if origin is not None and lat is not None and lon is not None:
            if max_km is not None and not within_km(origin[0], origin[1], lat, lon, max_km):
                continue
            d = distance_km(origin[0], origin[1], lat, lon)
        entry = found.get(sid)
        if entry is None:
            found[sid] = [
                d,
                sal_id,
                loc_id,
                rank,
                bool(language),
                opened,
                bool(verified),
                bool(virtual),
            ]
            touched.add(sid)
            continue
        if rank is not None and (entry[3] is None or rank < entry[3]):
            entry[3] = rank
            touched.add(sid)
        if (d or 0.0, sal_id or "") < (entry[0] or 0.0, entry[1] or ""):
            entry[0], entry[1], entry[2], entry[5] = d, sal_id, loc_id, opened
            touched.add(sid)
    return touched


_PARTLY_HOURS = union_all(
    select(
        Schedule.service_id,
        Schedule.service_at_location_id,
        Schedule.byday,
        Schedule.opens_at,
        Schedule.closes_at,
    ).where(Schedule.service_at_location_id.in_(bindparam("sal_ids", expanding=True))),
    select(
        Schedule.service_id,
        Schedule.service_at_location_id,
        Schedule.byday,
        Schedule.opens_at,
        Schedule.closes_at,
    ).where(Schedule.service_id.in_(bindparam("ids", expanding=True))),
)


class _OpenNow:
    """Open-now of candidates, settling part-open hours with hours.is_open (as hits do)."""

    def __init__(self, session: Session, at_local: dt.datetime) -> None:
        self.session = session
        self.at_local = at_local
        self.settled: dict[tuple[str | None, str], bool] = {}

    def settle(self, entries: Iterable[tuple[str, _Entry]]) -> None:
        """Look up the schedule rows of part-open places not settled yet, in one query."""
        pending = {
            (entry[1], sid)
            for sid, entry in entries
            if entry[5] == PARTLY and (entry[1], sid) not in self.settled
        }
        if not pending:
            return
        by_place: dict[str, list[Hours]] = {}
        by_service: dict[str, list[Hours]] = {}
        params = {
            "sal_ids": sorted({sal for sal, _ in pending if sal}),
            "ids": sorted({sid for _, sid in pending}),
        }
        for owner, sal_id, byday, opens, closes in fetch_all(self.session, _PARTLY_HOURS, params):
            row = Hours(parse_byday(byday), opens, closes)
            if sal_id is not None:
                by_place.setdefault(sal_id, []).append(row)
            elif owner is not None:
                by_service.setdefault(owner, []).append(row)
        for sal_id, sid in pending:
            hours = by_place.get(sal_id or "") or by_service.get(sid, [])
            self.settled[(sal_id, sid)] = is_open(hours, self.at_local)

    def __call__(self, sid: str, entry: _Entry) -> bool:
        if entry[5] == OPEN:
            return True
        return entry[5] == PARTLY and self.settled[(entry[1], sid)]


def _ranked(
    found: dict[str, _Entry],
    proximity_of: Any,
    open_now: _OpenNow,
    only: Iterable[str] | None = None,
) -> list[tuple[float, str, _Entry]]:
    """(-score, service id, entry) for every entry (or those in `only`), unsorted."""
    items = list(found.items()) if only is None else [(sid, found[sid]) for sid in only]
    open_now.settle(items)
    scored = []
    for sid, entry in items:
        total = ranking.score(
            rank=entry[3],
            proximity=proximity_of(entry),
            language_match=entry[4],
            open_now=open_now(sid, entry),
            verified=entry[6],
        )
        scored.append((-total, sid, entry))
    return scored


def _page(ranked: list[tuple[float, str, _Entry]], offset: int, limit: int) -> list[Candidate]:
    return [
        Candidate(sid, entry[1], entry[2], entry[0], -negative)
        for negative, sid, entry in ranked[offset : offset + limit]
    ]


def near_page(
    session: Session,
    filters: Filters,
    origin: tuple[float, float],
    municipality: str | None,
    max_km: float | None,
    offset: int,
    limit: int,
) -> tuple[list[Candidate], int]:
    """The page around `origin` and the number of all matches."""
    shape = filters.shape
    params = filter_params(filters) | _area_params(municipality)

    def proximity_of(entry: _Entry) -> float:
        if entry[0] is None:
            return ranking.area_score(filters.categories, entry[7])
        return ranking.proximity_score(entry[0])

    lat0, lon0 = origin
    if max_km is None:
        count_params = params
    else:
        k, r2 = within_terms(lat0, max_km)
        count_params = (
            params
            | _box_params(bounding_box(lat0, lon0, max_km))
            | {"k": k, "r2": r2, "lat0": lat0, "lon0": lon0}
        )
    located_total, area_total = (
        session.connection().execute(count_statement(shape, max_km is not None), count_params).one()
    )
    total = int(located_total) + int(area_total)
    need = offset + limit
    if limit == 0 or total == 0:
        return [], total
    open_now = _OpenNow(session, filters.at_local)
    ranked = []
    if located_total:
        ranked = _located_ranked(
            session, shape, params, origin, max_km, need, proximity_of, open_now
        )
    if area_total:
        # Only services without coordinates that could still make the page are fetched.
        threshold = -ranked[need - 1][0] - _MARGIN if len(ranked) >= need else -math.inf
        area_params = params | {
            "threshold": max(threshold, -1e9),
            "area_virtual": ranking.area_score(filters.categories, True),
            "area_other": ranking.area_score(filters.categories, False),
        }
        area_found: dict[str, _Entry] = {}
        stmt = candidates_statement(shape, "by_area")
        _collect(fetch_all(session, stmt, area_params), area_found, None, None)
        ranked += _ranked(area_found, proximity_of, open_now)
        ranked.sort()
    return _page(ranked, offset, limit), total


def _located_ranked(
    session: Session,
    shape: Shape,
    params: dict[str, Any],
    origin: tuple[float, float],
    max_km: float | None,
    need: int,
    proximity_of: Any,
    open_now: _OpenNow,
) -> list[tuple[float, str, _Entry]]:
    """Located candidates, ranked, widening ring by ring until the top `need` are final."""
    lat0, lon0 = origin
    rings: list[float] = [r for r in RINGS_KM if max_km is None or r < max_km]
    rings.append(max_km if max_km is not None else math.inf)
    rest = ranking.best_possible_without_proximity(shape.categories > 0, shape.language)
    found: dict[str, _Entry] = {}
    scores: dict[str, float] = {}  # negated, as sorted
    top: list[tuple[float, str, _Entry]] = []  # the best `need`, best first
    inner: BoundingBox | None = None
    for radius in rings:
        if math.isinf(radius):
            stmt, ring_params, box = candidates_statement(shape, "located"), params, None
        else:
            box = bounding_box(lat0, lon0, radius)
            kind = "ring" if inner is None else "annulus"
            ring_params = params | _box_params(box)
            if inner is not None:
                ring_params |= _box_params(inner, "inner_")
            stmt = candidates_statement(shape, kind)
        touched = _collect(fetch_all(session, stmt, ring_params), found, origin, max_km)
        # Score only what changed. A score usually only rises (a nearer place, a better
        # rank), so the new best are among the old best and the changed; when one of
        # the old best fell (its nearer place is closed), rank everything again.
        rescored = _ranked(found, proximity_of, open_now, touched)
        fell = any(sid in scores and negated > scores[sid] for negated, sid, _ in rescored)
        scores.update((sid, negated) for negated, sid, _ in rescored)
        contenders = found.keys() if fell else {sid for _, sid, _ in top} | touched
        top = heapq.nsmallest(
            need,
            ((scores[sid], sid, found[sid]) for sid in contenders),
            key=lambda item: (item[0], item[1]),
        )
        # Anything not fetched yet lies beyond `radius`, so it scores below
        # `reachable`; once the page's last hit beats that, the page is final.
        reachable = rest + ranking.proximity_score(radius)
        if box is None or (len(top) >= need and -top[need - 1][0] > reachable):
            break
        inner = box
    return top


def anywhere_page(
    session: Session, filters: Filters, offset: int, limit: int
) -> tuple[list[Candidate], int]:
    """Without a place: every matching service, each at its first place."""
    found: dict[str, _Entry] = {}
    params = filter_params(filters)
    _collect(
        fetch_all(session, candidates_statement(filters.shape, "all"), params),
        found,
        None,
        None,
    )

    def proximity_of(_entry: _Entry) -> float:
        return ranking.NO_PLACE_PROXIMITY

    ranked = _ranked(found, proximity_of, _OpenNow(session, filters.at_local))
    ranked.sort()
    return _page(ranked, offset, limit), len(ranked)
