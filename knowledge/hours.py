"""Opening hours: is a place open at a moment, and what are its hours on a day.

Times are wall-clock times in America/Vancouver. An interval whose closing time is not
after its opening time runs past midnight into the next day; 00:00-00:00 is all day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from knowledge.models import DEFAULT_TIMEZONE

TIMEZONE = ZoneInfo(DEFAULT_TIMEZONE)
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MIDNIGHT = dt.time(0, 0)


@dataclass(frozen=True)
class Hours:
    """One schedule row: the days it applies to and one opening interval."""

    days: frozenset[str]
    opens: dt.time
    closes: dt.time

    @property
    def all_day(self) -> bool:
        return self.opens == self.closes == MIDNIGHT

    @property
    def overnight(self) -> bool:
        """Closes after midnight (includes closing at 24:00, stored as 00:00)."""
        return self.closes < self.opens


def parse_byday(byday: str) -> frozenset[str]:
    """ "MO,TU" -> {"MO", "TU"}."""
    return frozenset(d.strip().upper() for d in byday.split(",") if d.strip())


def local_time(at: dt.datetime | None = None) -> dt.datetime:
    """`at` as an aware Vancouver time: now when None, naive values taken as Vancouver time."""
    if at is None:
        return dt.datetime.now(TIMEZONE)
    if at.tzinfo is None:
        return at.replace(tzinfo=TIMEZONE)
    return at.astimezone(TIMEZONE)


def day_code(day: dt.date) -> str:
    """The iCalendar day code of a date: MO ... SU."""
    return DAY_CODES[day.weekday()]


def previous_day_code(code: str) -> str:
    """The day before: MO -> SU."""
    return DAY_CODES[(DAY_CODES.index(code) - 1) % 7]


def is_open(hours: Iterable[Hours], at_local: dt.datetime) -> bool:
    """Whether any interval covers the local moment `at_local`."""
    today = day_code(at_local.date())
    yesterday = previous_day_code(today)
    now = at_local.time().replace(tzinfo=None)
    for h in hours:
        if today in h.days:
            if h.all_day or (h.overnight and h.opens <= now):
                return True
            if h.opens <= now < h.closes:
                return True
        if yesterday in h.days and h.overnight and now < h.closes:
            return True
    return False


def format_time(value: dt.time) -> str:
    """ "HH:MM"."""
    return f"{value.hour:02d}:{value.minute:02d}"


def _interval(h: Hours) -> tuple[str, str]:
    closes = "24:00" if h.closes == MIDNIGHT else format_time(h.closes)
    return format_time(h.opens), closes


def hours_on(hours: Iterable[Hours], code: str) -> tuple[tuple[str, str], ...]:
    """The intervals that open on day `code`, in order; () when closed that day."""
    return tuple(sorted({_interval(h) for h in hours if code in h.days}))


def weekly(hours: Iterable[Hours]) -> tuple[tuple[str, str, str], ...]:
    """(day code, opens, closes) for the whole week, Monday first."""
    rows = {(code, *_interval(h)) for h in hours for code in h.days if code in DAY_CODES}
    return tuple(sorted(rows, key=lambda r: (DAY_CODES.index(r[0]), r[1], r[2])))


# ------------------------------------------------------------ hour-of-week map for search

HOURS_PER_WEEK = 7 * 24
OPEN, CLOSED, PARTLY = "1", "0", "~"


def week_slot(at_local: dt.datetime) -> int:
    """Index of the hour of the week (Monday 00:00 = 0) that `at_local` falls in."""
    return at_local.weekday() * 24 + at_local.hour


def week_map(hours: Iterable[Hours]) -> str | None:
    """168 characters, one per hour of the week: OPEN, CLOSED or PARTLY open.

    Lets SQL answer "open now?" from one character for whole hours; PARTLY hours are
    checked against the schedule rows. None when there are no hours (unknown).
    """
    minutes = bytearray(HOURS_PER_WEEK * 60)
    week = len(minutes)
    seen = False
    for h in hours:
        for code in h.days:
            if code not in DAY_CODES:
                continue
            seen = True
            start = DAY_CODES.index(code) * 1440 + h.opens.hour * 60 + h.opens.minute
            end = DAY_CODES.index(code) * 1440 + h.closes.hour * 60 + h.closes.minute
            if h.all_day or h.overnight:
                end += 1440
            # Sunday night runs into Monday morning: wrap around the week.
            head = min(end, week)
            minutes[start:head] = b"\x01" * (head - start)
            if end > week:
                minutes[0 : end - week] = b"\x01" * (end - week)
    if not seen:
        return None
    slots = []
    for slot in range(HOURS_PER_WEEK):
        covered = minutes.count(1, slot * 60, slot * 60 + 60)
        slots.append(OPEN if covered == 60 else CLOSED if covered == 0 else PARTLY)
    return "".join(slots)
