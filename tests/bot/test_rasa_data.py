"""Rasa's own validation of the domain, training data and test stories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv" / "rasa" / "bin" / "rasa"

pytestmark = pytest.mark.rasa


def test_rasa_data_validate_finds_no_error() -> None:
    require(RASA.exists(), "the Rasa runtime is missing: run `make setup`")
    done = subprocess.run(
        [
            str(RASA),
            "data",
            "validate",
            "--domain",
            "bot/domain",
            "--data",
            "bot/data",
            "--config",
            "config.yml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
