"""The closed vocabularies of the directory: category and eligibility codes."""

from __future__ import annotations

# Order matters only for display lists; the first entry is not special.
CATEGORY_CODES: tuple[str, ...] = (
    "settlement",
    "language",
    "employment",
    "housing",
    "health",
    "mental_health",
    "legal",
    "education",
    "childcare",
    "documents",
    "financial",
    "food",
    "community",
    "transportation",
    "family_violence",
    "emergency",
)

# A service with no eligibility codes serves everyone.
ELIGIBILITY_CODES: tuple[str, ...] = (
    "permanent_resident",
    "refugee_claimant",
    "protected_person",
    "temporary_worker",
    "international_student",
    "citizen",
)
