"""Every language says everything English says, with the same variables and buttons."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

from bot.languages import supported_languages
from bot.locales_build import build_domain, load_locales

LOCALES = load_locales()
OTHERS = sorted(set(LOCALES) - {"en"})


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_locale_is_described_in_languages_yml() -> None:
    assert set(LOCALES) <= set(supported_languages())


@pytest.mark.parametrize("code", OTHERS)
def test_a_locale_has_exactly_the_english_responses(code: str) -> None:
    missing = set(LOCALES["en"]) - set(LOCALES[code])
    extra = set(LOCALES[code]) - set(LOCALES["en"])
    assert not missing, f"{code} misses {sorted(missing)}"
    assert not extra, f"{code} has responses English lacks: {sorted(extra)}"


@pytest.mark.parametrize("code", OTHERS)
def test_variables_and_button_payloads_match_english(code: str) -> None:
    for name, english in LOCALES["en"].items():
        entry = LOCALES[code][name]
        assert _fields(entry.get("text", "")) == _fields(english.get("text", "")), (code, name)
        payloads = [b["payload"] for b in entry.get("buttons") or []]
        assert payloads == [b["payload"] for b in english.get("buttons") or []], (code, name)
        assert all(b.get("title") for b in entry.get("buttons") or []), (code, name)


def test_the_built_domain_has_one_variation_per_language(tmp_path: Path) -> None:
    domain = build_domain(tmp_path / "domain")
    responses = yaml.safe_load((domain / "responses.yml").read_text(encoding="utf-8"))["responses"]
    assert set(responses) == set(LOCALES["en"])
    for name, variations in responses.items():
        codes = [v["condition"][0]["value"] if v.get("condition") else "en" for v in variations]
        assert sorted(codes) == sorted(c for c in LOCALES if name in LOCALES[c]), name
        assert codes[0] == "en" and "condition" not in variations[0]
    assert (domain / "core.yml").exists()
