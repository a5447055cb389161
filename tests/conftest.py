"""Shared test helpers. CI sets NAVIGATOR_REQUIRE_SERVICES=1: a missing service fails there."""

from __future__ import annotations

import os

import pytest


def require(condition: bool, reason: str) -> None:
    """Skip with a clear reason when something outside the project is missing; fail in CI."""
    if condition:
        return
    if os.environ.get("NAVIGATOR_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)
