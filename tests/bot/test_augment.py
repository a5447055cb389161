"""Generated examples without diacritics: current, and true to their source."""

from __future__ import annotations

from bot.augment import DATA, LANGUAGES, render, without_diacritics


def test_the_generated_files_are_current() -> None:
    for code in LANGUAGES:
        committed = (DATA / "augmented" / f"{code}.yml").read_text(encoding="utf-8")
        assert committed == render(code), f"run `python -m bot.augment` ({code})"


def test_marks_are_removed_and_nothing_else() -> None:
    assert without_diacritics("tìm việc làm ở đâu") == "tim viec lam o dau"
    assert without_diacritics("Đăng ký [Surrey](place) nhé") == "Dang ky [Surrey](place) nhe"
