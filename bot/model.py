"""Training the Rasa model only when its inputs changed (a hash of them names the model)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from bot.locales_build import build_domain
from bot.settings import Settings

TRAINING_INPUTS = (
    "config.yml",
    "bot/domain",
    "bot/locales",
    "bot/data",
    "bot/lexicons",
    "nlu",
    "requirements/rasa.lock",
)


def inputs_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for entry in TRAINING_INPUTS:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path(settings: Settings) -> Path:
    return settings.models_dir / f"navigator-{inputs_hash(settings.project_root)}.tar.gz"


def rasa_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    # e5 runs on OpenMP threads, which by default spin a long time while they wait: beside
    # one other busy process on 2 cores a parse took 187 ms instead of 10. A short spin keeps
    # them fast alone and polite in company (measured on 2 cores, alone / beside a busy
    # process: default 9.4 / 187 ms, spin 1000: 10.2 / 23 ms, sleeping at once (passive):
    # 23 / 20 ms, one thread: 16 / 17 ms).
    env.setdefault("GOMP_SPINCOUNT", "1000")
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        PYTHONPATH=str(settings.project_root),
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def rasa_bin(settings: Settings) -> Path:
    binary = settings.rasa_venv / "bin" / "rasa"
    if not binary.exists():
        raise SystemExit(f"error: {binary} not found: run 'make setup' (or scripts/bootstrap.sh)")
    return binary


def train(settings: Settings, *, force: bool = False) -> Path:
    """Train if no model exists for the current inputs; return the model's path."""
    target = model_path(settings)
    if target.exists() and not force:
        return target
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    domain = build_domain(settings.var_dir / "build" / "domain")
    log = settings.models_dir / "train.log"
    print(
        f"navigator: training the Rasa model ({target.name}); log: {log}",
        file=sys.stderr,
        flush=True,
    )
    with log.open("wb") as out:
        done = subprocess.run(  # noqa: S603 - our own venv's binary, fixed arguments
            [
                str(rasa_bin(settings)),
                "train",
                "--config",
                "config.yml",
                "--domain",
                str(domain),
                "--data",
                "bot/data",
                "--out",
                str(settings.models_dir),
                "--fixed-model-name",
                target.name.removesuffix(".tar.gz"),
            ],
            cwd=settings.project_root,
            env=rasa_env(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0 or not target.exists():
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"error: training failed (exit {done.returncode}):\n{tail}")
    for old in settings.models_dir.glob("navigator-*.tar.gz"):
        if old != target:
            old.unlink()
    return target
