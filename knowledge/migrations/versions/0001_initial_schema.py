"""Initial schema: the HSDS tables, translation, and the search index with its indexes.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 01:44:32.798148
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "organization",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("dataset", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_dataset"), ["dataset"], unique=False)

    op.create_table(
        "taxonomy_term",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("taxonomy", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy_term")),
    )
    op.create_table(
        "translation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=250), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.CheckConstraint("source IN ('human', 'machine')", name=op.f("ck_translation_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translation")),
        sa.UniqueConstraint(
            "entity_type",
            "entity_id",
            "field",
            "language",
            name=op.f("uq_translation_entity_type_entity_id_field_language"),
        ),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("organization_id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("location_type", sa.String(length=20), nullable=False),
        sa.Column("coordinates_source", sa.String(length=20), nullable=True),
        sa.CheckConstraint(
            "coordinates_source IS NULL OR coordinates_source IN ('published', 'postal_code')",
            name=op.f("ck_location_coordinates_source"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_location_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index("ix_location_lat_lon", ["latitude", "longitude"], unique=False)
        batch_op.create_index("ix_location_organization", ["organization_id"], unique=False)

    op.create_table(
        "service",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("organization_id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fees", sa.String(length=20), nullable=False),
        sa.Column("eligibility_description", sa.Text(), nullable=True),
        sa.Column("virtual", sa.Boolean(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "fees IN ('free', 'low_cost', 'fee', 'unknown')", name=op.f("ck_service_fees")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_service_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service")),
    )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.create_index("ix_service_organization", ["organization_id"], unique=False)

    op.create_table(
        "address",
        sa.Column("id", sa.String(length=250), nullable=False),
        sa.Column("location_id", sa.String(length=120), nullable=False),
        sa.Column("address_1", sa.String(length=300), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("state_province", sa.String(length=60), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address_type", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_address_location_id_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address")),
    )
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_address_location_id"), ["location_id"], unique=False)

    op.create_table(
        "eligibility",
        sa.Column("service_id", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_eligibility_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "code", name=op.f("pk_eligibility")),
    )
    with op.batch_alter_table("eligibility", schema=None) as batch_op:
        batch_op.create_index("ix_eligibility_code_service", ["code", "service_id"], unique=False)

    op.create_table(
        "phone",
        sa.Column("id", sa.String(length=250), nullable=False),
        sa.Column("service_id", sa.String(length=120), nullable=True),
        sa.Column("location_id", sa.String(length=120), nullable=True),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_phone_location_id_location"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_phone_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone")),
    )
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.create_index(
            "ix_phone_location_id",
            ["location_id"],
            unique=False,
            sqlite_where=sa.text("location_id IS NOT NULL"),
            postgresql_where=sa.text("location_id IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_phone_service_id",
            ["service_id"],
            unique=False,
            sqlite_where=sa.text("service_id IS NOT NULL"),
            postgresql_where=sa.text("service_id IS NOT NULL"),
        )

    op.create_table(
        "service_area",
        sa.Column("id", sa.String(length=250), nullable=False),
        sa.Column("service_id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_area_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_area")),
    )
    with op.batch_alter_table("service_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_area_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_service_area_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "service_at_location",
        sa.Column("id", sa.String(length=250), nullable=False),
        sa.Column("service_id", sa.String(length=120), nullable=False),
        sa.Column("location_id", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_service_at_location_location_id_location"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_at_location_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_at_location")),
        sa.UniqueConstraint(
            "service_id", "location_id", name=op.f("uq_service_at_location_service_id_location_id")
        ),
    )
    with op.batch_alter_table("service_at_location", schema=None) as batch_op:
        batch_op.create_index(
            "ix_service_at_location_location", ["location_id", "service_id"], unique=False
        )

    op.create_table(
        "service_taxonomy",
        sa.Column("service_id", sa.String(length=120), nullable=False),
        sa.Column("taxonomy_term_id", sa.String(length=60), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_taxonomy_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["taxonomy_term_id"],
            ["taxonomy_term.id"],
            name=op.f("fk_service_taxonomy_taxonomy_term_id_taxonomy_term"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "taxonomy_term_id", name=op.f("pk_service_taxonomy")),
    )
    with op.batch_alter_table("service_taxonomy", schema=None) as batch_op:
        batch_op.create_index(
            "ix_service_taxonomy_term", ["taxonomy_term_id", "service_id", "rank"], unique=False
        )

    op.create_table(
        "language",
        sa.Column("id", sa.String(length=250), nullable=False),
        sa.Column("service_id", sa.String(length=120), nullable=True),
        sa.Column("location_id", sa.String(length=120), nullable=True),
        sa.Column("phone_id", sa.String(length=250), nullable=True),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_language_location_id_location"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["phone_id"], ["phone.id"], name=op.f("fk_language_phone_id_phone"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_language_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_language")),
    )
    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.create_index("ix_language_code_service", ["code", "service_id"], unique=False)
        batch_op.create_index(
            "ix_language_location_id",
            ["location_id"],
            unique=False,
            sqlite_where=sa.text("location_id IS NOT NULL"),
            postgresql_where=sa.text("location_id IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_language_phone_id",
            ["phone_id"],
            unique=False,
            sqlite_where=sa.text("phone_id IS NOT NULL"),
            postgresql_where=sa.text("phone_id IS NOT NULL"),
        )
        batch_op.create_index("ix_language_service_code", ["service_id", "code"], unique=False)

    op.create_table(
        "schedule",
        sa.Column("id", sa.String(length=250), nullable=False),
        sa.Column("service_id", sa.String(length=120), nullable=True),
        sa.Column("service_at_location_id", sa.String(length=250), nullable=True),
        sa.Column("byday", sa.String(length=40), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=False),
        sa.Column("closes_at", sa.Time(), nullable=False),
        sa.Column("timezone", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"],
            ["service_at_location.id"],
            name=op.f("fk_schedule_service_at_location_id_service_at_location"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_schedule_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule")),
    )
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.create_index(
            "ix_schedule_service_at_location_id",
            ["service_at_location_id"],
            unique=False,
            sqlite_where=sa.text("service_at_location_id IS NOT NULL"),
            postgresql_where=sa.text("service_at_location_id IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_schedule_service_id",
            ["service_id"],
            unique=False,
            sqlite_where=sa.text("service_id IS NOT NULL"),
            postgresql_where=sa.text("service_id IS NOT NULL"),
        )

    op.create_table(
        "service_search",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service_id", sa.String(length=120), nullable=False),
        sa.Column("service_at_location_id", sa.String(length=250), nullable=True),
        sa.Column("location_id", sa.String(length=120), nullable=True),
        sa.Column("taxonomy_term_id", sa.String(length=60), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("by_area", sa.Boolean(), nullable=False),
        sa.Column("virtual", sa.Boolean(), nullable=False),
        sa.Column("place_count", sa.Integer(), nullable=False),
        sa.Column("category_count", sa.Integer(), nullable=False),
        sa.Column("languages", sa.String(length=400), nullable=False),
        sa.Column("eligibility", sa.String(length=200), nullable=False),
        sa.Column("areas", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("week_hours", sa.String(length=168), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"],
            ["service_at_location.id"],
            name=op.f("fk_service_search_service_at_location_id_service_at_location"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name=op.f("fk_service_search_service_id_service"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_search")),
    )
    with op.batch_alter_table("service_search", schema=None) as batch_op:
        batch_op.create_index(
            "ix_service_search_lat_lon",
            [
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
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_service_search_service_at_location_id",
            ["service_at_location_id"],
            unique=False,
            sqlite_where=sa.text("service_at_location_id IS NOT NULL"),
            postgresql_where=sa.text("service_at_location_id IS NOT NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_service_search_service_id"), ["service_id"], unique=False
        )
        batch_op.create_index(
            "ix_service_search_term_count",
            [
                "taxonomy_term_id",
                "latitude",
                "longitude",
                "by_area",
                "place_count",
                "category_count",
                "languages",
                "eligibility",
                "service_id",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_service_search_term_lat_lon",
            [
                "taxonomy_term_id",
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
            ],
            unique=False,
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("service_search", schema=None) as batch_op:
        batch_op.drop_index("ix_service_search_term_lat_lon")
        batch_op.drop_index("ix_service_search_term_count")
        batch_op.drop_index(batch_op.f("ix_service_search_service_id"))
        batch_op.drop_index(
            "ix_service_search_service_at_location_id",
            sqlite_where=sa.text("service_at_location_id IS NOT NULL"),
            postgresql_where=sa.text("service_at_location_id IS NOT NULL"),
        )
        batch_op.drop_index("ix_service_search_lat_lon")

    op.drop_table("service_search")
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_schedule_service_id",
            sqlite_where=sa.text("service_id IS NOT NULL"),
            postgresql_where=sa.text("service_id IS NOT NULL"),
        )
        batch_op.drop_index(
            "ix_schedule_service_at_location_id",
            sqlite_where=sa.text("service_at_location_id IS NOT NULL"),
            postgresql_where=sa.text("service_at_location_id IS NOT NULL"),
        )

    op.drop_table("schedule")
    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.drop_index("ix_language_service_code")
        batch_op.drop_index(
            "ix_language_phone_id",
            sqlite_where=sa.text("phone_id IS NOT NULL"),
            postgresql_where=sa.text("phone_id IS NOT NULL"),
        )
        batch_op.drop_index(
            "ix_language_location_id",
            sqlite_where=sa.text("location_id IS NOT NULL"),
            postgresql_where=sa.text("location_id IS NOT NULL"),
        )
        batch_op.drop_index("ix_language_code_service")

    op.drop_table("language")
    with op.batch_alter_table("service_taxonomy", schema=None) as batch_op:
        batch_op.drop_index("ix_service_taxonomy_term")

    op.drop_table("service_taxonomy")
    with op.batch_alter_table("service_at_location", schema=None) as batch_op:
        batch_op.drop_index("ix_service_at_location_location")

    op.drop_table("service_at_location")
    with op.batch_alter_table("service_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_area_service_id"))
        batch_op.drop_index(batch_op.f("ix_service_area_name"))

    op.drop_table("service_area")
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_phone_service_id",
            sqlite_where=sa.text("service_id IS NOT NULL"),
            postgresql_where=sa.text("service_id IS NOT NULL"),
        )
        batch_op.drop_index(
            "ix_phone_location_id",
            sqlite_where=sa.text("location_id IS NOT NULL"),
            postgresql_where=sa.text("location_id IS NOT NULL"),
        )

    op.drop_table("phone")
    with op.batch_alter_table("eligibility", schema=None) as batch_op:
        batch_op.drop_index("ix_eligibility_code_service")

    op.drop_table("eligibility")
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_address_location_id"))

    op.drop_table("address")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index("ix_service_organization")

    op.drop_table("service")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index("ix_location_organization")
        batch_op.drop_index("ix_location_lat_lon")

    op.drop_table("location")
    op.drop_table("translation")
    op.drop_table("taxonomy_term")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_dataset"))

    op.drop_table("organization")
