"""SQLAlchemy models of the service directory, named after Open Referral HSDS 3.0.

Ids are stable string slugs taken from the seed files (or derived from them), so a
reload updates rows in place. `translation` holds per-language texts for any entity.
The indexes serve `knowledge.search`: category, language and eligibility look-ups
by code, and a latitude/longitude box on locations.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

FEES = ("free", "low_cost", "fee", "unknown")
COORDINATE_SOURCES = ("published", "postal_code")
TRANSLATION_SOURCES = ("human", "machine")
DEFAULT_TIMEZONE = "America/Vancouver"

# Explicit names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _sparse_index(table: str, column: str) -> Index:
    """An index on a mostly-NULL foreign key, over its non-NULL rows only.

    A plain index would let ANALYZE statistics (every NULL counted as one value) talk
    SQLite out of using it; the partial index stays small and always looks selective.
    """
    condition = text(f"{column} IS NOT NULL")
    return Index(f"ix_{table}_{column}", column, sqlite_where=condition, postgresql_where=condition)


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a CHECK that `column` is one of `values` (fixed codes, no user input)."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    """Declarative base holding the directory's metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Organization(Base):
    """An organisation that provides services."""

    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(300))
    # Name of the seed folder the record came from: a reload of that folder replaces it.
    dataset: Mapped[str | None] = mapped_column(String(120), index=True)

    services: Mapped[list[Service]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True
    )


class Service(Base):
    """A service offered by an organisation, in person, by phone or online."""

    __tablename__ = "service"
    __table_args__ = (
        CheckConstraint(_in("fees", FEES), name="fees"),
        Index("ix_service_organization", "organization_id"),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="active")
    fees: Mapped[str] = mapped_column(String(20), default="unknown")
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    virtual: Mapped[bool] = mapped_column(Boolean, default=False)
    source_url: Mapped[str | None] = mapped_column(String(500))
    last_verified: Mapped[dt.date | None] = mapped_column(Date)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)

    organization: Mapped[Organization] = relationship(back_populates="services")


class Location(Base):
    """A place where services are delivered; coordinates may come from the postal code."""

    __tablename__ = "location"
    __table_args__ = (
        CheckConstraint(
            f"coordinates_source IS NULL OR {_in('coordinates_source', COORDINATE_SOURCES)}",
            name="coordinates_source",
        ),
        Index("ix_location_lat_lon", "latitude", "longitude"),
        Index("ix_location_organization", "organization_id"),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_type: Mapped[str] = mapped_column(String(20), default="physical")
    coordinates_source: Mapped[str | None] = mapped_column(String(20))

    organization: Mapped[Organization] = relationship(back_populates="locations")


class ServiceAtLocation(Base):
    """Links a service to a location where it is offered."""

    __tablename__ = "service_at_location"
    __table_args__ = (
        UniqueConstraint("service_id", "location_id"),
        Index("ix_service_at_location_location", "location_id", "service_id"),
    )

    id: Mapped[str] = mapped_column(String(250), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))


class Address(Base):
    """The street address of a location."""

    __tablename__ = "address"

    id: Mapped[str] = mapped_column(String(250), primary_key=True)
    location_id: Mapped[str] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    address_1: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    state_province: Mapped[str | None] = mapped_column(String(60))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="CA")
    address_type: Mapped[str] = mapped_column(String(20), default="physical")


class Phone(Base):
    """A phone number of a service or of a location."""

    __tablename__ = "phone"
    __table_args__ = (
        _sparse_index("phone", "service_id"),
        _sparse_index("phone", "location_id"),
    )

    id: Mapped[str] = mapped_column(String(250), primary_key=True)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(String(300))


class Schedule(Base):
    """Weekly opening hours of a service at a location (or of a phone/online service).

    `closes_at` earlier than or equal to `opens_at` means the hours end the next day;
    both at 00:00 means open all day.
    """

    __tablename__ = "schedule"
    __table_args__ = (
        _sparse_index("schedule", "service_id"),
        _sparse_index("schedule", "service_at_location_id"),
    )

    id: Mapped[str] = mapped_column(String(250), primary_key=True)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    service_at_location_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_at_location.id", ondelete="CASCADE")
    )
    byday: Mapped[str] = mapped_column(String(40))
    opens_at: Mapped[dt.time] = mapped_column(Time)
    closes_at: Mapped[dt.time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(60), default=DEFAULT_TIMEZONE)


class Language(Base):
    """A language spoken by a service's staff, or on one of its phone lines."""

    __tablename__ = "language"
    __table_args__ = (
        Index("ix_language_code_service", "code", "service_id"),
        Index("ix_language_service_code", "service_id", "code"),
        _sparse_index("language", "location_id"),
        _sparse_index("language", "phone_id"),
    )

    id: Mapped[str] = mapped_column(String(250), primary_key=True)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    phone_id: Mapped[str | None] = mapped_column(ForeignKey("phone.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(12))


class ServiceArea(Base):
    """A municipality or region a phone or online service serves."""

    __tablename__ = "service_area"

    id: Mapped[str] = mapped_column(String(250), primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120), index=True)


class TaxonomyTerm(Base):
    """A category; the id is the category code from `knowledge.categories`."""

    __tablename__ = "taxonomy_term"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    taxonomy: Mapped[str] = mapped_column(String(60), default="newcomer-navigator")


class ServiceTaxonomy(Base):
    """A service's category; rank 0 is its main category."""

    __tablename__ = "service_taxonomy"
    __table_args__ = (
        # Covering index: category look-ups never touch the table itself.
        Index("ix_service_taxonomy_term", "taxonomy_term_id", "service_id", "rank"),
    )

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    taxonomy_term_id: Mapped[str] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(Integer, default=0)


class Eligibility(Base):
    """An immigration status a service is restricted to; none means everyone."""

    __tablename__ = "eligibility"
    __table_args__ = (Index("ix_eligibility_code_service", "code", "service_id"),)

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(40), primary_key=True)


class Translation(Base):
    """A text field of an entity in one language, written by a person or a machine."""

    __tablename__ = "translation"
    __table_args__ = (
        UniqueConstraint("entity_type", "entity_id", "field", "language"),
        CheckConstraint(_in("source", TRANSLATION_SOURCES), name="source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(250))
    field: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(10), default="human")
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)


# Columns of service_search a search reads, in index order: box first, then filters.
_SEARCH_COLUMNS = (
    "latitude",
    "longitude",
    "by_area",
    "virtual",
    "place_count",
    "category_count",
    "languages",
    "eligibility",
    "areas",
    "verified",
    "rank",
    "service_id",
    "service_at_location_id",
    "location_id",
    "week_hours",
)


# What the count of located matches reads (the hours only when filtering on them).
_COUNT_COLUMNS = (
    "latitude",
    "longitude",
    "by_area",
    "place_count",
    "category_count",
    "languages",
    "eligibility",
    "service_id",
)


class ServiceSearch(Base):
    """Search index derived from the tables above (not HSDS): one row per service,
    category and place, with every filter input inlined. Its covering indexes let a
    search count thousands of matches from one index, without touching other tables.
    Rebuilt by `knowledge.index`.
    """

    __tablename__ = "service_search"
    __table_args__ = (
        # Covering (every column a search reads): category + box searches.
        Index("ix_service_search_term_lat_lon", "taxonomy_term_id", *_SEARCH_COLUMNS),
        # Counting reads fewer columns; a narrower index means fewer pages to scan.
        Index("ix_service_search_term_count", "taxonomy_term_id", *_COUNT_COLUMNS),
        # The same for searches without a category.
        Index("ix_service_search_lat_lon", *_SEARCH_COLUMNS),
        _sparse_index("service_search", "service_at_location_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    service_at_location_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_at_location.id", ondelete="CASCADE")
    )
    location_id: Mapped[str | None] = mapped_column(String(120))
    taxonomy_term_id: Mapped[str | None] = mapped_column(String(60))
    rank: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # No place with coordinates: found through `areas` (no distance) instead of by box.
    by_area: Mapped[bool] = mapped_column(Boolean, default=False)
    virtual: Mapped[bool] = mapped_column(Boolean, default=False)
    # How many rows a service has per category / categories it has: when both are 1 for
    # the rows a query can match, counting needs no DISTINCT (which is slow).
    place_count: Mapped[int] = mapped_column(Integer, default=1)
    category_count: Mapped[int] = mapped_column(Integer, default=1)
    # "|en|zh|" and "|refugee_claimant|"; "" = no languages listed / serves everyone.
    languages: Mapped[str] = mapped_column(String(400), default="")
    eligibility: Mapped[str] = mapped_column(String(200), default="")
    # Municipalities a by_area service serves, "|Burnaby|Surrey|"; "*" = everywhere.
    areas: Mapped[str] = mapped_column(Text, default="*")
    # Copied from service so ranking reads no other table.
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    # knowledge.hours.week_map of the place's hours; NULL = hours unknown.
    week_hours: Mapped[str | None] = mapped_column(String(168))
