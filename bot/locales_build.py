"""The bot's wording per language (`bot/locales/<code>.yml`) → Rasa domain responses.

One file per language keeps languages independent: a translator edits one file. English
is the fallback and becomes the variation without a condition; every other language gets
a `language` slot condition. `navigator train` writes the result next to a copy of
`bot/domain/` in `var/build/domain/`, which is what Rasa trains on.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

BOT_DIR = Path(__file__).resolve().parent
LOCALES_DIR = BOT_DIR / "locales"
DOMAIN_DIR = BOT_DIR / "domain"
FALLBACK = "en"


def _locale_files(directory: Path) -> list[Path]:
    # bot/locales/<code>.yml, then bot/locales/<part>/<code>.yml (e.g. channels/): a
    # translator still edits one language at a time, and a part can be reviewed apart.
    return sorted(directory.glob("*.yml")) + sorted(directory.glob("*/*.yml"))


def load_locales(directory: Path = LOCALES_DIR) -> dict[str, dict[str, dict[str, Any]]]:
    """{language: {response name: {"text": ..., "buttons": [...]}}} (the `utter_` keys)"""
    locales: dict[str, dict[str, dict[str, Any]]] = {}
    for path in _locale_files(directory):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        locales.setdefault(path.stem, {}).update(
            (name, entry if isinstance(entry, dict) else {"text": entry})
            for name, entry in data.items()
            if name.startswith("utter_")
        )
    return locales


def load_locale_data(key: str, directory: Path = LOCALES_DIR) -> dict[str, Any]:
    """{language: value} of a non-response key of the locale files (e.g. `sms_keywords`)."""
    found: dict[str, Any] = {}
    for path in _locale_files(directory):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if key in data:
            found[path.stem] = data[key]
    return found


def rasa_responses(
    locales: dict[str, dict[str, dict[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    """Rasa's `responses:` with one variation per language, English unconditional."""
    if FALLBACK not in locales:
        raise ValueError(f"bot/locales/{FALLBACK}.yml is required: it is every response's fallback")
    responses: dict[str, list[dict[str, Any]]] = {}
    for name, entry in locales[FALLBACK].items():
        variations = [dict(entry)]
        for code, texts in locales.items():
            if code == FALLBACK or name not in texts:
                continue
            variations.append(
                {
                    **texts[name],
                    "condition": [{"type": "slot", "name": "language", "value": code}],
                }
            )
        responses[name] = variations
    return responses


def build_domain(out: Path, locales_dir: Path = LOCALES_DIR, domain_dir: Path = DOMAIN_DIR) -> Path:
    """A complete Rasa domain folder: bot/domain/* plus the generated responses."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for path in domain_dir.glob("*.yml"):
        shutil.copy(path, out / path.name)
    generated = {
        "version": "3.1",
        "responses": rasa_responses(load_locales(locales_dir)),
    }
    header = "# Generated from bot/locales by bot/locales_build.py: edit the locales, not this.\n"
    (out / "responses.yml").write_text(
        header + yaml.safe_dump(generated, allow_unicode=True, sort_keys=False, width=1000),
        encoding="utf-8",
    )
    return out
