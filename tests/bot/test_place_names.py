"""Every place name the NLU can extract means a place the directory knows."""

from __future__ import annotations

from pathlib import Path

import yaml

from knowledge.places import resolve_place

DATA = Path(__file__).resolve().parents[2] / "bot" / "data"


def _blocks() -> list[dict[str, object]]:
    blocks: list[dict[str, object]] = []
    for path in sorted(DATA.rglob("*.yml")):
        blocks.extend((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or [])
    return blocks


def _examples(block: dict[str, object]) -> list[str]:
    raw = block.get("examples") or ""
    return [
        line.strip()[2:].strip() for line in str(raw).splitlines() if line.strip().startswith("- ")
    ]


def test_every_place_name_resolves_directly_or_through_its_synonym() -> None:
    synonyms: dict[str, str] = {}
    for block in _blocks():
        if "synonym" in block:
            for example in _examples(block):
                synonyms[example.lower()] = str(block["synonym"])
    unknown = []
    for block in _blocks():
        if block.get("lookup") != "place":
            continue
        for name in _examples(block):
            target = synonyms.get(name.lower(), name)
            if resolve_place(target) is None:
                unknown.append(f"{name} -> {target}")
    assert not unknown, f"place names the directory cannot resolve: {unknown}"


def test_synonym_targets_are_places_and_no_name_maps_to_two() -> None:
    seen: dict[str, str] = {}
    for block in _blocks():
        if "synonym" not in block:
            continue
        for example in _examples(block):
            previous = seen.setdefault(example.lower(), str(block["synonym"]))
            assert previous == str(block["synonym"]), f"{example}: {previous} or {block['synonym']}"
