"""Language codes the directory knows, and their endonyms (knowledge/data/languages.yml)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

_DATA = Path(__file__).parent / "data" / "languages.yml"


@cache
def endonyms() -> Mapping[str, str]:
    """Every known language code mapped to its endonym, in file order."""
    raw = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return {str(code): str(name) for code, name in raw.items()}


def normalize_code(code: str) -> str:
    """Lower-case a code and drop a region or script subtag ("zh-Hant" -> "zh")."""
    code = code.strip().lower().replace("_", "-")
    if code in endonyms():
        return code
    return code.split("-", 1)[0]


def is_known(code: str) -> bool:
    """True when `code` (after normalisation) is listed in languages.yml."""
    return normalize_code(code) in endonyms()


def endonym(code: str) -> str:
    """The language's name in its own script; the code itself when unknown."""
    return endonyms().get(normalize_code(code), code)
