"""Time `search_services` on synthetic services: python -m knowledge.benchmark --services N.

Developer tool. Fills a database (a temporary SQLite file unless --url is given) with
N synthetic services, then runs a fixed, seeded mix of the searches the bot makes
and prints latency percentiles in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text

from knowledge.categories import CATEGORY_CODES, ELIGIBILITY_CODES
from knowledge.db import Database
from knowledge.hours import TIMEZONE
from knowledge.models import Service
from knowledge.places import Place, named_places, resolve_place
from knowledge.search import ServiceQuery, search_services
from knowledge.synthetic import generate_services


def queries(count: int, seed: int) -> list[ServiceQuery]:
    """A seeded mix: one category near a place; some with language, status, open now."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    places: list[Place] = []
    for named in named_places():
        found = resolve_place(named.name)
        if found is not None:
            places.append(found)
    result = []
    for _ in range(count):
        day = dt.date(2026, 11, 23) + dt.timedelta(days=rng.randrange(7))
        at = dt.datetime.combine(day, dt.time(rng.randrange(7, 22), rng.randrange(60)), TIMEZONE)
        result.append(
            ServiceQuery(
                categories=(rng.choice(CATEGORY_CODES),),
                near=rng.choice(places),
                language=rng.choice((None, None, None, "zh", "pa", "fa", "ar", "es")),
                eligibility=rng.choice((None, None, None, *ELIGIBILITY_CODES[:2])),
                open_now=rng.random() < 0.2,
                at=at,
            )
        )
    return result


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(url: str, services: int, count: int, seed: int) -> dict[str, float]:
    """Fill the database up to `services`, then time `count` searches."""
    database = Database(url)
    try:
        database.migrate()
        with database.session() as session:
            have = session.execute(select(func.count(Service.id))).scalar_one()
            if have < services:
                generate_services(session, services - have, seed=seed + have)
        if database.engine.dialect.name == "postgresql":
            with database.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        timings: list[float] = []
        cpu: list[float] = []
        mix = queries(count + 20, seed)
        with database.session() as session:
            for i, query in enumerate(mix):
                start, start_cpu = time.perf_counter(), time.process_time()
                search_services(session, query)
                if i >= 20:  # the first searches warm caches
                    timings.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
    finally:
        database.dispose()
    # CPU time as well: on a shared machine it varies less than wall-clock time.
    return {
        "p50": percentile(timings, 0.50),
        "p95": percentile(timings, 0.95),
        "max": max(timings),
        "mean": statistics.fmean(timings),
        "cpu_p50": percentile(cpu, 0.50),
        "cpu_p95": percentile(cpu, 0.95),
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'benchmark.db'}"
        result = run(url, args.services, args.queries, args.seed)
    summary = " ".join(f"{key}={value:.2f}ms" for key, value in result.items())
    print(f"services={args.services} queries={args.queries} {summary}")


if __name__ == "__main__":
    main()
