"""Machine translation of what has no curated text, offline, with argostranslate.

Only directory texts without a human translation, and answers to people writing in a
language the bot does not speak, go through here. Phone numbers, web and e-mail
addresses and names given by the caller (organisations, street addresses) are replaced by
placeholders first and put back after; a translation that loses one is thrown away, so a
number is never garbled. Results are cached in the `translation` table as `machine`
(unreviewed), where a settlement worker can review them.

argostranslate reads its settings from the environment when first imported, and its
default sentence splitter downloads a model on first use: both are handled here so that
nothing ever goes to the network.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import Translation

log = logging.getLogger(__name__)

_PROTECTED = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+"  # web and e-mail addresses
    r"|\+?1?[\s-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?:\s*(?:ext\.?|x)\s*\d+)?"  # phones
    r"|\b\d(?:-\d){2}\b|\b[2-9]11\b|\b9-8-8\b"  # 8-1-1, 911, 9-8-8
    r"|\b\d+(?:[:.,]\d+)*\b"  # other numbers, times
)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")


class Translator(Protocol):
    def pairs(self) -> frozenset[tuple[str, str]]: ...

    def translate(
        self, text: str, source: str, target: str, keep: Sequence[str] = ()
    ) -> str | None:
        """`text` in `target`, or None when there is no model or the result is unsafe."""
        ...


class NoTranslator:
    """No models installed: every caller falls back to curated or English text."""

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset()

    def translate(
        self, text: str, source: str, target: str, keep: Sequence[str] = ()
    ) -> str | None:
        return None


def protect(text: str, keep: Sequence[str] = ()) -> tuple[str, list[str]]:
    """Replace what must not be translated by numbered placeholders."""
    kept: list[str] = []

    def mark(value: str) -> str:
        kept.append(value)
        return f"⟦{len(kept)}⟧"

    for name in sorted({k for k in keep if k}, key=len, reverse=True):
        text = text.replace(name, mark(name)) if name in text else text
    # Numbers inside placeholders are ours: skip the ⟦n⟧ tokens themselves.
    parts = re.split(r"(⟦\d+⟧)", text)
    text = "".join(
        part if re.fullmatch(r"⟦\d+⟧", part) else _PROTECTED.sub(lambda m: mark(m.group(0)), part)
        for part in parts
    )
    return text, kept


def restore(translated: str, kept: Sequence[str]) -> str | None:
    """Put the protected values back; None if the translation lost or repeated one."""
    for number, value in enumerate(kept, 1):
        token = f"⟦{number}⟧"
        if translated.count(token) != 1:
            return None
        translated = translated.replace(token, value)
    return None if "⟦" in translated else translated


def split_sentences(text: str) -> list[str]:
    """Lines, then sentences: our texts are short; no model needed (and no download)."""
    return [s for line in text.split("\n") for s in _SENTENCE_END.split(line) if s.strip()]


class _Sentencizer:
    def split_sentences(self, text: str) -> list[str]:
        return split_sentences(text) or [text]


class ArgosTranslator:
    """argostranslate packages installed in `packages_dir` (install with `navigator languages`)."""

    def __init__(self, packages_dir: Path, threads: int = 1) -> None:
        packages_dir.mkdir(parents=True, exist_ok=True)
        # Read by argostranslate at import: set before the first import, never downloaded.
        os.environ["ARGOS_PACKAGES_DIR"] = str(packages_dir)
        os.environ.setdefault("ARGOS_DEVICE_TYPE", "cpu")
        self._dir = packages_dir
        self._threads = threads
        self._lock = threading.Lock()
        self._models: dict[tuple[str, str], tuple[Any, Any]] = {}
        self._packages: dict[tuple[str, str], Any] | None = None

    def _installed(self) -> dict[tuple[str, str], Any]:
        # Packages are found in our own folder, not through argostranslate's global
        # settings (fixed at its first import, for the whole process).
        if self._packages is None:
            from argostranslate.package import Package

            packages = {}
            for metadata in sorted(self._dir.glob("*/metadata.json")):
                try:
                    package = Package(metadata.parent)
                except (OSError, ValueError, KeyError) as exc:
                    log.warning("ignoring the translation package in %s: %s", metadata.parent, exc)
                    continue
                packages[(package.from_code, package.to_code)] = package
            self._packages = packages
        return self._packages

    def refresh(self) -> None:
        self._packages = None
        self._models.clear()

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset(self._installed())

    def install_file(self, path: Path) -> tuple[str, str]:
        """Unpack a `.argosmodel` (a zip with one top folder) into our folder."""
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            tops = {Path(n).parts[0] for n in names if n.strip("/")}
            unsafe = [n for n in names if Path(n).is_absolute() or ".." in Path(n).parts]
            if len(tops) != 1 or unsafe or f"{next(iter(tops))}/metadata.json" not in names:
                raise ValueError(f"{path}: not an Argos package (one folder with metadata.json)")
            top = next(iter(tops))
            target = self._dir / top
            if target.exists():
                shutil.rmtree(target)
            archive.extractall(self._dir)
        metadata = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
        self.refresh()
        return str(metadata["from_code"]), str(metadata["to_code"])

    def _model(self, source: str, target: str) -> tuple[Any, Any] | None:
        package = self._installed().get((source, target))
        if package is None:
            return None
        if (source, target) not in self._models:
            import ctranslate2

            translator = ctranslate2.Translator(
                str(Path(package.package_path) / "model"),
                device="cpu",
                inter_threads=1,
                intra_threads=self._threads,
            )
            self._models[(source, target)] = (package, translator)
        return self._models[(source, target)]

    def translate(
        self, text: str, source: str, target: str, keep: Sequence[str] = ()
    ) -> str | None:
        if source == target:
            return text
        model = self._model(source, target)
        if model is None or not text.strip():
            return None
        from argostranslate.translate import apply_packaged_translation

        package, translator = model
        masked, kept = protect(text, keep)
        lines = []
        with self._lock:  # a CTranslate2 translator is used by one caller at a time here
            for line in masked.split("\n"):
                if not line.strip():
                    lines.append(line)
                    continue
                hypotheses = apply_packaged_translation(
                    package, line, translator, _Sentencizer(), num_hypotheses=1
                )
                lines.append(hypotheses[0].value if hypotheses else "")
        result = restore("\n".join(lines), kept)
        if result is None:
            log.info("dropped a %s→%s translation that lost a protected value", source, target)
        return result


def cached_translation(
    session: Session,
    translator: Translator,
    *,
    entity_type: str,
    entity_id: str,
    field: str,
    text: str,
    source: str,
    target: str,
    keep: Iterable[str] = (),
) -> str | None:
    """A stored translation of an entity's field, else a new machine one (stored)."""
    row = session.scalars(
        select(Translation).where(
            Translation.entity_type == entity_type,
            Translation.entity_id == entity_id,
            Translation.field == field,
            Translation.language == target,
        )
    ).first()
    if row is not None:
        return row.text
    if (source, target) not in translator.pairs():
        return None
    translated = translator.translate(text, source, target, tuple(keep))
    if translated:
        session.add(
            Translation(
                entity_type=entity_type,
                entity_id=entity_id,
                field=field,
                language=target,
                text=translated,
                source="machine",
                reviewed=False,
            )
        )
    return translated
