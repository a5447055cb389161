"""Rasa's own end-to-end test stories (bot/tests/test_stories.yml) against the trained model."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.model import model_path, rasa_bin, rasa_env
from bot.settings import Settings
from tests.e2e.conftest import ROOT, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]


def test_every_test_story_passes(stack: Stack, tmp_path: Path) -> None:
    settings = Settings(NAVIGATOR_MODELS_DIR=ROOT / "var" / "models")  # type: ignore[call-arg]
    model = model_path(settings)
    assert model.exists(), "the stack fixture trains the model"
    done = subprocess.run(
        [
            str(rasa_bin(settings)),
            "test",
            "core",
            "--model",
            str(model),
            "--stories",
            "bot/tests/test_stories.yml",
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
        ],
        cwd=ROOT,
        env=rasa_env(settings),
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = tmp_path / "story_report.json"
    summary = json.loads(report.read_text()) if report.exists() else {}
    assert done.returncode == 0, (
        summary.get("weighted avg"),
        done.stdout[-3000:],
        done.stderr[-3000:],
    )
    assert summary["weighted avg"]["f1-score"] == 1.0
